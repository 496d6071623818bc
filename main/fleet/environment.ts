// The fleet when no fleet file is given: DOCKER_HOST (with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH),
// else the current docker context, else the local socket — the order the docker CLI uses.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DockerEndpoint, FleetSpec, HostSpec, TlsMaterial } from './spec';
import { buildSshTarget, userSshConfig } from './sshTarget';

/** The parts of the process environment the fleet depends on; injected so tests control them. */
export interface FleetEnv {
  home: string;
  user: string;
  vars: Record<string, string | undefined>;
}

export function processFleetEnv(): FleetEnv {
  return { home: os.homedir(), user: os.userInfo().username, vars: process.env };
}

const DEFAULT_SOCKET = '/var/run/docker.sock';
const DEFAULT_SERVICE_LABEL = 'com.docker.compose.service';

function dockerConfigDir(env: FleetEnv): string {
  return env.vars.DOCKER_CONFIG ?? path.join(env.home, '.docker');
}

/** The docker CLI's config.json: $DOCKER_CONFIG/config.json, else ~/.docker/config.json. */
export function dockerConfigFile(env: FleetEnv): string {
  return path.join(dockerConfigDir(env), 'config.json');
}

export function defaultKnownHosts(env: FleetEnv): string[] {
  return [path.join(env.home, '.ssh', 'known_hosts')];
}

/** The default keys that exist, in the order to try them. */
export function defaultIdentities(env: FleetEnv): Buffer[] {
  return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((name) => path.join(env.home, '.ssh', name)).filter(existsSync).map((file) => readFileSync(file));
}

/** The current context only: registry credentials in the same file are main/registry/dockerConfig.ts's. */
function readCurrentContext(env: FleetEnv): string | undefined {
  try {
    return (JSON.parse(readFileSync(dockerConfigFile(env), 'utf8')) as { currentContext?: string }).currentContext;
  } catch {
    return undefined;
  }
}

function readTlsDir(dir: string, withClientCert: boolean): TlsMaterial {
  const read = (name: string) => (existsSync(path.join(dir, name)) ? readFileSync(path.join(dir, name)) : undefined);
  const tls: TlsMaterial = {};
  const ca = read('ca.pem');
  if (ca) tls.ca = ca;
  if (withClientCert) {
    const cert = read('cert.pem');
    const key = read('key.pem');
    if (cert && key) Object.assign(tls, { cert, key });
  }
  return tls;
}

function endpointFor(dockerHost: string, tls: TlsMaterial | undefined, env: FleetEnv): { endpoint: DockerEndpoint; address: string } {
  const url = new URL(dockerHost);
  switch (url.protocol) {
    case 'unix:':
      return { endpoint: { kind: 'unix', socketPath: url.pathname }, address: `unix://${url.pathname}` };
    case 'tcp:': {
      const endpoint: DockerEndpoint = { kind: 'tcp', host: url.hostname, port: Number(url.port || (tls ? 2376 : 2375)) };
      if (tls) endpoint.tls = tls;
      return { endpoint, address: `tcp://${url.host}` };
    }
    case 'ssh:':
      return {
        endpoint: {
          kind: 'ssh',
          target: buildSshTarget(
            { host: url.hostname, user: url.username ? decodeURIComponent(url.username) : undefined, port: url.port ? Number(url.port) : undefined },
            env,
            userSshConfig(env),
          ),
        },
        address: `ssh://${url.username ? `${url.username}@` : ''}${url.host}`,
      };
    default:
      throw new Error(`unsupported docker host "${dockerHost}" (use tcp://, ssh:// or unix://)`);
  }
}

function singleHostFleet(source: string, name: string, dockerHost: string, tls: TlsMaterial | undefined, env: FleetEnv): FleetSpec {
  const { endpoint, address } = endpointFor(dockerHost, tls, env);
  const host: HostSpec = { name, address, endpoint, labels: {} };
  if (endpoint.kind === 'ssh') host.ssh = endpoint.target;
  return { source, hosts: [host], registries: [], services: { label: DEFAULT_SERVICE_LABEL }, ipPools: [], segments: [] };
}

export function fleetFromEnvironment(env: FleetEnv): FleetSpec {
  const dockerHost = env.vars.DOCKER_HOST;
  if (dockerHost) {
    const verify = Boolean(env.vars.DOCKER_TLS_VERIFY);
    const certPath = env.vars.DOCKER_CERT_PATH ?? dockerConfigDir(env);
    // Like the docker CLI, DOCKER_CERT_PATH alone also turns TLS on; we verify the server either way.
    const tls = verify || env.vars.DOCKER_CERT_PATH ? readTlsDir(certPath, true) : undefined;
    return singleHostFleet('DOCKER_HOST', 'local', dockerHost, tls, env);
  }
  const context = env.vars.DOCKER_CONTEXT ?? readCurrentContext(env);
  if (context && context !== 'default') {
    const id = createHash('sha256').update(context).digest('hex');
    const metaFile = path.join(dockerConfigDir(env), 'contexts', 'meta', id, 'meta.json');
    let meta: { Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } } };
    try {
      meta = JSON.parse(readFileSync(metaFile, 'utf8'));
    } catch (err) {
      throw new Error(`docker context "${context}": cannot read ${metaFile}: ${(err as Error).message}`);
    }
    const host = meta.Endpoints?.docker?.Host;
    if (!host) throw new Error(`docker context "${context}" has no docker endpoint`);
    const tlsDir = path.join(dockerConfigDir(env), 'contexts', 'tls', id, 'docker');
    const tls = existsSync(tlsDir) ? readTlsDir(tlsDir, true) : undefined;
    return singleHostFleet(`docker context ${context}`, context, host, tls, env);
  }
  return singleHostFleet(DEFAULT_SOCKET, 'local', `unix://${DEFAULT_SOCKET}`, undefined, env);
}
