// Binds the registry slice to the registry service. A registry's failure crosses the bridge as a
// RemoteError whose code is its RegistryError kind (auth, tls, unreachable, …), so the renderer
// shows the reason where the data would be.
import type { ContainerImage, RegistryInfo, registrySlice, TagInfo } from '../../shared/registry';
import type { ApiOf } from '../../shared/slice';
import { RegistryError } from './types';

/** The part of main/registry's RegistryService the slice reads. */
export interface RegistryFeed {
  registries(): Promise<RegistryInfo[]>;
  repositories(registry: string): Promise<string[]>;
  tags(registry: string, repository: string): Promise<TagInfo[]>;
  imageUsage(): Promise<ContainerImage[]>;
}

/** An error whose `code` the bridge carries (main/core/dispatch's toRemoteError). */
class RegistryCallError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

async function coded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw err instanceof RegistryError ? new RegistryCallError(err.message, err.kind) : err;
  }
}

export function bindRegistry(registry: RegistryFeed): ApiOf<typeof registrySlice> {
  return {
    registries: () => registry.registries(),
    registryRepositories: ({ registry: url }) => coded(async () => ({ repositories: await registry.repositories(url) })),
    registryTags: ({ registry: url, repository }) => coded(async () => ({ tags: await registry.tags(url, repository) })),
    imageUsage: () => coded(async () => ({ containers: await registry.imageUsage() })),
  };
}
