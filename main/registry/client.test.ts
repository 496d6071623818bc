// The Registry v2 client against a loopback HTTPS server that plays the registry and its token
// service: Basic and Bearer auth (a challenge without service, several challenges, caching, a
// refresh after 401, identity tokens), Link paging, HEAD and GET digests, an index's platform,
// the config blob, and every failure kind (auth, tls, unreachable, timeout, not-found, protocol).
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type http from 'node:http';
import { FakeClock } from '../clock/fakeClock';
import { RegistryClient, type RegistryClientOptions } from './client';
import { challenge, closedPort, json, makeCertificate, startRawServer, startServer, type Certificate, type LoopbackServer, type Recorded } from './fixtures/loopbackRegistry';
import { digestOf, MEDIA_TYPES } from './manifests';
import { basicAuthorization } from './tokenAuth';
import { RegistryError, type RegistryCredentials } from './types';

const USER = { username: 'sre', password: 'pa55-w0rd-SECRET' };
const GOOD_BASIC = basicAuthorization(USER.username, USER.password);

let cert: Certificate;
let otherCert: Certificate;
let server: LoopbackServer;
const clients: RegistryClient[] = [];

beforeAll(() => {
  cert = makeCertificate();
  otherCert = makeCertificate();
});
beforeEach(async () => {
  server = await startServer(cert);
});
afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await server.close();
});

function client(options: Partial<RegistryClientOptions> = {}): RegistryClient {
  const made = new RegistryClient({ url: server.url, ca: cert.cert, credentials: async () => USER, ...options });
  clients.push(made);
  return made;
}

/** The RegistryError a promise rejects with (fails the test if it resolves or rejects otherwise). */
async function failure(promise: Promise<unknown>): Promise<RegistryError> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a RegistryError, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(RegistryError);
  return outcome.error as RegistryError;
}

const pathOf = (r: Recorded): string => new URL(r.url, 'http://x').pathname;
const queryOf = (r: Recorded): URLSearchParams => new URL(r.url, 'http://x').searchParams;

// --- an image: config blob, amd64 and arm64 manifests, an OCI index over them ---

const layer = (n: number, size: number) => ({ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size, digest: `sha256:${String(n).repeat(64)}` });
const configBlob = Buffer.from(JSON.stringify({ created: '2026-11-30T10:00:00Z', architecture: 'amd64', config: { Labels: { 'org.opencontainers.image.version': '1.0' } } }));
const configDigest = digestOf(configBlob);
const manifest = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.dockerManifest,
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: configBlob.length, digest: configDigest },
    layers: [layer(1, 1000), layer(2, 234)],
  }),
);
const manifestDigest = digestOf(manifest);
const armConfig = Buffer.from(JSON.stringify({ created: '2026-11-30T10:00:01Z', architecture: 'arm64', config: { Labels: { arch: 'arm' } } }));
const armManifest = Buffer.from(
  JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociManifest, config: { size: armConfig.length, digest: digestOf(armConfig) }, layers: [layer(3, 5)] }),
);
const attestation = 'sha256:' + 'a'.repeat(64);
const index = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociIndex,
    manifests: [
      { mediaType: MEDIA_TYPES.ociManifest, digest: digestOf(armManifest), size: armManifest.length, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      { mediaType: MEDIA_TYPES.dockerManifest, digest: manifestDigest, size: manifest.length, platform: { os: 'linux', architecture: 'amd64' } },
      { mediaType: MEDIA_TYPES.ociManifest, digest: attestation, size: 10, platform: { os: 'unknown', architecture: 'unknown' } },
    ],
  }),
);
const indexDigest = digestOf(index);

interface Served {
  body: Buffer;
  contentType: string;
  /** Docker-Content-Digest on HEAD answers (default true). */
  headDigest?: boolean;
  /** Docker-Content-Digest on GET answers (default true). */
  getDigest?: boolean;
}

