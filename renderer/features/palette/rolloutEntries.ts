// The palette's rollout entries (pure): "Rolling restart SERVICE…", "Deploy SERVICE…" and "Roll back
// SERVICE…" for every service in the fleet, found by the service's name. Each starts the rollout as
// the grid's buttons do (restart opens its plan; deploy and roll back ask for the tag or revision);
// one that cannot start on the service says why instead of running.
import type { Container } from '../../../shared/model';
import { formatCount } from '../../components/format';
import { startProblem, type StartAction, type StartTarget } from '../rolloutStart/scope';
import type { PaletteEntry } from './entries';
import { prepare } from './fuzzy';

export type RolloutActions = { start(action: StartAction, target: StartTarget): void };

const VERB: Record<StartAction, string> = { restart: 'Rolling restart', deploy: 'Deploy', rollback: 'Roll back' };
const ACTIONS: readonly StartAction[] = ['restart', 'deploy', 'rollback'];

/** One service's three entries. */
export function serviceRolloutEntries(service: string, members: readonly Container[], act: RolloutActions): PaletteEntry[] {
  const target: StartTarget = { service, containers: members };
  const hosts = new Set(members.map((c) => c.host)).size;
  const note = `${formatCount(members.length)} container${members.length === 1 ? '' : 's'} on ${hosts} host${hosts === 1 ? '' : 's'}`;
  return ACTIONS.map((a) => {
    const title = `${VERB[a]} ${service}…`;
    return { id: `rollout:${a}:${service}`, kind: 'rollout', title, note, unavailable: startProblem(a, target), target: prepare(title), run: () => act.start(a, target) };
  });
}

/** Every service's entries, services in the order given (fleetServices: natural). */
export function rolloutEntries(services: ReadonlyMap<string, readonly Container[]>, act: RolloutActions): PaletteEntry[] {
  return [...services].flatMap(([service, members]) => serviceRolloutEntries(service, members, act));
}
