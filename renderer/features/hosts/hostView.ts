// How a host reads at a glance: order (trouble first), glyph, and the reason line.
import type { Host, HostProblemReason, HostState } from '../../../shared/model';
import type { ShapeKind } from '../../components/Shape';
import { compareNatural } from '../../components/natural';

/** Error first (needs a human), then offline, then connecting, then online. */
const ORDER: Record<HostState, number> = { error: 0, offline: 1, connecting: 2, online: 3 };

export function orderHosts(hosts: Iterable<Host>): Host[] {
  return [...hosts].sort(
    (a, b) => ORDER[a.state] - ORDER[b.state] || compareNatural(a.name, b.name),
  );
}

export const HOST_SHAPE: Record<HostState, ShapeKind> = { online: 'dot', connecting: 'ring', offline: 'square', error: 'triangle' };

export const REASON_LABEL: Record<HostProblemReason, string> = {
  refused: 'refused',
  timeout: 'timeout',
  unreachable: 'unreachable',
  closed: 'connection closed',
  tls: 'TLS',
  auth: 'auth',
  hostkey: 'host key',
  protocol: 'protocol',
};

/**
 * The reason line for a host that is not online, without the retry countdown:
 *   error   → "TLS: certificate signed by unknown authority" (the message is the point)
 *   offline → "refused" (the message, e.g. "connect ECONNREFUSED …", is shown as detail)
 */
export function problemText(host: Host): { reason: string; detail: string | undefined } {
  const p = host.problem;
  if (!p) return { reason: '', detail: undefined };
  const label = REASON_LABEL[p.reason] ?? p.reason;
  if (host.state === 'error') return { reason: p.message ? `${label}: ${p.message}` : label, detail: undefined };
  return { reason: label, detail: p.message || undefined };
}
