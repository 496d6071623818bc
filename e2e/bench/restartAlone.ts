// The rolling-restart benchmark's ideal, one container alone: docker stop (with the engine's grace)
// and start through the Engine API on the host's unix socket, then the wait the engine's watch
// does (running and, with a HEALTHCHECK, healthy), seen at a fine poll. The monitor is added by
// the caller (aloneMs), as the engine's watch overlaps it with the health wait.
import type Dockerode from 'dockerode';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { STOP_TIMEOUT_S } from '../../main/actions/actionPath';

/** The engine's watch polls every 500 ms (watch.ts WATCH_POLL_MS); the ideal sees the change within 20 ms. */
const IDEAL_POLL_MS = 20;
const HEALTHY_TIMEOUT_MS = 60_000;

export interface AloneRestart {
  stopMs: number;
  startMs: number;
  /** stop + start, until start returned. */
  stopStartMs: number;
  /** From start's return until it ran and (with a health check) was healthy. */
  readyMs: number;
}

export async function restartAlone(docker: Dockerode, name: string): Promise<AloneRestart> {
  const c = docker.getContainer(name);
  const t0 = performance.now();
  await c.stop({ t: STOP_TIMEOUT_S });
  const stopped = performance.now();
  await c.start();
  const started = performance.now();
  for (;;) {
    const s = (await c.inspect()).State;
    if (!s.Running || s.Health?.Status === 'unhealthy') throw new Error(`${name} ${s.Status} (health ${s.Health?.Status}) after its restart`);
    if (!s.Health || s.Health.Status === 'healthy') break;
    if (performance.now() - started > HEALTHY_TIMEOUT_MS) throw new Error(`${name} not healthy ${HEALTHY_TIMEOUT_MS / 1000} s after its restart`);
    await sleep(IDEAL_POLL_MS);
  }
  return { stopMs: stopped - t0, startMs: started - stopped, stopStartMs: started - t0, readyMs: performance.now() - started };
}

/** The engine's wait after a start ends once the container is ready AND has run `monitorMs`. */
export function aloneMs(r: AloneRestart, monitorMs: number): number {
  return r.stopStartMs + Math.max(r.readyMs, monitorMs);
}
