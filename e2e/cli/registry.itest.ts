// fleetdeck images and digest against both lab registries (TLS + basic auth on :5000, TLS + token
// auth on :5001), compared with what a daemon records after pulling each tag; wrong credentials
// and a wrong CA; credentials from the fleet file, docker's config.json auths and the lab's
// credential helper. And imageUsage on the lab (the console's core, in this process): each
// container's image against docker ps and inspect, and a container whose tag has moved on.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseImageRef } from '../../shared/imageRef';
import type { ImageRow } from '../../main/cli/registryCommands';
import { systemClock } from '../../main/clock/clock';
import { openFleet } from '../../main/core/open';
import { loadFleetFile } from '../../main/fleet';
import { createFleetRegistryService } from '../../main/registry/fleetRegistries';
import { fleetdeckWith } from '../support/cli';
import { dockerCli, lab, labRegistryEnv, variantFleet } from '../support/lab';

const l = lab();
/** Every tag the lab pushed, in both registries. */
const pushed = [...Object.values(l.images), ...Object.values(l.tokenImages)];
/** "Neither hangs": a refusal comes back in about a second; the CLI's own timeouts are 10 s a request. */
const ANSWERS_WITHIN_S = 20;

const temps: string[] = [];
/** A DOCKER_CONFIG dir holding `config` (nothing: no config.json at all). */
function dockerConfig(config?: object): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fleetdeck-registry-itest-'));
  temps.push(dir);
  if (config) writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config), { mode: 0o600 });
  return dir;
}
/** A variant fleet file, removed after the tests. */
const tracked = (file: string) => (temps.push(file), file);
const basicAuth = (user: string, password: string) => ({ auth: Buffer.from(`${user}:${password}`).toString('base64') });

/** The fleet file without the fleet-file credentials of the basic registry (so they must come from elsewhere). */
const withoutFleetCredentials = () => tracked(variantFleet((t) => t.replace(/^\s+username: sre\n\s+passwordEnv: FLEETDECK_REGISTRY_PASSWORD\n/m, '')));
/** The fleet file with the registries' CA replaced by another CA (the hosts keep theirs). */
const wrongCa = () => tracked(variantFleet((t) => t.replace(/^(\s+)ca: pki\/ca\.pem$/gm, '$1ca: pki/wrong-ca/ca.pem')));

const images = (env: Record<string, string>, ...args: string[]) => fleetdeckWith(env, '--fleet', l.fleetFile, ...args);
const rowsOf = (stdout: string) => JSON.parse(stdout) as ImageRow[];
const refOf = (r: ImageRow) => `${new URL(r.registry).host}/${r.repository}:${r.tag}`;

afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('fleetdeck images and digest on the lab registries', () => {
  it('images --json lists every pushed tag of both registries, and each digest is what a daemon records after pulling it', async () => {
    const res = await images(labRegistryEnv(), 'images', '--json');
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const rows = rowsOf(res.stdout);
    expect(rows.map(refOf)).toEqual(expect.arrayContaining(pushed));
    for (const ref of pushed) {
      const row = rows.find((r) => refOf(r) === ref)!;
      expect(row.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(row.size).toBeGreaterThan(0);
      expect(Date.parse(row.created ?? '')).not.toBeNaN();
      // The images are on h1 already (lab.sh up pulls them): the pull changes nothing there.
      await dockerCli('h1', 'pull', '--quiet', ref);
      const repoDigests = JSON.parse(await dockerCli('h1', 'image', 'inspect', '--format', '{{json .RepoDigests}}', ref)) as string[];
      const { registry, repository } = parseImageRef(ref);
      expect(repoDigests).toContain(`${registry}/${repository}@${row.digest}`);
    }
  });

  it('images --registry lists that registry alone, by URL or host', async () => {
    const byUrl = await images(labRegistryEnv(), 'images', '--registry', l.tokenRegistry.url, '--json');
    expect(byUrl.code).toBe(0);
    expect(new Set(rowsOf(byUrl.stdout).map((r) => r.registry))).toEqual(new Set([l.tokenRegistry.url]));
    const byHost = await images(labRegistryEnv(), 'images', '--registry', l.registry.host, '--json');
    expect(byHost.code).toBe(0);
    expect(rowsOf(byHost.stdout).map(refOf)).toEqual(expect.arrayContaining(Object.values(l.images)));
  });

  it('digest prints the digest the registry gives now, the one images lists and a pull records', async () => {
    const listed = rowsOf((await images(labRegistryEnv(), 'images', '--json')).stdout);
    for (const ref of [l.images['1.0']!, l.tokenImages['1.1']!]) {
      const res = await images(labRegistryEnv(), 'digest', ref, '--json');
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      const { registry, repository, tag } = parseImageRef(ref);
      expect(JSON.parse(res.stdout)).toMatchObject({ ref, registry: `https://${registry}`, repository, tag, digest: listed.find((r) => refOf(r) === ref)!.digest, mediaType: expect.stringMatching(/manifest|image/) });
      const plain = await images(labRegistryEnv(), 'digest', ref);
      expect(plain.stdout).toBe(`${JSON.parse(res.stdout).digest}\n`);
    }
    const missing = await images(labRegistryEnv(), 'digest', `${l.registry.host}/lab/app:no-such-tag`);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/not-found/);
  });

  it('a wrong password is an auth error on either registry, and does not hang', async () => {
    const wrongFleetPassword = await images({ ...labRegistryEnv(), FLEETDECK_REGISTRY_PASSWORD: 'not-the-password', DOCKER_CONFIG: dockerConfig() }, 'images', '--registry', l.registry.url);
    expect(wrongFleetPassword.code).toBe(1);
    expect(wrongFleetPassword.stderr).toMatch(new RegExp(`registry ${l.registry.url}: auth: `));
    expect(wrongFleetPassword.seconds).toBeLessThan(ANSWERS_WITHIN_S);
    const wrongTokenPassword = await images(
      { ...labRegistryEnv(), DOCKER_CONFIG: dockerConfig({ auths: { [l.tokenRegistry.host]: basicAuth(l.tokenRegistry.username, 'not-the-password') } }) },
      'digest',
      l.tokenImages['1.0']!,
    );
    expect(wrongTokenPassword.code).toBe(1);
    expect(wrongTokenPassword.stderr).toMatch(/auth: /);
    expect(wrongTokenPassword.seconds).toBeLessThan(ANSWERS_WITHIN_S);
  });

  it('a wrong CA is a TLS error for both registries (exit 1: none answered), and does not hang', async () => {
    const res = await fleetdeckWith(labRegistryEnv(), '--fleet', wrongCa(), 'images');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(new RegExp(`registry ${l.registry.url}: tls: `));
    expect(res.stderr).toMatch(new RegExp(`registry ${l.tokenRegistry.url}: tls: `));
    expect(res.seconds).toBeLessThan(ANSWERS_WITHIN_S);
  });

  it('one registry failing leaves the other listed, with exit 3', async () => {
    // Without the lab's helper on PATH the token registry has no credentials; the basic one still answers.
    const res = await images({ ...labRegistryEnv(), PATH: process.env.PATH ?? '' }, 'images', '--json');
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(new RegExp(`registry ${l.tokenRegistry.url}: `));
    expect(rowsOf(res.stdout).map(refOf).sort()).toEqual(expect.arrayContaining(Object.values(l.images)));
    expect(rowsOf(res.stdout).every((r) => r.registry === l.registry.url)).toBe(true);
  });

  it('credentials from the fleet file, from config.json auths and from the credential helper each work, and nothing else stands in for them', async () => {
    const empty = dockerConfig();
    const password = labRegistryEnv().FLEETDECK_REGISTRY_PASSWORD!;
    // The fleet file's passwordEnv, with no docker config at all.
    expect((await images({ ...labRegistryEnv(), DOCKER_CONFIG: empty }, 'digest', l.images['1.0']!)).code).toBe(0);
    // config.json auths: the fleet file names no credentials for the basic registry.
    const noFleetCredentials = withoutFleetCredentials();
    const fromAuths = await fleetdeckWith({ ...labRegistryEnv(), DOCKER_CONFIG: dockerConfig({ auths: { [l.registry.host]: basicAuth('sre', password) } }) }, '--fleet', noFleetCredentials, 'digest', l.images['1.0']!);
    expect(fromAuths.stderr).toBe('');
    expect(fromAuths.code).toBe(0);
    const withoutAny = await fleetdeckWith({ ...labRegistryEnv(), DOCKER_CONFIG: empty }, '--fleet', noFleetCredentials, 'digest', l.images['1.0']!);
    expect(withoutAny.code).toBe(1);
    expect(withoutAny.stderr).toMatch(/auth: /);
    // The credential helper (credHelpers in the lab's DOCKER_CONFIG) for the token registry.
    expect((await images(labRegistryEnv(), 'digest', l.tokenImages['1.0']!)).code).toBe(0);
    const noHelperConfig = await images({ ...labRegistryEnv(), DOCKER_CONFIG: empty }, 'digest', l.tokenImages['1.0']!);
    expect(noHelperConfig.code).toBe(1);
    expect(noHelperConfig.stderr).toMatch(/auth: /);
  });

  it('registries() names where each registry\'s credentials come from, and pings them', async () => {
    const env = { home: '/nonexistent', user: 'sre', vars: { ...process.env, ...labRegistryEnv() } };
    const service = createFleetRegistryService(loadFleetFile(withoutFleetCredentials(), env).registries, { env, clock: systemClock });
    expect(await service.registries()).toEqual([
      { url: l.registry.url, host: l.registry.host, insecure: false, credentials: 'docker-config', status: 'ok' },
      { url: l.tokenRegistry.url, host: l.tokenRegistry.host, insecure: false, credentials: 'credential-helper', status: 'ok' },
    ]);
    const withFleet = createFleetRegistryService(loadFleetFile(l.fleetFile, env).registries, { env, clock: systemClock });
    expect((await withFleet.registries()).map((r) => [r.credentials, r.status])).toEqual([
      ['fleet-file', 'ok'],
      ['credential-helper', 'ok'],
    ]);
  });
});

