// What a rollout started from the console acts on (pure): a service (its group row in the
// Containers grid, or its name in the palette) or listed containers (a selection), which services
// and image repositories those span, and why an action cannot start on them. Deploy picks a tag of
// one repository, Roll back a revision of one service: a scope spanning more is refused with why.
import type { Container } from '../../../shared/model';
import { imageName, parseImageRef } from '../../../shared/imageRef';
import { compareNatural } from '../../components/natural';

export type StartAction = 'restart' | 'deploy' | 'rollback';

/** A service (every container of it, fleet-wide) or the listed containers only. */
export type StartTarget = { service: string; containers: readonly Container[] } | { service?: undefined; containers: readonly Container[] };

/** How the planner's request names the scope (stores/planner.ts PlanScope). */
export type ScopeRequest = { service: string } | { containers: string[] };

/** "Rolling restart…", as buttons, menus and the palette name each action. */
export const START_LABEL: Record<StartAction, string> = { restart: 'Rolling restart…', deploy: 'Deploy…', rollback: 'Roll back…' };

/** HOST/NAME, as the rollout slice spells a container. */
export const memberKey = (c: Pick<Container, 'host' | 'name'>): string => `${c.host}/${c.name}`;

/** The distinct services of some containers, in natural order (containers without one left out). */
export function servicesOf(containers: readonly Container[]): string[] {
  return [...new Set(containers.flatMap((c) => (c.service ? [c.service] : [])))].sort(compareNatural);
}

/** The distinct image repositories (registry/path, without tag or digest) the containers run, in natural order. */
export function repositoriesOf(containers: readonly Container[]): string[] {
  const out = new Set<string>();
  for (const c of containers) {
    try {
      out.add(imageName(parseImageRef(c.image)));
    } catch {
      out.add(c.image);
    }
  }
  return [...out].sort(compareNatural);
}

/** The one repository of a scope, split as the registry slice asks for tags; undefined when it spans none or several. */
export function repositoryOf(containers: readonly Container[]): { registryHost: string; repository: string } | undefined {
  const [only, ...more] = repositoriesOf(containers);
  if (only === undefined || more.length > 0) return undefined;
  try {
    const ref = parseImageRef(only);
    return { registryHost: ref.registry, repository: ref.repository };
  } catch {
    return undefined;
  }
}

/** The service a revision list belongs to: the target's, else the one service its containers span. */
export function serviceOf(target: StartTarget): string | undefined {
  if (target.service !== undefined) return target.service;
  const services = servicesOf(target.containers);
  return services.length === 1 && target.containers.every((c) => c.service) ? services[0] : undefined;
}

export function scopeRequest(target: StartTarget): ScopeRequest {
  return target.service !== undefined ? { service: target.service } : { containers: target.containers.map(memberKey) };
}

const list = (names: readonly string[]): string => (names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`);

/** Why `action` cannot start on `target` (undefined: it can). Shown in place of running it. */
export function startProblem(action: StartAction, target: StartTarget): string | undefined {
  const { containers } = target;
  if (containers.length === 0) return target.service !== undefined ? `no containers of ${target.service} in the fleet` : 'no containers selected';
  if (action === 'restart') return undefined;
  if (action === 'deploy') {
    const repositories = repositoriesOf(containers);
    return repositories.length > 1 ? `they run ${repositories.length} images (${list(repositories)}): deploy one service or image at a time` : undefined;
  }
  const services = servicesOf(containers);
  if (services.length === 0) return 'not part of a service: revisions are recorded per service';
  if (services.length > 1) return `they span ${services.length} services (${list(services)}): roll back one at a time`;
  if (containers.some((c) => !c.service)) return `some are not part of ${services[0]}: revisions are recorded per service`;
  return undefined;
}

/** "payments-api (6 containers)", "3 containers of web", "web-1 on h1": what a dialog or menu names. */
export function targetText(target: StartTarget): string {
  const n = target.containers.length;
  const count = `${n} container${n === 1 ? '' : 's'}`;
  if (target.service !== undefined) return `${target.service} (${count})`;
  const only = target.containers[0];
  if (n === 1 && only) return `${only.name} on ${only.host}`;
  const services = servicesOf(target.containers);
  return services.length === 1 ? `${count} of ${services[0]}` : count;
}

/** Every container of a service, fleet-wide, by host then name. */
export function serviceMembers(containers: Iterable<readonly Container[]>, service: string): Container[] {
  return fleetServices([...containers].map((listOnHost) => listOnHost.filter((c) => c.service === service))).get(service) ?? [];
}

/** Every service in the fleet with its containers (by host then name), services in natural order: one pass. */
export function fleetServices(containers: Iterable<readonly Container[]>): Map<string, Container[]> {
  const by = new Map<string, Container[]>();
  for (const listOnHost of containers) {
    for (const c of listOnHost) {
      if (!c.service) continue;
      const members = by.get(c.service);
      if (members) members.push(c);
      else by.set(c.service, [c]);
    }
  }
  const byHostThenName = (a: Container, b: Container) => compareNatural(a.host, b.host) || compareNatural(a.name, b.name);
  return new Map([...by.keys()].sort(compareNatural).map((s) => [s, by.get(s)!.sort(byHostThenName)]));
}
