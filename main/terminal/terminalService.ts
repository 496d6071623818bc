// Terminal sessions (t1, t2, …): opens shells and streams their output over the stream-session
// piece (main/streams), through each session's output path (sessionOutput.ts): a headless mirror
// of the screen, batching, and skip-ahead when the renderer falls behind (a snapshot of the
// mirror in place of the skipped output). Output produced while nobody is subscribed is held,
// up to SKIP_AHEAD.skipAbove; past that it is skipped and the next subscriber gets a snapshot.
import { EventEmitter } from 'node:events';
import type { Unsubscribe } from '../../shared/contract';
import type { TerminalEvent, TerminalOpenResult, TerminalSize, TerminalTarget } from '../../shared/terminal';
import { systemClock, type Clock, type Timer } from '../clock/clock';
import { HostKeyTrust } from '../ssh/hostKeyTrust';
import { openContainerShell } from './containerShell';
import type { DataBatcherOptions } from './dataBatcher';
import { ArrayHold, StreamSession } from '../streams/streamSession';
import { SessionOutput, type OutputHost } from './sessionOutput';
import { SKIP_AHEAD } from './skipAhead';
import { openHostShell } from './hostShell';
import { errorMessage, failure, type ShellSink, type ShellSource, type TerminalHost } from './shellSource';

/** A shell that has not opened by then will not: a hung daemon, or no free SSH channel on the host. */
const OPEN_TIMEOUT_MS = 20_000;
/** Closing at shutdown must not hang on an unreachable host. */
const CLOSE_WAIT_MS = 3_000;
/**
 * A session nobody watches (its page closed or crashed) is ended after this long. Long enough
 * that a bridge reconnecting, or a reload, finds its shells still there.
 */
const ORPHAN_TIMEOUT_MS = 5 * 60_000;

export interface TerminalStats {
  /** Characters sent to the renderer (data and snapshots), as acks count them. */
  sentChars: number;
  ackedChars: number;
  unacked: number;
  /** Times the source paused (main's parser behind) and resumed. */
  pauses: number;
  resumes: number;
  /** Times raw output started to be skipped, and the characters skipped in all. */
  skips: number;
  skippedChars: number;
  /** Bytes main's mirror has not parsed yet. */
  parserPending: number;
  parserElided: number;
}

export type TerminalServiceEvents = {
  /** A session opened; its 'data' events follow. */
  open: [sessionId: string, target: TerminalTarget];
  /** A batch went out; `offsetStart` is the session's sent-character count before it. */
  data: [sessionId: string, chunk: string, offsetStart: number];
  /**
   * A snapshot went out in place of `skipped` characters of raw output; `offsetStart` is the
   * session's sent-character count before it, `length` its data's (what its ack counts).
   */
  snapshot: [sessionId: string, data: string, offsetStart: number, length: number, skipped: number];
  /** The renderer acked; `ackedChars` is the session's total so far. */
  ack: [sessionId: string, ackedChars: number, at: number];
  /** The session's shell ended by itself (not closed by us). */
  exit: [sessionId: string, code: number | null, message: string];
};

export interface TerminalServiceDeps {
  host(name: string): TerminalHost | undefined;
  log?: (message: string) => void;
  batcher?: DataBatcherOptions;
  /** Default ORPHAN_TIMEOUT_MS. */
  orphanTimeoutMs?: number;
  /** Runs the open, close and orphan deadlines (default: the system clock). */
  clock?: Clock;
  /** Host-key trust for host shells (default: one writing known_hosts through the node files). */
  trust?: HostKeyTrust;
}

class Session implements ShellSink, OutputHost {
  readonly stream: StreamSession<TerminalEvent>;
  readonly hold = new ArrayHold<TerminalEvent>(charsOf);
  readonly output: SessionOutput;
  source: ShellSource | undefined;
  ended = false;
  closed = false;
  /** Given once the shell has opened, so failed opens use up no ids. */
  id = '';

