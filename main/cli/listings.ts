// The listing commands' output (hosts, ps, stats --once): JSON (--json) or a table like the docker CLI's.
import type { Container, Host } from '../../shared/model';
import type { ContainerStats } from '../../shared/stats';
import { binaryBytes, decimalBytes, formatTable } from './table';

export function hostsOutput(hosts: Host[], json: boolean): string {
  const rows = hosts.map((h) => ({
    name: h.name,
    address: h.address,
    state: h.state,
    ...(h.problem ? { error: `${h.problem.reason}: ${h.problem.message}` } : {}),
    ...(h.engine ? { engineVersion: h.engine.version, ncpu: h.engine.ncpu, memTotal: h.engine.memTotal } : {}),
    ...(h.state === 'online' ? { containersRunning: h.containersRunning, containersTotal: h.containersTotal } : {}),
  }));
  if (json) return `${JSON.stringify(rows, null, 2)}\n`;
  return formatTable(
    ['NAME', 'STATE', 'ADDRESS', 'ENGINE', 'CPUS', 'MEMORY', 'CONTAINERS', 'ERROR'],
    rows.map((r) => [
      r.name,
      r.state,
      r.address,
      r.engineVersion ?? '',
      r.ncpu?.toString() ?? '',
      r.memTotal ? `${(r.memTotal / 2 ** 30).toFixed(1)} GiB` : '',
      r.containersTotal !== undefined ? `${r.containersRunning}/${r.containersTotal}` : '',
      r.error ?? '',
    ]),
  );
}

export function psOutput(containers: Container[], json: boolean): string {
  const rows = containers.map((c) => ({
    host: c.host,
    id: c.id,
    name: c.name,
    image: c.image,
    state: c.state,
    status: c.status,
    ...(c.health ? { health: c.health } : {}),
    ...(c.service ? { service: c.service } : {}),
    ...(c.group ? { group: c.group } : {}),
    ips: c.ips,
  }));
  if (json) return `${JSON.stringify(rows, null, 2)}\n`;
  return formatTable(
    ['HOST', 'NAME', 'IMAGE', 'STATE', 'STATUS', 'GROUP/SERVICE', 'IPS'],
    rows.map((r) => [r.host, r.name, r.image, r.state, r.status, [r.group, r.service].filter(Boolean).join('/'), r.ips.map((a) => `${a.ip} ${a.mac}`).join(', ')]),
  );
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function statsOutput(samples: ContainerStats[], json: boolean): string {
  const rows = samples
    .map((s) => ({
      host: s.host,
      name: s.name,
      id: s.id,
      cpuPercent: round2(s.cpuPercent),
      memUsage: s.memUsage,
      memLimit: s.memLimit,
      memPercent: round2(s.memPercent),
      blkRead: s.blkRead,
      blkWrite: s.blkWrite,
      netRx: s.netRx,
      netTx: s.netTx,
      pids: s.pids,
    }))
    .sort((a, b) => a.host.localeCompare(b.host) || a.name.localeCompare(b.name));
  if (json) return `${JSON.stringify(rows, null, 2)}\n`;
  return formatTable(
    ['HOST', 'NAME', 'CONTAINER ID', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET I/O', 'BLOCK I/O', 'PIDS'],
    rows.map((r) => [
      r.host,
      r.name,
      r.id.slice(0, 12),
      `${r.cpuPercent.toFixed(2)}%`,
      `${binaryBytes(r.memUsage)} / ${binaryBytes(r.memLimit)}`,
      `${r.memPercent.toFixed(2)}%`,
      `${decimalBytes(r.netRx)} / ${decimalBytes(r.netTx)}`,
      `${decimalBytes(r.blkRead)} / ${decimalBytes(r.blkWrite)}`,
      String(r.pids),
    ]),
  );
}