describe('imageUsage on the lab', () => {
  const saved: Record<string, string | undefined> = {};
  let fleet: Awaited<ReturnType<typeof openFleet>>;

  beforeAll(async () => {
    // The core finds registry credentials in this process's environment, as the console does.
    for (const [key, value] of Object.entries(labRegistryEnv())) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
    fleet = await openFleet({ fleetFile: l.fleetFile, mode: 'browser', source: 'cli' });
    expect(await fleet.core.settled(30_000)).toEqual([]);
  });

  afterAll(async () => {
    await fleet?.core.close();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('gives every container its image ID and repo digests as docker inspect does, and the count on each tag matches docker ps', async () => {
    /** What imageUsage says of a host, and what the docker CLI says: the same shape, to compare. */
    const sides = async (host: string) => {
      await fleet.core.model.refresh(host);
      const mine = (await fleet.core.api.imageUsage({})).containers.filter((c) => c.host === host);
      const ids = (await dockerCli(host, 'ps', '-aq', '--no-trunc')).trim().split('\n').filter(Boolean);
      const inspected = ids.length ? (JSON.parse(await dockerCli(host, 'inspect', ...ids)) as { Id: string; Image: string; Config: { Image: string } }[]) : [];
      const ours = { containers: mine.map((c) => [c.id, c.image, c.imageId, [...c.repoDigests].sort()]).sort(), onTag: {} as Record<string, number> };
      const theirs = { containers: [] as unknown[], onTag: {} as Record<string, number> };
      for (const i of inspected) {
        const digests = JSON.parse(await dockerCli(host, 'image', 'inspect', '--format', '{{json .RepoDigests}}', i.Image)) as string[];
        theirs.containers.push([i.Id, i.Config.Image, i.Image, digests.sort()]);
      }
      theirs.containers.sort();
      for (const ref of pushed) {
        theirs.onTag[ref] = (await dockerCli(host, 'ps', '-aq', '--filter', `ancestor=${ref}`)).trim().split('\n').filter(Boolean).length;
        const imageId = (await dockerCli(host, 'image', 'inspect', '--format', '{{.Id}}', ref).catch(() => '')).trim();
        ours.onTag[ref] = mine.filter((c) => imageId && c.imageId === imageId).length;
      }
      return { ours, theirs };
    };
    for (const host of l.hosts) {
      // Other tests create and remove throwaway containers meanwhile: a few tries for one quiet moment.
      let sample = await sides(host.name);
      for (let attempt = 1; attempt < 5 && JSON.stringify(sample.ours) !== JSON.stringify(sample.theirs); attempt++) sample = await sides(host.name);
      expect(sample.ours).toEqual(sample.theirs);
      expect(sample.ours.containers.length).toBeGreaterThan(0);
    }
    // The lab's containers run the tags' current digests.
    const { containers } = await fleet.core.api.imageUsage({});
    const labRuns = containers.filter((c) => pushed.includes(c.image) && !c.name.startsWith('fleetdeck-'));
    expect(labRuns.length).toBeGreaterThan(0);
    for (const c of labRuns) expect(c).toMatchObject({ currentDigest: expect.stringMatching(/^sha256:/), outdated: false });
  });

  it('a container whose tag has moved on is outdated, also once the list names its image by ID', async () => {
    const ref = l.tokenImages['1.0']!;
    const other = l.tokenImages['1.1']!;
    const name = `fleetdeck-outdated-${process.pid}`;
    const before = (await dockerCli('h1', 'image', 'inspect', '--format', '{{.Id}}', ref).catch(() => '')).trim();
    // h1 holds 1.1's image, pulled from the token registry, so its repo digests name that repository.
    await dockerCli('h1', 'pull', '--quiet', other);
    try {
      // Locally, "1.0" now names 1.1's image: the container is created from 1.0 yet runs another digest.
      await dockerCli('h1', 'tag', other, ref);
      await dockerCli('h1', 'create', '--name', name, ref);
      const judged = async () => {
        await fleet.core.model.refresh('h1');
        return (await fleet.core.api.imageUsage({})).containers.find((c) => c.name === name);
      };
      const created = await judged();
      const current = JSON.parse((await images(labRegistryEnv(), 'digest', ref, '--json')).stdout) as { digest: string };
      expect(created).toMatchObject({ image: ref, currentDigest: current.digest, outdated: true });
      // The tag pulled anew: "1.0" is the registry's again, and docker ps shows the container's image by ID.
      await dockerCli('h1', 'pull', '--quiet', ref);
      const listed = (await dockerCli('h1', 'ps', '-a', '--filter', `name=${name}`, '--format', '{{.Image}}')).trim();
      expect(listed).not.toBe(ref);
      expect(await judged()).toMatchObject({ image: ref, currentDigest: current.digest, outdated: true });
    } finally {
      await dockerCli('h1', 'rm', '-f', name).catch(() => '');
      if (before) await dockerCli('h1', 'pull', '--quiet', ref);
      else await dockerCli('h1', 'rmi', ref).catch(() => '');
    }
  });
});
