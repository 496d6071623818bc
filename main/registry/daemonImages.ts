// The registry service's view of the fleet's daemons (ImageDaemons): the inventory's containers on
// the hosts that answer, and the two inspects that tell a container's image reference and an
// image's repo digests, each within a deadline on the core's clock.
import type Dockerode from 'dockerode';
import type { Container, HostState } from '../../shared/model';
import type { Clock } from '../clock/clock';
import { dial } from '../engine/dockerApi';
import type { ImageDaemons } from './registryService';

/** What it needs from the fleet model (main/inventory's FleetModel). */
export interface DaemonInventory {
  snapshot(): { hosts: { name: string; state: HostState }[] };
  containers(hostName: string): Container[];
  host(name: string): { readonly docker: Dockerode } | undefined;
}

/** One inspect, at most: a daemon answers it from memory in milliseconds, so this is a daemon in trouble. */
export const INSPECT_DEADLINE_MS = 10_000;

export function daemonImages(inventory: DaemonInventory, clock: Clock): ImageDaemons {
  const get = async <T>(hostName: string, path: string): Promise<T> => {
    const docker = inventory.host(hostName)?.docker;
    if (!docker) throw new Error(`host ${hostName} is not in the fleet`);
    const abort = new AbortController();
    const timer = clock.setTimeout(() => abort.abort(new Error(`${hostName}: ${path} did not answer within ${INSPECT_DEADLINE_MS / 1000} s`)), INSPECT_DEADLINE_MS);
    try {
      return await dial<T>(docker, { path, method: 'GET', statusCodes: { 200: true, 404: 'not found' }, options: {}, abortSignal: abort.signal });
    } finally {
      clock.clearTimeout(timer);
    }
  };
  return {
    hosts: () =>
      inventory
        .snapshot()
        .hosts.filter((h) => h.state === 'online')
        .map((h) => ({ host: h.name, containers: inventory.containers(h.name) })),
    inspectContainer: async (host, id) => {
      const info = await get<{ Image?: string; Config?: { Image?: string } }>(host, `/containers/${encodeURIComponent(id)}/json?`);
      return { image: info.Config?.Image ?? '', imageId: info.Image ?? '' };
    },
    repoDigests: async (host, imageId) => {
      const info = await get<{ RepoDigests?: string[] | null }>(host, `/images/${encodeURIComponent(imageId)}/json?`);
      return info.RepoDigests ?? [];
    },
  };
}
