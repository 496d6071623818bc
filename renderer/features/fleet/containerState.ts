// Classifying a container for triage. Pure; shared by the grid, its group headers and the top bar.
import type { Container, ContainerAction, Host } from '../../../shared/model';

/** What the row should look like at a glance. */
export type Condition = 'ok' | 'starting' | 'unhealthy' | 'restarting' | 'exited' | 'dead' | 'paused' | 'created' | 'removing';

export function condition(c: Container): Condition {
  switch (c.state) {
    case 'running':
      return c.health === 'unhealthy' ? 'unhealthy' : c.health === 'starting' ? 'starting' : 'ok';
    case 'restarting':
    case 'exited':
    case 'dead':
    case 'paused':
    case 'created':
    case 'removing':
      return c.state;
  }
}

/** Worst first: sorting by state ascending puts what needs attention on top. */
const RANK: Record<Condition, number> = {
  dead: 0, unhealthy: 1, restarting: 2, exited: 3, removing: 4, paused: 5, created: 6, starting: 7, ok: 8,
};
export const severityRank = (c: Container): number => RANK[condition(c)];

export const isUnhealthy = (c: Container): boolean => c.state === 'running' && c.health === 'unhealthy';
export const isStopped = (c: Container): boolean => c.state === 'exited' || c.state === 'dead';
export const isProblem = (c: Container): boolean => {
  const k = condition(c);
  return k === 'unhealthy' || k === 'restarting' || k === 'exited' || k === 'dead';
};

/** Whether an action makes sense for this container on this host right now. */
export function canRun(action: ContainerAction, c: Container, host: Host | undefined): boolean {
  if (host && host.state !== 'online') return false;
  switch (action) {
    case 'start':
      return c.state === 'created' || c.state === 'exited';
    case 'stop':
      return c.state === 'running' || c.state === 'restarting' || c.state === 'paused';
    case 'restart':
      return c.state !== 'removing' && c.state !== 'dead';
  }
}

/** Stop and restart interrupt service, so they ask first. */
export const isDestructive = (action: ContainerAction): boolean => action !== 'start';

/** The first IPv4 address as a number, for sorting; IPv6-only or none sort last. */
export function ipSortKey(c: Container): number {
  for (const n of c.ips) {
    const parts = n.ip.split('.');
    if (parts.length !== 4) continue;
    let v = 0;
    for (const p of parts) v = v * 256 + (Number(p) | 0);
    return v;
  }
  return Number.MAX_SAFE_INTEGER;
}
