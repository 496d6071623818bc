// Pure mapping from the Engine API's container list items to the fleet model.
import type { Container, ContainerState, Health, NetworkAddress } from '../../shared/model';
import type { ServiceLabels } from '../fleet/spec';

/** The fields of GET /containers/json items that we use (API 1.41). */
export interface EngineContainer {
  Id: string;
  Names?: string[];
  Image: string;
  ImageID?: string;
  Created: number;
  State: string;
  Status: string;
  Labels?: Record<string, string> | null;
  NetworkSettings?: { Networks?: Record<string, { IPAddress?: string; MacAddress?: string; GlobalIPv6Address?: string }> | null } | null;
}

const STATES = new Set<ContainerState>(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']);

export function healthFromStatus(status: string): Health | undefined {
  if (status.includes('(healthy)')) return 'healthy';
  if (status.includes('(unhealthy)')) return 'unhealthy';
  if (status.includes('(health: starting)')) return 'starting';
  return undefined;
}

export function addressesOf(item: EngineContainer): NetworkAddress[] {
  const networks = item.NetworkSettings?.Networks ?? {};
  return Object.entries(networks)
    .filter(([, n]) => n.IPAddress || n.GlobalIPv6Address || n.MacAddress)
    .map(([network, n]) => ({ network, ip: n.IPAddress || n.GlobalIPv6Address || '', mac: n.MacAddress ?? '' }))
    .sort((a, b) => a.network.localeCompare(b.network));
}

export function normalizeContainer(host: string, item: EngineContainer, labels: ServiceLabels, startedAt?: number): Container {
  const state = (STATES.has(item.State as ContainerState) ? item.State : 'dead') as ContainerState;
  const containerLabels = item.Labels ?? {};
  const container: Container = {
    host,
    id: item.Id,
    name: (item.Names?.[0] ?? item.Id.slice(0, 12)).replace(/^\//, ''),
    image: item.Image,
    ...(item.ImageID ? { imageId: item.ImageID } : {}),
    state,
    status: item.Status,
    ips: addressesOf(item),
    createdAt: item.Created * 1000,
  };
  const health = healthFromStatus(item.Status);
  if (health) container.health = health;
  const service = containerLabels[labels.label];
  if (service) container.service = service;
  const group = labels.groupLabel ? containerLabels[labels.groupLabel] : undefined;
  if (group) container.group = group;
  if (startedAt !== undefined && (state === 'running' || state === 'paused' || state === 'restarting')) container.startedAt = startedAt;
  return container;
}

/** Parses Docker's RFC 3339 timestamps; the zero time "0001-01-01T00:00:00Z" means never. */
export function parseDockerTime(value: string | undefined): number | undefined {
  if (!value || value.startsWith('0001-')) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
