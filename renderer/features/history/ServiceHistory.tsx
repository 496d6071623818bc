// One service's history, in the Rollouts tab instead of its list (issue 12, History): its past
// rollouts newest first — when, what, who from where, the parameters, the result (shape and word,
// with the reason) and how long it took — and its recorded revisions with their images and digests
// and the rollout that made each. "Roll back to revision N" opens that rollback's plan. A select
// switches the service; "Back to rollouts" (or Escape) returns to the list.
import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { formatDuration } from '../../components/format';
import { Shape } from '../../components/Shape';
import { useNow } from '../../components/useNow';
import { useFleet } from '../../stores/fleet';
import { useRollouts } from '../../stores/rollouts';
import { useServiceHistory } from '../../stores/serviceHistory';
import { formatAuditTime } from '../audit/auditRows';
import { openPlan } from '../rolloutStart/startRollout';
import { STATE_LOOK } from '../rollouts/rolloutRows';
import { historyRows, imagesText, revisionRows, serviceRollouts } from './historyRows';
import { closeHistory, showHistory } from './historyView';
import './history.css';

/**
 * The newest rollouts whose plans (for their parameters) are asked: each costs main a journal
 * read, and 50 is about what the table shows at 1600 × 1000; older ones say "not read".
 */
const PLANS_ASKED = 50;

export function ServiceHistory({ service }: { service: string }) {
  const rollouts = useRollouts((s) => s.rollouts);
  const containers = useFleet((s) => s.containers);
  const histories = useServiceHistory((s) => s.histories);
  const revisions = useServiceHistory((s) => s.revisions.get(service));
  const now = useNow();
  const regionRef = useRef<HTMLElement>(null);
  // The keyboard comes here when it shows (Escape then goes back to the list).
  useEffect(() => {
    if (!regionRef.current?.contains(document.activeElement)) regionRef.current?.focus({ preventScroll: true });
  }, []);

  const list = useMemo(() => serviceRollouts(rollouts, service), [rollouts, service]);
  const rows = useMemo(() => historyRows(list, histories, now), [list, histories, now]);
  const revRows = useMemo(() => revisionRows(revisions?.value ?? [], rollouts), [revisions, rollouts]);
  const services = useMemo(() => {
    const names = new Set<string>([service]);
    for (const l of containers.values()) for (const c of l) if (c.service) names.add(c.service);
    for (const r of rollouts.values()) if (r.service) names.add(r.service);
    return [...names].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  }, [containers, rollouts, service]);

  const ids = list.slice(0, PLANS_ASKED).map((r) => r.id).join(' ');
  useEffect(() => {
    if (ids) void useServiceHistory.getState().loadHistories(ids.split(' '));
  }, [ids]);
  // Asked again when a rollout of the service ends: a completed one adds a revision.
  const ended = list.filter((r) => r.endedAt !== undefined).length;
  useEffect(() => {
    void useServiceHistory.getState().loadRevisions(service);
  }, [service, ended]);

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    e.preventDefault();
    closeHistory();
  };

  return (
    <section ref={regionRef} className="service-history" aria-label={`History of ${service}`} tabIndex={-1} onKeyDown={onKeyDown}>
      <div className="toolbar history-toolbar">
        <button type="button" className="btn btn-small" onClick={closeHistory} aria-keyshortcuts="Escape">
          <span aria-hidden="true">←</span> Back to rollouts
        </button>
        <span className="rollouts-title">History of</span>
        <select className="history-service" aria-label="Service" value={service} onChange={(e) => showHistory(e.target.value)}>
          {services.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        <span className="muted">{list.length} rollout{list.length === 1 ? '' : 's'} on record · {revRows.length} revision{revRows.length === 1 ? '' : 's'}</span>
      </div>
      <div className="history-body">
        <table className="history-table history-rollouts">
          <caption>Rollouts of {service}</caption>
          <thead>
            <tr><th scope="col">Started</th><th scope="col">Action</th><th scope="col">By</th><th scope="col">Parameters</th><th scope="col">Result</th><th scope="col">Duration</th><th scope="col">Containers</th></tr>
          </thead>
          <tbody>
            {rows.length === 0 && <tr><td colSpan={7} className="muted">No rollouts of {service} on record.</td></tr>}
            {rows.map(({ rollout: r, durationMs, params, done, failed }) => {
              const look = STATE_LOOK[r.state];
              const plan = histories.get(r.id);
              return (
                <tr key={r.id} className={`state-${r.state}`}>
                  <td className="mono" title={`${r.startedAt} (UTC) · ${r.id}`}>{formatAuditTime(r.startedAt, now)}</td>
                  <td className="history-action">{r.action}</td>
                  <td>{r.startedBy.user} <span className={`ro-source source-${r.startedBy.source}`}>{r.startedBy.source}</span></td>
                  <td className="history-params">{params ?? (plan?.status === 'error' ? <span className="rollout-refused">{plan.error}</span> : <span className="muted">{plan ? '…' : 'not read'}</span>)}</td>
                  <td className={`ro-tone-${look.tone}`} title={r.reason ? `${look.title}. ${r.reason}` : look.title}>
                    <span className="rollout-state"><Shape kind={look.shape} /> {r.state}</span>
                    {r.reason && <span className="history-reason">{r.reason}</span>}
                  </td>
                  <td className="mono">{durationMs === undefined ? <span className="muted">—</span> : formatDuration(durationMs)}{r.endedAt === undefined && durationMs !== undefined ? ' so far' : ''}</td>
                  <td className="mono">{done}/{r.containers.length} done{failed > 0 ? <span className="ro-tone-err"> · {failed} failed</span> : ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>

        <table className="history-table history-revisions">
          <caption>Revisions of {service}</caption>
          <thead>
            <tr><th scope="col">Revision</th><th scope="col">Images</th><th scope="col">Digests</th><th scope="col">Made by</th><th scope="col"><span className="visually-hidden">Roll back</span></th></tr>
          </thead>
          <tbody>
            {revisions?.status === 'error' && <tr><td colSpan={5} className="rollout-refused">The revisions could not be read: {revisions.error}</td></tr>}
            {revisions?.status === 'loading' && !revisions.value && <tr><td colSpan={5} className="muted">Reading the revisions…</td></tr>}
            {revisions?.status === 'ok' && revRows.length === 0 && <tr><td colSpan={5} className="muted">No revisions on record: a service gets them from its first recorded deploy.</td></tr>}
            {revRows.map((r) => (
              <tr key={r.number} className={r.current ? 'is-current' : undefined}>
                <td>
                  <b>Revision {r.number}</b>
                  {r.current && <span className="history-current"><Shape kind="dot" /> current</span>}
                </td>
                <td className="mono history-images" title={r.images.join('\n')}>{imagesText(r.images)}</td>
                <td className="mono">{r.digests.join(', ') || <span className="muted">—</span>}</td>
                <td>{r.madeBy ? <>{r.madeByTitle ?? 'rollout'} <span className="mono muted">{r.madeBy}</span></> : <span className="muted">as before the first recorded rollout</span>}</td>
                <td>
                  {!r.current && (
                    <button type="button" className="btn btn-small" onClick={() => openPlan({ service, action: 'rollback', toRevision: r.number })}>
                      Roll back to revision {r.number}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
