// The core's implementation of the contract: the only place that acts on the fleet.
import type { Api, CallRequest, CallResponse } from '../../shared/contract';
import type { ActionResult, ContainerAction } from '../../shared/model';
import type { FleetSpec } from '../fleet/spec';
import type { FleetModel } from '../inventory/fleetModel';
import type { StatsSampler } from '../stats/sampler';
import type { TerminalService } from '../terminal/terminalService';

/** `docker stop`'s default grace period. */
const STOP_TIMEOUT_S = 10;

const PAST: Record<ContainerAction, string> = { start: 'Started', stop: 'Stopped', restart: 'Restarted' };

export interface CoreApiDeps {
  fleet: FleetSpec;
  model: FleetModel;
  mode: 'electron' | 'browser';
  version: string;
  terminals: TerminalService;
  stats: StatsSampler;
}

export function createCoreApi({ fleet, model, mode, version, terminals, stats }: CoreApiDeps): Api {
  async function containerAction(request: CallRequest<'containerAction'>): Promise<CallResponse<'containerAction'>> {
    const { host: hostName, id, action } = request;
    const result = (ok: boolean, message: string): ActionResult => ({ ok, action, host: hostName, id, message });
    const host = model.host(hostName);
    if (!host) return result(false, `no host named "${hostName}" in the fleet`);
    const status = host.status;
    if (status.state !== 'online') return result(false, `${hostName} is ${status.state}${status.problem ? ` (${status.problem.message})` : ''}`);
    const name = model.containers(hostName).find((c) => c.id === id)?.name ?? id.slice(0, 12);
    const container = host.docker.getContainer(id);
    try {
      if (action === 'start') await container.start();
      else if (action === 'stop') await container.stop({ t: STOP_TIMEOUT_S });
      else await container.restart({ t: STOP_TIMEOUT_S });
    } catch (err) {
      const e = err as { statusCode?: number; json?: { message?: string }; message: string };
      // 304: already in the requested state; report it as done, as the docker CLI does.
      if (e.statusCode === 304) return result(true, `${name} on ${hostName} was already ${action === 'start' ? 'running' : 'stopped'}`);
      return result(false, `${action} ${name} on ${hostName} failed: ${e.json?.message ?? e.message}`);
    }
    await model.refresh(hostName);
    return result(true, `${PAST[action]} ${name} on ${hostName}`);
  }

  return {
    appInfo: async () => ({ version, mode, fleetSource: fleet.source }),
    fleetSnapshot: async () => model.snapshot(),
    containerAction,
    fleetChanges: (_params, onEvent) => model.subscribe(onEvent),
    terminalOpen: ({ target, size }) => terminals.open(target, size),
    terminalInput: async ({ sessionId, data }) => terminals.input(sessionId, data),
    terminalResize: ({ sessionId, size }) => terminals.resize(sessionId, size),
    terminalAck: async ({ sessionId, chars }) => terminals.ack(sessionId, chars),
    terminalClose: ({ sessionId }) => terminals.closeSession(sessionId),
    trustHostKey: ({ host, fingerprint }) => terminals.trustHostKey(host, fingerprint),
    terminalOutput: ({ sessionId }, onEvent) => terminals.subscribe(sessionId, onEvent),
    statsFocus: async (focus) => stats.setFocus(focus),
    statsHistory: async ({ host, id, maxPoints }) => stats.history(host, id, maxPoints),
    statsHostHistory: async ({ host, maxPoints }) => stats.hostHistoryOf(host, maxPoints),
    statsTicks: (_params, onEvent) => stats.subscribe(onEvent),
  };
}
