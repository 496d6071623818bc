// "Create container here" and "Clone" on the lab (issue 13 Acceptance), through the core's Api as
// the console calls it: a create on h1 runs at its pool IP on br0 (docker inspect says so, audited
// 'create' and 'start'), a clone of it on h2 gets the pool's next IP for its name (the settings
// carried, the MAC the engine derives on API 1.41), and an IP in use is refused naming its holder.
// Containers: fd-ipn-* only, removed before and after.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDataDir } from '../../e2e/support/dataDir';
import { LAB_DIR, lab, labHost, labRegistryEnv } from '../../e2e/support/lab';
import { parseIPv4 } from '../../shared/ip';
import type { IpMapSnapshot } from '../../shared/ipmap';
import type { Core } from '../core/index';
import { openFleet } from '../core/open';
import { derivedMac } from './createHere';

const PREFIX = 'fd-ipn-';
const SEGMENT = '198.18.4.0/24';
const HOSTS = ['h1', 'h2'] as const;
/** The lab fleet file's br0 pool (e2e/lab/lab.sh), added to a copy where the running lab's file predates it. */
const POOL = { first: '198.18.4.14', last: '198.18.4.63' };
const POOL_YAML = `ipPools:\n  - segment: ${SEGMENT}\n    range: ${POOL.first}-${POOL.last}\n    reserved: [198.18.4.1]\n    byName: true\n`;
/** The map follows /events within 2 s (ipMapService); this leaves room for a loaded lab. */
const MAP_WAIT_MS = 10_000;

const info = lab();
const daemons = Object.fromEntries(HOSTS.map((h) => [h, new Dockerode({ socketPath: labHost(h).socket })])) as Record<(typeof HOSTS)[number], Dockerode>;
const savedEnv = { ...process.env };
let core: Core;
let dataDir: string;
let fleetCopy: string | undefined;

async function removeOurs(): Promise<void> {
  for (const host of HOSTS) {
    const ours = await daemons[host].listContainers({ all: true, filters: { name: [`^/${PREFIX}`] } });
    for (const c of ours) await daemons[host].getContainer(c.Id).remove({ force: true });
  }
}

