// Loads and validates a fleet file. Every problem is reported as "FILE:LINE: key: message", and a
// file with any problem yields no fleet at all, so nothing starts half-configured.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import type { DockerEndpoint, FleetSpec, HostSpec, RegistrySpec, SshTarget, TlsMaterial } from './spec';
import type { FleetEnv } from './environment';
import type { SshConfigBlock } from '../ssh/sshConfig';
import { buildSshTarget, userSshConfig } from './sshTarget';
import { buildPools, buildSegments, IpPoolEntry, SegmentEntry } from './ipPools';
import { AlertsEntry, buildAlertRules } from './alertRules';

const nonEmpty = z.string().min(1);
const port = z.number().int().min(1).max(65535);

const TlsBlock = z
  .object({ ca: nonEmpty.optional(), cert: nonEmpty.optional(), key: nonEmpty.optional(), certPath: nonEmpty.optional() })
  .strict()
  .refine((t) => !(t.certPath && (t.ca || t.cert || t.key)), 'give either certPath or ca/cert/key, not both')
  .refine((t) => !t.cert === !t.key, 'cert and key go together');

const SshBlock = z
  .object({
    host: nonEmpty.optional(),
    user: nonEmpty.optional(),
    port: port.optional(),
    identityFile: nonEmpty.optional(),
    knownHosts: nonEmpty.optional(),
  })
  .strict();

const HostEntry = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'letters, digits, ".", "_" and "-", starting with a letter or digit'),
    docker: nonEmpty,
    tls: TlsBlock.optional(),
    certPath: nonEmpty.optional(),
    ssh: SshBlock.optional(),
    labels: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
  })
  .strict();

const RegistryEntry = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    ca: nonEmpty.optional(),
    username: nonEmpty.optional(),
    passwordEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name').optional(),
    insecure: z.boolean().default(false),
  })
  .strict()
  .refine((r) => !r.username === !r.passwordEnv, 'username and passwordEnv go together');

const FleetFile = z
  .object({
    hosts: z.array(HostEntry).min(1, 'at least one host'),
    registries: z.array(RegistryEntry).default([]),
    services: z
      .object({ label: nonEmpty.default('com.docker.compose.service'), groupLabel: nonEmpty.optional() })
      .strict()
      .default({ label: 'com.docker.compose.service' }),
    ipPools: z.array(IpPoolEntry).default([]),
    segments: z.array(SegmentEntry).default([]),
    alerts: AlertsEntry.optional(),
  })
  .strict();

type HostEntry = z.infer<typeof HostEntry>;
type Path = (string | number)[];

