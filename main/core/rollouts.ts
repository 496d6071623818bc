// The core's rollout engine: one RolloutService over the fleet's model, the action path, the
// registry's digests and credentials, and the data directory's journal and locks (the same ones
// the CLI uses, so a rollout started by either shows in both), and the console's live feed of it.
import type { Actor } from '../../shared/audit';
import type { ActionPath } from '../actions/actionPath';
import type { Clock } from '../clock/clock';
import type { FleetEnv } from '../fleet/environment';
import type { RegistrySpec } from '../fleet/spec';
import type { FleetModel } from '../inventory/fleetModel';
import { createCredentialStore } from '../registry/credentials';
import type { RegistryService } from '../registry/registryService';
import type { RolloutConsole } from '../rollout/bind';
import { RolloutJournal } from '../rollout/journal';
import { RolloutJournalFeed } from '../rollout/journalFeed';
import { ServiceLocks } from '../rollout/lock';
import { pullAuthFrom } from '../rollout/pullAuth';
import { RolloutService } from '../rollout/rolloutService';

export interface CoreRolloutDeps {
  hostNames(): string[];
  model: Pick<FleetModel, 'containers' | 'host'>;
  actions: ActionPath;
  registry: Pick<RegistryService, 'resolve'>;
  registries: readonly RegistrySpec[];
  env: FleetEnv;
  clock: Clock;
  actor: Actor;
  dataDir: string;
  /** See RolloutServiceDeps.endOnPause: false for the long-running console. */
  endOnPause: boolean;
  log?: (message: string) => void;
}

export interface CoreRollouts {
  service: RolloutService;
  journal: RolloutJournal;
  feed: RolloutJournalFeed;
  /** The service as the rollout slice binds it. */
  console: RolloutConsole;
}

export function createCoreRollouts(deps: CoreRolloutDeps): CoreRollouts {
  const log = deps.log ? { log: deps.log } : {};
  const journal = new RolloutJournal({ dataDir: deps.dataDir, clock: deps.clock, ...log });
  const service = new RolloutService({
    fleet: { hostNames: deps.hostNames, containers: (h) => deps.model.containers(h), host: (h) => deps.model.host(h) },
    actions: deps.actions,
    journal,
    locks: new ServiceLocks({ dataDir: deps.dataDir, clock: deps.clock, ...log }),
    resolve: (image) => deps.registry.resolve(image),
    pullAuth: pullAuthFrom(createCredentialStore({ registries: deps.registries, env: deps.env, clock: deps.clock })),
    clock: deps.clock,
    actor: deps.actor,
    endOnPause: deps.endOnPause,
  });
  const feed = new RolloutJournalFeed({ journal, service, clock: deps.clock, ...log });
  return {
    service,
    journal,
    feed,
    console: {
      preview: (request) => service.preview(request),
      start: (request) => service.start(request),
      control: (id, op) => service.control(id, op),
      revisions: (name) => service.revisions(name),
      onStep: (listener) => service.onStep(listener),
      onState: (listener) => service.onState(listener),
    },
  };
}
