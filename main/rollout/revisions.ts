// A service's revisions, numbered 1.. in journal order, from the rollouts on record (pure).
// Revision 1 is what ran before the service's first recorded rollout that changed images (the
// `from` revisions it journaled); each completed deploy or rollback then adds one: the previous
// revision with its containers that reached `done` on their `to`. Restarts change no image and add
// none; a rollout that did not complete adds none either (its containers are where its record says).
// A rollback to revision N recreates each container from N's recorded create config.
import { containerKey, summaryOf, type RolloutRecord, type RolloutSummary } from './journal';
import { byHostThenName } from './plan';
import type { RecordedRevision, RolloutAction } from './types';

/** One container of a revision: what a rollback recreates it from. */
export interface RevisionContainer {
  host: string;
  name: string;
  image: string;
  digest?: string;
  /** The full create config (createConfig.ts CarriedConfig). */
  createConfig: Record<string, unknown>;
}

export interface ServiceRevision {
  number: number;
  /** By host, then name. */
  containers: RevisionContainer[];
  /** The completed rollout whose `to` this is; absent for revision 1. */
  madeBy?: string;
  /** Revision 1: the rollout that recorded it as its `from`. */
  recordedBy: string;
  /** The last revision: what the service runs since its last completed deploy or rollback. */
  current: boolean;
}

/** What the numbering reads of a record: its plan's targets, per-container last steps and revisions. */
export type RevisionSource = Pick<RolloutRecord, 'id' | 'state' | 'containers' | 'revisions'> & {
  action: RolloutAction;
  plan: { targets: { host: string; name: string; service?: string }[] };
};

/** Every service's revisions, from the records oldest first (journal order). */
export function revisionsOf(records: readonly RevisionSource[]): Map<string, ServiceRevision[]> {
  const out = new Map<string, ServiceRevision[]>();
  for (const record of records) {
    if (record.action === 'restart') continue;
    const byService = new Map<string, string[]>();
    for (const t of record.plan.targets) if (t.service) byService.set(t.service, [...(byService.get(t.service) ?? []), containerKey(t)]);
    const pairs = revisionPairs(record.revisions);
    for (const [service, members] of byService) {
      const list = out.get(service) ?? [];
      const last = list.at(-1);
      const froms = members.map((m) => pairs.get(m)?.from).filter((r): r is RecordedRevision => r !== undefined);
      if (!last) {
        if (froms.length === 0) continue; // it changed nothing that was recorded
        list.push({ number: 1, containers: sorted(new Map(froms.map((r) => [r.container, containerOf(r)]))), recordedBy: record.id, current: false });
      }
      if (record.state === 'completed') {
        const base = new Map(list.at(-1)!.containers.map((c) => [containerKey(c), c]));
        // A member the earlier revisions did not know (new to the service) joins as it was before.
        for (const r of froms) if (!base.has(r.container)) base.set(r.container, containerOf(r));
        const done = new Set(record.containers.filter((c) => c.step === 'done').map((c) => c.container));
        for (const m of members) {
          const to = pairs.get(m)?.to;
          if (to && done.has(m)) base.set(m, containerOf(to));
        }
        list.push({ number: list.length + 1, containers: sorted(base), madeBy: record.id, recordedBy: record.id, current: false });
      }
      out.set(service, list);
    }
  }
  for (const list of out.values()) list.at(-1)!.current = true;
  return out;
}

/** The revision number each completed rollout made, by rollout id (per service: a rollout of one service makes one). */
export function revisionMadeBy(revisions: Map<string, ServiceRevision[]>): Map<string, { service: string; revision: number }> {
  const out = new Map<string, { service: string; revision: number }>();
  for (const [service, list] of revisions) for (const r of list) if (r.madeBy) out.set(r.madeBy, { service, revision: r.number });
  return out;
}

/** Per container, its revisions as first recorded: the from line, then the to line (a resumed run repeats them). */
export function revisionPairs(revisions: readonly RecordedRevision[]): Map<string, { from: RecordedRevision; to?: RecordedRevision }> {
  const out = new Map<string, { from: RecordedRevision; to?: RecordedRevision }>();
  for (const r of revisions) {
    const known = out.get(r.container);
    if (!known) out.set(r.container, { from: r });
    else if (!known.to) known.to = r;
  }
  return out;
}

function containerOf(r: RecordedRevision): RevisionContainer {
  const slash = r.container.indexOf('/');
  return { host: r.container.slice(0, slash), name: r.container.slice(slash + 1), image: r.image, ...(r.digest ? { digest: r.digest } : {}), createConfig: r.createConfig };
}

function sorted(byKey: Map<string, RevisionContainer>): RevisionContainer[] {
  return [...byKey.values()].sort(byHostThenName);
}

/** What reading the revisions needs of the journal (journal.ts RolloutJournal). */
export interface RecordSource {
  /** Every record, newest first. */
  records(): RolloutRecord[];
}

/** Every service's revisions, from the journal's records oldest first. */
export function journalRevisions(journal: RecordSource): Map<string, ServiceRevision[]> {
  return revisionsOf(journal.records().reverse());
}

/** Every rollout on record, newest first, each with the revision it made where it made one. */
export function historyWithRevisions(journal: RecordSource): (RolloutSummary & { revision?: number })[] {
  const records = journal.records();
  const made = revisionMadeBy(revisionsOf([...records].reverse()));
  return records.map(summaryOf).map((summary) => {
    const revision = made.get(summary.id)?.revision;
    return revision !== undefined ? { ...summary, revision } : summary;
  });
}
