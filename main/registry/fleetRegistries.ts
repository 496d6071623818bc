// Builds the registry service for a fleet: one Registry v2 client per registry of the fleet file
// (its URL, CA, insecure flag), each asking the one credential store for its credentials.
import type { Clock } from '../clock/clock';
import type { FleetEnv } from '../fleet/environment';
import type { RegistrySpec } from '../fleet/spec';
import { createRegistryClient } from './client';
import { createCredentialStore } from './credentials';
import { RegistryService, type ImageDaemons } from './registryService';
import type { RegistryApi, RegistryCredentials } from './types';

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
  const client: RegistryClientFactory =
    options.client ??
    ((spec, credentials) =>
      createRegistryClient({ url: spec.url, ...(spec.ca ? { ca: spec.ca } : {}), insecure: spec.insecure, credentials, clock: options.clock }));
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
