// fleetdeck ip / ip conflicts on the lab (issue 13, Deliver 3, 6, 7 and the Acceptance): each kind
// of conflict made on purpose with throwaway fd-ipc-* containers on br0 (198.18.4.242–.247, and
// 198.18.4.11, h1's own address, taken on h2), reported by `ip conflicts --json` with its holders and
// exit 5, then removed. Filtered to our containers: other tests may hold conflicts of their own at
// the same time. Its own data directory (the MAC history) and fleet files, removed after.
import { rmSync } from 'node:fs';
import Dockerode from 'dockerode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fleetdeckWith } from '../support/cli';
import { freshDataDir } from '../support/dataDir';
import { lab, labHost, variantFleet } from '../support/lab';
import { assertFreeAddress } from '../support/staticMember';

const PREFIX = 'fd-ipc-';
const HOSTS = ['h1', 'h2'] as const;
type Host = (typeof HOSTS)[number];
const SEG = '198.18.4.0/24';
/** The lab's br0 pool (lab.sh): the seeds' block; ours (.242–.247) lie outside it. */
const POOL = `ipPools:\n  - segment: ${SEG}\n    range: 198.18.4.14-198.18.4.63\n    reserved: [198.18.4.1]\n    byName: true\n`;
/** The CLI's own run takes a few seconds (npx, TLS and SSH to three hosts). */
const CLI_TIMEOUT_MS = 60_000;

const info = lab();
const daemons = Object.fromEntries(HOSTS.map((h) => [h, new Dockerode({ socketPath: labHost(h).socket })])) as Record<Host, Dockerode>;
let dataDir: string;
let noPools: string;
let withPool: string;

interface ConflictRow {
  kind: string;
  segment: string;
  ip?: string;
  mac?: string;
  holders: { host: string; container: string }[];
  latent: boolean;
  detail: string;
}

async function conflicts(fleetFile: string): Promise<{ code: number; ours: ConflictRow[]; others: ConflictRow[]; stderr: string }> {
  const res = await fleetdeckWith({ FLEETDECK_DATA_DIR: dataDir }, '--fleet', fleetFile, 'ip', 'conflicts', '--json');
  let rows: ConflictRow[];
  try {
    rows = JSON.parse(res.stdout) as ConflictRow[];
  } catch {
    throw new Error(`ip conflicts exited ${res.code} without JSON: ${res.stderr}`);
  }
  const isOurs = (c: ConflictRow) => c.holders.some((h) => h.container.startsWith(PREFIX));
  return { code: res.code, ours: rows.filter(isOurs), others: rows.filter((c) => !isOurs(c)), stderr: res.stderr };
}

/** A container on br0 with a static IP and MAC, running; or `stopped`: started once, then stopped (it keeps its IPAMConfig). */
async function make(host: Host, name: string, ip: string, mac: string, stopped = false): Promise<void> {
  await assertFreeAddress(daemons[host], ip, host);
  const c = await daemons[host].createContainer({
    name: `${PREFIX}${name}`,
    Image: info.images['1.0']!,
    MacAddress: mac,
    HostConfig: { NetworkMode: 'br0' },
    NetworkingConfig: { EndpointsConfig: { br0: { IPAMConfig: { IPv4Address: ip } } } },
  });
  await c.start();
  if (stopped) await c.stop({ t: 0 });
}

async function removeOurs(): Promise<void> {
  for (const host of HOSTS) {
    for (const c of await daemons[host].listContainers({ all: true, filters: { name: [PREFIX] } })) {
      if (c.Names.some((n) => n.startsWith(`/${PREFIX}`))) await daemons[host].getContainer(c.Id).remove({ force: true });
    }
  }
}

const holdersOf = (c: ConflictRow | undefined) => c?.holders.map((h) => `${h.host}/${h.container}`).sort();

beforeAll(async () => {
  dataDir = freshDataDir('cli-ip');
  noPools = variantFleet((text) => text.replace(/^ipPools:[\s\S]*$/m, ''));
  withPool = variantFleet((text) => `${text.replace(/^ipPools:[\s\S]*$/m, '').trimEnd()}\n${POOL}`);
  await removeOurs();
}, 60_000);

afterEach(removeOurs, 60_000);

