import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../shared/logs';
import { sortByTime } from '../logs/logView';
import { LogsArgsError, parseLogsArgs } from './logsArgs';
import { formatLine } from './logsCommand';

describe('fleetdeck logs arguments', () => {
  it('takes a container with every option', () => {
    expect(parseLogsArgs(['--fleet', 'f.yaml', 'logs', '--container', 'h1/web-1', '--tail', '50', '--since', '15m', '-f', '-t', '--grep', 'err(or)?', '--json', '--timeout', '5'])).toEqual({
      fleetFile: 'f.yaml',
      timeoutS: 5,
      target: { kind: 'container', host: 'h1', container: 'web-1' },
      tail: 50,
      sinceSeconds: 900,
      follow: true,
      timestamps: true,
      grep: /err(or)?/,
      json: true,
    });
  });

  it('defaults as docker logs does: every line, no follow, no timestamps', () => {
    expect(parseLogsArgs(['logs', '--service', 'web'])).toEqual({ timeoutS: 10, target: { kind: 'service', service: 'web' }, tail: 'all', follow: false, timestamps: false, json: false });
    expect(parseLogsArgs(['logs', '--service', 'web', '--tail', 'all']).tail).toBe('all');
    expect(parseLogsArgs(['logs', '--service', 'web', '--tail', '0']).tail).toBe(0);
  });

  it.each([
    [['logs'], /needs one of --container HOST\/NAME or --service S/],
    [['logs', '--container', 'h1/a', '--service', 'web'], /needs one of/],
    [['logs', '--container', 'web-1'], /--container takes HOST\/NAME/],
    [['logs', '--service', 'web', '--tail=-3'], /--tail takes a number of lines/],
    [['logs', '--service', 'web', '--tail', '100001'], /--tail takes a number of lines from 0 to 100000/],
    [['logs', '--service', 'web', '--since', 'yesterday'], /--since takes a duration/],
    [['logs', '--service', 'web', '--since', '10ms'], /--since takes a duration/],
    [['logs', '--service', 'web', '--grep', '('], /--grep takes a regular expression/],
    [['logs', '--service', 'web', '--bogus'], /Unknown option '--bogus'/],
    [['logs', 'extra', '--service', 'web'], /logs takes no arguments besides its options, got "extra"/],
    [['logs', '--service', 'web', '--timeout', '0'], /--timeout must be a number of seconds/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseLogsArgs(argv)).toThrow(LogsArgsError);
    expect(() => parseLogsArgs(argv)).toThrow(message);
  });
});

describe('fleetdeck logs output', () => {
  const line: LogLine = { src: 0, stream: 'stderr', time: '2026-12-02T01:02:03.5Z', line: 'boom' };
  const source = { host: 'h1', name: 'web-1', tag: 'web-1·h1' };

  it('prints the text as docker logs does, its time first with --timestamps, tagged when merged', () => {
    expect(formatLine(line, source, { json: false, timestamps: false }, false)).toBe('boom');
    expect(formatLine(line, source, { json: false, timestamps: true }, false)).toBe('2026-12-02T01:02:03.5Z boom');
    expect(formatLine(line, source, { json: false, timestamps: false }, true)).toBe('web-1·h1 | boom');
  });

  it('prints one JSON object per line with the time as the daemon gave it', () => {
    expect(JSON.parse(formatLine(line, source, { json: true, timestamps: false }, true))).toEqual({ time: '2026-12-02T01:02:03.5Z', host: 'h1', container: 'web-1', stream: 'stderr', line: 'boom' });
  });
});

describe('merge order', () => {
  const at = (src: number, time: string, text: string): LogLine => ({ src, stream: 'stdout', time, line: text });

  it('orders lines of several sources by time, whatever the digits of the fraction, equal times in arrival order', () => {
    const lines = [
      at(0, '2026-12-02T01:02:03.5Z', 'a'),
      at(0, '2026-12-02T01:02:04Z', 'b'),
      at(1, '2026-12-02T01:02:03.400000000Z', 'c'),
      at(1, '2026-12-02T01:02:03.500000000Z', 'd'),
      at(2, '2026-12-02T01:02:03.05Z', 'e'),
    ];
    expect(sortByTime(lines).map((l) => l.line)).toEqual(['e', 'c', 'a', 'd', 'b']);
  });
});
