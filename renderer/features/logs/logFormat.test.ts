import { describe, expect, it } from 'vitest';
import { LogBuffer } from './logBuffer';
import { displayTime, downloadName, downloadText, localDay, timeMs, viewState } from './logFormat';

const sources = [{ host: 'h1', id: 'a'.repeat(12), name: 'web-1', tag: 'web-1·h1', tty: false }, { host: 'h2', id: 'b'.repeat(12), name: 'web-2', tag: 'web-2·h2', tty: false }];

describe('viewState', () => {
  it('is loading while any source loads its tail, following once one follows, failed only when all failed', () => {
    expect(viewState({ status: 'opening', states: [] })).toBe('opening');
    expect(viewState({ status: 'open', states: [{ state: 'following' }, { state: 'loading' }] })).toBe('loading');
    expect(viewState({ status: 'open', states: [{ state: 'following' }, { state: 'failed' }] })).toBe('following');
    expect(viewState({ status: 'open', states: [{ state: 'ended' }, { state: 'failed' }] })).toBe('ended');
    expect(viewState({ status: 'open', states: [{ state: 'failed' }, { state: 'failed' }] })).toBe('failed');
    expect(viewState({ status: 'ended', states: [{ state: 'following' }] })).toBe('ended');
  });
});

describe('times', () => {
  it('reads a daemon time to the millisecond, and shows the date only for another day', () => {
    const time = '2026-12-02T01:02:03.456789012Z';
    expect(timeMs(time)).toBe(Date.parse('2026-12-02T01:02:03.456Z'));
    const b = new LogBuffer({ maxLines: 10, maxChars: 1e6 });
    b.insert([{ src: 0, stream: 'stdout', time, line: 'x' }, { src: 0, stream: 'stdout', time: '2026-12-02T01:02:04Z', line: 'y' }]);
    const d = new Date(timeMs(time));
    const clock = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:03.456`;
    expect(displayTime(b.at(0)!, localDay(timeMs(time)))).toBe(clock);
    expect(displayTime(b.at(1)!, '1999-01-01')).toMatch(/^\d\d-\d\d \d\d:\d\d:04\.000$/);
  });
});

describe('download', () => {
  it('writes one line a line: the daemon time, the tag, the stream and the text without escapes', () => {
    const b = new LogBuffer({ maxLines: 10, maxChars: 1e6 });
    b.insert([
      { src: 0, stream: 'stdout', time: '2026-12-02T01:00:01Z', line: '\x1b[31mred\x1b[0m ok' },
      { src: 1, stream: 'stderr', time: '2026-12-02T01:00:02.5Z', line: 'boom' },
    ]);
    expect(downloadText(b.entries(), sources)).toBe('2026-12-02T01:00:01Z web-1·h1 stdout red ok\n2026-12-02T01:00:02.5Z web-2·h2 stderr boom\n');
    expect(downloadName('service web (3 replicas)', new Date(2026, 11, 2, 1, 30, 5).getTime())).toBe('logs-service-web-3-replicas-20261202-013005.log');
  });
});