/** Serves lab/app's manifests (by tag or digest) and blobs, anonymously. */
function serveImages(manifests: Record<string, Served>, blobs: Record<string, Buffer> = {}): (r: Recorded, response: http.ServerResponse) => void {
  return (r, response) => {
    const match = /^\/v2\/lab\/app\/(manifests|blobs)\/(.+)$/.exec(pathOf(r));
    const served = match?.[1] === 'manifests' ? manifests[match[2] ?? ''] : undefined;
    if (served) {
      const withDigest = r.method === 'HEAD' ? served.headDigest !== false : served.getDigest !== false;
      response.writeHead(200, { 'content-type': served.contentType, 'content-length': served.body.length, ...(withDigest && { 'docker-content-digest': digestOf(served.body) }) });
      response.end(r.method === 'HEAD' ? undefined : served.body);
      return;
    }
    const blob = match?.[1] === 'blobs' ? blobs[match[2] ?? ''] : undefined;
    if (blob) {
      response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(blob);
      return;
    }
    json(response, 404, { errors: [{ code: match?.[1] === 'blobs' ? 'BLOB_UNKNOWN' : 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] });
  };
}

describe('Basic auth', () => {
  beforeEach(() => {
    server.handle = (r, response) => (r.headers.authorization === GOOD_BASIC ? json(response, 200, {}) : challenge(response, 'Basic realm="Registry Realm"'));
  });

  it('answers the challenge with the credentials, then sends them up front', async () => {
    const registry = client();
    await registry.ping();
    await registry.ping();
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([undefined, GOOD_BASIC, GOOD_BASIC]);
  });

  it('is an auth error with a wrong password, tried once, and the message holds no secret', async () => {
    const error = await failure(client({ credentials: async () => ({ username: 'sre', password: 'wrong-SECRET' }) }).ping());
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(/HTTP 401: UNAUTHORIZED authentication required/);
    expect(error.message).not.toMatch(/SECRET/);
    expect(server.requests).toHaveLength(2);
  });

  it('says there were no credentials to offer', async () => {
    const error = await failure(client({ credentials: async () => undefined }).ping());
    expect(error.kind).toBe('auth');
    expect(error.message).toContain(`(no credentials for 127.0.0.1:${server.port})`);
  });

  it("is an auth error when the credential store fails, with the store's reason", async () => {
    const error = await failure(client({ credentials: () => Promise.reject(new Error('docker-credential-lab exited 1')) }).ping());
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('docker-credential-lab exited 1');
  });
});

/** A registry that wants Bearer tokens from its own /token, which gives them for Basic credentials. */
function bearerRegistry(options: { challenge: (scope: string) => string; valid: Set<string>; issue: (r: Recorded) => unknown }) {
  server.handle = (r, response) => {
    if (pathOf(r) === '/token') {
      if (r.method === 'GET' && r.headers.authorization !== GOOD_BASIC) return challenge(response, 'Basic realm="token"');
      return json(response, 200, options.issue(r));
    }
    const token = r.headers.authorization?.replace(/^Bearer /, '');
    if (token && options.valid.has(token)) {
      if (pathOf(r) === '/v2/_catalog') return json(response, 200, { repositories: ['lab/app'] });
      return json(response, 200, { name: 'lab/app', tags: ['1.0'] });
    }
    const scope = pathOf(r) === '/v2/_catalog' ? 'registry:catalog:*' : 'repository:lab/app:pull';
    challenge(response, options.challenge(scope));
  };
}

const tokenRequests = (): Recorded[] => server.requests.filter((r) => pathOf(r) === '/token');

describe('Bearer auth', () => {
  it('takes a token for the scope from a challenge without service, and leaves service out', async () => {
    bearerRegistry({ challenge: (scope) => `Bearer realm="${server.url}/token",scope="${scope}"`, valid: new Set(['T1']), issue: () => ({ token: 'T1', expires_in: 300 }) });
    expect(await client().tags('lab/app')).toEqual(['1.0']);
    const [asked] = tokenRequests();
    expect(asked?.headers.authorization).toBe(GOOD_BASIC);
    expect(queryOf(asked!).has('service')).toBe(false);
    expect(queryOf(asked!).getAll('scope')).toEqual(['repository:lab/app:pull']);
    expect(queryOf(asked!).get('account')).toBe('sre');
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer T1');
  });

  it('picks Bearer out of several challenges in one header, with its service and a quoted comma', async () => {
    bearerRegistry({
      challenge: (scope) => `Basic realm="x", Bearer realm="${server.url}/token",service="lab registry",scope="${scope},push"`,
      valid: new Set(['T1']),
      issue: () => ({ access_token: 'T1' }),
    });
    await client().tags('lab/app');
    expect(queryOf(tokenRequests()[0]!).get('service')).toBe('lab registry');
  });

  it('asks for registry:catalog:* for the catalog', async () => {
    bearerRegistry({ challenge: (scope) => `Bearer realm="${server.url}/token",service="s",scope="${scope}"`, valid: new Set(['T1']), issue: () => ({ token: 'T1' }) });
    expect(await client().repositories()).toEqual(['lab/app']);
    expect(queryOf(tokenRequests()[0]!).getAll('scope')).toEqual(['registry:catalog:*']);
  });

  it('keeps a token per scope set until it expires (expires_in, else 60 s), then asks again', async () => {
    const clock = new FakeClock(1_000_000);
    let issued = 0;
    bearerRegistry({
      challenge: (scope) => `Bearer realm="${server.url}/token",service="s",scope="${scope}"`,
      valid: new Set(['T1', 'T2', 'T3', 'T4']),
      issue: () => (++issued === 1 ? { token: `T${issued}`, expires_in: 120 } : { token: `T${issued}` }),
    });
    const registry = client({ clock });
    await registry.tags('lab/app');
    await clock.advance(119_000);
    await registry.tags('lab/app');
    expect(tokenRequests()).toHaveLength(1);
    await registry.repositories(); // another scope set: its own token
    expect(tokenRequests()).toHaveLength(2);
    await clock.advance(1_000);
    await registry.tags('lab/app'); // T1 expired at 120 s
    expect(tokenRequests()).toHaveLength(3);
    await clock.advance(59_000);
    await registry.tags('lab/app'); // T3 had no expires_in: 60 s
    expect(tokenRequests()).toHaveLength(3);
    await clock.advance(1_000);
    await registry.tags('lab/app');
    expect(tokenRequests()).toHaveLength(4);
    // Sent up front once the scheme is known: no 401 round trip for a cached or fresh token.
    expect(server.requests.filter((r) => r.headers.authorization === undefined)).toHaveLength(1);
  });

  it('shares one token request between concurrent calls', async () => {
    bearerRegistry({ challenge: (scope) => `Bearer realm="${server.url}/token",scope="${scope}"`, valid: new Set(['T1']), issue: () => ({ token: 'T1' }) });
    const registry = client();
    await registry.ping().catch(() => undefined); // learn the scheme
    await Promise.all([registry.tags('lab/app'), registry.tags('lab/app'), registry.tags('lab/app')]);
    expect(tokenRequests().filter((r) => queryOf(r).get('scope') === 'repository:lab/app:pull')).toHaveLength(1);
  });

  it('takes one fresh token after a 401 with a cached one', async () => {
    let issued = 0;
    const valid = new Set(['T1']);
    bearerRegistry({ challenge: (scope) => `Bearer realm="${server.url}/token",scope="${scope}"`, valid, issue: () => ({ token: `T${++issued}`, expires_in: 300 }) });
    const registry = client();
    await registry.tags('lab/app');
    valid.delete('T1'); // revoked before it expired
    valid.add('T2');
    expect(await registry.tags('lab/app')).toEqual(['1.0']);
    expect(tokenRequests()).toHaveLength(2);
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer T2');
  });

  it('is an auth error, without a loop, when the fresh token is refused too', async () => {
    let issued = 0;
    bearerRegistry({ challenge: (scope) => `Bearer realm="${server.url}/token",scope="${scope}"`, valid: new Set(), issue: () => ({ token: `SECRET-T${++issued}` }) });
    const error = await failure(client().tags('lab/app'));
    expect(error.kind).toBe('auth');
    expect(error.message).not.toMatch(/SECRET|pa55/);
    expect(tokenRequests()).toHaveLength(1);
    expect(server.requests).toHaveLength(3);
  });

  it('is an auth error when the token service refuses the password', async () => {
    bearerRegistry({ challenge: (scope) => `Bearer realm="${server.url}/token",scope="${scope}"`, valid: new Set(['T1']), issue: () => ({ token: 'T1' }) });
    const error = await failure(client({ credentials: async () => ({ username: 'sre', password: 'wrong' }) }).tags('lab/app'));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain(`token service ${server.url}/token: HTTP 401`);
  });

  it('trades an identity token for an access token by the OAuth2 refresh_token grant (POST)', async () => {
    const identity: RegistryCredentials = { identityToken: 'refresh-SECRET' };
    bearerRegistry({ challenge: (scope) => `Bearer realm="${server.url}/token",service="svc",scope="${scope}"`, valid: new Set(['A1']), issue: () => ({ access_token: 'A1', expires_in: 300 }) });
    expect(await client({ credentials: async () => identity }).tags('lab/app')).toEqual(['1.0']);
    const [asked] = tokenRequests();
    expect(asked?.method).toBe('POST');
    expect(asked?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(asked?.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'refresh-SECRET',
      client_id: 'fleetdeck',
      service: 'svc',
      scope: 'repository:lab/app:pull',
    });
  });

  it('is a protocol error when the token service answers garbage or no token', async () => {
    server.handle = (r, response) => {
      if (pathOf(r) === '/token') return response.writeHead(200, { 'content-type': 'application/json' }).end('<html>not json</html>');
      challenge(response, `Bearer realm="${server.url}/token"`);
    };
    expect((await failure(client().ping())).kind).toBe('protocol');
    server.handle = (r, response) => (pathOf(r) === '/token' ? json(response, 200, { expires_in: 60 }) : challenge(response, `Bearer realm="${server.url}/token"`));
    expect((await failure(client().ping())).kind).toBe('protocol');
  });

  it('refuses a plain HTTP token realm unless the registry is insecure', async () => {
    server.handle = (_r, response) => challenge(response, `Bearer realm="http://127.0.0.1:${server.port}/token"`);
    const error = await failure(client().ping());
    expect(error.kind).toBe('tls');
    expect(error.message).toMatch(/plain HTTP/);
    expect(server.requests).toHaveLength(1);
  });
});

describe('lists', () => {
  it('follows relative Link rel="next" pages of the catalog', async () => {
    server.handle = (r, response) => {
      const last = queryOf(r).get('last');
      if (!last) return json(response, 200, { repositories: ['a', 'b'] }, { link: '</v2/_catalog?last=b&n=2>; rel="next"' });
      if (last === 'b') return json(response, 200, { repositories: ['c/d', 'e'] }, { link: '<_catalog?last=e&n=2>; rel="next"' });
      json(response, 200, { repositories: ['f'] });
    };
    expect(await client().repositories()).toEqual(['a', 'b', 'c/d', 'e', 'f']);
    expect(server.requests.map((r) => r.url)).toEqual(['/v2/_catalog', '/v2/_catalog?last=b&n=2', '/v2/_catalog?last=e&n=2']);
  });

  it('pages tags the same way, and reads a repository without tags (null) as none', async () => {
    server.handle = (r, response) =>
      queryOf(r).get('last') ? json(response, 200, { name: 'lab/app', tags: ['1.1'] }) : json(response, 200, { name: 'lab/app', tags: ['1.0'] }, { link: '</v2/lab/app/tags/list?last=1.0>; rel="next"' });
    expect(await client().tags('lab/app')).toEqual(['1.0', '1.1']);
    server.handle = (_r, response) => json(response, 200, { name: 'lab/app', tags: null });
    expect(await client().tags('lab/app')).toEqual([]);
  });

  it('does not follow a next page to another origin, nor round a loop', async () => {
    server.handle = (_r, response) => json(response, 200, { repositories: ['a'] }, { link: '<https://elsewhere.example/v2/_catalog?last=a>; rel="next"' });
    const elsewhere = await failure(client().repositories());
    expect([elsewhere.kind, elsewhere.message]).toEqual(['protocol', expect.stringContaining('another origin')]);
    server.handle = (_r, response) => json(response, 200, { repositories: ['a'] }, { link: '</v2/_catalog?last=a>; rel="next"' });
    const loop = await failure(client().repositories());
    expect([loop.kind, loop.message]).toEqual(['protocol', expect.stringContaining('loop')]);
  });

  it('is not-found for an unknown repository, and refuses a name that is not one before asking', async () => {
    server.handle = (_r, response) => json(response, 404, { errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }] });
    const unknown = await failure(client().tags('lab/nothing'));
    expect([unknown.kind, unknown.message]).toEqual(['not-found', expect.stringContaining('NAME_UNKNOWN repository name not known to registry')]);
    const bad = await failure(client().tags('../etc'));
    expect(bad.kind).toBe('not-found');
    expect(server.requests).toHaveLength(1);
  });
});

