// The "Interrupted rollouts" region, above every view: each rollout on record that was cut off
// (its process gone before the end) or is paused, with each container's state and Resume or Roll
// back, so that the console offers them from start-up (issue 11, the journal). Open shows it in the
// planner (its lanes, live; issue 12), Details in the Rollouts view's list. Nothing shows while there are none.
import { useMemo } from 'react';
import { Shape } from '../../components/Shape';
import { usePlanner } from '../../stores/planner';
import { useRollouts } from '../../stores/rollouts';
import { formatAuditTime } from '../audit/auditRows';
import { showView } from '../stats/ViewTabs';
import { RolloutOrders } from './RolloutOrders';
import { containerKey, STATE_LOOK, STEP_LOOK, stepWord, stoppedRollouts, rolloutTitle } from './rolloutRows';
import './rollouts.css';

export function InterruptedRollouts() {
  const rollouts = useRollouts((s) => s.rollouts);
  const stopped = useMemo(() => stoppedRollouts(rollouts), [rollouts]);
  if (stopped.length === 0) return null;

  return (
    <section className="interrupted-rollouts" aria-label="Interrupted rollouts">
      {stopped.map((r) => {
        const look = STATE_LOOK[r.state];
        return (
          <article key={r.id} className="interrupted-rollout" aria-label={`Rollout ${r.id}`}>
            <div className="interrupted-head">
              <span className={`rollout-state ro-tone-${look.tone}`} title={look.title}>
                <Shape kind={look.shape} /> {r.state}
              </span>
              <span className="interrupted-title">{rolloutTitle(r)}</span>
              <span className="muted">
                <span className="mono">{r.id}</span> · started {formatAuditTime(r.startedAt, Date.now())} by {r.startedBy.user} ({r.startedBy.source})
              </span>
              {r.reason && <span className="rollout-reason">{r.reason}</span>}
              <span className="toolbar-spacer" />
              <RolloutOrders rollout={r} only={['resume', 'rollback']} />
              <button
                type="button"
                className="btn btn-small"
                title={`Open rollout ${r.id} in the planner: its plan's lanes with each container's step, in the Rollouts tab`}
                onClick={() => {
                  void usePlanner.getState().openRollout(r.id);
                  showView('rollouts');
                }}
              >
                Open
              </button>
              <button
                type="button"
                className="btn btn-quiet btn-small"
                onClick={() => {
                  useRollouts.getState().select(r.id);
                  showView('rollouts');
                }}
              >
                Details
              </button>
            </div>
            <ul className="interrupted-containers" aria-label="Containers">
              {r.containers.map((c) => {
                const step = STEP_LOOK[c.step];
                return (
                  <li key={containerKey(c)} className={`rollout-chip ro-tone-${step.tone}`} title={c.error}>
                    <span className="mono">{containerKey(c)}</span> <Shape kind={step.shape} /> {stepWord(c.step)}
                  </li>
                );
              })}
            </ul>
          </article>
        );
      })}
    </section>
  );
}
