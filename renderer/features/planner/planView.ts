// What a plan card and the run bar show, derived (pure): the diff of an image reference old → new
// (the shared repository, the changed part highlighted), a card's accessible name, and a running
// rollout's figures (done of all, failures against the max failure ratio).
import type { RolloutContainer, RolloutStep } from '../../../shared/rollout';
import { stepWord } from '../rollouts/rolloutRows';
import type { PlanCard } from './planModel';

export type RefDiff = {
  /** The part both references share, up to a boundary ("registry/payments/api:"). */
  common: string;
  /** What changes: "" on both sides when the references are the same. */
  from: string;
  to: string;
};

/** Boundaries a diff snaps back to: a tag, a path segment or a digest is shown whole, never half. */
const BOUNDARY = /[/:@]/;

/** "reg/pay/api:2024.11.3" → "reg/pay/api:2024.12.1": common "reg/pay/api:", from "2024.11.3", to "2024.12.1". */
export function diffRefs(from: string, to: string): RefDiff {
  if (from === to) return { common: from, from: '', to: '' };
  let n = 0;
  while (n < from.length && n < to.length && from[n] === to[n]) n++;
  // Back to just after the last boundary both share.
  while (n > 0 && !BOUNDARY.test(from[n - 1]!)) n--;
  return { common: from.slice(0, n), from: from.slice(n), to: to.slice(n) };
}

/** "registry.example/payments/api:" → "api:" (the card is narrow; its title has the whole). */
export function lastSegment(ref: string): string {
  const slash = ref.lastIndexOf('/', ref.length - 2);
  return slash < 0 ? ref : ref.slice(slash + 1);
}

/** A step ends its container's part: its time is when, not how long so far. */
export const isFinalStep = (step: RolloutStep): boolean => step === 'done' || step === 'failed' || step === 'rolled-back';

/** "payments-api-1 on h1, 198.18.4.21, queued": the name first (issue 12's contract), then where, then the step. */
export function cardLabel(card: Pick<PlanCard, 'name' | 'host' | 'ip' | 'forcedStopFirst' | 'hostOnline'>, live: Pick<RolloutContainer, 'step' | 'error'> | undefined): string {
  const parts = [`${card.name} on ${card.host}`];
  if (card.ip) parts.push(card.ip);
  if (!card.hostOnline) parts.push('host offline');
  if (card.forcedStopFirst) parts.push('stop-first (static address)');
  if (live) parts.push(live.error ? `${stepWord(live.step)}: ${live.error}` : stepWord(live.step));
  return parts.join(', ');
}

export type RunFigures = { total: number; done: number; failed: number; rolledBack: number; ratio: number; overLimit: boolean };

/** Done of all and the failure ratio (failed ÷ containers) against the plan's max failure ratio. */
export function runFigures(containers: readonly Pick<RolloutContainer, 'step'>[], maxFailureRatio: number): RunFigures {
  const total = containers.length;
  const count = (step: RolloutStep) => containers.filter((c) => c.step === step).length;
  const failed = count('failed');
  const ratio = total === 0 ? 0 : failed / total;
  return { total, done: count('done'), failed, rolledBack: count('rolled-back'), ratio, overLimit: failed > 0 && ratio > maxFailureRatio };
}
