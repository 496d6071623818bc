import { describe, expect, it } from 'vitest';
import { FLOW_CONTROL } from '../../../shared/terminal';
import { AckBatcher, type Timers } from './ackBatcher';

function fakeTimers() {
  let seq = 0;
  const due = new Map<number, () => void>();
  const timers: Timers = {
    set: (fn) => { due.set(++seq, fn); return seq; },
    clear: (h) => { due.delete(h as number); },
  };
  const runAll = () => { const fns = [...due.values()]; due.clear(); fns.forEach((f) => f()); };
  return { timers, runAll, pending: () => due.size };
}

describe('AckBatcher', () => {
  it('acks at least every ackEvery characters, in one call per threshold crossing', () => {
    const sent: number[] = [];
    const t = fakeTimers();
    const b = new AckBatcher((n) => sent.push(n), 5_000, 10, t.timers);
    b.written(3_000);
    expect(sent).toEqual([]);
    b.written(2_500);
    expect(sent).toEqual([5_500]);
    expect(t.pending()).toBe(0); // the flush cancelled the tail timer
    b.written(20_000);
    expect(sent).toEqual([5_500, 20_000]);
  });

  it('flushes a small tail on the timer, so main never waits on it', () => {
    const sent: number[] = [];
    const t = fakeTimers();
    const b = new AckBatcher((n) => sent.push(n), 5_000, 10, t.timers);
    b.written(12);
    b.written(30);
    expect(t.pending()).toBe(1); // one timer for the whole tail
    t.runAll();
    expect(sent).toEqual([42]);
    expect(b.unacked).toBe(0);
  });

  it('never lets unacked output reach the high watermark while writes keep completing', () => {
    const sent: number[] = [];
    const b = new AckBatcher((n) => sent.push(n), FLOW_CONTROL.ackEvery, 10, fakeTimers().timers);
    let maxUnacked = 0;
    for (let i = 0; i < 1_000; i++) {
      b.written(1 + ((i * 7919) % 4_096));
      maxUnacked = Math.max(maxUnacked, b.unacked);
    }
    expect(maxUnacked).toBeLessThan(FLOW_CONTROL.ackEvery);
    expect(FLOW_CONTROL.ackEvery).toBeLessThan(FLOW_CONTROL.highWatermark);
  });

  it('ignores empty writes and stops after dispose', () => {
    const sent: number[] = [];
    const t = fakeTimers();
    const b = new AckBatcher((n) => sent.push(n), 100, 10, t.timers);
    b.written(0);
    expect(t.pending()).toBe(0);
    b.written(50);
    b.dispose();
    t.runAll();
    b.written(500);
    b.flush();
    expect(sent).toEqual([]);
  });
});