describe('manifest digests', () => {
  it('takes the digest from HEAD when it gives one, sending every manifest type in Accept', async () => {
    server.handle = serveImages({ '1.0': { body: manifest, contentType: MEDIA_TYPES.dockerManifest } });
    expect(await client().manifestDigest('lab/app', '1.0')).toEqual({ digest: manifestDigest, mediaType: MEDIA_TYPES.dockerManifest });
    expect(server.requests.map((r) => r.method)).toEqual(['HEAD']);
    const accept = server.requests[0]?.headers.accept?.split(',').map((t) => t.trim());
    expect(accept).toEqual(expect.arrayContaining(Object.values(MEDIA_TYPES)));
  });

  it("falls back to GET where HEAD gives no Docker-Content-Digest, and takes the body's sha256", async () => {
    server.handle = serveImages({ '1.0': { body: manifest, contentType: MEDIA_TYPES.dockerManifest, headDigest: false, getDigest: false } });
    expect(await client().manifestDigest('lab/app', '1.0')).toEqual({ digest: manifestDigest, mediaType: MEDIA_TYPES.dockerManifest });
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['HEAD /v2/lab/app/manifests/1.0', 'GET /v2/lab/app/manifests/1.0']);
  });

  it("tells an index's digest from its linux/amd64 manifest's, skipping arm64 and attestations", async () => {
    server.handle = serveImages({ '1.0': { body: index, contentType: MEDIA_TYPES.ociIndex }, [indexDigest]: { body: index, contentType: MEDIA_TYPES.ociIndex } });
    expect(await client().manifestDigest('lab/app', '1.0')).toEqual({ digest: indexDigest, mediaType: MEDIA_TYPES.ociIndex, platformDigest: manifestDigest });
    // The body is fetched by the digest HEAD gave, so a tag moving in between cannot mix two manifests.
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['HEAD /v2/lab/app/manifests/1.0', `GET /v2/lab/app/manifests/${indexDigest}`]);
  });

  it('is not-found for an unknown tag (HEAD has no body: the status says it)', async () => {
    server.handle = serveImages({});
    expect((await failure(client().manifestDigest('lab/app', '9.9'))).kind).toBe('not-found');
  });

  it('is a protocol error when a manifest does not match its digest', async () => {
    server.handle = (r, response) => {
      response.writeHead(200, { 'content-type': MEDIA_TYPES.dockerManifest, 'docker-content-digest': 'sha256:' + 'b'.repeat(64) });
      response.end(r.method === 'HEAD' ? undefined : manifest);
    };
    expect((await failure(client().imageConfig('lab/app', '1.0'))).message).toMatch(/does not match its digest/);
  });

  it('is a protocol error for a body that is no manifest we read', async () => {
    server.handle = (r, response) => response.writeHead(200, { 'content-type': 'application/vnd.docker.distribution.manifest.v1+prettyjws' }).end(r.method === 'HEAD' ? undefined : '{"schemaVersion":1}');
    const error = await failure(client().manifestDigest('lab/app', '1.0'));
    expect([error.kind, error.message]).toEqual(['protocol', expect.stringContaining('not a Docker v2 or OCI manifest')]);
  });
});

