// Opens the fleet the user asked for (a fleet file, or the docker environment) with real connections.
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import { fleetFromEnvironment, loadFleetFile, processFleetEnv } from '../fleet';
import type { FleetSpec } from '../fleet/spec';
import type { AuditSource } from '../../shared/audit';
import { dataDirectory, osUser } from '../audit/dataDir';
import { HostConnection } from '../engine/hostConnection';
import { createCore, type Core } from './index';

export interface OpenFleetOptions {
  fleetFile?: string | undefined;
  mode: 'electron' | 'browser';
  /** Which front end acts: the console (Electron or browser mode, the default) or the CLI. */
  source?: AuditSource;
  log?: (message: string) => void;
  terminalOrphanTimeoutMs?: number;
  /** Connect to these hosts of the fleet only (the CLI acting on one host); the others are left out. */
  onlyHosts?: string[];
  /** See CreateCoreOptions.rolloutEndOnPause: true for the one-shot CLI. */
  rolloutEndOnPause?: boolean;
}

export function productVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * Watching a thousand hosts, main allocates ~40 MB/s (heartbeats, stats answers) that dies within
 * a second or two, yet V8's default growth let the old generation reach several times the live
 * heap (~90 MB) before collecting it. bench:stats (b), 1,000 simulated hosts sampling: default
 * 530 MB RSS; 50 % growth per collection 495–499 MB; 30 % 420 MB for 35 % instead of 33 % of a
 * core. V8 reads this flag at every collection, so setting it at run time works in Node and in
 * Electron's main process.
 */
export const HEAP_GROWING_PERCENT = 30;

/** The fleet file's fleet, or without one the docker environment's (DOCKER_HOST, context, socket); connects to nothing. */
export function loadFleet(fleetFile: string | undefined): FleetSpec {
  const env = processFleetEnv();
  return fleetFile ? loadFleetFile(fleetFile, env) : fleetFromEnvironment(env);
}

export async function openFleet(options: OpenFleetOptions): Promise<{ spec: FleetSpec; core: Core }> {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  const whole = loadFleet(options.fleetFile);
  const only = options.onlyHosts;
  const spec = only ? { ...whole, hosts: whole.hosts.filter((h) => only.includes(h.name)) } : whole;
  const log = options.log;
  const core = createCore(spec, {
    mode: options.mode,
    version: productVersion(),
    actor: { user: osUser(), source: options.source ?? 'console' },
    dataDir: dataDirectory(),
    connect: (host, { clock }) => new HostConnection(host, { clock, ...(log ? { log } : {}) }),
    ...(log ? { log } : {}),
    ...(options.terminalOrphanTimeoutMs ? { terminalOrphanTimeoutMs: options.terminalOrphanTimeoutMs } : {}),
    ...(options.rolloutEndOnPause !== undefined ? { rolloutEndOnPause: options.rolloutEndOnPause } : {}),
  });
  return { spec, core };
}
