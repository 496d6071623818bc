// Builds the registry service for a fleet: one Registry v2 client per registry of the fleet file
// (its URL, CA, insecure flag), each asking the one credential store for its credentials.
import type { Clock } from '../clock/clock';
import type { FleetEnv } from '../fleet/environment';
import type { RegistrySpec } from '../fleet/spec';
import { createCredentialStore } from './credentials';
import { RegistryService, type ImageDaemons } from './registryService';
import { RegistryError, type RegistryApi, type RegistryCredentials } from './types';

/** Makes one registry's client; tests may pass their own. */
export type RegistryClientFactory = (spec: RegistrySpec, credentials: () => Promise<RegistryCredentials | undefined>) => RegistryApi;

export interface FleetRegistryOptions {
  /** HOME, DOCKER_CONFIG and PATH: where docker's config.json and credential helpers are. */
  env: FleetEnv;
  clock: Clock;
  /** The fleet's daemons, for imageUsage (none for the CLI's registry-only commands). */
  daemons?: ImageDaemons;
  client?: RegistryClientFactory;
}

export function createFleetRegistryService(registries: readonly RegistrySpec[], options: FleetRegistryOptions): RegistryService {
  const credentials = createCredentialStore({ registries, env: options.env, clock: options.clock });
  const client = options.client ?? notYetClient;
  return new RegistryService({
    registries: registries.map((spec) => ({
      url: spec.url,
      host: spec.host,
      insecure: spec.insecure,
      api: client(spec, async () => (await credentials.lookup(spec.host)).credentials),
    })),
    credentials,
    clock: options.clock,
    ...(options.daemons ? { daemons: options.daemons } : {}),
  });
}

function notYetClient(spec: RegistrySpec): RegistryApi {
  const fail = (): Promise<never> => Promise.reject(new RegistryError(`${spec.url}: the registry client is not built yet`, 'protocol'));
  return { url: spec.url, ping: fail, repositories: fail, tags: fail, manifestDigest: fail, imageConfig: fail, tagInfo: fail };
}
