// What the History view shows of one service (pure): its past rollouts newest first, each with who
// started it and from where, when, its parameters in words, its result and how long it took; and
// its recorded revisions newest first, each with its images and digests and the rollout that made
// it. The Roll back dialog offers the same revisions.
import type { RolloutHistory, RolloutSummary } from '../../../shared/rollout';
import type { ServiceRevision } from '../../stores/serviceHistory';
import { formatDuration } from '../../components/format';
import { newestFirst } from '../../stores/rollouts';
import { shortDigest } from '../images/imageRows';
import { rolloutTitle } from '../rollouts/rolloutRows';

export type HistoryRow = {
  rollout: RolloutSummary;
  /** End − start; while it runs (or sits paused), until now; undefined once cut off without an end. */
  durationMs: number | undefined;
  /** The plan's parameters in words, once its history has come. */
  params: string | undefined;
  done: number;
  failed: number;
};

export type RevisionRow = {
  number: number;
  current: boolean;
  containers: number;
  /** Distinct images, and distinct short digests (those known), of its containers. */
  images: string[];
  digests: string[];
  madeBy: string | undefined;
  /** "deploy of web", when the rollout that made it is on record. */
  madeByTitle: string | undefined;
};

/** A service's rollouts on record, newest first. */
export function serviceRollouts(rollouts: ReadonlyMap<string, RolloutSummary>, service: string): RolloutSummary[] {
  return [...rollouts.values()].filter((r) => r.service === service).sort(newestFirst);
}

export function rolloutDuration(r: Pick<RolloutSummary, 'startedAt' | 'endedAt' | 'state'>, now: number): number | undefined {
  const start = Date.parse(r.startedAt);
  if (!Number.isFinite(start)) return undefined;
  if (r.endedAt !== undefined) {
    const end = Date.parse(r.endedAt);
    return Number.isFinite(end) ? Math.max(0, end - start) : undefined;
  }
  return r.state === 'running' || r.state === 'paused' ? Math.max(0, now - start) : undefined;
}

const seconds = (ms: number): string => (ms === 0 ? '0s' : formatDuration(ms));
const percent = (ratio: number): string => `${Math.round(ratio * 1000) / 10}%`;
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 'es'}`;

/** "3 batches · delay 0s · monitor 5s · on failure pause · max failures 0% · stop-first". */
export function paramsText(plan: Pick<RolloutHistory['plan'], 'mode' | 'params'>): string {
  const p = plan.params;
  const shape = plan.mode.kind === 'batches' ? plural(plan.mode.lanes.length, 'batch') : p.parallelism === 0 ? 'all at once' : `${p.parallelism} at a time`;
  return [shape, `delay ${seconds(p.delayMs)}`, `monitor ${seconds(p.monitorMs)}`, `on failure ${p.failureAction}`, `max failures ${percent(p.maxFailureRatio)}`, p.order].join(' · ');
}

export function historyRows(list: readonly RolloutSummary[], histories: ReadonlyMap<string, { value?: RolloutHistory }>, now: number): HistoryRow[] {
  return list.map((r) => {
    const plan = histories.get(r.id)?.value?.plan;
    return {
      rollout: r,
      durationMs: rolloutDuration(r, now),
      params: plan ? paramsText(plan) : undefined,
      done: r.containers.filter((c) => c.step === 'done').length,
      failed: r.containers.filter((c) => c.step === 'failed').length,
    };
  });
}

const distinct = (xs: readonly string[]): string[] => [...new Set(xs)];

/** Newest first, each with what it runs and what made it. */
export function revisionRows(revisions: readonly ServiceRevision[], rollouts: ReadonlyMap<string, RolloutSummary>): RevisionRow[] {
  return [...revisions].sort((a, b) => b.number - a.number).map((rev) => {
    const maker = rev.madeBy !== undefined ? rollouts.get(rev.madeBy) : undefined;
    return {
      number: rev.number,
      current: rev.current,
      containers: rev.containers.length,
      images: distinct(rev.containers.map((c) => c.image)),
      digests: distinct(rev.containers.flatMap((c) => (c.digest ? [shortDigest(c.digest)] : []))),
      madeBy: rev.madeBy,
      madeByTitle: maker ? rolloutTitle(maker) : undefined,
    };
  });
}

/** "session:2024.11.3, 2024.12.1": images of one repository by its last path segment and their tags; others in full. */
export function imagesText(images: readonly string[]): string {
  const byName = new Map<string, string[]>();
  for (const image of images) {
    const at = image.lastIndexOf(':');
    const name = at > image.lastIndexOf('/') ? image.slice(0, at) : image;
    const tag = at > image.lastIndexOf('/') ? image.slice(at + 1) : '';
    byName.set(name, [...(byName.get(name) ?? []), ...(tag ? [tag] : [])]);
  }
  if (byName.size !== 1) return images.join(', ');
  const [[name, tags]] = [...byName] as [[string, string[]]];
  const short = name.slice(name.lastIndexOf('/') + 1);
  return tags.length > 0 ? `${short}:${tags.join(', ')}` : short;
}

/** What Roll back offers first: the newest revision before the current one (the engine's default). */
export function defaultRevision(revisions: readonly Pick<ServiceRevision, 'number' | 'current'>[]): number | undefined {
  const current = revisions.find((r) => r.current)?.number ?? Number.POSITIVE_INFINITY;
  const before = revisions.filter((r) => r.number < current).map((r) => r.number);
  return before.length > 0 ? Math.max(...before) : undefined;
}
