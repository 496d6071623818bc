// Records upserted by id and kept newest first, as the audit and alerts stores hold what their
// streams send (the first event the whole recent past, later ones upserts), bounded by a count.

/** What these helpers need of a record: its id, and its ISO 8601 UTC time. */
export type Timed = { id: string; time: string };

/**
 * Upserts `records` by id into `prev` (or into nothing, for the whole recent past). Past `max`,
 * the oldest go. Returns `prev` itself when there was nothing to apply.
 */
export function mergeNewest<E extends Timed>(prev: ReadonlyMap<string, E>, records: readonly E[], whole: boolean, max: number): ReadonlyMap<string, E> {
  if (!whole && records.length === 0) return prev;
  const next = new Map(whole ? [] : prev);
  for (const r of records) next.set(r.id, r);
  if (next.size <= max) return next;
  const newestFirst = [...next.values()].sort(newerFirst);
  return new Map(newestFirst.slice(0, max).map((r) => [r.id, r]));
}

/** ISO 8601 UTC times sort as strings; the id breaks ties so the order is stable. */
export function newerFirst(a: Timed, b: Timed): number {
  return a.time < b.time ? 1 : a.time > b.time ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
