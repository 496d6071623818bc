// fleetdeck deploy | restart --service|--containers | rollback | rollouts | resume: the rollout
// commands the CLI runs, on the core's rollout service (the console's, but ending a paused rollout
// so that `resume ID` carries it on). deploy, restart, rollback and resume: a live line
// per container step on a TTY, then the summary (or --json).
import { systemClock } from '../clock/clock';
import { dataDirectory } from '../audit/dataDir';
import { openFleet } from '../core/open';
import { RolloutJournal } from '../rollout/journal';
import { unfinishedNotice } from './rolloutNotice';
import { RolloutLockedError } from '../rollout/lock';
import { historyWithRevisions } from '../rollout/revisions';
import { RolloutError, type RolloutRequest as ServiceRequest, type RolloutRunSummary } from '../rollout/rolloutService';
import { EXIT } from './exitCodes';
import type { RolloutRequest, RolloutRunRequest } from './rolloutArgs';
import { followLive } from './rolloutLive';
import { formatTable } from './table';

export interface RolloutCliIo {
  out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  err: NodeJS.WritableStream;
}

/** The rollout commands wired so far. */
export const WIRED_ROLLOUT_COMMANDS = ['deploy', 'restart', 'rollback', 'rollouts', 'resume', 'abort'] as const;
export type WiredRolloutCommand = (typeof WIRED_ROLLOUT_COMMANDS)[number];
type Wired =
  | RolloutRunRequest
  | Extract<RolloutRequest, { command: 'rollouts' }>
  | (Extract<RolloutRequest, { command: 'resume' | 'abort' }> & { command: 'resume' })
  | (Extract<RolloutRequest, { command: 'resume' | 'abort' }> & { command: 'abort' });

/** A journal alone (no host contacted): for `rollouts`. */
function journal(): RolloutJournal {
  return new RolloutJournal({ dataDir: dataDirectory() });
}

export async function rolloutCommand(request: Wired, timeoutS: number, io: RolloutCliIo): Promise<number> {
  io.err.write(unfinishedNotice(journal(), 'id' in request ? request.id : undefined));
  if (request.command === 'rollouts') return rolloutsCommand(request.json, io);
  const { core } = await openFleet({ fleetFile: request.fleetFile, mode: 'browser', source: 'cli', rolloutEndOnPause: true });
  try {
    for (const name of await core.settled(timeoutS * 1000)) io.err.write(`fleetdeck: host ${name} did not answer within ${timeoutS} s\n`);
    await Promise.all(core.hosts.map((h) => core.model.refresh(h.spec.name).catch(() => undefined)));
    const service = core.rollouts.service;
    // On a TTY, a live line per container until the summary; elsewhere quiet until the summary.
    const stopLive = io.out.isTTY && !request.json ? followLive(service, io.out, systemClock) : () => {};
    let summary: RolloutRunSummary | undefined;
    try {
      if (request.command === 'resume') summary = await service.resume(request.id);
      else if (request.command === 'abort') {
        summary = await service.abort(request.id);
        // Delivered to the live process that runs it, which finishes the step in flight, then stops.
        if (!summary) io.out.write(request.json ? `${JSON.stringify({ id: request.id, op: 'abort', delivered: true })}\n` : `rollout ${request.id}: abort sent to the process that runs it\n`);
      } else {
        const result = await service.execute(serviceRequest(request));
        if (result.dryRun) {
          io.out.write(request.json ? `${JSON.stringify(result.plan, null, 2)}\n` : planTable(result.plan));
          return EXIT.ok;
        }
        const { dryRun: _dryRun, ...run } = result;
        summary = run;
      }
    } catch (err) {
      if (err instanceof RolloutError || err instanceof RolloutLockedError) {
        io.err.write(`fleetdeck: ${err.message}\n`);
        return EXIT.error;
      }
      throw err;
    } finally {
      stopLive();
    }
    if (!summary) return EXIT.ok;
    const { reason, ...shown } = summary;
    io.out.write(request.json ? `${JSON.stringify(shown, null, 2)}\n` : summaryTable(summary));
    if (summary.state !== 'completed') io.err.write(`fleetdeck: rollout ${summary.id} ${summary.state}${reason ? `: ${reason}` : ''}\n`);
    // An abort this process carried to its end did what it was asked when the rollout ended aborted;
    // so did a rollback that reverted the service's unfinished rollout (its summary is that rollout's).
    const reverted = request.command === 'rollback' && summary.action !== 'rollback';
    const done = request.command === 'abort' ? 'aborted' : reverted ? 'rolled-back' : 'completed';
    return summary.state === done ? EXIT.ok : EXIT.notCompleted;
  } finally {
    await core.close();
  }
}

/** The service's request for a parsed deploy, restart or rollback. */
function serviceRequest(r: RolloutRunRequest): ServiceRequest {
  const common = {
    ...(r.scope.kind === 'service' ? { service: r.scope.service } : { containers: r.scope.containers }),
    params: r.params,
    ...(r.sequence ? { sequence: r.sequence } : {}),
    ...(r.lanes ? { lanes: r.lanes } : {}),
    dryRun: r.dryRun,
  };
  if (r.action === 'deploy') return { ...common, action: 'deploy', image: r.image };
  if (r.action === 'restart') return { ...common, action: 'restart' };
  return { ...common, action: 'rollback', ...(r.toRevision !== undefined ? { toRevision: r.toRevision } : {}) };
}

function rolloutsCommand(json: boolean, io: RolloutCliIo): number {
  let list;
  try {
    list = historyWithRevisions(journal());
  } catch (err) {
    io.err.write(`fleetdeck: cannot read the rollout journal: ${(err as Error).message}\n`);
    return EXIT.error;
  }
  io.out.write(
    json
      ? `${JSON.stringify(list, null, 2)}\n`
      : formatTable(
          ['ID', 'ACTION', 'SERVICE', 'REVISION', 'STATE', 'STARTED', 'BY', 'CONTAINERS'],
          list.map((r) => [r.id, r.action, r.service ?? '', r.revision !== undefined ? String(r.revision) : '', r.state, r.startedAt, r.startedBy.user, String(r.containers.length)]),
        ),
  );
  return EXIT.ok;
}

function planTable(plan: { id: string; targets: { host: string; name: string; from: { image: string }; to: { image: string; digest?: string } }[] }): string {
  return `dry run: nothing was changed\n${formatTable(
    ['HOST', 'NAME', 'FROM', 'TO', 'DIGEST'],
    plan.targets.map((t) => [t.host, t.name, t.from.image, t.to.image, t.to.digest ?? '']),
  )}`;
}

function summaryTable(s: RolloutRunSummary): string {
  return `rollout ${s.id}: ${s.state}\n${formatTable(
    ['HOST', 'NAME', 'FROM', 'TO', 'STATE', 'ERROR'],
    s.containers.map((c) => [c.host, c.name, c.from.image, c.to.image, c.state, c.error ?? '']),
  )}`;
}
