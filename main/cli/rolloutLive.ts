// The CLI's live lines on a TTY: one line per container of a running rollout (host/name, its step,
// the time in that step, its error), redrawn in place with ANSI cursor moves on each step and each
// tick. LiveLines renders (pure: times come from the caller); followLive drives it from the rollout
// service's events on a Clock, so a test runs both without waiting.
import type { Clock, Timer } from '../clock/clock';
import type { ContainerStep } from '../rollout/types';

/** The time in step is shown to the second: redrawn once a second between steps. */
export const LIVE_TICK_MS = 1_000;

interface Row {
  key: string;
  step: ContainerStep;
  /** When it entered this step (ms). */
  since: number;
  error?: string;
}

/** ESC [ n A: cursor up n lines; ESC [ 2 K: erase the whole line (ECMA-48, as every terminal reads it). */
const up = (n: number): string => `\x1b[${n}A`;
const ERASE_LINE = '\r\x1b[2K';

/** 59 s, 4m05s, 1h02m: short enough for a column, exact to the second. */
export function elapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export class LiveLines {
  private readonly rows = new Map<string, Row>();
  /** Lines on screen from the last frame: the next one moves up over them. */
  private drawn = 0;

  /** The containers of the plan in order, each with its step so far (queued unless resumed). */
  seed(containers: readonly { host: string; name: string; step?: ContainerStep }[], now: number): void {
    for (const c of containers) {
      const key = `${c.host}/${c.name}`;
      if (!this.rows.has(key)) this.rows.set(key, { key, step: c.step ?? 'queued', since: now });
    }
  }

  /** A container's new step; an error stays shown until the container moves on. */
  step(event: { host: string; name: string; step: ContainerStep; detail?: Record<string, unknown> }, now: number): void {
    const key = `${event.host}/${event.name}`;
    const error = event.detail?.error;
    this.rows.set(key, { key, step: event.step, since: now, ...(typeof error === 'string' ? { error } : {}) });
  }

  /** One line per container: HOST/NAME, step and time in step in columns, the error last; cut to `columns` so a line never wraps. */
  lines(now: number, columns = Infinity): string[] {
    const rows = [...this.rows.values()];
    const keyWidth = Math.max(0, ...rows.map((r) => r.key.length));
    const stepWidth = Math.max(0, ...rows.map((r) => r.step.length));
    return rows.map((r) => {
      const time = r.step === 'queued' || r.step === 'done' || r.step === 'rolled-back' ? '' : elapsed(now - r.since);
      const line = `${r.key.padEnd(keyWidth)}  ${r.step.padEnd(stepWidth)}  ${time.padStart(6)}${r.error ? `  ${r.error}` : ''}`.trimEnd();
      return columns > 1 && line.length > columns - 1 ? line.slice(0, columns - 1) : line;
    });
  }

  /** What to write to redraw the lines in place: up over the last frame, then each line erased and written anew. */
  frame(now: number, columns?: number): string {
    const lines = this.lines(now, columns);
    const out = `${this.drawn > 0 ? up(this.drawn) : ''}${lines.map((l) => `${ERASE_LINE}${l}\n`).join('')}`;
    this.drawn = lines.length;
    return out;
  }
}

/** The events followLive needs (RolloutService's onLaunch and onStep); each returns its unsubscribe. */
export interface LiveSource {
  onLaunch(listener: (event: { plan: { targets: readonly { host: string; name: string }[] }; steps: Readonly<Record<string, ContainerStep>> }) => void): () => void;
  onStep(listener: (event: { host: string; name: string; step: ContainerStep; detail?: Record<string, unknown> }) => void): () => void;
}

/** Draws the live lines of every rollout `source` launches until the returned stop, which draws the last frame. */
export function followLive(source: LiveSource, out: { write(text: string): unknown; columns?: number }, clock: Pick<Clock, 'now' | 'setInterval' | 'clearInterval'>): () => void {
  const live = new LiveLines();
  let tick: Timer | undefined;
  const draw = (): void => void out.write(live.frame(clock.now(), out.columns));
  const offLaunch = source.onLaunch(({ plan, steps }) => {
    live.seed(plan.targets.map((t) => ({ host: t.host, name: t.name, step: steps[`${t.host}/${t.name}`] ?? 'queued' })), clock.now());
    draw();
    tick ??= clock.setInterval(draw, LIVE_TICK_MS).unref();
  });
  const offStep = source.onStep((event) => {
    live.step(event, clock.now());
    draw();
  });
  return () => {
    offLaunch();
    offStep();
    if (tick) {
      clock.clearInterval(tick);
      draw();
    }
  };
}
