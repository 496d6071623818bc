// Deploy…: pick a tag of the scope's repository from its registry (through the registry slice's
// client: the images store), each with its digest, its age and how many of the scope run it now;
// the plan then opens in the Rollouts tab with the tag's reference. A registry the fleet file does
// not name, or one that fails, is said in the list's place.
import { useEffect, useMemo } from 'react';
import { formatDuration } from '../../components/format';
import { useNow } from '../../components/useNow';
import { tagsKey, useImages } from '../../stores/images';
import { shortDigest } from '../images/imageRows';
import { PickDialog, type PickOption } from './PickDialog';
import { repositoryOf, scopeRequest, targetText, type StartTarget } from './scope';
import { closeStart } from './startDialog';
import { openPlan } from './startRollout';
import { defaultTag, tagChoices } from './tagChoices';

export function DeployDialog({ target }: { target: StartTarget }) {
  const repo = useMemo(() => repositoryOf(target.containers), [target]);
  const registry = useImages((s) => (repo ? s.registries?.value?.find((r) => r.host === repo.registryHost) : undefined));
  const registriesStatus = useImages((s) => s.registries?.status);
  const tags = useImages((s) => (registry && repo ? s.tags.get(tagsKey(registry.url, repo.repository)) : undefined));
  const now = useNow();

  useEffect(() => {
    if (registry && repo) void useImages.getState().loadTags(registry.url, repo.repository);
  }, [registry, repo]);

  const choices = useMemo(() => (repo && tags?.value ? tagChoices(tags.value, repo.registryHost, repo.repository, target.containers) : []), [repo, tags, target]);
  const options: PickOption[] = choices.map((t) => {
    const at = t.created ? Date.parse(t.created) : Number.NaN;
    const age = Number.isFinite(at) ? `${formatDuration(now - at)} ago` : 'age unknown';
    const runs = t.running > 0 ? `${t.running} of ${target.containers.length} run it now` : '';
    return {
      id: t.tag,
      label: [t.tag, shortDigest(t.digest), age, runs].filter(Boolean).join(', '),
      cells: (
        <>
          <span className="pick-main mono">{t.tag}</span>
          <span className="pick-digest mono" title={t.digest}>{shortDigest(t.digest)}</span>
          <span className="pick-age mono" title={t.created}>{age}</span>
          <span className="pick-note" title={runs}>{t.running > 0 && <span className="pick-current">current · {t.running}/{target.containers.length}</span>}</span>
        </>
      ),
    };
  });

  const repoName = repo ? `${repo.registryHost}/${repo.repository}` : undefined;
  let placeholder: string | undefined;
  if (!repo) placeholder = 'These containers run no image of one registry repository: deploy one service or image at a time.';
  else if (!registry) placeholder = registriesStatus === 'loading' || registriesStatus === undefined ? 'Asking the fleet’s registries…' : `No registry in the fleet file serves ${repo.registryHost}: add it there to pick a tag.`;
  else if (!tags || (tags.status === 'loading' && !tags.value)) placeholder = `Asking ${registry.host} for the tags of ${repo.repository}…`;
  else if (tags.status === 'error') placeholder = `${registry.host} did not list the tags: ${tags.error}`;
  else if (choices.length === 0) placeholder = `${repo.repository} has no tags in ${registry.host}.`;

  return (
    <PickDialog
      title={<>Deploy <span className="mono">{targetText(target)}</span></>}
      intro={<p className="muted">Pick a tag of <span className="mono">{repoName ?? 'its image'}</span>. The plan opens in the Rollouts tab: nothing changes before its Run.</p>}
      listLabel="Tags"
      options={options}
      placeholder={placeholder}
      initial={defaultTag(choices, target.containers.length)}
      confirmLabel="Plan deploy"
      onCancel={closeStart}
      onConfirm={(i) => {
        const t = choices[i];
        if (!t) return;
        closeStart();
        openPlan({ ...scopeRequest(target), action: 'deploy', image: t.reference });
      }}
    />
  );
}
