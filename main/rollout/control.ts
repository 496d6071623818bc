// Control of a rollout from wherever the operator is: the console and the CLI share the journal, so
// a rollout may run in another process than the one asked to pause, resume, abort or roll it back.
// The asker appends a control line to the rollout's journal file (RolloutJournal.request); the
// process that runs it follows its own file with a size poll and applies each new line to its
// executor. applyControl() is the one place an order meets an executor, local or from the file.
import type { Actor } from '../../shared/audit';
import type { Clock } from '../clock/clock';
import type { RolloutExecutor } from './executor';
import type { ControlOp, ControlRequest, RolloutJournal } from './journal';

/**
 * How often the running process looks for control lines: as main/audit follows its log (POLL_MS),
 * an order from another process is applied within ~1 s, for one stat every 500 ms.
 */
export const CONTROL_POLL_MS = 500;

/** What an order needs of an executor. */
export type Controllable = Pick<RolloutExecutor, 'pause' | 'resume' | 'abort' | 'rollback'>;

/** Applies one order to an executor; the reason names who gave it, for the operator. */
export function applyControl(executor: Controllable, op: ControlOp, by: Actor): void {
  const who = `by ${by.user} (${by.source})`;
  if (op === 'pause') executor.pause(`paused ${who}`);
  else if (op === 'resume') executor.resume();
  else if (op === 'abort') executor.abort(`aborted ${who}`);
  else executor.rollback(`rolled back ${who}`);
}

export interface ControlFollowerDeps {
  journal: Pick<RolloutJournal, 'controlsSince'>;
  clock: Pick<Clock, 'setInterval' | 'clearInterval'>;
  log?: (message: string) => void;
}

/**
 * Follows rollout `id`'s journal file from byte `since` (where this process's part starts) and
 * hands each control request to `apply`, in order; returns the stop. A read that fails is logged
 * and tried again on the next poll.
 */
export function followControls(deps: ControlFollowerDeps, id: string, since: number, apply: (request: ControlRequest) => void): () => void {
  let offset = since;
  const poll = (): void => {
    let requests: ControlRequest[];
    try {
      ({ requests, offset } = deps.journal.controlsSince(id, offset));
    } catch (err) {
      deps.log?.(`rollout ${id}: cannot read its control requests: ${(err as Error).message}`);
      return;
    }
    for (const request of requests) apply(request);
  };
  // unref: following never keeps a finished CLI alive; the rollout's own work does.
  const timer = deps.clock.setInterval(poll, CONTROL_POLL_MS).unref();
  return () => deps.clock.clearInterval(timer);
}
