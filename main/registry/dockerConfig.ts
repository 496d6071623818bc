// Reads the docker CLI's config.json for one registry: its `auths` entry (base64 "user:pass", or an
// identity token), and which credential helper serves it (`credHelpers`, else `credsStore`). Keys
// are matched the way the docker CLI matches them, by host: "host", "https://host", "http://host/v1/".
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { dockerConfigFile, type FleetEnv } from '../fleet/environment';
import { RegistryError, type RegistryCredentials } from './types';

/** Docker Hub's names; the docker CLI keys its credentials under DOCKER_HUB_SERVER. */
const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';

/** A helper name becomes part of a program name looked up on PATH: never a path. */
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const AuthEntry = z.looseObject({
  auth: z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  identitytoken: z.string().optional(),
});

const DockerConfig = z.looseObject({
  auths: z.record(z.string(), AuthEntry).optional(),
  credHelpers: z.record(z.string(), z.string()).optional(),
  credsStore: z.string().optional(),
});
type DockerConfig = z.infer<typeof DockerConfig>;

/** "https://Host:5000/v1/" -> "host:5000", as the docker CLI's ConvertToHostname; Docker Hub's names -> docker.io. */
export function configKeyHost(key: string): string {
  const host = key.replace(/^https?:\/\//i, '').split('/')[0]!.toLowerCase();
  return DOCKER_HUB_HOSTS.has(host) ? 'docker.io' : host;
}

/** The server address the docker CLI gives a credential helper (and the engine) for a registry host. */
export function serverAddressFor(registryHost: string): string {
  return configKeyHost(registryHost) === 'docker.io' ? DOCKER_HUB_SERVER : registryHost;
}

export interface DockerConfigEntry {
  /** From `auths`, when it holds credentials (an empty entry is docker login's marker for a helper). */
  credentials?: RegistryCredentials;
  /** The credential helper's name (docker-credential-NAME), from `credHelpers` else `credsStore`. */
  helper?: string;
}

/** What config.json says about one registry host; no file means nothing. Errors name the file and key, never a value. */
export function readDockerConfigEntry(env: FleetEnv, registryHost: string): DockerConfigEntry {
  const file = dockerConfigFile(env);
  const config = readConfig(file);
  if (!config) return {};
  const host = configKeyHost(registryHost);
  const matching = <T>(record: Record<string, T> | undefined): [string, T] | undefined =>
    Object.entries(record ?? {}).find(([key]) => configKeyHost(key) === host);

  const entry: DockerConfigEntry = {};
  const auth = matching(config.auths);
  if (auth) {
    const credentials = decodeAuthEntry(auth[1], () => `${file}: auths["${auth[0]}"]`);
    if (credentials) entry.credentials = credentials;
  }
  const helper = matching(config.credHelpers);
  const name = helper ? helper[1] : config.credsStore;
  if (name) {
    if (!HELPER_NAME.test(name)) {
      const where = helper ? `credHelpers["${helper[0]}"]` : 'credsStore';
      throw new RegistryError(`${file}: ${where}: "${name}" is not a credential helper name (letters, digits, ".", "_", "-")`, 'auth');
    }
    entry.helper = name;
  }
  return entry;
}

function readConfig(file: string): DockerConfig | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new RegistryError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'auth');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text around the fault, which may be a secret.
    throw new RegistryError(`${file} is not valid JSON`, 'auth');
  }
  const parsed = DockerConfig.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RegistryError(`${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`, 'auth');
  }
  return parsed.data;
}

function decodeAuthEntry(entry: z.infer<typeof AuthEntry>, where: () => string): RegistryCredentials | undefined {
  let username = entry.username;
  let password = entry.password;
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw new RegistryError(`${where()}: "auth" is not base64 of "username:password"`, 'auth');
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  if (entry.identitytoken) return username ? { identityToken: entry.identitytoken, username } : { identityToken: entry.identitytoken };
  if (username && password) return { username, password };
  return undefined;
}
