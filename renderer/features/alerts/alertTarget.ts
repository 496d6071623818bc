// What an alert points at: a container alert its container (by id, else by name), a host alert its
// host, or nothing when the container is gone. Pure: revealAlert.ts shows it.
import type { Alert } from '../../../shared/alerts';
import type { ContainerMap, HostMap } from '../../stores/fleet';
import type { Container, Host } from '../../../shared/model';

export type RevealTarget = { kind: 'container'; container: Container } | { kind: 'host'; host: Host } | { kind: 'none' };

/** The container by its id, else by its name (recreated since, by a rollout say); a host alert's host. */
export function alertTarget(a: Pick<Alert, 'host' | 'container' | 'containerId'>, hosts: HostMap, containers: ContainerMap): RevealTarget {
  if (a.container === undefined && a.containerId === undefined) {
    const host = hosts.get(a.host);
    return host ? { kind: 'host', host } : { kind: 'none' };
  }
  const list = containers.get(a.host) ?? [];
  const c = list.find((x) => a.containerId !== undefined && x.id === a.containerId) ?? list.find((x) => a.container !== undefined && x.name === a.container);
  return c ? { kind: 'container', container: c } : { kind: 'none' };
}