afterAll(() => {
  for (const f of [noPools, withPool]) if (f) rmSync(f, { force: true });
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('fleetdeck ip conflicts on the lab', () => {
  it('reports the same static IP on h1 and h2 with both holders (exit 5), and clears it once one is removed', async () => {
    await make('h1', 'dup-h1', '198.18.4.242', '02:fd:00:04:00:f2');
    await make('h2', 'dup-h2', '198.18.4.242', '02:fd:00:04:00:a2');
    const listed = await fleetdeckWith({ FLEETDECK_DATA_DIR: dataDir }, '--fleet', noPools, 'ip', '--segment', SEG, '--json');
    const rows = (JSON.parse(listed.stdout) as { ip: string; host: string; container: string; mac?: string; static: boolean; state: string }[]).filter((r) => r.container.startsWith(PREFIX));
    expect(rows.map((r) => [r.host, r.container, r.ip, r.mac, r.static, r.state]).sort()).toEqual([
      ['h1', 'fd-ipc-dup-h1', '198.18.4.242', '02:fd:00:04:00:f2', true, 'running'],
      ['h2', 'fd-ipc-dup-h2', '198.18.4.242', '02:fd:00:04:00:a2', true, 'running'],
    ]);

    const found = await conflicts(noPools);
    expect(found.code, found.stderr).toBe(5);
    expect(found.ours.map((c) => [c.kind, c.segment, c.ip, c.latent])).toEqual([['duplicate-ip', SEG, '198.18.4.242', false]]);
    expect(holdersOf(found.ours[0])).toEqual(['h1/fd-ipc-dup-h1', 'h2/fd-ipc-dup-h2']);

    await daemons.h2.getContainer(`${PREFIX}dup-h2`).remove({ force: true });
    const cleared = await conflicts(noPools);
    expect(cleared.ours).toEqual([]);
    // Exit 0 when nothing else in the lab is in conflict right now; another test's own conflict keeps it 5.
    expect(cleared.code, JSON.stringify(cleared.others)).toBe(cleared.others.length > 0 ? 5 : 0);
  }, CLI_TIMEOUT_MS * 3);

  it('reports a MAC change behind an IP: a container removed and another made on its IP with another MAC', async () => {
    await make('h1', 'mac-old', '198.18.4.243', '02:fd:00:04:00:f3');
    expect((await conflicts(noPools)).ours).toEqual([]);
    await daemons.h1.getContainer(`${PREFIX}mac-old`).remove({ force: true });
    await make('h1', 'mac-new', '198.18.4.243', '02:fd:00:04:00:a3');
    const found = await conflicts(noPools);
    expect(found.code, found.stderr).toBe(5);
    expect(found.ours.map((c) => [c.kind, c.ip, c.mac, holdersOf(c)])).toEqual([['mac-changed', '198.18.4.243', '02:fd:00:04:00:a3', ['h1/fd-ipc-mac-new']]]);
    expect(found.ours[0]!.detail).toContain('from 02:fd:00:04:00:f3 to 02:fd:00:04:00:a3');
  }, CLI_TIMEOUT_MS * 3);

  it("reports a container on h1's own address on br0 (198.18.4.11, made on h2)", async () => {
    await make('h2', 'on-gw', '198.18.4.11', '02:fd:00:04:00:0b');
    const found = await conflicts(noPools);
    expect(found.code, found.stderr).toBe(5);
    expect(found.ours.map((c) => [c.kind, c.ip, holdersOf(c), c.latent])).toEqual([['host-address', '198.18.4.11', ['h2/fd-ipc-on-gw'], false]]);
    expect(found.ours[0]!.detail).toContain("h1's address");
  }, CLI_TIMEOUT_MS * 2);

  it("reports a static IP outside the pool's range", async () => {
    await make('h1', 'outside', '198.18.4.244', '02:fd:00:04:00:f4');
    const found = await conflicts(withPool);
    expect(found.code, found.stderr).toBe(5);
    expect(found.ours.map((c) => [c.kind, c.ip, holdersOf(c)])).toEqual([['outside-pool', '198.18.4.244', ['h1/fd-ipc-outside']]]);
    // Without a pool there is no range to be outside of.
    expect((await conflicts(noPools)).ours).toEqual([]);
  }, CLI_TIMEOUT_MS * 3);

  it('reports the same MAC on two containers of the segment', async () => {
    await make('h1', 'mac-a', '198.18.4.245', '02:fd:00:04:00:f5');
    await make('h2', 'mac-b', '198.18.4.246', '02:fd:00:04:00:f5');
    const found = await conflicts(noPools);
    expect(found.code, found.stderr).toBe(5);
    expect(found.ours.map((c) => [c.kind, c.mac, holdersOf(c), c.latent])).toEqual([['duplicate-mac', '02:fd:00:04:00:f5', ['h1/fd-ipc-mac-a', 'h2/fd-ipc-mac-b'], false]]);
  }, CLI_TIMEOUT_MS * 2);

  it("shows a stopped holder's duplicate as latent", async () => {
    // The stopped holder first, so the two are never live at once.
    await make('h2', 'lat-stopped', '198.18.4.247', '02:fd:00:04:00:a7', true);
    await make('h1', 'lat-run', '198.18.4.247', '02:fd:00:04:00:f7');
    const found = await conflicts(noPools);
    expect(found.code, found.stderr).toBe(5);
    expect(found.ours.map((c) => [c.kind, c.ip, holdersOf(c), c.latent])).toEqual([['duplicate-ip', '198.18.4.247', ['h1/fd-ipc-lat-run', 'h2/fd-ipc-lat-stopped'], true]]);
  }, CLI_TIMEOUT_MS * 2);
});

describe('fleetdeck ip next on the lab', () => {
  it("prints the pool's address for a name, inside the range and stable", async () => {
    const next = () => fleetdeckWith({ FLEETDECK_DATA_DIR: dataDir }, '--fleet', withPool, 'ip', 'next', '--segment', SEG, '--name', 'fd-ipc-next');
    const first = await next();
    expect(first.code, first.stderr).toBe(0);
    const last = Number(first.stdout.trim().split('.')[3]);
    expect(first.stdout.trim()).toMatch(/^198\.18\.4\.\d+$/);
    expect(last).toBeGreaterThanOrEqual(14);
    expect(last).toBeLessThanOrEqual(63);
    expect((await next()).stdout).toBe(first.stdout);
  }, CLI_TIMEOUT_MS * 2);
});
