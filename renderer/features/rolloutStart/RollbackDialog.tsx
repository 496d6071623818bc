// Roll back…: pick a recorded revision of the scope's service (rolloutRevisions through the service
// history store), each with its number, whether it is current, its images and digests and the
// rollout that made it; the plan then opens in the Rollouts tab. The current revision is listed but
// cannot be picked; the one before it is offered first. A service whose last rollout is unfinished
// (interrupted or paused) is rolled back by that rollout's own Roll back: the engine refuses a
// revision then, and the dialog says so first.
import { useEffect, useMemo } from 'react';
import { isStopped, useRollouts } from '../../stores/rollouts';
import { useServiceHistory } from '../../stores/serviceHistory';
import { defaultRevision, imagesText, revisionRows } from '../history/historyRows';
import { PickDialog, type PickOption } from './PickDialog';
import { scopeRequest, serviceOf, targetText, type StartTarget } from './scope';
import { closeStart } from './startDialog';
import { openPlan } from './startRollout';

export function RollbackDialog({ target }: { target: StartTarget }) {
  const service = serviceOf(target);
  const revisions = useServiceHistory((s) => (service ? s.revisions.get(service) : undefined));
  const rollouts = useRollouts((s) => s.rollouts);

  useEffect(() => {
    if (service) void useServiceHistory.getState().loadRevisions(service);
  }, [service]);

  const unfinished = useMemo(() => [...rollouts.values()].find((r) => r.service === service && isStopped(r)), [rollouts, service]);
  const rows = useMemo(() => revisionRows(revisions?.value ?? [], rollouts), [revisions, rollouts]);
  const first = defaultRevision(revisions?.value ?? []);
  const options: PickOption[] = rows.map((r) => {
    const made = r.madeBy ? `made by ${r.madeByTitle ?? 'rollout'} ${r.madeBy}` : 'the original, before any recorded rollout';
    const images = imagesText(r.images);
    return {
      id: String(r.number),
      label: [`Revision ${r.number}`, r.current ? 'current' : '', images, r.digests.join(', '), made].filter(Boolean).join(', '),
      unavailable: r.current ? 'what it runs now' : undefined,
      cells: (
        <>
          <span className="pick-main">Revision {r.number}</span>
          <span className="pick-image mono" title={r.images.join('\n')}>{images}</span>
          <span className="pick-digest mono">{r.digests.join(', ') || '—'}</span>
          <span className="pick-note" title={made}>
            {r.current && <span className="pick-current">current · </span>}
            <span className="muted">{r.madeBy ? `by ${r.madeByTitle ?? r.madeBy}` : 'original'}</span>
          </span>
        </>
      ),
    };
  });

  let placeholder: string | undefined;
  if (!service) placeholder = 'These containers are not one service’s: revisions are recorded per service.';
  else if (!revisions || (revisions.status === 'loading' && !revisions.value)) placeholder = `Reading the revisions of ${service}…`;
  else if (revisions.status === 'error') placeholder = `The revisions of ${service} could not be read: ${revisions.error}`;
  else if (rows.length === 0) placeholder = `No revisions of ${service} on record: a service gets them from its first recorded deploy.`;

  return (
    <PickDialog
      title={<>Roll back <span className="mono">{targetText(target)}</span></>}
      intro={
        <>
          <p className="muted">Pick a recorded revision of <span className="mono">{service ?? 'the service'}</span>: each container is recreated from its create config (same IP and MAC). The plan opens in the Rollouts tab: nothing changes before its Run.</p>
          {unfinished && (
            <p className="pick-warning" role="note">
              Its {unfinished.action} <span className="mono">{unfinished.id}</span> is {unfinished.state}: undo it with that rollout&apos;s own Roll back (or resume it) before going to a revision.
            </p>
          )}
        </>
      }
      listLabel="Revisions"
      options={options}
      placeholder={placeholder}
      initial={Math.max(0, rows.findIndex((r) => r.number === first))}
      confirmLabel="Plan rollback"
      onCancel={closeStart}
      onConfirm={(i) => {
        const r = rows[i];
        if (!r) return;
        closeStart();
        openPlan({ ...scopeRequest(target), action: 'rollback', toRevision: r.number });
      }}
    />
  );
}