  constructor(
    private readonly service: TerminalService,
    size: TerminalSize,
    private readonly options: { batcher: DataBatcherOptions; clock: Clock; orphanTimeoutMs: number; log: (message: string) => void },
  ) {
    this.stream = new StreamSession<TerminalEvent>({
      chars: charsOf,
      hold: this.hold,
      // The renderer no longer pauses the source: past SKIP_AHEAD.skipAbove its output is skipped.
      pause: () => {},
      resume: () => {},
      clock: options.clock,
      orphanTimeoutMs: options.orphanTimeoutMs,
      onOrphan: () => {
        options.log(`terminal ${this.id}: nobody has watched it for ${options.orphanTimeoutMs / 1000} s; closing it`);
        void service.closeSession(this.id);
      },
      log: (message) => options.log(`terminal ${message}`),
    });
    this.output = new SessionOutput(this, size, options.batcher);
  }

  data(chunk: Buffer): void {
    if (!this.ended && !this.closed) this.output.data(chunk);
  }

  exit(code: number | null, message: string): void {
    if (this.ended || this.closed) return;
    this.ended = true;
    this.stream.stop();
    this.output.end(() => {
      this.service.notify('exit', this.id, code, message);
      this.stream.send({ t: 'exit', code, message });
    });
  }

  pauseSource(): void {
    this.source?.pause();
  }

  resumeSource(): void {
    this.source?.resume();
  }

  sentData(data: string, offsetStart: number): void {
    this.service.notify('data', this.id, data, offsetStart);
  }

  sentSnapshot(data: string, offsetStart: number, skipped: number): void {
    this.service.notify('snapshot', this.id, data, offsetStart, data.length, skipped);
  }

  log(message: string): void {
    this.options.log(`terminal ${this.id}: ${message}`);
  }
}

function charsOf(event: TerminalEvent): number {
  return event.t === 'exit' ? 0 : event.data.length;
}

export class TerminalService extends EventEmitter<TerminalServiceEvents> {
  private readonly sessions = new Map<string, Session>();
  private readonly trust: HostKeyTrust;
  private nextId = 1;
  private closed = false;
  private readonly log: (message: string) => void;
  private readonly clock: Clock;
  private readonly orphanTimeoutMs: number;

  constructor(private readonly deps: TerminalServiceDeps) {
    super();
    this.log = deps.log ?? (() => {});
    this.clock = deps.clock ?? systemClock;
    this.trust = deps.trust ?? new HostKeyTrust();
    this.orphanTimeoutMs = deps.orphanTimeoutMs ?? ORPHAN_TIMEOUT_MS;
  }

  async open(target: TerminalTarget, size: TerminalSize): Promise<TerminalOpenResult> {
    if (this.closed) return failure('error', 'terminals are shutting down');
    const host = this.deps.host(target.host);
    if (!host) return failure('error', `no host named "${target.host}" in the fleet`);
    const session = new Session(this, size, { batcher: { clock: this.clock, ...this.deps.batcher }, clock: this.clock, orphanTimeoutMs: this.orphanTimeoutMs, log: this.log });
    const opening = (target.kind === 'container' ? openContainerShell(host, target, size, session) : openHostShell(host, size, session, this.trust)).catch(
      (err: unknown) => failure('error', errorMessage(err)),
    );
    let timer: Timer | undefined;
    const late = new Promise<undefined>((resolve) => (timer = this.clock.setTimeout(() => resolve(undefined), OPEN_TIMEOUT_MS)));
    const opened = await Promise.race([opening, late]);
    this.clock.clearTimeout(timer);
    if (!opened) {
      // Whatever opens after we gave up is closed at once.
      session.closed = true;
      session.output.dispose();
      void opening.then(async (result) => {
        if (result.ok) await result.source.close();
      });
      return failure('error', `opening a shell on ${target.host} took longer than ${OPEN_TIMEOUT_MS / 1000} s (unreachable, or every SSH channel to it in use)`);
    }
    if (!opened.ok) {
      session.output.dispose();
      return opened;
    }
    session.source = opened.source;
    if (this.closed) {
      await this.dispose(session);
      return failure('error', 'terminals are shutting down');
    }
    session.id = `t${this.nextId++}`;
    this.sessions.set(session.id, session);
    this.log(`terminal ${session.id}: ${opened.title}: ${opened.command}`);
    // Sources start reading only once a listener is attached: no output precedes 'open'.
    this.notify('open', session.id, target);
    session.stream.watchOrphan();
    await opened.source.resize(size);
    return { ok: true, sessionId: session.id, title: opened.title, command: opened.command };
  }

