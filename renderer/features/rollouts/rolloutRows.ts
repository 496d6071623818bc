// What the Rollouts view shows, derived from the rollouts store: the rollouts newest first, each
// one's progress, the words and shapes of states and steps, and which orders a state allows.
import type { RolloutContainer, RolloutControlOp, RolloutState, RolloutStep, RolloutSummary } from '../../../shared/rollout';
import type { ShapeKind } from '../../components/Shape';
import { isStopped, newestFirst } from '../../stores/rollouts';

export function rolloutRows(rollouts: ReadonlyMap<string, RolloutSummary>): RolloutSummary[] {
  return [...rollouts.values()].sort(newestFirst);
}

/** The interrupted and paused ones, newest first: each waits for Resume or Roll back. */
export function stoppedRollouts(rollouts: ReadonlyMap<string, RolloutSummary>): RolloutSummary[] {
  return rolloutRows(rollouts).filter(isStopped);
}

/** Containers on their new revision (or restarted), of all. */
export function progress(r: RolloutSummary): { done: number; total: number } {
  return { done: r.containers.filter((c) => c.step === 'done').length, total: r.containers.length };
}

/** A state's shape and tone (the CSS class `ro-tone-<tone>` colours it); always shown with its word. */
export const STATE_LOOK: Record<RolloutState, { shape: ShapeKind; tone: string; title: string }> = {
  running: { shape: 'cycle', tone: 'info', title: 'Running now' },
  paused: { shape: 'pause', tone: 'paused', title: 'Paused: waits for Resume, or Roll back' },
  completed: { shape: 'dot', tone: 'ok', title: 'Every container is on its new revision' },
  'rolled-back': { shape: 'triangle', tone: 'warn', title: 'Every container it touched is back on its previous revision' },
  failed: { shape: 'cross', tone: 'err', title: 'It failed: see the reason' },
  aborted: { shape: 'square', tone: 'stopped', title: 'Aborted: each container runs its old or its new revision' },
  interrupted: { shape: 'ring', tone: 'warn', title: 'Its process is gone before the end: Resume carries it on, Roll back undoes it' },
};

export const STEP_LOOK: Record<RolloutStep, { shape: ShapeKind; tone: string }> = {
  queued: { shape: 'ring', tone: 'muted' },
  pulling: { shape: 'half', tone: 'info' },
  stopping: { shape: 'square', tone: 'info' },
  starting: { shape: 'cycle', tone: 'info' },
  'waiting-healthy': { shape: 'half', tone: 'info' },
  done: { shape: 'dot', tone: 'ok' },
  failed: { shape: 'cross', tone: 'err' },
  'rolled-back': { shape: 'triangle', tone: 'warn' },
};

/** "waiting healthy" for "waiting-healthy": steps read as words. */
export const stepWord = (step: RolloutStep): string => step.replace('-', ' ');

/** "deploy of web", "restart of 3 containers". */
export function rolloutTitle(r: Pick<RolloutSummary, 'action' | 'service' | 'containers'>): string {
  return `${r.action} of ${r.service ?? `${r.containers.length} container${r.containers.length === 1 ? '' : 's'}`}`;
}

/** The orders a rollout in this state takes, in the order the buttons show. */
export function ordersFor(state: RolloutState): RolloutControlOp[] {
  switch (state) {
    case 'running':
      return ['pause', 'abort', 'rollback'];
    case 'paused':
    case 'interrupted':
      return ['resume', 'abort', 'rollback'];
    default:
      return [];
  }
}

export const ORDER_LABEL: Record<RolloutControlOp, string> = { pause: 'Pause', resume: 'Resume', abort: 'Abort', rollback: 'Roll back' };

/** Orders that undo or stop work and so are confirmed first. */
export const DESTRUCTIVE: ReadonlySet<RolloutControlOp> = new Set(['abort', 'rollback']);

/** "h1/web-1" as plans and the CLI spell a container. */
export const containerKey = (c: Pick<RolloutContainer, 'host' | 'name'>): string => `${c.host}/${c.name}`;
