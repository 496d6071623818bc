// The per-container Docker steps of a deploy, and of a rollback to a recorded revision (its create
// config as recorded, its image unpulled while the host still has that digest), on one host's
// daemon (the ContainerUpdater of types.ts). Every call that changes the daemon goes through the action path, so it is audited;
// reads (inspect) go to the host's client directly. The old container is stopped and renamed,
// never removed, until finish(): a revert removes the new one, renames the old one back,
// reconnects its networks with the same IP (and MAC) and starts it. Every step reads the daemon's
// state first, so update() and revert() pick up where an interrupted run left off.
import type Dockerode from 'dockerode';
import type { ActionPath } from '../actions/actionPath';
import { ActionError, CONTAINER_ACTION_DEADLINE_MS } from '../actions/actionPath';
import { systemClock, type Clock } from '../clock/clock';
import { dockerStatus } from '../engine/dockerErrors';
import { ContainerCalls, type Inspected } from './containerCalls';
import { carryOver, configDigest, hasStaticAddress, type CarriedConfig, type EndpointConfig, type ImageDefaults } from './createConfig';
import type { ContainerUpdater, PlanTarget, RecordedRevision, StepReport, UpdateOrder } from './types';
import { ContainerWatch } from './watch';

/**
 * How long a pull may take: a multi-gigabyte image over a slow link takes minutes; the lab's
 * images (≈ 1 MB) pull in well under a second. 15 min still ends a pull that hangs.
 */
export const PULL_DEADLINE_MS = 15 * 60_000;
/** The calls made on a host's client (dockerode). */
export type StepsDocker = Pick<Dockerode, 'getContainer' | 'getImage' | 'createContainer' | 'getNetwork' | 'pull' | 'modem' | 'version'>;

export interface HostStepsDeps {
  actions: Pick<ActionPath, 'run'>;
  /** The host's client for reads (the inventory's host connections). */
  hosts: { host(name: string): { readonly docker: StepsDocker } | undefined };
  /** The X-Registry-Auth value for pulling this image (main/registry/registryAuth.ts), or none. */
  pullAuth(image: string): Promise<string | undefined>;
  /** The rollout's order; static addresses are stop-first whatever it says. Default stop-first. */
  order?: UpdateOrder;
  /** An optional command run in the new container after it is healthy: a non-zero exit fails it. */
  probe?: string[];
  /** The revisions the journal holds for a container, when resuming in another process. */
  recorded?(target: PlanTarget): { from: RecordedRevision; to: RecordedRevision } | undefined;
  /**
   * A rollback's target: the recorded revision to recreate as it was (its create config: same name,
   * IP and MAC; its digest), instead of carrying the old container's config over to a new image.
   * Its image is not pulled when the host still has it with that digest.
   */
  target?(target: PlanTarget): RecordedRevision | undefined;
  clock?: Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout'>;
}

/** The name the old revision waits under until the rollout is finished. */
export function oldName(target: PlanTarget): string {
  return `${target.name}-fd-old-${target.id.slice(0, 12)}`;
}

/** The name a start-first new container runs under until the old one is stopped. */
export function newName(target: PlanTarget): string {
  return `${target.name}-fd-new-${target.id.slice(0, 12)}`;
}

/** The repository of a reference: without its digest or tag. */
export function repositoryOf(ref: string): string {
  const bare = ref.split('@')[0]!;
  const colon = bare.lastIndexOf(':');
  return colon > bare.lastIndexOf('/') ? bare.slice(0, colon) : bare;
}

/** The image's digest in that repository, from its RepoDigests (repo@sha256:…). */
export function digestIn(repoDigests: string[] | undefined, ref: string): string | undefined {
  const repo = repositoryOf(ref);
  return repoDigests?.find((d) => d.startsWith(`${repo}@`))?.slice(repo.length + 1);
}

/** The two revisions of one container, as update() planned them. */
interface Revisions {
  from: RecordedRevision & { id: string; config: CarriedConfig };
  to: RecordedRevision & { config: CarriedConfig };
  stopFirst: boolean;
  /** A static IP or MAC: stop-first disconnects the old one to free the address. */
  release: boolean;
}

export class HostSteps implements ContainerUpdater {
  private readonly planned = new Map<string, Revisions>();
  private readonly calls: ContainerCalls<StepsDocker>;
  private readonly watch: ContainerWatch;

  constructor(private readonly deps: HostStepsDeps) {
    this.calls = new ContainerCalls(deps);
    this.watch = new ContainerWatch(this.calls, deps.clock ?? systemClock, deps.probe);
  }