describe('image config and tag info', () => {
  const images = {
    '1.0': { body: manifest, contentType: MEDIA_TYPES.dockerManifest },
    multi: { body: index, contentType: MEDIA_TYPES.ociIndex },
    [manifestDigest]: { body: manifest, contentType: MEDIA_TYPES.dockerManifest },
    [digestOf(armManifest)]: { body: armManifest, contentType: MEDIA_TYPES.ociManifest },
  };
  const blobs = { [configDigest]: configBlob, [digestOf(armConfig)]: armConfig };
  /** What the amd64 config blob and manifest say. */
  const amd64 = { created: '2026-11-30T10:00:00Z', size: 1234, labels: { 'org.opencontainers.image.version': '1.0' } };

  it('reads created and labels from the config blob, and sums the layers for the size', async () => {
    server.handle = serveImages(images, blobs);
    expect(await client().tagInfo('lab/app', '1.0')).toEqual({ tag: '1.0', digest: manifestDigest, mediaType: MEDIA_TYPES.dockerManifest, ...amd64 });
    expect(server.requests.map((r) => `${r.method} ${pathOf(r)}`)).toEqual(['GET /v2/lab/app/manifests/1.0', `GET /v2/lab/app/blobs/${configDigest}`]);
  });

  it("takes a multi-platform tag's config from its linux/amd64 manifest", async () => {
    server.handle = serveImages(images, blobs);
    expect(await client().tagInfo('lab/app', 'multi')).toEqual({ tag: 'multi', digest: indexDigest, mediaType: MEDIA_TYPES.ociIndex, platformDigest: manifestDigest, ...amd64 });
    expect(await client().imageConfig('lab/app', 'multi')).toEqual(amd64);
  });

  it("is not-found for the config of an index without linux/amd64, which still has a digest", async () => {
    const armOnly = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: [{ digest: digestOf(armManifest), platform: { os: 'linux', architecture: 'arm64' } }] }));
    const served = { body: armOnly, contentType: MEDIA_TYPES.ociIndex };
    server.handle = serveImages({ arm: served, [digestOf(armOnly)]: served }, blobs);
    const error = await failure(client().tagInfo('lab/app', 'arm'));
    expect([error.kind, error.message]).toEqual(['not-found', expect.stringContaining('no linux/amd64 image')]);
    // Its own digest is still known.
    expect(await client().manifestDigest('lab/app', 'arm')).toEqual({ digest: digestOf(armOnly), mediaType: MEDIA_TYPES.ociIndex });
  });

  it('follows a blob redirect to storage without taking the Authorization header there', async () => {
    const storage = await startServer(cert);
    try {
      storage.handle = (_r, response) => response.writeHead(200).end(configBlob);
      const images = serveImages({ '1.0': { body: manifest, contentType: MEDIA_TYPES.dockerManifest } });
      server.handle = (r, response) => {
        if (r.headers.authorization !== GOOD_BASIC) return challenge(response, 'Basic realm="r"');
        if (pathOf(r).includes('/blobs/')) return response.writeHead(307, { location: `${storage.url}/store/${configDigest}?sig=x` }).end();
        images(r, response);
      };
      expect((await client().tagInfo('lab/app', '1.0')).created).toBe('2026-11-30T10:00:00Z');
      expect(storage.requests.map((r) => [r.url, r.headers.authorization])).toEqual([[`/store/${configDigest}?sig=x`, undefined]]);
    } finally {
      await storage.close();
    }
  });

  it('is a protocol error when the config blob is not its digest or not JSON', async () => {
    server.handle = serveImages(images, { [configDigest]: Buffer.from('{"created": "tampered"}') });
    expect((await failure(client().tagInfo('lab/app', '1.0'))).message).toMatch(/does not match its digest/);
  });

  it('refuses a reference that is neither tag nor digest before asking', async () => {
    expect((await failure(client().manifestDigest('lab/app', 'sha256:short'))).kind).toBe('not-found');
    expect((await failure(client().tagInfo('lab/app', '-x'))).kind).toBe('not-found');
    expect(server.requests).toHaveLength(0);
  });
});

