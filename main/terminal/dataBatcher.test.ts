import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fakeClock';
import { DataBatcher } from './dataBatcher';

function setup(maxChars = 64 * 1024) {
  const clock = new FakeClock();
  const out: string[] = [];
  const batcher = new DataBatcher((data) => out.push(data), { clock, flushMs: 8, maxChars });
  /** Runs the flush timer, if one is set. */
  const fire = () => clock.advance(8);
  return { clock, fire, out, batcher };
}

describe('DataBatcher', () => {
  it('gathers writes into one flush after the timer', async () => {
    const { clock, fire, out, batcher } = setup();
    batcher.write(Buffer.from('ab'));
    batcher.write(Buffer.from('cd'));
    expect(out).toEqual([]);
    expect(clock.pending.map((p) => p.ms)).toEqual([8]); // one timer for the whole batch
    await fire();
    expect(out).toEqual(['abcd']);
  });

  it('flushes at once when a batch is full, and cancels its timer', async () => {
    const { clock, fire, out, batcher } = setup(10);
    batcher.write(Buffer.from('12345'));
    batcher.write(Buffer.from('67890x'));
    expect(out).toEqual(['1234567890x']);
    expect(clock.pending.length).toBe(0);
    batcher.write(Buffer.from('y'));
    await fire();
    expect(out).toEqual(['1234567890x', 'y']);
  });

  it('keeps multi-byte characters whole across chunk boundaries', async () => {
    const { fire, out, batcher } = setup();
    const bytes = Buffer.from('é€😀', 'utf8'); // 2 + 3 + 4 bytes
    for (const byte of bytes) batcher.write(Buffer.from([byte]));
    await fire();
    expect(out).toEqual(['é€😀']);
  });

  it('does not flush half a character: the rest waits for the next chunk', async () => {
    const { fire, out, batcher } = setup();
    const euro = Buffer.from('€', 'utf8');
    batcher.write(Buffer.concat([Buffer.from('a'), euro.subarray(0, 1)]));
    await fire();
    batcher.write(euro.subarray(1));
    await fire();
    expect(out).toEqual(['a', '€']);
  });

  it('on end flushes the rest, an incomplete character as U+FFFD', async () => {
    const { clock, out, batcher } = setup();
    batcher.write(Buffer.concat([Buffer.from('z'), Buffer.from('€').subarray(0, 2)]));
    batcher.end();
    expect(out).toEqual(['z\ufffd']);
    expect(clock.pending.length).toBe(0);
  });

  it('sends nothing for empty input and nothing after dispose', async () => {
    const { clock, fire, out, batcher } = setup();
    batcher.write(Buffer.alloc(0));
    expect(clock.pending.length).toBe(0);
    batcher.write(Buffer.from('lost'));
    batcher.dispose();
    await fire();
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