  /** The revisions of a container this updater planned (for the journal), once update() has pulled. */
  revisions(target: PlanTarget): { from: RecordedRevision; to: RecordedRevision } | undefined {
    const known = this.planned.get(key(target));
    return known ? { from: revision(known.from), to: revision(known.to) } : undefined;
  }

  async update(target: PlanTarget, report: StepReport, signal: AbortSignal): Promise<void> {
    const docker = this.calls.docker(target.host);
    const current = await this.calls.find(docker, target.name);
    if (current && current.Id !== target.id && current.State.Running) return; // done already (a resumed run)
    const given = this.deps.target?.(target);
    const local = given && (await this.localImage(docker, given));
    const image = given ? (local ?? pinned(given)) : target.to.image;
    if (!local) {
      await report('pulling');
      await this.pull(target, image, signal).catch((err: unknown) => {
        throw signal.aborted ? (signal.reason as Error) : err;
      });
    }
    if (signal.aborted) throw signal.reason as Error;
    const plan = await this.plan(target, docker, given && { ...given, image });
    const detail = { from: revision(plan.from), to: revision(plan.to), fromConfigDigest: plan.from.configDigest, toConfigDigest: plan.to.configDigest };
    if (plan.stopFirst) await this.stopFirst(target, plan, report, detail);
    else await this.startFirst(target, plan, report, detail);
  }

  async monitor(target: PlanTarget, monitorMs: number, signal: AbortSignal): Promise<void> {
    const running = await this.calls.find(this.calls.docker(target.host), target.name);
    if (!running || running.Id === target.id) throw new Error(`${target.name} on ${target.host} is not on its new revision`);
    await this.watch.monitor(target, running.Id, monitorMs, signal);
  }

  async revert(target: PlanTarget, report: StepReport): Promise<void> {
    const docker = this.calls.docker(target.host);
    const old = await this.calls.find(docker, target.id);
    if (!old) throw new Error(`the previous revision of ${target.name} on ${target.host} (${target.id.slice(0, 12)}) is gone`);
    const named = await this.calls.find(docker, target.name);
    const extra = [named && named.Id !== old.Id ? named : undefined, await this.calls.find(docker, newName(target))].filter((c): c is Inspected => Boolean(c));
    if (!extra.length && old.Name === `/${target.name}` && old.State.Running) return; // nothing was changed
    await report('stopping');
    for (const c of extra) await this.calls.act(target, 'remove', { id: c.Id.slice(0, 12) }, CONTAINER_ACTION_DEADLINE_MS, (d, abortSignal) => d.getContainer(c.Id).remove({ force: true, abortSignal }));
    await report('starting');
    await this.putBack(target, old);
    await report('rolled-back');
  }

  async finish(target: PlanTarget): Promise<void> {
    const old = await this.calls.find(this.calls.docker(target.host), target.id);
    // Reverted (the old one holds its name again), or already removed: nothing to do.
    if (!old || old.Name === `/${target.name}`) return;
    // Without its anonymous volumes: the new revision mounts them (createConfig.ts).
    await this.calls.act(target, 'remove', { id: old.Id.slice(0, 12), name: old.Name.slice(1) }, CONTAINER_ACTION_DEADLINE_MS, (d, abortSignal) => d.getContainer(old.Id).remove({ force: true, abortSignal }));
    this.planned.delete(key(target));
  }

  private async stopFirst(target: PlanTarget, plan: Revisions, report: StepReport, detail: Record<string, unknown>): Promise<void> {
    await report('stopping', detail);
    const docker = this.calls.docker(target.host);
    let old = (await this.calls.find(docker, target.id))!;
    if (old.State.Running) await this.calls.stop(target, old.Id);
    try {
      if (old.Name === `/${target.name}`) await this.rename(target, old.Id, oldName(target));
      // The static address is released so the new container can take it (portainer PR #8996).
      old = (await this.calls.find(docker, old.Id))!;
      for (const network of plan.release ? Object.keys(old.NetworkSettings.Networks ?? {}) : []) {
        await this.calls.act(target, 'network-disconnect', { network }, CONTAINER_ACTION_DEADLINE_MS, (d, abortSignal) => d.getNetwork(network).disconnect({ Container: old.Id, Force: true, abortSignal }));
      }
      await report('starting');
      const created = (await this.calls.find(docker, target.name)) ?? (await this.create(target, plan.to.config, target.name));
      await this.calls.start(target, created.Id);
    } catch (err) {
      // Never neither: the old revision runs again before the failure is reported (portainer#1491).
      const failure = err instanceof ActionError ? err : new ActionError((err as Error).message);
      await this.revert(target, async () => {}).catch((undo: unknown) => {
        throw new ActionError(`${failure.message}; putting the previous revision back failed too: ${(undo as Error).message}`, failure.code);
      });
      throw failure;
    }
  }

