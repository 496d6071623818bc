// Access to the running lab from tests: its description, and the docker CLI against each host.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export const LAB_DIR = process.env.FLEETDECK_LAB_DIR ?? '/var/tmp/fleetdeck-lab';
export const ROOT = path.resolve(import.meta.dirname, '../..');
const LAB_SH = path.join(ROOT, 'e2e/lab/lab.sh');

export interface LabHost {
  name: string;
  ip: string;
  netns: string;
  socket: string;
  tcp: string | null;
  ssh: string;
}

export interface LabRegistry {
  url: string;
  /** host:port, as in image references and docker config keys. */
  host: string;
  username: string;
  passwordFile: string;
  ca: string;
}

/** The registry with token auth, and what its challenge and tokens carry. */
export interface LabTokenRegistry extends LabRegistry {
  realm: string;
  service: string;
  issuer: string;
  /** The certificate the tokens are signed with (in their x5c header). */
  signingCert: string;
}

export interface Lab {
  dir: string;
  hosts: LabHost[];
  /** TLS + basic auth (user sre); in the fleet file with passwordEnv FLEETDECK_REGISTRY_PASSWORD. */
  registry: LabRegistry;
  /** TLS + token auth (user deployer at the token server); in the fleet file without credentials. */
  tokenRegistry: LabTokenRegistry;
  /** A DOCKER_CONFIG dir: `auths` for the basic registry, `credHelpers` -> "lab" for the token registry. */
  dockerConfig: string;
  /** docker-credential-lab: `dir` goes first on PATH; `store` is its keychain file. */
  credentialHelper: { name: string; dir: string; store: string };
  fleetFile: string;
  /** tag -> image reference, in the basic registry and in the token registry (same image IDs). */
  images: Record<string, string>;
  tokenImages: Record<string, string>;
}

export function lab(): Lab {
  const file = path.join(LAB_DIR, 'lab.json');
  if (!existsSync(file)) throw new Error(`the lab is not up (${file} is missing): run "npm run lab:up" first`);
  return JSON.parse(readFileSync(file, 'utf8')) as Lab;
}

/** A copy of the lab's fleet file, edited, beside the original so relative paths still resolve. */
export function variantFleet(edit: (text: string) => string): string {
  const { fleetFile } = lab();
  const file = path.join(path.dirname(fleetFile), `fleet-test-${process.pid}-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, edit(readFileSync(fleetFile, 'utf8')));
  return file;
}

/**
 * The environment under which fleetdeck finds the lab's registry credentials the way a user's
 * machine provides them: the fleet file's passwordEnv, the lab's DOCKER_CONFIG, and the credential
 * helper on PATH.
 */
export function labRegistryEnv(base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const l = lab();
  return {
    FLEETDECK_REGISTRY_PASSWORD: readFileSync(l.registry.passwordFile, 'utf8'),
    DOCKER_CONFIG: l.dockerConfig,
    PATH: [l.credentialHelper.dir, base.PATH].filter(Boolean).join(path.delimiter),
  };
}

export function labHost(name: string): LabHost {
  const host = lab().hosts.find((h) => h.name === name);
  if (!host) throw new Error(`lab.json has no host ${name}`);
  return host;
}

let shimDir: string | undefined;
/**
 * A folder holding an `ssh` that uses the lab's key and known_hosts. The docker CLI runs `ssh`
 * from PATH for ssh:// hosts, so prefixing PATH with it lets the CLI reach lab hosts over SSH.
 */
export function labSshShim(): string {
  if (shimDir) return shimDir;
  const { dir } = lab();
  shimDir = mkdtempSync(path.join(os.tmpdir(), 'fleetdeck-ssh-'));
  writeFileSync(
    path.join(shimDir, 'ssh'),
    `#!/bin/sh\nexec /usr/bin/ssh -i ${dir}/pki/id_ed25519 -o IdentitiesOnly=yes -o UserKnownHostsFile=${dir}/known_hosts -o StrictHostKeyChecking=yes -o BatchMode=yes "$@"\n`,
  );
  chmodSync(path.join(shimDir, 'ssh'), 0o755);
  return shimDir;
}

const exec = promisify(execFile);

/** Runs `lab.sh ARGS…` and returns its stdout. */
export async function labSh(...args: string[]): Promise<string> {
  const { stdout } = await exec('bash', [LAB_SH, ...args], { maxBuffer: 64 << 20, timeout: 120_000 });
  return stdout;
}

/** The docker CLI against one lab host. */
export function dockerCli(host: string, ...args: string[]): Promise<string> {
  return labSh('docker', host, ...args);
}

export interface CliContainer {
  name: string;
  image: string;
  state: string;
  ips: { network: string; ip: string; mac: string }[];
}

/** `docker ps -a` plus `docker inspect` for addresses: what the docker CLI says a host runs. */
export async function dockerPs(host: string): Promise<CliContainer[]> {
  const lines = (await dockerCli(host, 'ps', '-a', '--no-trunc', '--format', '{{json .}}')).trim().split('\n').filter(Boolean);
  const rows = lines.map((l) => JSON.parse(l) as { ID: string; Names: string; Image: string; State: string });
  if (rows.length === 0) return [];
  const inspected = JSON.parse(await dockerCli(host, 'inspect', ...rows.map((r) => r.ID))) as {
    Id: string;
    NetworkSettings: { Networks: Record<string, { IPAddress: string; MacAddress: string }> };
  }[];
  return rows.map((r) => {
    const networks = inspected.find((i) => i.Id === r.ID)?.NetworkSettings.Networks ?? {};
    return {
      name: r.Names,
      image: r.Image,
      state: r.State,
      ips: Object.entries(networks)
        .filter(([, n]) => n.IPAddress || n.MacAddress)
        .map(([network, n]) => ({ network, ip: n.IPAddress, mac: n.MacAddress }))
        .sort((a, b) => a.network.localeCompare(b.network)),
    };
  });
}
