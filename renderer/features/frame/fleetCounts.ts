// Fleet-wide tallies for the top bar. Per-host results are cached by array identity, so a
// stream update that replaces one host's containers recounts only that host.
import type { Container } from '../../../shared/model';
import type { ContainerMap, HostMap } from '../../stores/fleet';
import { isStopped, isUnhealthy } from '../fleet/containerState';

export type Tally = { total: number; running: number; unhealthy: number; restarting: number; stopped: number };
export type FleetCounts = { hostsTotal: number; hostsOnline: number; hostsDown: number; containers: Tally };

const perList = new WeakMap<readonly Container[], Tally>();

function tally(list: readonly Container[]): Tally {
  let t = perList.get(list);
  if (!t) {
    t = { total: list.length, running: 0, unhealthy: 0, restarting: 0, stopped: 0 };
    for (const c of list) {
      if (c.state === 'running') t.running++;
      if (c.state === 'restarting') t.restarting++;
      if (isUnhealthy(c)) t.unhealthy++;
      if (isStopped(c)) t.stopped++;
    }
    perList.set(list, t);
  }
  return t;
}

let last: { hosts: HostMap; containers: ContainerMap; counts: FleetCounts } | undefined;

export function fleetCounts(hosts: HostMap, containers: ContainerMap): FleetCounts {
  if (last && last.hosts === hosts && last.containers === containers) return last.counts;
  let hostsOnline = 0;
  let hostsDown = 0;
  for (const h of hosts.values()) {
    if (h.state === 'online') hostsOnline++;
    else if (h.state === 'offline' || h.state === 'error') hostsDown++;
  }
  const sum: Tally = { total: 0, running: 0, unhealthy: 0, restarting: 0, stopped: 0 };
  for (const list of containers.values()) {
    const t = tally(list);
    sum.total += t.total;
    sum.running += t.running;
    sum.unhealthy += t.unhealthy;
    sum.restarting += t.restarting;
    sum.stopped += t.stopped;
  }
  const counts = { hostsTotal: hosts.size, hostsOnline, hostsDown, containers: sum };
  last = { hosts, containers, counts };
  return counts;
}
