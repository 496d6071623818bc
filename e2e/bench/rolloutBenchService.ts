// The rollout benchmark's throwaway service fd-bench-svc: 4 containers on each of h1, h2 and h3,
// each with a static IP and MAC on br0 (198.18.4.220–.231), from lab/app. Made, checked (the
// rollout invariant: the same names, each with its host, IP and MAC, nothing left behind),
// waited on, and removed through each host's unix socket. Four lanes, one container per host each.
import Dockerode from 'dockerode';
import { setTimeout as sleep } from 'node:timers/promises';
import { labHost } from '../support/lab';
import { assertFreeAddress, createStaticMember, type StaticMember } from '../support/staticMember';

export const SERVICE = 'fd-bench-svc';
export const HOSTS = ['h1', 'h2', 'h3'] as const;
export type Host = (typeof HOSTS)[number];
export const LANES = 4;
/** Everything this benchmark makes is named so (the members, and their rollouts' or the script's leftovers). */
const PREFIX = 'fd-bench-';
/** br0 addresses .220 onwards: helper E's range (.220–.250) in the lab's plan. */
const FIRST_OCTET = 220;

/** image: the lab app's own HEALTHCHECK (first probe 5 s after start); none: HEALTHCHECK NONE on the container. */
export type Health = 'image' | 'none';

export interface Member extends StaticMember {
  host: Host;
  /** HOST/NAME, as the CLI's --batches names it. */
  key: string;
  lane: number;
}

export const daemons = Object.fromEntries(HOSTS.map((h) => [h, new Dockerode({ socketPath: labHost(h).socket })])) as Record<Host, Dockerode>;

export function members(image: string, health: Health): Member[] {
  return Array.from({ length: LANES }, (_, lane) =>
    HOSTS.map((host, i): Member => {
      const octet = FIRST_OCTET + lane * HOSTS.length + i;
      const name = `${SERVICE}-${host}-${lane + 1}`;
      return {
        host,
        name,
        key: `${host}/${name}`,
        lane,
        image,
        service: SERVICE,
        ip: `198.18.4.${octet}`,
        mac: `02:fd:00:04:00:${octet.toString(16)}`,
        ...(health === 'none' ? { healthcheck: { Test: ['NONE'] } } : {}),
      };
    }),
  ).flat();
}

/** The CLI's --batches: lane after lane, each one container per host. */
export function batchesArg(ms: Member[]): string {
  return Array.from({ length: LANES }, (_, lane) => ms.filter((m) => m.lane === lane).map((m) => m.key).join(',')).join(';');
}

/** How long a host may be away (helper D's fault test stops h3's dockerd briefly) before the bench gives up. */
const HOST_WAIT_MS = 300_000;

/** Waits until every host's daemon answers; says so when one does not. */
export async function waitForHosts(): Promise<void> {
  const began = Date.now();
  for (const host of HOSTS) {
    let said = false;
    for (;;) {
      try {
        await daemons[host].ping();
        break;
      } catch {
        if (Date.now() - began > HOST_WAIT_MS) throw new Error(`${host}'s dockerd has not answered for ${HOST_WAIT_MS / 1000} s`);
        if (!said) console.log(`  (${host}'s dockerd does not answer: waiting for it)`);
        said = true;
        await sleep(2_000);
      }
    }
  }
}

async function ours(host: Host): Promise<Dockerode.ContainerInfo[]> {
  return (await daemons[host].listContainers({ all: true, filters: { name: [PREFIX] } })).filter((c) => c.Names.some((n) => n.startsWith(`/${PREFIX}`)));
}

const REMOVE_TIMEOUT_MS = 30_000;

/**
 * Removes every fd-bench-* container on every host (waiting for a host that is away), until none
 * is listed: one already gone (404) or being removed by another call (409, as an interrupted run's
 * cleanup may race the run) is waited out.
 */
export async function removeAll(): Promise<void> {
  await waitForHosts();
  const began = Date.now();
  for (;;) {
    const left = (await Promise.all(HOSTS.map(async (host) => (await ours(host)).map((c) => ({ host, id: c.Id }))))).flat();
    if (left.length === 0) return;
    if (Date.now() - began > REMOVE_TIMEOUT_MS) throw new Error(`cannot remove ${left.map((c) => `${c.host}/${c.id.slice(0, 12)}`).join(', ')}`);
    await Promise.all(
      left.map(({ host, id }) =>
        daemons[host]
          .getContainer(id)
          .remove({ force: true })
          .catch((e: unknown) => {
            if (![404, 409].includes((e as { statusCode?: number }).statusCode ?? 0)) throw e;
          }),
      ),
    );
  }
}

/** The service from scratch on `image`: every member made anew, running (and healthy, with a health check). */
export async function recreate(ms: Member[]): Promise<void> {
  await removeAll();
  await Promise.all(HOSTS.map(async (host) => {
    for (const m of ms.filter((x) => x.host === host)) {
      await assertFreeAddress(daemons[host], m.ip, host);
      await createStaticMember(daemons[host], m);
    }
  }));
  await waitReady(ms);
}

const READY_TIMEOUT_MS = 60_000;
/** Fine enough beside the lab app's 5 s health interval; an inspect on a local socket costs ~2 ms. */
const READY_POLL_MS = 100;

/** Resolves once every member runs and, with a health check, is healthy. */
export async function waitReady(ms: Member[]): Promise<void> {
  const began = Date.now();
  for (const m of ms) {
    for (;;) {
      const s = (await daemons[m.host].getContainer(m.name).inspect()).State;
      if (s.Running && (!s.Health || s.Health.Status === 'healthy')) break;
      if (Date.now() - began > READY_TIMEOUT_MS) throw new Error(`${m.key} is not ready after ${READY_TIMEOUT_MS / 1000} s (${s.Status}, health ${s.Health?.Status})`);
      await sleep(READY_POLL_MS);
    }
  }
}

/** The rollout invariant after a deploy to `image`: the same names, each running `image` with its IP and MAC, nothing else left. */
export async function check(ms: Member[], image: string, who: string): Promise<void> {
  for (const host of HOSTS) {
    const names = (await ours(host)).map((c) => c.Names[0]!.slice(1)).sort();
    const want = ms.filter((m) => m.host === host).map((m) => m.name).sort();
    if (names.join() !== want.join()) throw new Error(`after ${who}: ${host} holds ${names.join(', ')}, not ${want.join(', ')}`);
  }
  for (const m of ms) {
    const c = await daemons[m.host].getContainer(m.name).inspect();
    const br0 = c.NetworkSettings.Networks.br0;
    const got = [c.State.Running, c.Config.Image, br0?.IPAddress, br0?.MacAddress];
    const want = [true, image, m.ip, m.mac];
    if (got.join() !== want.join()) throw new Error(`after ${who}: ${m.key} is ${got.join(' ')}, not ${want.join(' ')}`);
  }
}