async function mapWhere(test: (s: IpMapSnapshot) => boolean): Promise<IpMapSnapshot> {
  const deadline = Date.now() + MAP_WAIT_MS;
  for (;;) {
    const snapshot = core.ipMap.service.snapshot();
    if (test(snapshot)) return snapshot;
    if (Date.now() > deadline) throw new Error(`the IP map did not show it within ${MAP_WAIT_MS} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function inPool(ip: string): boolean {
  const n = parseIPv4(ip)!;
  return n >= parseIPv4(POOL.first)! && n <= parseIPv4(POOL.last)!;
}

function auditActions(): string[] {
  const lines = readFileSync(path.join(dataDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; target: { host: string; container?: string }; phase: string });
  return lines.filter((l) => l.phase === 'start' && l.target.container?.startsWith(PREFIX)).map((l) => `${l.action} ${l.target.host}/${l.target.container}`);
}

beforeAll(async () => {
  Object.assign(process.env, labRegistryEnv());
  dataDir = freshDataDir('ipn');
  process.env.FLEETDECK_DATA_DIR = dataDir;
  let fleetFile = info.fleetFile;
  if (!/^ipPools:/m.test(readFileSync(fleetFile, 'utf8'))) {
    // Next to the lab's file: its paths are relative to it.
    fleetCopy = path.join(LAB_DIR, 'fleet-ipn-itest.yaml');
    writeFileSync(fleetCopy, `${readFileSync(fleetFile, 'utf8').trimEnd()}\n${POOL_YAML}`);
    fleetFile = fleetCopy;
  }
  await removeOurs();
  core = (await openFleet({ fleetFile, mode: 'browser', source: 'cli' })).core;
  expect(await core.settled(10_000)).toEqual([]);
  await mapWhere((s) => HOSTS.every((h) => s.segments.find((seg) => seg.id === SEGMENT)?.hosts.includes(h)));
}, 60_000);

afterAll(async () => {
  await removeOurs();
  await core?.close();
  rmSync(dataDir, { recursive: true, force: true });
  if (fleetCopy && existsSync(fleetCopy)) rmSync(fleetCopy);
  process.env = savedEnv;
});

describe('Create container here and Clone on the lab (br0, fd-ipn-*)', () => {
  const image = info.images['1.0']!;
  let firstIp = '';

  it('creates a running container on h1 at its pool IP, as docker inspect confirms, audited', async () => {
    const request = { kind: 'create', name: `${PREFIX}a`, image, host: 'h1', segment: SEGMENT } as const;
    const plan = await core.api.ipCreatePlan(request);
    expect(plan).toMatchObject({ name: `${PREFIX}a`, host: 'h1', segment: SEGMENT, image });
    expect(plan.ip).toBe((await core.api.ipNext({ segment: SEGMENT, name: `${PREFIX}a` })).ip);
    expect(inPool(plan.ip)).toBe(true);
    expect(plan.mac).toBeUndefined(); // API 1.41: the engine derives it

    const created = await core.api.ipCreate({ ...request, ip: plan.ip });
    expect(created).toMatchObject({ host: 'h1', name: `${PREFIX}a`, ip: plan.ip });
    const inspected = await daemons.h1.getContainer(`${PREFIX}a`).inspect();
    expect(inspected.State.Running).toBe(true);
    expect(inspected.NetworkSettings.Networks.br0).toMatchObject({ IPAddress: plan.ip, IPAMConfig: { IPv4Address: plan.ip }, MacAddress: derivedMac(parseIPv4(plan.ip)!) });
    expect(auditActions()).toEqual([`create h1/${PREFIX}a`, `start h1/${PREFIX}a`]);
    firstIp = plan.ip;
  });

  it("clones it on h2 at the pool's next IP for the new name, its settings carried", async () => {
    expect(firstIp).not.toBe('');
    await mapWhere((s) => s.endpoints.some((e) => e.container === `${PREFIX}a` && e.ip === firstIp));
    const request = { kind: 'clone', from: { host: 'h1', container: `${PREFIX}a` }, name: `${PREFIX}b`, host: 'h2', segment: SEGMENT } as const;
    const plan = await core.api.ipCreatePlan(request);
    expect(plan.ip).toBe((await core.api.ipNext({ segment: SEGMENT, name: `${PREFIX}b` })).ip);
    expect(plan.ip).not.toBe(firstIp);
    expect(inPool(plan.ip)).toBe(true);
    expect(plan.settings).toContainEqual({ key: 'from', value: `${PREFIX}a on h1` });

    await core.api.ipCreate({ ...request, ip: plan.ip });
    const [source, clone] = await Promise.all([daemons.h1.getContainer(`${PREFIX}a`).inspect(), daemons.h2.getContainer(`${PREFIX}b`).inspect()]);
    expect(clone.State.Running).toBe(true);
    expect(clone.Config.Image).toBe(source.Config.Image);
    expect(clone.Config.Env).toEqual(source.Config.Env);
    expect(clone.Config.Hostname).toBe(`${PREFIX}b`);
    expect(clone.NetworkSettings.Networks.br0).toMatchObject({ IPAddress: plan.ip, IPAMConfig: { IPv4Address: plan.ip }, MacAddress: derivedMac(parseIPv4(plan.ip)!) });
  });

  it('refuses an IP in use anywhere in the segment, naming its holder', async () => {
    expect(firstIp).not.toBe('');
    const request = { kind: 'create', name: `${PREFIX}c`, image, host: 'h2', segment: SEGMENT, ip: firstIp } as const;
    await expect(core.api.ipCreatePlan(request)).rejects.toThrow(`${firstIp} is in use in ${SEGMENT}: held by container ${PREFIX}a on h1 (running)`);
    await expect(core.api.ipCreate(request)).rejects.toThrow(`held by container ${PREFIX}a on h1`);
    await expect(daemons.h2.getContainer(`${PREFIX}c`).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });
});