describe('failures', () => {
  it('is a tls error with a CA that did not sign the certificate, and with none', async () => {
    const wrongCa = await failure(client({ ca: otherCert.cert }).ping());
    expect([wrongCa.kind, wrongCa.message]).toEqual(['tls', expect.stringContaining(server.url)]);
    const noCa = await failure(client({ ca: undefined }).ping());
    expect(noCa.kind).toBe('tls');
  });

  it('never uses plain HTTP unless insecure, and then only for an http:// url', async () => {
    const plain = await startServer();
    try {
      plain.handle = (_r, response) => json(response, 200, {});
      const refused = await failure(client({ url: plain.url }).ping());
      expect([refused.kind, refused.message]).toEqual(['tls', expect.stringContaining('insecure: true')]);
      expect(plain.requests).toHaveLength(0);
      await client({ url: plain.url, insecure: true }).ping();
      expect(plain.requests).toHaveLength(1);
    } finally {
      await plain.close();
    }
    // insecure does not turn verification off for https.
    expect((await failure(client({ ca: otherCert.cert, insecure: true }).ping())).kind).toBe('tls');
  });

  it('is unreachable on a closed port', async () => {
    const error = await failure(client({ url: `https://127.0.0.1:${await closedPort()}` }).ping());
    expect([error.kind, error.message]).toEqual(['unreachable', expect.stringContaining('ECONNREFUSED')]);
  });

  it('is unreachable when a proxy in front says the registry is down (502/503/504)', async () => {
    server.handle = (_r, response) => response.writeHead(503).end('Service Unavailable');
    expect((await failure(client().repositories())).kind).toBe('unreachable');
  });

  it('times out on a registry that never answers, at the injected deadline', async () => {
    const clock = new FakeClock();
    server.handle = () => undefined; // never answers
    const arrived = server.nextRequest();
    let settled = false;
    const pinging = failure(client({ clock, timeoutMs: 5_000 }).ping()).finally(() => (settled = true));
    await arrived;
    await clock.advance(4_999);
    expect(settled).toBe(false);
    await clock.advance(1);
    const error = await pinging;
    expect([error.kind, error.message]).toEqual(['timeout', expect.stringContaining('timed out after 5000 ms')]);
  });

  it('times out on a server that accepts and never speaks TLS (default 10 s deadline)', async () => {
    const clock = new FakeClock();
    const silent = await startRawServer(undefined);
    try {
      let settled = false;
      const pinging = failure(client({ url: `https://127.0.0.1:${silent.port}`, clock }).ping()).finally(() => (settled = true));
      await clock.advance(9_999);
      expect(settled).toBe(false);
      await clock.advance(1);
      expect((await pinging).kind).toBe('timeout');
    } finally {
      await silent.close();
    }
  });

  it('is a protocol error for garbage: not HTTP at all, HTML for JSON, an endless body', async () => {
    const garbage = await startRawServer('SSH-2.0-OpenSSH_9.6\r\nnot http at all\r\n\r\n');
    try {
      expect((await failure(client({ url: `http://127.0.0.1:${garbage.port}`, insecure: true }).ping())).kind).toBe('protocol');
    } finally {
      await garbage.close();
    }
    server.handle = (_r, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>');
    expect((await failure(client().repositories())).kind).toBe('protocol');
    server.handle = (_r, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      const write = (): void => {
        while (response.write(chunk));
        response.once('drain', write);
      };
      response.on('error', () => undefined);
      write();
    };
    const endless = await failure(client().repositories());
    expect([endless.kind, endless.message]).toEqual(['protocol', expect.stringContaining('larger than')]);
  });

  it('is a protocol error for a /v2/ that is not a registry', async () => {
    server.handle = (_r, response) => response.writeHead(404).end('no');
    expect((await failure(client().ping())).message).toMatch(/no Registry v2 API/);
  });
});