export class FleetFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n  ${problems.join('\n  ')}`);
    this.name = 'FleetFileError';
  }
}

export function loadFleetFile(file: string, env: FleetEnv): FleetSpec {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (err) {
    throw new FleetFileError(absolute, [`cannot read the fleet file: ${(err as Error).message}`]);
  }
  return parseFleetFile(text, absolute, env);
}

/** Parses fleet file text; `file` names it in errors and anchors relative paths. */
export function parseFleetFile(text: string, file: string, env: FleetEnv): FleetSpec {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const lineOf = (p: Path): number => {
    for (let depth = p.length; depth >= 0; depth--) {
      const node = depth === 0 ? doc.contents : doc.getIn(p.slice(0, depth), true);
      if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
    }
    return 1;
  };
  const at = (p: Path, message: string) => `${file}:${lineOf(p)}: ${formatPath(p) || '(top level)'}: ${message}`;

  if (doc.errors.length > 0) {
    throw new FleetFileError(
      file,
      doc.errors.map((e) => `${file}:${e.linePos?.[0]?.line ?? 1}: YAML: ${e.message.split('\n')[0]}`),
    );
  }
  const parsed = FleetFile.safeParse(doc.toJS());
  if (!parsed.success) {
    throw new FleetFileError(
      file,
      parsed.error.issues.map((issue) => at(issue.path as Path, issue.message)),
    );
  }

  const problems: string[] = [];
  const dir = path.dirname(file);
  const resolve = (p: string) => path.resolve(dir, expandHome(p, env.home));
  const read = (p: string, where: Path): Buffer | undefined => {
    try {
      return readFileSync(resolve(p));
    } catch (err) {
      problems.push(at(where, `cannot read ${p}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`));
      return undefined;
    }
  };

  const sshConfig = userSshConfig(env);
  const seen = new Map<string, number>();
  const hosts = parsed.data.hosts.map((entry, i) => {
    const first = seen.get(entry.name);
    if (first !== undefined) problems.push(at(['hosts', i, 'name'], `duplicate host name "${entry.name}" (also hosts[${first}])`));
    else seen.set(entry.name, i);
    return buildHost(entry, ['hosts', i], { read, resolve, env, sshConfig, problem: (p, m) => problems.push(at(p, m)) });
  });

  const registries: RegistrySpec[] = parsed.data.registries.map((r, i) => {
    const url = new URL(r.url);
    if (r.insecure && url.protocol !== 'http:') problems.push(at(['registries', i, 'insecure'], 'insecure: true applies only to an http:// url'));
    if (!r.insecure && url.protocol === 'http:') problems.push(at(['registries', i, 'url'], 'plain HTTP needs insecure: true (or use https://)'));
    const spec: RegistrySpec = { url: r.url.replace(/\/+$/, ''), host: url.host, insecure: r.insecure };
    if (r.ca) spec.ca = read(r.ca, ['registries', i, 'ca']);
    // An unset variable is no error here (the lab's fleet file loads without it): the registry's
    // credentials then come from the docker config, as main/registry/credentials.ts looks them up.
    const password = r.passwordEnv ? env.vars[r.passwordEnv] : undefined;
    if (r.username && password) Object.assign(spec, { username: r.username, password });
    return spec;
  });

  const poolContext = { hostNames: new Set(hosts.map((h) => h.name)), problem: (p: Path, m: string) => problems.push(at(p, m)), lineOf };
  const segments = buildSegments(parsed.data.segments, poolContext);
  const ipPools = buildPools(parsed.data.ipPools, segments, poolContext);
  const alerts = buildAlertRules(parsed.data.alerts, parsed.data.services.groupLabel, poolContext.problem);

  if (problems.length > 0) throw new FleetFileError(file, problems);
  return { source: file, hosts, registries, services: parsed.data.services, ipPools, segments, alerts };
}

interface BuildContext {
  read: (p: string, where: Path) => Buffer | undefined;
  resolve: (p: string) => string;
  env: FleetEnv;
  sshConfig: SshConfigBlock[];
  problem: (where: Path, message: string) => void;
}

function buildHost(entry: HostEntry, where: Path, ctx: BuildContext): HostSpec {
  const labels = entry.labels ?? {};
  let url: URL;
  try {
    url = new URL(entry.docker);
  } catch {
    ctx.problem([...where, 'docker'], `not a URL: "${entry.docker}" (use tcp://HOST:PORT, ssh://USER@HOST[:PORT] or unix:///PATH)`);
    return placeholderHost(entry, labels);
  }
  const sshBlock = entry.ssh;
  const sshTarget = (host: string, user: string | undefined, sshPort: number | undefined): SshTarget => {
    let identities: Buffer[] | undefined;
    if (sshBlock?.identityFile) {
      const key = ctx.read(sshBlock.identityFile, [...where, 'ssh', 'identityFile']);
      identities = key ? [key] : [];
    }
    const explicit = {
      host: sshBlock?.host ?? host,
      user: sshBlock?.user ?? user,
      port: sshBlock?.port ?? sshPort,
      identities,
      knownHostsFiles: sshBlock?.knownHosts ? [ctx.resolve(sshBlock.knownHosts)] : undefined,
    };
    return buildSshTarget(explicit, ctx.env, ctx.sshConfig);
  };

  let endpoint: DockerEndpoint;
  switch (url.protocol) {
    case 'tcp:': {
      if (!url.hostname || !url.port) {
        ctx.problem([...where, 'docker'], `tcp:// needs a host and a port, e.g. tcp://198.18.0.11:2376`);
        return placeholderHost(entry, labels);
      }
      endpoint = { kind: 'tcp', host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) };
      const tls = readTls(entry, where, ctx);
      if (tls) endpoint.tls = tls;
      break;
    }
    case 'ssh:':
      if (!url.hostname) {
        ctx.problem([...where, 'docker'], 'ssh:// needs a host, e.g. ssh://root@198.18.0.13');
        return placeholderHost(entry, labels);
      }
      endpoint = {
        kind: 'ssh',
        target: sshTarget(url.hostname, url.username ? decodeURIComponent(url.username) : undefined, url.port ? Number(url.port) : undefined),
      };
      break;
    case 'unix:':
      endpoint = { kind: 'unix', socketPath: ctx.resolve(url.pathname) };
      break;
    default:
      ctx.problem([...where, 'docker'], `unsupported scheme "${url.protocol}" (use tcp://, ssh:// or unix://)`);
      return placeholderHost(entry, labels);
  }
  if (endpoint.kind !== 'tcp' && (entry.tls || entry.certPath)) {
    ctx.problem([...where, entry.tls ? 'tls' : 'certPath'], `TLS settings apply only to tcp:// hosts`);
  }
  const spec: HostSpec = { name: entry.name, address: displayAddress(url), endpoint, labels };
  if (endpoint.kind === 'ssh') spec.ssh = endpoint.target;
  else if (sshBlock) spec.ssh = sshTarget(endpoint.kind === 'tcp' ? endpoint.host : 'localhost', undefined, undefined);
  return spec;
}

function readTls(entry: HostEntry, where: Path, ctx: BuildContext): TlsMaterial | undefined {
  const certPath = entry.tls?.certPath ?? entry.certPath;
  if (certPath) {
    const base = entry.tls?.certPath ? [...where, 'tls', 'certPath'] : [...where, 'certPath'];
    return {
      ca: ctx.read(path.join(certPath, 'ca.pem'), base),
      cert: ctx.read(path.join(certPath, 'cert.pem'), base),
      key: ctx.read(path.join(certPath, 'key.pem'), base),
    };
  }
  if (!entry.tls) return undefined;
  const tls: TlsMaterial = {};
  for (const part of ['ca', 'cert', 'key'] as const) {
    const file = entry.tls[part];
    if (file) tls[part] = ctx.read(file, [...where, 'tls', part]);
  }
  return tls;
}

function placeholderHost(entry: HostEntry, labels: Record<string, string>): HostSpec {
  return { name: entry.name, address: entry.docker, endpoint: { kind: 'unix', socketPath: '/nonexistent' }, labels };
}

function displayAddress(url: URL): string {
  if (url.protocol === 'unix:') return `unix://${url.pathname}`;
  const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
  return `${url.protocol}//${user}${url.host}`;
}

function formatPath(p: Path): string {
  return p.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part), '');
}

export function expandHome(p: string, home: string): string {
  return p === '~' ? home : p.startsWith('~/') ? path.join(home, p.slice(2)) : p;
}
