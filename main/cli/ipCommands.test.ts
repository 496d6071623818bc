import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { IpConflict, IpEndpoint, IpMapSnapshot } from '../../shared/ipmap';
import { EXIT } from './exitCodes';
import { HELP } from './help';
import { IpArgsError, ipCommand, parseIpArgs, type IpMapOpener } from './ipCommands';

const SEG = '198.18.4.0/24';
const endpoint = (over: Partial<IpEndpoint>): IpEndpoint => ({ segment: SEG, host: 'h1', network: 'br0', container: 'c', containerId: 'id', ip: '198.18.4.20', static: true, state: 'running', ...over });
const duplicate: IpConflict = {
  kind: 'duplicate-ip',
  segment: SEG,
  ip: '198.18.4.242',
  holders: [
    { host: 'h1', container: 'fd-ipc-a', state: 'running' },
    { host: 'h2', container: 'fd-ipc-b', state: 'running' },
  ],
  latent: false,
  since: '2026-12-01T10:00:00.000Z',
  detail: '198.18.4.242 is held by 2 containers',
};

function snapshot(over: Partial<IpMapSnapshot> = {}): IpMapSnapshot {
  return {
    time: '2026-12-01T10:00:00.000Z',
    segments: [{ id: SEG, subnets: [SEG], hosts: ['h1', 'h2'], offlineHosts: [], hostAddresses: [] }],
    endpoints: [endpoint({ ip: '198.18.4.100', container: 'b', static: false }), endpoint({ ip: '198.18.4.9', container: 'a', mac: '02:fd:00:04:00:09' }), endpoint({ segment: '10.0.0.0/24', ip: '10.0.0.2', container: 'z' })],
    networks: [],
    conflicts: [],
    poolErrors: [],
    ...over,
  };
}

async function run(argv: string[], snap: IpMapSnapshot, options: { allOnline?: boolean; next?: (s: string, n: string) => string } = {}) {
  const out = new PassThrough();
  const err = new PassThrough();
  const text = { out: '', err: '', closed: false };
  out.on('data', (c: Buffer) => (text.out += c.toString()));
  err.on('data', (c: Buffer) => (text.err += c.toString()));
  const open: IpMapOpener = async () => ({
    map: { snapshot: () => snap, next: options.next ?? (() => '198.18.4.30') },
    allOnline: options.allOnline ?? true,
    close: async () => void (text.closed = true),
  });
  const code = await ipCommand(parseIpArgs(argv), open, { out, err });
  return { code, ...text };
}

describe('fleetdeck ip arguments', () => {
  it('reads the three commands among the global options', () => {
    expect(parseIpArgs(['--fleet', 'f.yaml', 'ip', '--json'])).toEqual({ fleetFile: 'f.yaml', timeout: '10', json: true, request: { command: 'list' } });
    expect(parseIpArgs(['ip', '--segment', SEG]).request).toEqual({ command: 'list', segment: SEG });
    expect(parseIpArgs(['ip', 'conflicts']).request).toEqual({ command: 'conflicts' });
    expect(parseIpArgs(['ip', 'next', '--segment', SEG, '--name', 'web-7']).request).toEqual({ command: 'next', segment: SEG, name: 'web-7' });
  });

  it.each([
    [['ip', 'next', '--segment', SEG], /ip next needs --segment SEGMENT and --name NAME/],
    [['ip', 'conflicts', '--segment', SEG], /ip conflicts takes neither/],
    [['ip', '--name', 'x'], /--name only applies to ip next/],
    [['ip', 'nope'], /unknown command "ip nope"/],
    [['ip', 'next', 'extra', '--segment', SEG, '--name', 'x'], /unknown command "ip next extra"/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseIpArgs(argv)).toThrow(IpArgsError);
    expect(() => parseIpArgs(argv)).toThrow(message);
  });
});

