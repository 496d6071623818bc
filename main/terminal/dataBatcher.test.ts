import { describe, expect, it } from 'vitest';
import { DataBatcher, type BatchTimer } from './dataBatcher';

/** A hand-cranked timer: `fire()` runs what is due. */
function manualTimer() {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  let next = 1;
  const timer: BatchTimer = {
    set: (fn, ms) => {
      pending.set(next, { fn, ms });
      return next++;
    },
    clear: (handle) => pending.delete(handle as number),
  };
  return {
    timer,
    pending,
    fire() {
      const due = [...pending.values()];
      pending.clear();
      for (const { fn } of due) fn();
    },
  };
}

function setup(maxChars = 64 * 1024) {
  const clock = manualTimer();
  const out: string[] = [];
  const batcher = new DataBatcher((data) => out.push(data), { timer: clock.timer, flushMs: 8, maxChars });
  return { clock, out, batcher };
}

describe('DataBatcher', () => {
  it('gathers writes into one flush after the timer', () => {
    const { clock, out, batcher } = setup();
    batcher.write(Buffer.from('ab'));
    batcher.write(Buffer.from('cd'));
    expect(out).toEqual([]);
    expect([...clock.pending.values()].map((p) => p.ms)).toEqual([8]); // one timer for the whole batch
    clock.fire();
    expect(out).toEqual(['abcd']);
  });

  it('flushes at once when a batch is full, and cancels its timer', () => {
    const { clock, out, batcher } = setup(10);
    batcher.write(Buffer.from('12345'));
    batcher.write(Buffer.from('67890x'));
    expect(out).toEqual(['1234567890x']);
    expect(clock.pending.size).toBe(0);
    batcher.write(Buffer.from('y'));
    clock.fire();
    expect(out).toEqual(['1234567890x', 'y']);
  });

  it('keeps multi-byte characters whole across chunk boundaries', () => {
    const { clock, out, batcher } = setup();
    const bytes = Buffer.from('é€😀', 'utf8'); // 2 + 3 + 4 bytes
    for (const byte of bytes) batcher.write(Buffer.from([byte]));
    clock.fire();
    expect(out).toEqual(['é€😀']);
  });

  it('does not flush half a character: the rest waits for the next chunk', () => {
    const { clock, out, batcher } = setup();
    const euro = Buffer.from('€', 'utf8');
    batcher.write(Buffer.concat([Buffer.from('a'), euro.subarray(0, 1)]));
    clock.fire();
    batcher.write(euro.subarray(1));
    clock.fire();
    expect(out).toEqual(['a', '€']);
  });

  it('on end flushes the rest, an incomplete character as U+FFFD', () => {
    const { clock, out, batcher } = setup();
    batcher.write(Buffer.concat([Buffer.from('z'), Buffer.from('€').subarray(0, 2)]));
    batcher.end();
    expect(out).toEqual(['z\ufffd']);
    expect(clock.pending.size).toBe(0);
  });

  it('sends nothing for empty input and nothing after dispose', () => {
    const { clock, out, batcher } = setup();
    batcher.write(Buffer.alloc(0));
    expect(clock.pending.size).toBe(0);
    batcher.write(Buffer.from('lost'));
    batcher.dispose();
    clock.fire();
    expect(out).toEqual([]);
  });

  it('uses a real timer by default', async () => {
    const out: string[] = [];
    const batcher = new DataBatcher((data) => out.push(data));
    batcher.write(Buffer.from('hi'));
    await new Promise((r) => setTimeout(r, 30));
    expect(out).toEqual(['hi']);
  });
});