  input(sessionId: string, data: string): void {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`no terminal session ${sessionId}`);
    if (!session.ended) session.source?.write(data);
  }

  async resize(sessionId: string, size: TerminalSize): Promise<void> {
    const session = this.sessions.get(sessionId);
    if (!session) return;
    session.output.mirror.resize(size);
    if (!session.ended) await session.source?.resize(size);
  }

  /** `chars` more characters written by the renderer's terminal. */
  ack(sessionId: string, chars: number): void {
    const session = this.sessions.get(sessionId);
    if (!session) return; // acks may trail a close
    session.stream.ack(chars);
    this.notify('ack', sessionId, session.stream.flow.stats.ackedChars, this.clock.now());
    session.output.progress();
  }

  /** The session's screen as main's mirror holds it, once it has parsed everything read so far. */
  screen(sessionId: string): Promise<{ data: string; cols: number; rows: number }> {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`no terminal session ${sessionId}`);
    return session.output.mirror.screen(SKIP_AHEAD.snapshotScrollback);
  }

  /** Output of the session, then one exit event; what came before the first subscriber is replayed. */
  subscribe(sessionId: string, onEvent: (event: TerminalEvent) => void): Unsubscribe {
    const session = this.sessions.get(sessionId);
    if (!session) {
      try {
        onEvent({ t: 'exit', code: null, message: `no terminal session ${sessionId}` });
      } catch (err) {
        this.log(`terminal subscriber threw: ${errorMessage(err)}`);
      }
      return () => {};
    }
    const unsubscribe = session.stream.subscribe(onEvent);
    session.output.progress(true); // a session skipping output gives its new subscriber a snapshot
    return unsubscribe;
  }

  /** Ends one session (the user closed its tab), and the processes it started. */
  async closeSession(sessionId: string): Promise<void> {
    const session = this.sessions.get(sessionId);
    if (session) await this.dispose(session);
  }

  trustHostKey(host: string, fingerprint: string): Promise<{ ok: boolean; message: string }> {
    return this.trust.trust(host, fingerprint);
  }

  stats(sessionId: string): TerminalStats {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`no terminal session ${sessionId}`);
    const { sentChars, ackedChars, unacked } = session.stream.flow.stats;
    return { sentChars, ackedChars, unacked, ...session.output.stats };
  }

  get sessionIds(): string[] {
    return [...this.sessions.keys()];
  }

  /** Ends every session; later opens are refused. Waits at most CLOSE_WAIT_MS for hosts to confirm. */
  async close(): Promise<void> {
    this.closed = true;
    const closing = Promise.allSettled([...this.sessions.values()].map((session) => this.dispose(session)));
    let timer: Timer | undefined;
    await Promise.race([closing, new Promise<void>((resolve) => (timer = this.clock.setTimeout(() => resolve(), CLOSE_WAIT_MS)))]);
    this.clock.clearTimeout(timer);
  }

  private async dispose(session: Session): Promise<void> {
    this.sessions.delete(session.id);
    session.stream.dispose();
    if (session.closed) return;
    session.closed = true;
    session.output.dispose();
    try {
      await session.source?.close();
    } catch (err) {
      this.log(`terminal ${session.id}: close failed: ${errorMessage(err)}`);
    }
  }

  /** @internal */
  notify<E extends keyof TerminalServiceEvents>(event: E, ...args: TerminalServiceEvents[E]): void {
    try {
      (this.emit as (event: E, ...args: TerminalServiceEvents[E]) => boolean)(event, ...args);
    } catch (err) {
      this.log(`terminal '${event}' listener threw: ${errorMessage(err)}`);
    }
  }
}