  private async startFirst(target: PlanTarget, plan: Revisions, report: StepReport, detail: Record<string, unknown>): Promise<void> {
    const docker = this.calls.docker(target.host);
    await report('starting', detail);
    const created = (await this.calls.find(docker, newName(target))) ?? (await this.create(target, plan.to.config, newName(target)));
    try {
      if (!created.State.Running) await this.calls.start(target, created.Id);
      await report('waiting-healthy');
      await this.watch.watch(target.host, created.Id, 0, new AbortController().signal);
    } catch (err) {
      await this.calls.act(target, 'remove', { id: created.Id.slice(0, 12) }, CONTAINER_ACTION_DEADLINE_MS, (d, abortSignal) => d.getContainer(created.Id).remove({ force: true, abortSignal })).catch(() => {});
      throw err;
    }
    await report('stopping');
    const old = (await this.calls.find(docker, target.id))!;
    if (old.State.Running) await this.calls.stop(target, old.Id);
    if (old.Name === `/${target.name}`) await this.rename(target, old.Id, oldName(target));
    await this.rename(target, created.Id, target.name);
  }

  /** The new image, with the registry's credentials; the rollout's abort ends it (nothing was changed yet). */
  private pull(target: PlanTarget, image: string, signal: AbortSignal): Promise<void> {
    return this.calls.act(target, 'pull', { image }, PULL_DEADLINE_MS, async (d, abortSignal) => {
      const authKey = await this.deps.pullAuth(image);
      const stream = await d.pull(image, { ...(authKey ? { authconfig: { key: authKey } } : {}), abortSignal: AbortSignal.any([abortSignal, signal]) });
      await new Promise<void>((resolve, reject) => d.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())));
    });
  }

  /** The carried config and digests of both revisions, from memory, the journal or the daemon; `given`: a rollback's target revision (its image as found or pulled). */
  private async plan(target: PlanTarget, docker: StepsDocker, given?: RecordedRevision): Promise<Revisions> {
    const known = this.planned.get(key(target));
    if (known) return known;
    const recorded = this.deps.recorded?.(target);
    const old = await this.calls.find(docker, target.id);
    if (!old) throw new ActionError(`no container ${target.id.slice(0, 12)} (${target.name}) on ${target.host}`, 'not-found');
    const static_ = target.forcedStopFirst || hasStaticAddress(old);
    let from: Revisions['from'];
    let to: Revisions['to'];
    if (recorded) {
      from = { ...recorded.from, id: target.id, config: recorded.from.createConfig as unknown as CarriedConfig };
      to = { ...recorded.to, config: recorded.to.createConfig as unknown as CarriedConfig };
    } else {
      const apiVersion = (await docker.version()).ApiVersion;
      const oldImageInfo = await docker.getImage(old.Image).inspect();
      const oldImage = oldImageInfo.Config as ImageDefaults;
      const fromConfig = carryOver({ old, oldImage, newImage: oldImage, image: old.Config.Image ?? target.from.image, apiVersion });
      const container = key(target);
      const fromDigest = target.from.digest ?? digestIn(oldImageInfo.RepoDigests, target.from.image);
      from = { container, id: target.id, image: fromConfig.body.Image, ...(fromDigest ? { digest: fromDigest } : {}), configDigest: configDigest(fromConfig), createConfig: fromConfig as unknown as Record<string, unknown>, config: fromConfig };
      if (given) {
        const recreated = given.createConfig as unknown as CarriedConfig;
        const toConfig: CarriedConfig = { ...recreated, body: { ...recreated.body, Image: given.image } };
        to = { container, image: given.image, ...(given.digest ? { digest: given.digest } : {}), configDigest: configDigest(toConfig), createConfig: toConfig as unknown as Record<string, unknown>, config: toConfig };
      } else {
        const newImageInfo = await docker.getImage(target.to.image).inspect();
        const toConfig = carryOver({ old, oldImage, newImage: newImageInfo.Config as ImageDefaults, image: target.to.image, apiVersion });
        const toDigest = digestIn(newImageInfo.RepoDigests, target.to.image) ?? target.to.digest;
        to = { container, image: target.to.image, ...(toDigest ? { digest: toDigest } : {}), configDigest: configDigest(toConfig), createConfig: toConfig as unknown as Record<string, unknown>, config: toConfig };
      }
    }
    const plan: Revisions = { from, to, release: static_, stopFirst: static_ || (this.deps.order ?? 'stop-first') === 'stop-first' };
    this.planned.set(key(target), plan);
    return plan;
  }

  /**
   * The reference to create a recorded revision from when the host still has its image with the
   * recorded digest: the recorded tag where it still points there, else repo@digest; none to pull.
   */
  private async localImage(docker: StepsDocker, r: RecordedRevision): Promise<string | undefined> {
    if (!r.digest) return undefined; // nothing to check the host's image against
    for (const ref of [r.image, pinned(r)]) {
      const found = await docker
        .getImage(ref)
        .inspect()
        .catch((err: unknown) => {
          if (dockerStatus(err) === 404) return undefined;
          throw err;
        });
      if (digestIn(found?.RepoDigests, ref) === r.digest) return ref;
    }
    return undefined;
  }

  /** The old revision, running again under its name, on its networks with its own IP and MAC. */
  private async putBack(target: PlanTarget, old: Inspected): Promise<void> {
    if (old.Name !== `/${target.name}`) await this.rename(target, old.Id, target.name);
    const own = this.planned.get(key(target))?.from.config ?? (this.deps.recorded?.(target)?.from.createConfig as unknown as CarriedConfig | undefined);
    if (own) {
      const attached = new Set(Object.keys(old.NetworkSettings.Networks ?? {}));
      const endpoints: [string, EndpointConfig][] = [...Object.entries(own.body.NetworkingConfig.EndpointsConfig), ...own.connect.map((c): [string, EndpointConfig] => [c.network, c.endpoint])];
      for (const [network, endpoint] of endpoints) {
        if (attached.has(network)) continue;
        await this.calls.act(target, 'network-connect', { network }, CONTAINER_ACTION_DEADLINE_MS, (d, abortSignal) => connectTo(d, network, old.Id, endpoint, abortSignal));
      }
    }
    if (!old.State.Running) await this.calls.start(target, old.Id);
  }

  private async create(target: PlanTarget, config: CarriedConfig, name: string): Promise<Inspected> {
    const docker = this.calls.docker(target.host);
    const id = await this.calls.act(target, 'create', { name, image: config.body.Image }, CONTAINER_ACTION_DEADLINE_MS, async (d, abortSignal) => {
      const created = await d.createContainer({ ...(config.body as Dockerode.ContainerCreateOptions), name, abortSignal });
      return created.id;
    });
    for (const { network, endpoint } of config.connect) {
      await this.calls.act(target, 'network-connect', { network }, CONTAINER_ACTION_DEADLINE_MS, (d, abortSignal) => connectTo(d, network, id, endpoint, abortSignal));
    }
    return (await this.calls.find(docker, id))!;
  }

  private rename(target: PlanTarget, id: string, name: string): Promise<void> {
    return this.calls.act(target, 'rename', { id: id.slice(0, 12), name }, CONTAINER_ACTION_DEADLINE_MS, async (d, abortSignal) => {
      await d.getContainer(id).rename({ name, abortSignal });
    });
  }
}

/** A recorded revision's image by its digest (repo@sha256:…): what it ran, whatever its tag points to now. */
function pinned(r: Pick<RecordedRevision, 'image' | 'digest'>): string {
  return r.digest ? `${repositoryOf(r.image)}@${r.digest}` : r.image;
}

function key(target: PlanTarget): string {
  return `${target.host}/${target.name}`;
}

function revision(r: RecordedRevision): RecordedRevision {
  return { container: r.container, image: r.image, ...(r.digest ? { digest: r.digest } : {}), ...(r.configDigest ? { configDigest: r.configDigest } : {}), createConfig: r.createConfig };
}

/** dockerode's connect takes abortSignal like its other calls; its typings leave it out. */
export function connectTo(docker: Pick<Dockerode, 'getNetwork'>, network: string, container: string, endpoint: EndpointConfig, abortSignal: AbortSignal): Promise<unknown> {
  const options: Dockerode.NetworkConnectOptions & { abortSignal: AbortSignal } = { Container: container, EndpointConfig: endpoint, abortSignal };
  return docker.getNetwork(network).connect(options);
}
