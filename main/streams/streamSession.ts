// One stream session, the part terminals and log views share: its subscribers, the events held
// while nobody subscribes, the watermark flow control between what was sent and what the
// renderer acked (pausing and resuming the source), and the orphan timeout. What a session
// streams, and how its source pauses, is the owner's.
import type { Unsubscribe } from '../../shared/contract';
import type { OnEnd } from '../../shared/slice';
import type { Clock, Timer } from '../clock/clock';
import { FlowControl, type Watermarks } from './flowControl';

/** Where a session keeps events nobody has received yet. */
export interface Hold<E> {
  push(event: E): void;
  /** Everything held, in order; the hold is empty afterwards. */
  drain(): E[];
  /** Acked-characters held (they are owed by the next subscriber). */
  readonly chars: number;
  /** A bounded hold that is full pauses the source until a subscriber drains it. */
  readonly full: boolean;
}

/** The default hold: every event, unbounded (flow control bounds it: held events count as unacked). */
export class ArrayHold<E> implements Hold<E> {
  private events: E[] = [];
  private heldChars = 0;
  readonly full = false;

  constructor(private readonly charsOf: (event: E) => number) {}

  push(event: E): void {
    this.events.push(event);
    this.heldChars += this.charsOf(event);
  }

  drain(): E[] {
    const events = this.events;
    this.events = [];
    this.heldChars = 0;
    return events;
  }

  get chars(): number {
    return this.heldChars;
  }
}

export interface StreamSessionOptions<E> {
  /** Characters of the event the renderer will ack (0 for control events). */
  chars(event: E): number;
  /** Stops and restarts reading the source (TCP / SSH window backpressure). */
  pause(): void;
  resume(): void;
  watermarks?: Watermarks;
  /** Default: an ArrayHold. */
  hold?: Hold<E>;
  clock: Clock;
  orphanTimeoutMs: number;
  /** Nobody subscribed for orphanTimeoutMs: the owner ends the session. */
  onOrphan(): void;
  /** A subscriber threw. */
  log(message: string): void;
}

interface Subscriber<E> {
  onEvent(event: E): void;
  onEnd: OnEnd | undefined;
}

export class StreamSession<E> {
  readonly flow: FlowControl;
  private readonly hold: Hold<E>;
  private readonly subscribers = new Set<Subscriber<E>>();
  private orphanTimer: Timer | undefined;
  private sourcePaused = false;
  /** The source has ended: it is neither paused nor resumed any more. */
  private stopped = false;
  private disposed = false;

  constructor(private readonly options: StreamSessionOptions<E>) {
    this.flow = options.watermarks ? new FlowControl(options.watermarks.high, options.watermarks.low) : new FlowControl();
    this.hold = options.hold ?? new ArrayHold(options.chars);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  get paused(): boolean {
    return this.sourcePaused;
  }

  /** Hands the event to every subscriber, or holds it; its characters count as unacked until acked. */
  send(event: E): void {
    if (this.disposed) return;
    this.flow.sent(this.options.chars(event));
    this.deliver(event);
    this.applyPause();
  }

  /** `chars` more taken by the renderer. */
  ack(chars: number): void {
    this.flow.ack(chars);
    this.applyPause();
  }

  /** Characters that will never be acked (held events a bounded hold dropped). */
  forgive(chars: number): void {
    if (chars > 0) this.ack(chars);
  }

  /** The source has ended: no more pausing or resuming it. */
  stop(): void {
    this.stopped = true;
  }

  /** The held events first, then the rest; `onEnd` when the session is disposed. */
  subscribe(onEvent: (event: E) => void, onEnd?: OnEnd): Unsubscribe {
    if (this.disposed) {
      onEnd?.();
      return () => {};
    }
    if (this.subscribers.size === 0) this.forgetDeparted();
    this.options.clock.clearTimeout(this.orphanTimer);
    const subscriber: Subscriber<E> = { onEvent, onEnd };
    this.subscribers.add(subscriber);
    for (const event of this.hold.drain()) this.call(subscriber, event);
    this.applyPause();
    return () => {
      if (!this.subscribers.delete(subscriber)) return;
      if (this.subscribers.size === 0 && !this.disposed) this.watchOrphan();
    };
  }

  /** (Re)starts the orphan timeout; the owner calls it once the session is taken. */
  watchOrphan(): void {
    this.options.clock.clearTimeout(this.orphanTimer);
    this.orphanTimer = this.options.clock
      .setTimeout(() => {
        if (this.subscribers.size === 0 && !this.disposed) this.options.onOrphan();
      }, this.options.orphanTimeoutMs)
      .unref();
  }

  /** Drops what is held and every subscriber (each told through its onEnd); nothing is sent afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stopped = true;
    this.options.clock.clearTimeout(this.orphanTimer);
    this.hold.drain();
    const subscribers = [...this.subscribers];
    this.subscribers.clear();
    for (const subscriber of subscribers) this.guard(() => subscriber.onEnd?.());
  }

  /**
   * Output delivered to subscribers that have all gone (a bridge reconnecting) will never be
   * acked; counted as unacked it would keep the source paused for good. Only held output, which
   * the next subscriber receives, stays owed.
   */
  private forgetDeparted(): void {
    const lost = this.flow.unacked - this.hold.chars;
    if (lost > 0) this.ack(lost);
  }

  private deliver(event: E): void {
    if (this.subscribers.size === 0) {
      this.hold.push(event);
      return;
    }
    for (const subscriber of [...this.subscribers]) this.call(subscriber, event);
  }

  private applyPause(): void {
    if (this.stopped) return;
    const wanted = this.flow.paused || this.hold.full;
    if (wanted === this.sourcePaused) return;
    this.sourcePaused = wanted;
    if (wanted) this.options.pause();
    else this.options.resume();
  }

  /** A subscriber that throws must not break the session or the others. */
  private call(subscriber: Subscriber<E>, event: E): void {
    this.guard(() => subscriber.onEvent(event));
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.options.log(`subscriber threw: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
