// Start times (the uptime column) come from inspect, in the background after the lists: tests and
// benchmarks that need them wait here.
import type { Container } from '../../shared/model';
import type { Core } from '../../main/core/index';

/** Waits until every running container has its start time, or `timeoutMs` passes; returns the ones still without. */
export async function waitForStartTimes(core: Core, timeoutMs: number): Promise<Container[]> {
  const deadline = Date.now() + timeoutMs;
  const unknown = () => core.model.snapshot().containers.filter((c) => c.state === 'running' && c.startedAt === undefined);
  while (unknown().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  return unknown();
}
