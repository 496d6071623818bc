// Opens the fleet the user asked for (a fleet file, or the docker environment) with real connections.
import { readFileSync } from 'node:fs';
import { fleetFromEnvironment, loadFleetFile, processFleetEnv } from '../fleet';
import type { FleetSpec } from '../fleet/spec';
import { HostConnection } from '../engine/hostConnection';
import { createCore, type Core } from './index';

export interface OpenFleetOptions {
  fleetFile?: string | undefined;
  mode: 'electron' | 'browser';
  log?: (message: string) => void;
  terminalOrphanTimeoutMs?: number;
}

export function productVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function openFleet(options: OpenFleetOptions): Promise<{ spec: FleetSpec; core: Core }> {
  const env = processFleetEnv();
  const spec = options.fleetFile ? loadFleetFile(options.fleetFile, env) : fleetFromEnvironment(env);
  const log = options.log;
  const core = createCore(spec, {
    mode: options.mode,
    version: productVersion(),
    connect: (host) => new HostConnection(host, log ? { log } : {}),
    ...(log ? { log } : {}),
    ...(options.terminalOrphanTimeoutMs ? { terminalOrphanTimeoutMs: options.terminalOrphanTimeoutMs } : {}),
  });
  return { spec, core };
}
