// The per-container steps of a rolling restart (the ContainerUpdater of types.ts) on one host's
// daemon: the same container is stopped (with `docker stop`'s grace) and started again, each as
// one audited action through the action path. monitor() is deploy's watch (watch.ts), so a restart
// fails a container exactly as a deploy does. There is no other revision to go back to: a revert
// only makes sure the container runs again, and finish() has nothing to remove.
import type Dockerode from 'dockerode';
import { ActionError } from '../actions/actionPath';
import { systemClock, type Clock } from '../clock/clock';
import { ContainerCalls, type ContainerCallsDeps, type Inspected } from './containerCalls';
import type { ContainerUpdater, PlanTarget, StepReport } from './types';
import { ContainerWatch } from './watch';

/** The calls made on a host's client (dockerode): inspect, and exec for the probe. */
export type RestartDocker = Pick<Dockerode, 'getContainer'>;

export interface RestartStepsDeps extends ContainerCallsDeps<RestartDocker> {
  /** An optional command run in the container after it is healthy again: a non-zero exit fails it. */
  probe?: string[];
  clock?: Pick<Clock, 'now' | 'setTimeout'>;
}

export class RestartSteps implements ContainerUpdater {
  private readonly calls: ContainerCalls<RestartDocker>;
  private readonly watch: ContainerWatch;

  constructor(deps: RestartStepsDeps) {
    this.calls = new ContainerCalls(deps);
    this.watch = new ContainerWatch(this.calls, deps.clock ?? systemClock, deps.probe);
  }

  /**
   * Stops the container and starts it again. It gives up on the rollout's abort only before the
   * stop. A resumed run (the journal says it was cut off) restarts it again: a stopped container
   * is started, a running one restarted once more, which leaves it freshly started either way.
   */
  async update(target: PlanTarget, report: StepReport, signal: AbortSignal): Promise<void> {
    const current = await this.existing(target);
    if (signal.aborted) throw signal.reason as Error;
    await report('stopping', { startedAt: current.State.StartedAt });
    if (signal.aborted) throw signal.reason as Error;
    if (current.State.Running) await this.calls.stop(target, target.id);
    await report('starting');
    await this.calls.start(target, target.id);
  }

  async monitor(target: PlanTarget, monitorMs: number, signal: AbortSignal): Promise<void> {
    await this.watch.monitor(target, target.id, monitorMs, signal);
  }

  /** Nothing to undo: a container left stopped (its start failed, or a run was cut off) is started. */
  async revert(target: PlanTarget, report: StepReport): Promise<void> {
    const current = await this.existing(target);
    if (current.State.Running) return;
    await report('starting');
    await this.calls.start(target, target.id);
  }

  async finish(): Promise<void> {}

  private async existing(target: PlanTarget): Promise<Inspected> {
    const found = await this.calls.find(this.calls.docker(target.host), target.id);
    if (!found) throw new ActionError(`no container ${target.id.slice(0, 12)} (${target.name}) on ${target.host}`, 'not-found');
    return found;
  }
}
