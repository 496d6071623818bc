// What the Audit view shows, derived from the audit store: the entries that pass the filters in
// time order, the values each filter offers, and the words for times, targets and durations.
import type { AuditEntry, AuditTarget } from '../../../shared/audit';
import { formatClock } from '../../components/format';
import { newerFirst, type AuditFilter } from '../../stores/audit';

export type TimeOrder = 'desc' | 'asc';

export function auditRows(entries: ReadonlyMap<string, AuditEntry>, filter: AuditFilter, order: TimeOrder = 'desc'): AuditEntry[] {
  const rows: AuditEntry[] = [];
  for (const e of entries.values()) {
    if (filter.user !== null && e.user !== filter.user) continue;
    if (filter.action !== null && e.action !== filter.action) continue;
    if (filter.host !== null && e.target.host !== filter.host) continue;
    if (filter.result !== null && e.result !== filter.result) continue;
    rows.push(e);
  }
  rows.sort(newerFirst);
  return order === 'desc' ? rows : rows.reverse();
}

export type AuditFacets = { users: string[]; actions: string[]; hosts: string[] };

/** The distinct users, actions and hosts in the log, sorted: what each filter offers. */
export function auditFacets(entries: ReadonlyMap<string, AuditEntry>): AuditFacets {
  const users = new Set<string>();
  const actions = new Set<string>();
  const hosts = new Set<string>();
  for (const e of entries.values()) {
    users.add(e.user);
    actions.add(e.action);
    hosts.add(e.target.host);
  }
  const sorted = (s: Set<string>) => [...s].sort((a, b) => a.localeCompare(b));
  return { users: sorted(users), actions: sorted(actions), hosts: sorted(hosts) };
}

export type ResultCounts = Record<AuditEntry['result'], number>;

export function resultCounts(rows: readonly AuditEntry[]): ResultCounts {
  const n: ResultCounts = { ok: 0, failed: 0, unknown: 0 };
  for (const r of rows) n[r.result]++;
  return n;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Local time: "20:31:05" today, "Nov 30 20:31:05" on another day. */
export function formatAuditTime(iso: string, now: number): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  const d = new Date(t);
  const today = new Date(now);
  const sameDay = d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate();
  return sameDay ? formatClock(t) : `${MONTHS[d.getMonth()]} ${d.getDate()} ${formatClock(t)}`;
}

/** How long the action took: "0.4 s", "12 s", "2m 05s"; nothing while it has no end. */
export function formatTook(entry: AuditEntry): string | undefined {
  if (!entry.endTime) return undefined;
  const ms = Date.parse(entry.endTime) - Date.parse(entry.time);
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

/** "h1 / web-1 (web)" for reading aloud and titles; the view styles the parts. */
export function targetText(t: AuditTarget): string {
  return `${t.host}${t.container ? ` / ${t.container}` : ''}${t.service ? ` (${t.service})` : ''}`;
}
