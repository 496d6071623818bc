// What the Alerts view and the desktop notifications show, derived from the alerts store: the
// rows in time order (all, or the unacknowledged only), and how each kind reads (its word, its
// shape and its tone), the same way the other views show states: never colour alone.
import type { Alert, AlertKind } from '../../../shared/alerts';
import type { ShapeKind } from '../../components/Shape';
import { newerFirst } from '../../stores/newestById';
import type { TimeOrder } from '../audit/auditRows';

export function alertRows(alerts: ReadonlyMap<string, Alert>, unackedOnly: boolean, order: TimeOrder = 'desc'): Alert[] {
  const rows: Alert[] = [];
  for (const a of alerts.values()) if (!unackedOnly || a.ackedAt === undefined) rows.push(a);
  rows.sort(newerFirst);
  return order === 'desc' ? rows : rows.reverse();
}

/** error: something is down or dying; warn: it may soon be; ok: it came back. */
export type AlertTone = 'error' | 'warn' | 'ok';

export type KindLook = { word: string; shape: ShapeKind; tone: AlertTone; title: string };

export const KIND_LOOK: Record<AlertKind, KindLook> = {
  die: { word: 'died', shape: 'cross', tone: 'error', title: 'The container exited, and no action of ours asked it to' },
  oom: { word: 'OOM killed', shape: 'cross', tone: 'error', title: 'The kernel killed the container for using more memory than its limit' },
  unhealthy: { word: 'unhealthy', shape: 'triangle', tone: 'error', title: 'Its health check is failing' },
  'restart-loop': { word: 'restart loop', shape: 'cycle', tone: 'warn', title: 'It restarted more than 3 times in 5 minutes' },
  'memory-near-limit': { word: 'memory near limit', shape: 'half', tone: 'warn', title: 'At 90 % or more of its memory limit for 30 s' },
  'host-offline': { word: 'host offline', shape: 'square', tone: 'error', title: 'The console lost its connection to the host' },
  'host-back': { word: 'host back', shape: 'dot', tone: 'ok', title: 'The host answers again' },
};

/** What a container alert is about ("web-1 on h1"); a host alert, its host. */
export function alertSubject(a: Pick<Alert, 'host' | 'container'>): string {
  return a.container ? `${a.container} on ${a.host}` : a.host;
}

/** A desktop notification's words: "web-1 on h1 died", then the message. */
export function notificationText(a: Alert): { title: string; body: string } {
  return { title: `${alertSubject(a)}: ${KIND_LOOK[a.kind].word}`, body: a.message };
}
