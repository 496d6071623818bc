// Unit tests of the CLI's live lines (rolloutLive.ts): the lines per container, and the frames that
// redraw them in place.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fakeClock';
import { elapsed, followLive, LIVE_TICK_MS, LiveLines, type LiveSource } from './rolloutLive';

const ESC = '\x1b';

describe('elapsed', () => {
  it('reads as seconds, then minutes and seconds, then hours and minutes', () => {
    expect([0, 999, 59_999, 60_000, 245_000, 3_600_000, 3_725_000, -5].map(elapsed)).toEqual(['0s', '0s', '59s', '1m00s', '4m05s', '1h00m', '1h02m', '0s']);
  });
});

describe('LiveLines', () => {
  it('one line per container in plan order: its step, its time in the step, its error', () => {
    const live = new LiveLines();
    live.seed([{ host: 'h1', name: 'api-1' }, { host: 'h2', name: 'api-10' }, { host: 'h3', name: 'api-2', step: 'done' }], 0);
    live.step({ host: 'h1', name: 'api-1', step: 'stopping' }, 1_000);
    live.step({ host: 'h2', name: 'api-10', step: 'failed', detail: { error: 'api-10 on h2 is unhealthy' } }, 2_000);
    expect(live.lines(66_000)).toEqual(['h1/api-1   stopping   1m05s', 'h2/api-10  failed     1m04s  api-10 on h2 is unhealthy', 'h3/api-2   done']);
    live.step({ host: 'h2', name: 'api-10', step: 'rolled-back' }, 70_000);
    expect(live.lines(70_000)[1]).toBe('h2/api-10  rolled-back');
  });

  it('a container first heard of by its step joins at the end; a seed does not reset one already known', () => {
    const live = new LiveLines();
    live.step({ host: 'h1', name: 'a', step: 'pulling' }, 0);
    live.seed([{ host: 'h1', name: 'a' }, { host: 'h1', name: 'b' }], 5_000);
    expect(live.lines(9_000)).toEqual(['h1/a  pulling      9s', 'h1/b  queued']);
  });

  it('cuts each line to the terminal width so that none wraps (the cursor moves count lines)', () => {
    const live = new LiveLines();
    live.step({ host: 'h1', name: 'a', step: 'failed', detail: { error: 'x'.repeat(200) } }, 0);
    expect(live.lines(0, 40)[0]).toHaveLength(39);
  });

  it('the first frame writes the lines; each later one moves up over them, erasing each line before writing it', () => {
    const live = new LiveLines();
    live.seed([{ host: 'h1', name: 'a' }, { host: 'h1', name: 'b' }], 0);
    expect(live.frame(0)).toBe(`\r${ESC}[2Kh1/a  queued\n\r${ESC}[2Kh1/b  queued\n`);
    live.step({ host: 'h1', name: 'a', step: 'starting' }, 0);
    expect(live.frame(3_000)).toBe(`${ESC}[2A\r${ESC}[2Kh1/a  starting      3s\n\r${ESC}[2Kh1/b  queued\n`);
    live.step({ host: 'h2', name: 'c', step: 'pulling' }, 3_000);
    expect(live.frame(3_000)).toMatch(new RegExp(`^${ESC}\\[2A(\r${ESC}\\[2K[^\n]*\n){3}$`));
    expect(live.frame(3_000).startsWith(`${ESC}[3A`)).toBe(true);
  });
});

describe('followLive', () => {
  /** A rollout service's launch and step events, fired by hand. */
  function source() {
    const launches: Parameters<LiveSource['onLaunch']>[0][] = [];
    const steps: Parameters<LiveSource['onStep']>[0][] = [];
    const src: LiveSource = {
      onLaunch: (l) => (launches.push(l), () => launches.splice(launches.indexOf(l), 1)),
      onStep: (l) => (steps.push(l), () => steps.splice(steps.indexOf(l), 1)),
    };
    return { src, launches, steps };
  }

  it('draws the plan at launch (a resumed one with its steps so far), redraws on each step and each tick, and stops with a last frame', async () => {
    const clock = new FakeClock(0);
    const { src, launches, steps } = source();
    const written: string[] = [];
    const stop = followLive(src, { write: (t) => written.push(t), columns: 80 }, clock);
    expect(written).toEqual([]);
    launches[0]!({ plan: { targets: [{ host: 'h1', name: 'a' }, { host: 'h2', name: 'b' }] }, steps: { 'h1/a': 'done' } });
    expect(written.at(-1)).toBe(`\r${ESC}[2Kh1/a  done\n\r${ESC}[2Kh2/b  queued\n`);
    steps[0]!({ host: 'h2', name: 'b', step: 'stopping' });
    expect(written.at(-1)).toContain('h2/b  stopping      0s');
    await clock.advance(2 * LIVE_TICK_MS);
    expect(written).toHaveLength(4);
    expect(written.at(-1)).toContain('h2/b  stopping      2s');
    stop();
    expect(written).toHaveLength(5);
    expect(launches).toEqual([]);
    expect(steps).toEqual([]);
    expect(clock.pending).toEqual([]);
  });

  it('writes nothing when no rollout launched (a bad request: the error alone)', () => {
    const clock = new FakeClock(0);
    const written: string[] = [];
    followLive(source().src, { write: (t) => written.push(t) }, clock)();
    expect(written).toEqual([]);
  });
});
