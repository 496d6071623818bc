// Terminal sessions (t1, t2, …): opens shells, batches their output, and applies flow control
// between the source socket and the renderer's acks. Output produced while nobody is
// subscribed is held; it counts as unacked, so the source pauses and the hold stays bounded.
import { EventEmitter } from 'node:events';
import type { Unsubscribe } from '../../shared/contract';
import type { TerminalEvent, TerminalOpenResult, TerminalSize, TerminalTarget } from '../../shared/terminal';
import { openContainerShell } from './containerShell';
import { DataBatcher, type DataBatcherOptions } from './dataBatcher';
import { FlowControl } from './flowControl';
import { HostKeyTrust } from './hostKeyTrust';
import { openHostShell } from './hostShell';
import { errorMessage, failure, type ShellOpened, type ShellSink, type ShellSource, type TerminalHost } from './shellSource';

export interface TerminalStats {
  sentChars: number;
  ackedChars: number;
  unacked: number;
  pauses: number;
  resumes: number;
}

export type TerminalServiceEvents = {
  /** A session opened; its 'data' events follow. */
  open: [sessionId: string, target: TerminalTarget];
  /** A batch went out; `offsetStart` is the session's sent-character count before it. */
  data: [sessionId: string, chunk: string, offsetStart: number];
  /** The renderer acked; `ackedChars` is the session's total so far. */
  ack: [sessionId: string, ackedChars: number, at: number];
  /** The session's shell ended by itself (not closed by us). */
  exit: [sessionId: string, code: number | null, message: string];
};

export interface TerminalServiceDeps {
  host(name: string): TerminalHost | undefined;
  log?: (message: string) => void;
  batcher?: DataBatcherOptions;
}

class Session implements ShellSink {
  readonly flow = new FlowControl();
  readonly batcher: DataBatcher;
  readonly subscribers = new Set<(event: TerminalEvent) => void>();
  /** Events waiting for a subscriber. */
  held: TerminalEvent[] = [];
  source: ShellSource | undefined;
  ended = false;
  closed = false;

  constructor(
    readonly id: string,
    private readonly service: TerminalService,
    batcherOptions: DataBatcherOptions | undefined,
  ) {
    this.batcher = new DataBatcher((data) => this.send(data), batcherOptions);
  }

  data(chunk: Buffer): void {
    if (!this.ended && !this.closed) this.batcher.write(chunk);
  }

  exit(code: number | null, message: string): void {
    if (this.ended || this.closed) return;
    this.batcher.end();
    this.ended = true;
    this.service.notify('exit', this.id, code, message);
    this.deliver({ t: 'exit', code, message });
  }

  private send(data: string): void {
    const offsetStart = this.flow.stats.sentChars;
    const signal = this.flow.sent(data.length);
    this.service.notify('data', this.id, data, offsetStart);
    this.deliver({ t: 'data', data });
    if (signal === 'pause') this.source?.pause();
  }

  deliver(event: TerminalEvent): void {
    if (this.subscribers.size === 0) {
      this.held.push(event);
      return;
    }
    for (const subscriber of [...this.subscribers]) this.service.call(subscriber, event);
  }
}

export class TerminalService extends EventEmitter<TerminalServiceEvents> {
  private readonly sessions = new Map<string, Session>();
  private readonly trust = new HostKeyTrust();
  private nextId = 1;
  private closed = false;
  private readonly log: (message: string) => void;

  constructor(private readonly deps: TerminalServiceDeps) {
    super();
    this.log = deps.log ?? (() => {});
  }

  async open(target: TerminalTarget, size: TerminalSize): Promise<TerminalOpenResult> {
    if (this.closed) return failure('error', 'terminals are shutting down');
    const host = this.deps.host(target.host);
    if (!host) return failure('error', `no host named "${target.host}" in the fleet`);
    const session = new Session(`t${this.nextId++}`, this, this.deps.batcher);
    let opened: ShellOpened;
    try {
      opened = target.kind === 'container' ? await openContainerShell(host, target, size, session) : await openHostShell(host, size, session, this.trust);
    } catch (err) {
      opened = failure('error', errorMessage(err));
    }
    if (!opened.ok) {
      session.batcher.dispose();
      return opened;
    }
    session.source = opened.source;
    if (this.closed) {
      this.dispose(session);
      return failure('error', 'terminals are shutting down');
    }
    this.sessions.set(session.id, session);
    this.log(`terminal ${session.id}: ${opened.title}: ${opened.command}`);
    // Sources start reading only once a listener is attached: no output precedes 'open'.
    this.notify('open', session.id, target);
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
    if (session && !session.ended) await session.source?.resize(size);
  }

  /** `chars` more characters written by the renderer's terminal. */
  ack(sessionId: string, chars: number): void {
    const session = this.sessions.get(sessionId);
    if (!session) return; // acks may trail a close
    const signal = session.flow.ack(chars);
    this.notify('ack', sessionId, session.flow.stats.ackedChars, Date.now());
    if (signal === 'resume' && !session.ended) session.source?.resume();
  }

  /** Output of the session, then one exit event; what came before the first subscriber is replayed. */
  subscribe(sessionId: string, onEvent: (event: TerminalEvent) => void): Unsubscribe {
    const session = this.sessions.get(sessionId);
    if (!session) {
      this.call(onEvent, { t: 'exit', code: null, message: `no terminal session ${sessionId}` });
      return () => {};
    }
    session.subscribers.add(onEvent);
    const held = session.held;
    session.held = [];
    for (const event of held) this.call(onEvent, event);
    return () => session.subscribers.delete(onEvent);
  }

  /** Ends one session (the user closed its tab). */
  closeSession(sessionId: string): void {
    const session = this.sessions.get(sessionId);
    if (session) this.dispose(session);
  }

  trustHostKey(host: string, fingerprint: string): Promise<{ ok: boolean; message: string }> {
    return this.trust.trust(host, fingerprint);
  }

  stats(sessionId: string): TerminalStats {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`no terminal session ${sessionId}`);
    return session.flow.stats;
  }

  get sessionIds(): string[] {
    return [...this.sessions.keys()];
  }

  /** Ends every session; later opens are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const session of [...this.sessions.values()]) this.dispose(session);
  }

  private dispose(session: Session): void {
    this.sessions.delete(session.id);
    if (session.closed) return;
    session.closed = true;
    session.batcher.dispose();
    session.held = [];
    session.subscribers.clear();
    try {
      session.source?.close();
    } catch (err) {
      this.log(`terminal ${session.id}: close failed: ${errorMessage(err)}`);
    }
  }

  /** @internal A subscriber that throws must not break the session or the others. */
  call(subscriber: (event: TerminalEvent) => void, event: TerminalEvent): void {
    try {
      subscriber(event);
    } catch (err) {
      this.log(`terminal subscriber threw: ${errorMessage(err)}`);
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
