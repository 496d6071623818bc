// fleetdeck ip | ip conflicts | ip next: the IP map from the console's model (main/ipmap's
// IpMapService over every host of the fleet file), printed as JSON (--json) or a table.
import { parseArgs } from 'node:util';
import type { IpConflict, IpMapSnapshot } from '../../shared/ipmap';
import { parseIPv4 } from '../../shared/ip';
import { EXIT } from './exitCodes';
import { formatTable } from './table';

export interface IpCliIo {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

/** What the commands need of the map: read once every host answered (or timed out). */
export interface IpMapView {
  snapshot(): IpMapSnapshot;
  /** The pool's address for this name; throws with a message that says why there is none. */
  next(segment: string, name: string): string;
}

/** Opens the fleet's map and settles it; `close` ends the hosts' connections. */
export type IpMapOpener = (options: { fleetFile: string | undefined; timeoutS: number; warn: (message: string) => void }) => Promise<{ map: IpMapView; allOnline: boolean; close(): Promise<void> }>;

export type IpRequest =
  | { command: 'list'; segment?: string }
  | { command: 'conflicts' }
  | { command: 'next'; segment: string; name: string };

export interface IpArgs {
  request: IpRequest;
  fleetFile?: string;
  timeout: string;
  json: boolean;
}

export class IpArgsError extends Error {}

/** `argv` holds "ip" itself somewhere among the global options. */
export function parseIpArgs(argv: readonly string[]): IpArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      fleet: { type: 'string' },
      timeout: { type: 'string', default: '10' },
      json: { type: 'boolean', default: false },
      segment: { type: 'string' },
      name: { type: 'string' },
    },
  });
  const [, sub, ...extra] = positionals;
  if (extra.length > 0) throw new IpArgsError(`unknown command "ip ${[sub, ...extra].join(' ')}" (ip commands: ip, ip conflicts, ip next)`);
  const common = { ...(values.fleet !== undefined ? { fleetFile: values.fleet } : {}), timeout: values.timeout, json: values.json };
  if (sub === undefined) {
    if (values.name !== undefined) throw new IpArgsError('--name only applies to ip next');
    return { ...common, request: { command: 'list', ...(values.segment !== undefined ? { segment: values.segment } : {}) } };
  }
  if (sub === 'conflicts') {
    if (values.segment !== undefined || values.name !== undefined) throw new IpArgsError('ip conflicts takes neither --segment nor --name');
    return { ...common, request: { command: 'conflicts' } };
  }
  if (sub === 'next') {
    if (values.segment === undefined || values.name === undefined) throw new IpArgsError('ip next needs --segment SEGMENT and --name NAME');
    return { ...common, request: { command: 'next', segment: values.segment, name: values.name } };
  }
  throw new IpArgsError(`unknown command "ip ${sub}" (ip commands: ip, ip conflicts, ip next)`);
}

const ipOrder = (ip: string | undefined) => (ip !== undefined ? (parseIPv4(ip) ?? Number.MAX_SAFE_INTEGER) : -1);

export interface IpRow {
  segment: string;
  ip: string;
  mac?: string;
  host: string;
  container: string;
  static: boolean;
  state: string;
}

export function ipListOutput(snapshot: IpMapSnapshot, segment: string | undefined, json: boolean): string {
  const rows: IpRow[] = snapshot.endpoints
    .filter((e) => segment === undefined || e.segment === segment)
    .map((e) => ({ segment: e.segment, ip: e.ip, ...(e.mac ? { mac: e.mac } : {}), host: e.host, container: e.container, static: e.static, state: e.state }))
    .sort((a, b) => a.segment.localeCompare(b.segment) || ipOrder(a.ip) - ipOrder(b.ip) || a.host.localeCompare(b.host) || a.container.localeCompare(b.container));
  if (json) return `${JSON.stringify(rows, null, 2)}\n`;
  return formatTable(
    ['SEGMENT', 'IP', 'MAC', 'HOST', 'CONTAINER', 'STATIC', 'STATE'],
    rows.map((r) => [r.segment, r.ip, r.mac ?? '', r.host, r.container, r.static ? 'static' : 'dynamic', r.state]),
  );
}

export interface ConflictRow {
  kind: IpConflict['kind'];
  segment: string;
  ip?: string;
  mac?: string;
  holders: { host: string; container: string }[];
  latent: boolean;
  since: string;
  detail: string;
}

export function ipConflictsOutput(conflicts: readonly IpConflict[], json: boolean): string {
  const rows: ConflictRow[] = conflicts.map((c) => ({
    kind: c.kind,
    segment: c.segment,
    ...(c.ip !== undefined ? { ip: c.ip } : {}),
    ...(c.mac !== undefined ? { mac: c.mac } : {}),
    holders: c.holders.map((h) => ({ host: h.host, container: h.container })),
    latent: c.latent,
    since: c.since,
    detail: c.detail,
  }));
  if (json) return `${JSON.stringify(rows, null, 2)}\n`;
  if (rows.length === 0) return 'no conflicts\n';
  return formatTable(
    ['KIND', 'SEGMENT', 'IP', 'MAC', 'HOLDERS', 'LATENT', 'DETAIL'],
    rows.map((r) => [r.kind, r.segment, r.ip ?? '', r.mac ?? '', r.holders.map((h) => `${h.host}/${h.container}`).join(', '), r.latent ? 'latent' : '', r.detail]),
  );
}

/** Runs one parsed ip command against the map `open` gives. */
export async function ipCommand(args: IpArgs, open: IpMapOpener, io: IpCliIo): Promise<number> {
  const timeoutS = Number(args.timeout);
  const { map, allOnline, close } = await open({ fleetFile: args.fleetFile, timeoutS, warn: (m) => io.err.write(`fleetdeck: ${m}\n`) });
  try {
    const snapshot = map.snapshot();
    for (const e of snapshot.poolErrors) io.err.write(`fleetdeck: ${e}\n`);
    const { request } = args;
    if (request.command === 'next') {
      let ip: string;
      try {
        ip = map.next(request.segment, request.name);
      } catch (err) {
        io.err.write(`fleetdeck: ${(err as Error).message}\n`);
        return EXIT.error;
      }
      io.out.write(args.json ? `${JSON.stringify({ segment: request.segment, name: request.name, ip }, null, 2)}\n` : `${ip}\n`);
      return allOnline ? EXIT.ok : EXIT.unreachable;
    }
    if (request.command === 'conflicts') {
      io.out.write(ipConflictsOutput(snapshot.conflicts, args.json));
      if (snapshot.conflicts.length > 0) return EXIT.conflicts;
      return allOnline ? EXIT.ok : EXIT.unreachable;
    }
    if (request.segment !== undefined && !snapshot.segments.some((s) => s.id === request.segment)) {
      io.err.write(`fleetdeck: no segment ${request.segment} (segments: ${snapshot.segments.map((s) => s.id).join(', ') || 'none'})\n`);
      return EXIT.error;
    }
    io.out.write(ipListOutput(snapshot, request.segment, args.json));
    return allOnline ? EXIT.ok : EXIT.unreachable;
  } finally {
    await close();
  }
}
