import { describe, expect, it } from 'vitest';
import { FrameDemuxer, type LogStreamName } from './demux';

function frame(type: number, text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

function demux(chunks: Buffer[]): [LogStreamName, string][] {
  const out: [LogStreamName, string][] = [];
  const demuxer = new FrameDemuxer((stream, payload) => {
    const last = out.at(-1);
    // Pieces of one frame (or of consecutive frames of one stream) read as one text.
    if (last && last[0] === stream) last[1] += payload.toString('utf8');
    else out.push([stream, payload.toString('utf8')]);
  });
  for (const chunk of chunks) demuxer.push(chunk);
  return out;
}

describe('FrameDemuxer', () => {
  const whole = Buffer.concat([frame(1, 'out one\n'), frame(2, 'err one\n'), frame(1, 'out two\n')]);
  const expected = [
    ['stdout', 'out one\n'],
    ['stderr', 'err one\n'],
    ['stdout', 'out two\n'],
  ];

  it('splits whole frames by stream', () => {
    expect(demux([whole])).toEqual(expected);
  });

  it('gives the same streams however the bytes are cut: inside headers, inside payloads, one byte at a time', () => {
    for (let cut = 1; cut < whole.length; cut++) expect(demux([whole.subarray(0, cut), whole.subarray(cut)])).toEqual(expected);
    expect(demux([...whole].map((b) => Buffer.from([b])))).toEqual(expected);
  });

  it('passes an empty frame over and reads the header after it', () => {
    expect(demux([Buffer.concat([frame(2, ''), frame(1, 'x\n')])])).toEqual([['stdout', 'x\n']]);
  });

  it('reads a payload size over 16 bits', () => {
    const big = 'y\n'.repeat(70_000);
    expect(demux([frame(1, big)])).toEqual([['stdout', big]]);
  });
});