describe('fleetdeck ip', () => {
  it('prints every endpoint by segment then IP as a number, in the documented JSON shape', async () => {
    const res = await run(['ip', '--json'], snapshot());
    expect(res.code).toBe(EXIT.ok);
    expect(res.closed).toBe(true);
    expect(JSON.parse(res.out)).toEqual([
      { segment: '10.0.0.0/24', ip: '10.0.0.2', host: 'h1', container: 'z', static: true, state: 'running' },
      { segment: SEG, ip: '198.18.4.9', mac: '02:fd:00:04:00:09', host: 'h1', container: 'a', static: true, state: 'running' },
      { segment: SEG, ip: '198.18.4.100', host: 'h1', container: 'b', static: false, state: 'running' },
    ]);
  });

  it('keeps one segment with --segment, and refuses a segment there is not', async () => {
    expect(JSON.parse((await run(['ip', '--segment', SEG, '--json'], snapshot())).out).map((r: { ip: string }) => r.ip)).toEqual(['198.18.4.9', '198.18.4.100']);
    const missing = await run(['ip', '--segment', '10.9.9.0/24'], snapshot());
    expect(missing.code).toBe(EXIT.error);
    expect(missing.err).toContain('no segment 10.9.9.0/24 (segments: 198.18.4.0/24)');
  });

  it('prints a table, and exits 3 when some host did not answer', async () => {
    const res = await run(['ip'], snapshot(), { allOnline: false });
    expect(res.code).toBe(EXIT.unreachable);
    expect(res.out.split('\n')[0]).toMatch(/^SEGMENT\s+IP\s+MAC\s+HOST\s+CONTAINER\s+STATIC\s+STATE$/);
    expect(res.out).toMatch(/198\.18\.4\.100\s+h1\s+b\s+dynamic\s+running/);
  });

  it('reports the pool errors on stderr', async () => {
    const res = await run(['ip'], snapshot({ poolErrors: ['fleet.yaml:12: ipPools: segment 10.9.0.0/24: no host has it'] }));
    expect(res.err).toContain('fleet.yaml:12: ipPools');
  });
});

describe('fleetdeck ip conflicts', () => {
  it('exits 5 with the conflicts, holders as {host, container}', async () => {
    const res = await run(['ip', 'conflicts', '--json'], snapshot({ conflicts: [duplicate] }));
    expect(res.code).toBe(EXIT.conflicts);
    expect(EXIT.conflicts).toBe(5);
    expect(JSON.parse(res.out)).toEqual([{ kind: 'duplicate-ip', segment: SEG, ip: '198.18.4.242', holders: [{ host: 'h1', container: 'fd-ipc-a' }, { host: 'h2', container: 'fd-ipc-b' }], latent: false, since: duplicate.since, detail: duplicate.detail }]);
  });

  it('exits 5 for latent conflicts too, and says latent in the table', async () => {
    const res = await run(['ip', 'conflicts'], snapshot({ conflicts: [{ ...duplicate, latent: true }] }));
    expect(res.code).toBe(EXIT.conflicts);
    expect(res.out).toMatch(/duplicate-ip\s+198\.18\.4\.0\/24\s+198\.18\.4\.242\s+h1\/fd-ipc-a, h2\/fd-ipc-b\s+latent/);
  });

  it('exits 0 with none: [] or "no conflicts"', async () => {
    expect(await run(['ip', 'conflicts', '--json'], snapshot())).toMatchObject({ code: EXIT.ok, out: '[]\n' });
    expect(await run(['ip', 'conflicts'], snapshot())).toMatchObject({ code: EXIT.ok, out: 'no conflicts\n' });
  });
});

describe('fleetdeck ip next', () => {
  it("prints the allocator's IP for the name", async () => {
    const asked: string[] = [];
    const res = await run(['ip', 'next', '--segment', SEG, '--name', 'web-7', '--json'], snapshot(), { next: (s, n) => (asked.push(`${s} ${n}`), '198.18.4.31') });
    expect(asked).toEqual([`${SEG} web-7`]);
    expect(JSON.parse(res.out)).toEqual({ segment: SEG, name: 'web-7', ip: '198.18.4.31' });
    expect((await run(['ip', 'next', '--segment', SEG, '--name', 'web-7'], snapshot())).out).toBe('198.18.4.30\n');
  });

  it('exits 1 with why when there is no address', async () => {
    const res = await run(['ip', 'next', '--segment', SEG, '--name', 'x'], snapshot(), {
      next: () => {
        throw new Error('the pool of segment 198.18.4.0/24 has no free address');
      },
    });
    expect(res.code).toBe(EXIT.error);
    expect(res.err).toContain('no free address');
    expect(res.closed).toBe(true);
  });
});

describe('fleetdeck --help', () => {
  it('lists the ip commands, their JSON shapes and exit 5', () => {
    for (const command of ['  ip [--segment S]', '  ip conflicts', '  ip next --segment S --name NAME']) expect(HELP).toContain(command);
    expect(HELP).toMatch(/\[\{segment, ip, mac\?, host, container,\s+static, state\}\]/);
    expect(HELP).toMatch(/holders: \[\{host, container\}\]/);
    expect(HELP).toMatch(/ip conflicts\s+5 conflicts found/);
  });
});
