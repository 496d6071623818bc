// The credential store against real files and real processes: a temp DOCKER_CONFIG with its
// config.json, and credential helpers written here as small scripts on PATH, speaking the protocol.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../clock/clock';
import type { FleetEnv } from '../fleet/environment';
import { createCredentialStore, type CredentialStoreOptions } from './credentials';
import { RegistryError } from './types';

const root = mkdtempSync(path.join(os.tmpdir(), 'fleetdeck-creds-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const HOST = '198.18.0.1:5000';
const SECRET = 'hunter2-very-secret';
let counter = 0;

/** A fresh DOCKER_CONFIG and bin dir; helpers get PATH = bin dir first. */
function sandbox(config?: unknown) {
  const dir = path.join(root, `case-${++counter}`);
  const bin = path.join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  if (config !== undefined) writeFileSync(path.join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  const env: FleetEnv = { home: path.join(dir, 'home'), user: 'sre', vars: { DOCKER_CONFIG: dir, PATH: `${bin}:${process.env.PATH}` } };
  /** A helper script: `body` runs with $server holding what it read on stdin; each call is appended to calls.log. */
  const helper = (name: string, body: string) => {
    const file = path.join(bin, `docker-credential-${name}`);
    writeFileSync(file, `#!/bin/sh\n[ "$1" = get ] || exit 3\nserver=$(cat)\nprintf '%s\\n' "$server" >>"${dir}/calls.log"\n${body}\n`);
    chmodSync(file, 0o755);
  };
  const calls = () => (existsSync(path.join(dir, 'calls.log')) ? readFileSync(path.join(dir, 'calls.log'), 'utf8').trim().split('\n') : []);
  const store = (more: Partial<CredentialStoreOptions> = {}) => createCredentialStore({ registries: [], env, clock: systemClock, ...more });
  return { dir, env, helper, calls, store };
}

const basic = (user: string, pass: string) => Buffer.from(`${user}:${pass}`).toString('base64');
const answer = (user: string, secret: string) => `printf '{"ServerURL":"%s","Username":"${user}","Secret":"${secret}"}' "$server"`;
const NOT_FOUND = `echo 'credentials not found in native keychain'; exit 1`;

async function failure(promise: Promise<unknown>): Promise<RegistryError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RegistryError);
  return err as RegistryError;
}

describe('credential sources, in order', () => {
  it('the fleet file beats config.json, which beats the credential helper', async () => {
    const config = { auths: { [HOST]: { auth: basic('cfg', 'cfg-pass') } }, credHelpers: { [HOST]: 'lab' } };
    const s = sandbox(config);
    s.helper('lab', answer('helper', 'helper-pass'));
    const fleet = [{ host: HOST, username: 'fleet', password: 'fleet-pass' }];

    expect(await s.store({ registries: fleet }).lookup(HOST)).toEqual({ source: 'fleet-file', credentials: { username: 'fleet', password: 'fleet-pass' } });
    expect(await s.store().lookup(HOST)).toEqual({ source: 'docker-config', credentials: { username: 'cfg', password: 'cfg-pass' } });

    // docker login with a helper leaves an empty auths entry: a marker, not credentials.
    const marker = sandbox({ ...config, auths: { [HOST]: {} } });
    marker.helper('lab', answer('helper', 'helper-pass'));
    expect(await marker.store().lookup(HOST)).toEqual({ source: 'credential-helper', credentials: { username: 'helper', password: 'helper-pass' } });
    expect(s.calls()).toEqual([]);
  });

  it('a fleet-file registry without its password (passwordEnv unset) falls through to config.json', async () => {
    const s = sandbox({ auths: { [HOST]: { auth: basic('cfg', 'cfg-pass') } } });
    const lookup = await s.store({ registries: [{ host: HOST, username: 'fleet' }] }).lookup(HOST);
    expect(lookup).toEqual({ source: 'docker-config', credentials: { username: 'cfg', password: 'cfg-pass' } });
  });

  it('nothing anywhere (or no config.json at all) is source none', async () => {
    expect(await sandbox().store().lookup(HOST)).toEqual({ source: 'none' });
    expect(await sandbox({ auths: { 'other:5000': { auth: basic('a', 'b') } } }).store().lookup(HOST)).toEqual({ source: 'none' });
  });
});

describe('config.json auths', () => {
  it.each([HOST, `https://${HOST}`, `http://${HOST}`, `https://${HOST}/v1/`])('matches the key %s by host', async (key) => {
    const s = sandbox({ auths: { [key]: { auth: basic('sre', 'pa:ss') } } });
    expect(await s.store().lookup(HOST)).toEqual({ source: 'docker-config', credentials: { username: 'sre', password: 'pa:ss' } });
  });

  it('reads an identity token, with the username from auth, and plain username/password fields', async () => {
    const token = sandbox({ auths: { [HOST]: { auth: basic('sre', ''), identitytoken: 'refresh-token' } } });
    expect(await token.store().lookup(HOST)).toEqual({ source: 'docker-config', credentials: { identityToken: 'refresh-token', username: 'sre' } });
    const bare = sandbox({ auths: { [HOST]: { identitytoken: 'refresh-token' } } });
    expect((await bare.store().lookup(HOST)).credentials).toEqual({ identityToken: 'refresh-token' });
    const plain = sandbox({ auths: { [HOST]: { username: 'sre', password: 'pw' } } });
    expect((await plain.store().lookup(HOST)).credentials).toEqual({ username: 'sre', password: 'pw' });
  });

  it("keys Docker Hub under https://index.docker.io/v1/, as the docker CLI does", async () => {
    const s = sandbox({ auths: { 'https://index.docker.io/v1/': { auth: basic('hubber', 'pw') } } });
    expect((await s.store().lookup('docker.io')).credentials).toEqual({ username: 'hubber', password: 'pw' });
  });

  it('a broken config.json is a clear error that quotes no secret', async () => {
    const badAuth = sandbox({ auths: { [HOST]: { auth: Buffer.from(SECRET).toString('base64') } } });
    const e1 = await failure(badAuth.store().lookup(HOST));
    expect(e1.message).toMatch(/config\.json: auths\["198\.18\.0\.1:5000"\]: "auth" is not base64 of "username:password"/);
    expect(e1.kind).toBe('auth');

    const badJson = sandbox(`{"auths": {"${HOST}": {"auth": "${SECRET}" oops`);
    const e2 = await failure(badJson.store().lookup(HOST));
    expect(e2.message).toMatch(/config\.json is not valid JSON/);

    const badShape = sandbox({ auths: { [HOST]: { auth: 42 } }, credsStore: SECRET });
    const e3 = await failure(badShape.store().lookup(HOST));
    expect(e3.message).toMatch(/config\.json: auths\.198\.18\.0\.1:5000\.auth: /);
    for (const e of [e1, e2, e3]) expect(e.message).not.toContain(SECRET);
  });

  it('refuses a helper name that is a path', async () => {
    const s = sandbox({ credsStore: '../../bin/sh' });
    expect((await failure(s.store().lookup(HOST))).message).toMatch(/credsStore: "\.\.\/\.\.\/bin\/sh" is not a credential helper name/);
  });
});

describe('credential helpers (the real protocol, real processes)', () => {
  it('credHelpers for the host wins over credsStore; the helper is asked for the bare host', async () => {
    const s = sandbox({ credHelpers: { [HOST]: 'lab' }, credsStore: 'desktop' });
    s.helper('lab', answer('sre', SECRET));
    s.helper('desktop', answer('wrong', 'wrong'));
    expect(await s.store().lookup(HOST)).toEqual({ source: 'credential-helper', credentials: { username: 'sre', password: SECRET } });
    expect(s.calls()).toEqual([HOST]);
  });

  it('credsStore serves hosts without a credHelpers entry; "<token>" means an identity token', async () => {
    const s = sandbox({ credHelpers: { 'elsewhere:5000': 'lab' }, credsStore: 'desktop' });
    s.helper('desktop', answer('<token>', 'identity-token'));
    expect(await s.store().lookup(HOST)).toEqual({ source: 'credential-helper', credentials: { identityToken: 'identity-token' } });
  });

  it('"credentials not found" is no credentials, after asking by host and by https:// URL', async () => {
    const s = sandbox({ credsStore: 'empty' });
    s.helper('empty', NOT_FOUND);
    expect(await s.store().lookup(HOST)).toEqual({ source: 'none' });
    expect(s.calls()).toEqual([HOST, `https://${HOST}`]);
  });

  it('finds credentials a tool stored under https://host', async () => {
    const s = sandbox({ credsStore: 'byurl' });
    s.helper('byurl', `[ "$server" = "https://${HOST}" ] || { ${NOT_FOUND}; }\n${answer('sre', 'pw')}`);
    expect((await s.store().lookup(HOST)).credentials).toEqual({ username: 'sre', password: 'pw' });
  });

  it('asks Docker Hub credentials by https://index.docker.io/v1/', async () => {
    const s = sandbox({ credsStore: 'hub' });
    s.helper('hub', answer('hubber', 'pw'));
    expect((await s.store().lookup('index.docker.io')).credentials).toEqual({ username: 'hubber', password: 'pw' });
    expect(s.calls()).toEqual(['https://index.docker.io/v1/']);
  });

  it('a missing helper is a clear error', async () => {
    const s = sandbox({ credsStore: 'nowhere' });
    const e = await failure(s.store().lookup(HOST));
    expect(e.message).toBe('docker-credential-nowhere: not found on PATH (is the credential helper installed?)');
    expect(e.kind).toBe('auth');
  });

  it('a hanging helper is stopped at the timeout, with a clear error', async () => {
    const s = sandbox({ credsStore: 'hang' });
    s.helper('hang', `sleep 30\n${answer('sre', 'pw')}`);
    const e = await failure(s.store({ helperTimeoutMs: 300 }).lookup(HOST));
    expect(e.message).toBe(`docker-credential-hang: no answer within 0.3 s for ${HOST}; stopped it`);
  });

  it('garbage from a helper is an error that does not echo it', async () => {
    const s = sandbox({ credsStore: 'garbage' });
    s.helper('garbage', `echo "Username=sre Secret=${SECRET}"`);
    const e = await failure(s.store().lookup(HOST));
    expect(e.message).toBe(`docker-credential-garbage: answered something other than {ServerURL, Username, Secret} JSON for ${HOST}`);
    expect(e.message).not.toContain(SECRET);

    const wrongShape = sandbox({ credsStore: 'shape' });
    wrongShape.helper('shape', `echo '{"ServerURL":"x","Username":1,"Secret":"${SECRET}"}'`);
    expect((await failure(wrongShape.store().lookup(HOST))).message).not.toContain(SECRET);
  });

  it('a failing helper shows the first line of what it said', async () => {
    const s = sandbox({ credsStore: 'broken' });
    s.helper('broken', `echo 'gpg: decryption failed: No secret key' >&2; echo more >&2; exit 1`);
    expect((await failure(s.store().lookup(HOST))).message).toBe('docker-credential-broken: get failed (exit 1): gpg: decryption failed: No secret key');
  });

  it('caches an answer per host for the process, but not a failure', async () => {
    const s = sandbox({ credsStore: 'lab' });
    const store = s.store();
    expect((await failure(store.lookup(HOST))).message).toMatch(/not found on PATH/);
    s.helper('lab', answer('sre', 'pw'));
    const [a, b] = await Promise.all([store.lookup(HOST), store.lookup(`https://${HOST}/`)]);
    expect(a).toEqual({ source: 'credential-helper', credentials: { username: 'sre', password: 'pw' } });
    expect(b).toEqual(a);
    expect(await store.lookup(HOST)).toEqual(a);
    expect(s.calls()).toEqual([HOST]);
  });
});
