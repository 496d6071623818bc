// The CredentialStore: a registry host's credentials, from the first source that has them:
// the fleet file (username + passwordEnv), then docker's config.json `auths`, then its credential
// helper (`credHelpers` for that host, else `credsStore`). Answers are cached for the process's
// life (a helper may be slow, or prompt); failures are not, so a fixed helper works on the next try.
// Secrets stay in memory: nothing here logs or writes them, and no error message holds one.
import type { Clock } from '../clock/clock';
import type { FleetEnv } from '../fleet/environment';
import type { RegistrySpec } from '../fleet/spec';
import { runCredentialHelper } from './credentialHelper';
import { configKeyHost, readDockerConfigEntry, serverAddressFor } from './dockerConfig';
import type { CredentialSource, CredentialStore, RegistryCredentials } from './types';

/**
 * How long a helper may take. An unlocked keychain or `pass` answers in well under a second;
 * 10 s leaves room for a gpg-agent or a cloud helper fetching a token, and stops a helper that
 * waits on a prompt nobody will answer.
 */
export const CREDENTIAL_HELPER_TIMEOUT_MS = 10_000;

export interface CredentialStoreOptions {
  /** The fleet file's registries: their host, and their credentials where the fleet file gives them. */
  registries: readonly Pick<RegistrySpec, 'host' | 'username' | 'password'>[];
  /** HOME and DOCKER_CONFIG find config.json; PATH finds the helpers, which get this environment. */
  env: FleetEnv;
  clock: Clock;
  helperTimeoutMs?: number;
}

type Lookup = Awaited<ReturnType<CredentialStore['lookup']>>;

export function createCredentialStore(options: CredentialStoreOptions): CredentialStore {
  const cache = new Map<string, Promise<Lookup>>();
  const timeoutMs = options.helperTimeoutMs ?? CREDENTIAL_HELPER_TIMEOUT_MS;

  const helper = async (name: string, registryHost: string): Promise<RegistryCredentials | undefined> => {
    const run = (serverUrl: string) => runCredentialHelper({ name, serverUrl, env: options.env.vars, clock: options.clock, timeoutMs });
    // The docker CLI asks by the bare host (docker login stores it so); tools that store by URL
    // use https://host, so that is asked next.
    const serverUrl = serverAddressFor(registryHost);
    return (await run(serverUrl)) ?? (serverUrl.includes('://') ? undefined : await run(`https://${serverUrl}`));
  };

  const find = async (registryHost: string): Promise<Lookup> => {
    const host = configKeyHost(registryHost);
    const fromFleet = options.registries.find((r) => configKeyHost(r.host) === host);
    if (fromFleet?.username && fromFleet.password) {
      return found('fleet-file', { username: fromFleet.username, password: fromFleet.password });
    }
    const entry = readDockerConfigEntry(options.env, registryHost);
    if (entry.credentials) return found('docker-config', entry.credentials);
    if (entry.helper) {
      const credentials = await helper(entry.helper, registryHost);
      if (credentials) return found('credential-helper', credentials);
    }
    return { source: 'none' };
  };

  return {
    lookup(registryHost) {
      const key = configKeyHost(registryHost);
      let pending = cache.get(key);
      if (!pending) {
        pending = find(registryHost);
        cache.set(key, pending);
        pending.catch(() => cache.delete(key));
      }
      return pending;
    },
  };
}

function found(source: CredentialSource, credentials: RegistryCredentials): Lookup {
  return { source, credentials };
}
