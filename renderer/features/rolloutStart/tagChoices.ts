// The tags a Deploy can pick (pure): a repository's tags from the registry, newest first (by the
// image config's created time; tags without one last, by name), each with its digest, its age and
// which of the scope's containers run it now, so that the tag they run is marked "current".
import type { Container } from '../../../shared/model';
import { parseImageRef } from '../../../shared/imageRef';
import type { TagInfo } from '../../../shared/registry';
import { compareNatural } from '../../components/natural';

export type TagChoice = {
  tag: string;
  /** What the deploy asks for: registryHost/repository:tag. */
  reference: string;
  digest: string;
  /** ISO 8601, from the image config. */
  created?: string;
  /** How many of the scope's containers were created from this tag. */
  running: number;
};

/** The tag a container was created from, when it names this repository. */
function tagOf(c: Pick<Container, 'image'>, registryHost: string, repository: string): string | undefined {
  try {
    const ref = parseImageRef(c.image);
    return ref.registry === registryHost && ref.repository === repository ? ref.tag : undefined;
  } catch {
    return undefined;
  }
}

export function tagChoices(tags: readonly TagInfo[], registryHost: string, repository: string, containers: readonly Pick<Container, 'image'>[]): TagChoice[] {
  const running = new Map<string, number>();
  for (const c of containers) {
    const tag = tagOf(c, registryHost, repository);
    if (tag !== undefined) running.set(tag, (running.get(tag) ?? 0) + 1);
  }
  const time = (t: TagInfo) => (t.created ? Date.parse(t.created) : Number.NaN);
  return [...tags]
    .sort((a, b) => {
      const ta = time(a);
      const tb = time(b);
      if (Number.isFinite(ta) !== Number.isFinite(tb)) return Number.isFinite(ta) ? -1 : 1;
      return (Number.isFinite(ta) && tb !== ta ? tb - ta : 0) || compareNatural(b.tag, a.tag);
    })
    .map((t) => ({ tag: t.tag, reference: `${registryHost}/${repository}:${t.tag}`, digest: t.digest, ...(t.created ? { created: t.created } : {}), running: running.get(t.tag) ?? 0 }));
}

/** What a Deploy offers first: the newest tag the scope does not run everywhere already. */
export function defaultTag(choices: readonly TagChoice[], scopeSize: number): number {
  const i = choices.findIndex((c) => c.running < scopeSize);
  return i < 0 ? 0 : i;
}
