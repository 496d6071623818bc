import { describe, expect, it } from 'vitest';
import { isDockerEvent, ndjsonParser, toEngineInfo } from './dockerApi';

describe('toEngineInfo', () => {
  it('takes the fields the fleet shows from /version and /info', () => {
    const version = { Version: '20.10.24+dfsg1', ApiVersion: '1.41', Os: 'linux', KernelVersion: '6.1.0-18-amd64' };
    const info = { Name: 'node-h1', OperatingSystem: 'Debian GNU/Linux 12 (bookworm)', NCPU: 2, MemTotal: 4_109_000_000 };
    expect(toEngineInfo(version, info)).toEqual({
      version: '20.10.24+dfsg1',
      apiVersion: '1.41',
      os: 'Debian GNU/Linux 12 (bookworm)',
      kernel: '6.1.0-18-amd64',
      hostname: 'node-h1',
      ncpu: 2,
      memTotal: 4_109_000_000,
    });
  });

  it('rejects an answer that is not a Docker daemon', () => {
    expect(() => toEngineInfo({}, { Name: 'x' })).toThrow();
  });
});

describe('ndjsonParser', () => {
  it('splits values across arbitrary chunk boundaries', () => {
    const values: unknown[] = [];
    const push = ndjsonParser((v) => values.push(v), (err) => { throw err; });
    push('{"Type":"container","Act');
    push('ion":"start"}\n{"Type":"network"');
    push(',"Action":"connect"}\n\n');
    push('{"Type":"container","Action":"die"}');
    expect(values).toEqual([
      { Type: 'container', Action: 'start' },
      { Type: 'network', Action: 'connect' },
    ]);
    push('\n');
    expect(values).toHaveLength(3);
  });

  it('reports a malformed line once and stops', () => {
    const errors: Error[] = [];
    const values: unknown[] = [];
    const push = ndjsonParser((v) => values.push(v), (err) => errors.push(err));
    push('{"a":1}\nnot json\n{"b":2}\n');
    push('{"c":3}\n');
    expect(values).toEqual([{ a: 1 }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain('not json');
  });
});

describe('isDockerEvent', () => {
  it('needs a Type and an Action', () => {
    expect(isDockerEvent({ Type: 'container', Action: 'start', Actor: { ID: 'x', Attributes: {} }, time: 1, timeNano: 1 })).toBe(true);
    expect(isDockerEvent({ status: 'start' })).toBe(false);
    expect(isDockerEvent(null)).toBe(false);
  });
});
