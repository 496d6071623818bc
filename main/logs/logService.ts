// The log views (l1, l2, …): resolves each source (name, service, TTY) by inspect, starts its
// follower, and closes views nobody has watched for a while. Implements LogViews (bind.ts).
import type Dockerode from 'dockerode';
import { LOG_LIMITS, LogOpenRequest, type LogEvent, type LogOpenResult, type LogSourceRef, type LogViewSource } from '../../shared/logs';
import type { OnEnd, Unsubscribe } from '../../shared/slice';
import { systemClock, type Clock, type Timer } from '../clock/clock';
import { dockerMessage, dockerStatus } from '../engine/dockerErrors';
import type { LogViews } from './bind';
import { LogSource, type LogHost } from './logSource';
import { LogView, type LogViewStats } from './logView';
import type { RingLimits } from './logRing';

/** An inspect that has not answered by then will not (a hung daemon); the source fails instead. */
const INSPECT_TIMEOUT_MS = 10_000;
/**
 * A view nobody watches (its page closed or crashed) is closed after this long: long enough for
 * a reload or a bridge reconnecting, short enough that forgotten followers do not pile up on the
 * daemons (each holds a stream socket).
 */
const ORPHAN_TIMEOUT_MS = 2 * 60_000;

export interface LogServiceDeps {
  host(name: string): LogHost | undefined;
  /** The fleet's service label (fleet file services.label). */
  serviceLabel: string;
  log?: (message: string) => void;
  clock?: Clock;
  orphanTimeoutMs?: number;
  limits?: RingLimits;
}

type Resolved = { ok: true; source: LogViewSource; tty: boolean; down: boolean } | { ok: false; message: string };

export class LogService implements LogViews {
  private readonly views = new Map<string, LogView>();
  private nextId = 1;
  private closed = false;
  private readonly clock: Clock;
  private readonly log: (message: string) => void;

  constructor(private readonly deps: LogServiceDeps) {
    this.clock = deps.clock ?? systemClock;
    this.log = deps.log ?? (() => {});
  }

  async open(input: LogOpenRequest): Promise<LogOpenResult> {
    if (this.closed) return { ok: false, message: 'logs are shutting down' };
    const parsed = LogOpenRequest.safeParse(input);
    if (!parsed.success) return { ok: false, message: parsed.error.issues.map((i) => i.message).join('; ') };
    const request = parsed.data;
    const resolved = await Promise.all(request.sources.map((ref) => this.resolve(ref)));
    const failed = resolved.find((r) => !r.ok);
    if (failed && !failed.ok) return { ok: false, message: failed.message };
    if (this.closed) return { ok: false, message: 'logs are shutting down' };
    const ok = resolved as Extract<Resolved, { ok: true }>[];
    const id = `l${this.nextId++}`;
    const view = new LogView(
      id,
      ok.map((r) => r.source),
      {
        clock: this.clock,
        orphanTimeoutMs: this.deps.orphanTimeoutMs ?? ORPHAN_TIMEOUT_MS,
        onOrphan: () => {
          this.log(`log view ${id}: nobody has watched it for a while; closing it`);
          void this.close(id);
        },
        log: this.log,
        ...(this.deps.limits ? { limits: this.deps.limits } : {}),
      },
    );
    this.views.set(id, view);
    view.readers = ok.map(
      (r, src) =>
        new LogSource(this.deps.host(r.source.host)!, r.source.id, { src, tty: r.tty, tail: request.tail ?? LOG_LIMITS.defaultTail, sinceSeconds: request.sinceSeconds, follow: request.follow ?? true, clock: this.clock }, {
          line: (line) => view.line(line),
          state: (state, message) => view.state({ t: 'source', src, state, ...(message !== undefined ? { message } : {}) }),
        }),
    );
    view.session.watchOrphan();
    for (const reader of view.readers) reader.start();
    this.log(`log view ${id}: ${view.sources.map((s) => s.tag).join(', ')}`);
    return { ok: true, viewId: id, sources: view.sources };
  }

  ack(viewId: string, chars: number): void {
    this.views.get(viewId)?.session.ack(chars); // acks may trail a close
  }

  subscribe(viewId: string, onEvent: (event: LogEvent) => void, onEnd?: OnEnd): Unsubscribe {
    const view = this.views.get(viewId);
    if (!view) {
      onEnd?.();
      return () => {};
    }
    return view.session.subscribe(onEvent, onEnd);
  }

  async close(viewId: string): Promise<void> {
    const view = this.views.get(viewId);
    if (!view) return;
    this.views.delete(viewId);
    view.close();
  }

  stats(viewId: string): LogViewStats {
    const view = this.views.get(viewId);
    if (!view) throw new Error(`no log view ${viewId}`);
    return view.stats();
  }

  get viewIds(): string[] {
    return [...this.views.keys()];
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    for (const id of [...this.views.keys()]) await this.close(id);
  }

  private async resolve(ref: LogSourceRef): Promise<Resolved> {
    const host = this.deps.host(ref.host);
    if (!host) return { ok: false, message: `no host named "${ref.host}" in the fleet` };
    const short = ref.id.slice(0, 12);
    const fallback = (): Resolved => ({ ok: true, source: { host: ref.host, id: ref.id, name: short, tag: `${short}·${ref.host}`, tty: false }, tty: false, down: true });
    // A host that is down fails its source at once (LogSource.start says why); nothing waits on it.
    if (host.status.state !== 'online') return fallback();
    let info: Dockerode.ContainerInspectInfo | undefined;
    let timer: Timer | undefined;
    try {
      info = await Promise.race([
        host.docker.getContainer(ref.id).inspect(),
        new Promise<undefined>((resolve) => (timer = this.clock.setTimeout(() => resolve(undefined), INSPECT_TIMEOUT_MS))),
      ]);
    } catch (err) {
      if (dockerStatus(err) === 404) return { ok: false, message: `no container ${short} on ${ref.host}` };
      this.log(`log source ${short} on ${ref.host}: inspect failed: ${dockerMessage(err)}`);
      return fallback();
    } finally {
      this.clock.clearTimeout(timer);
    }
    if (!info) return fallback();
    const name = info.Name.replace(/^\//, '');
    const service = info.Config.Labels?.[this.deps.serviceLabel];
    const tty = info.Config.Tty === true;
    return { ok: true, source: { host: ref.host, id: info.Id, name, ...(service ? { service } : {}), tag: `${name}·${ref.host}`, tty }, tty, down: false };
  }
}
