// The Registry v2 client on the lab's two registries (basic auth on :5000, token auth on :5001):
// every pushed tag listed, each digest equal to the RepoDigests a daemon recorded when it pulled
// that tag, an identity token traded at the token service, and a wrong password and a wrong CA
// failing with their kinds, at once rather than at the deadline. Reads only.
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerCli, lab } from '../../e2e/support/lab';
import { parseImageRef } from '../../shared/imageRef';
import { FakeClock } from '../clock/fakeClock';
import { RegistryClient, type RegistryClientOptions } from './client';
import { makeCertificate } from './fixtures/loopbackRegistry';
import { RegistryError } from './types';

const l = lab();
const registries = [
  { name: 'basic auth', spec: l.registry, images: l.images },
  { name: 'token auth', spec: l.tokenRegistry, images: l.tokenImages },
];
const clients: RegistryClient[] = [];
afterAll(() => clients.forEach((c) => c.close()));

function client(spec: (typeof registries)[number]['spec'], options: Partial<RegistryClientOptions> = {}): RegistryClient {
  const password = readFileSync(spec.passwordFile, 'utf8').trim();
  const made = new RegistryClient({ url: spec.url, ca: readFileSync(spec.ca), credentials: async () => ({ username: spec.username, password }), ...options });
  clients.push(made);
  return made;
}

async function failure(promise: Promise<unknown>): Promise<RegistryError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RegistryError);
  return error as RegistryError;
}

/** What h1's daemon recorded for an image reference it pulled. */
async function repoDigests(reference: string): Promise<string[]> {
  return JSON.parse(await dockerCli('h1', 'image', 'inspect', '--format', '{{json .RepoDigests}}', reference)) as string[];
}

describe.each(registries)('the lab registry with $name', ({ spec, images }) => {
  it('pings, and lists every pushed tag', async () => {
    const registry = client(spec);
    await registry.ping();
    const repository = parseImageRef(Object.values(images)[0] ?? '').repository;
    expect(await registry.repositories()).toContain(repository);
    expect((await registry.tags(repository)).sort()).toEqual(Object.keys(images).sort());
  });

  it("gives each tag the digest the daemon records after pulling it, by HEAD and by GET", async () => {
    const registry = client(spec);
    for (const reference of Object.values(images)) {
      const ref = parseImageRef(reference);
      const info = await registry.tagInfo(ref.repository, ref.tag ?? '');
      expect(await repoDigests(reference)).toContain(`${ref.registry}/${ref.repository}@${info.digest}`);
      expect((await registry.manifestDigest(ref.repository, ref.tag ?? '')).digest).toBe(info.digest);
      expect(info.size).toBeGreaterThan(0);
      expect(info.created).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
  });

  it('is an auth error with a wrong password, without waiting for a deadline', async () => {
    const wrong = { credentials: async () => ({ username: spec.username, password: 'wrong-password' }), clock: new FakeClock() };
    const error = await failure(client(spec, wrong).repositories());
    expect(error.kind).toBe('auth');
    expect(error.message).not.toContain('wrong-password');
  });

  it('is a tls error with a wrong CA, without waiting for a deadline', async () => {
    // On a clock that never moves the deadline never passes: the failure has to come from TLS itself.
    const error = await failure(client(spec, { ca: makeCertificate().cert, clock: new FakeClock() }).ping());
    expect(error.kind).toBe('tls');
  });
});

describe('the token registry with an identity token', () => {
  /** `docker login` with a token service that offers refresh tokens: the OAuth2 password grant, offline. */
  async function identityToken(): Promise<string> {
    const spec = l.tokenRegistry;
    const body = new URLSearchParams({
      grant_type: 'password',
      username: spec.username,
      password: readFileSync(spec.passwordFile, 'utf8').trim(),
      service: spec.service,
      client_id: 'fleetdeck-itest',
      access_type: 'offline',
    }).toString();
    const answer = await new Promise<string>((resolve, reject) => {
      const request = https.request(spec.realm, { method: 'POST', ca: readFileSync(spec.ca), headers: { 'content-type': 'application/x-www-form-urlencoded' }, timeout: 10_000 }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve(text));
      });
      request.on('error', reject);
      request.end(body);
    });
    return (JSON.parse(answer) as { refresh_token: string }).refresh_token;
  }

  it('trades it for access tokens (refresh_token grant), and a forged one is an auth error', async () => {
    const token = await identityToken();
    const registry = client(l.tokenRegistry, { credentials: async () => ({ identityToken: token }) });
    expect(await registry.tags('lab/app')).toEqual(expect.arrayContaining(Object.keys(l.tokenImages)));
    const forged = await failure(client(l.tokenRegistry, { credentials: async () => ({ identityToken: 'forged' }) }).tags('lab/app'));
    expect(forged.kind).toBe('auth');
  });
});
