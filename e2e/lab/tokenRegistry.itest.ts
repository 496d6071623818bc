// The lab's token-auth registry as clients meet it: the registry's challenge, the token server
// (GET with basic auth, the OAuth2 POST form, refresh tokens, refusals), the tokens themselves,
// the credential helper and the tests' DOCKER_CONFIG, and daemons pulling with the lab's logins.
import { execFile } from 'node:child_process';
import { X509Certificate, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { dockerCli, lab } from '../support/lab';

const exec = promisify(execFile);

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTPS request trusting only the lab CA. */
function call(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, ca: readFileSync(lab().tokenRegistry.ca), timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
    req.end(init.body);
  });
}

const reg = () => lab().tokenRegistry;
const password = () => readFileSync(reg().passwordFile, 'utf8');
const basic = (user: string, pass: string) => ({ Authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` });

function tokenUrl(scopes: string[], service: string | null = reg().service): string {
  const url = new URL(reg().realm);
  if (service !== null) url.searchParams.set('service', service);
  for (const s of scopes) url.searchParams.append('scope', s);
  url.searchParams.set('account', reg().username);
  return url.toString();
}

function decode(token: string) {
  const [h, c, s] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h!, 'base64url').toString()) as { alg: string; typ: string; x5c: string[] },
    claims: JSON.parse(Buffer.from(c!, 'base64url').toString()) as {
      iss: string; sub: string; aud: string; exp: number; nbf: number; iat: number; jti: string;
      access: { type: string; name: string; actions: string[] }[];
    },
    input: `${h}.${c}`,
    signature: Buffer.from(s!, 'base64url'),
  };
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const postForm = (fields: Record<string, string>) =>
  call(reg().realm, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

describe('token registry', () => {
  it('challenges for a Bearer token with the realm, service and scope', async () => {
    const res = await call(`${reg().url}/v2/lab/app/tags/list`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(`Bearer realm="${reg().realm}",service="${reg().service}",scope="repository:lab/app:pull"`);
  });

  it('issues signed tokens that grant what the user may do, and the registry accepts them', async () => {
    const res = await call(tokenUrl(['repository:lab/app:pull,push,delete', 'repository:other/x:pull', 'registry:catalog:*']), {
      headers: basic(reg().username, password()),
    });
    expect(res.status).toBe(200);
    const answer = JSON.parse(res.body) as { token: string; access_token: string; expires_in: number; issued_at: string };
    expect(answer.access_token).toBe(answer.token);
    expect(answer.expires_in).toBeGreaterThanOrEqual(60);
    expect(Number.isNaN(Date.parse(answer.issued_at))).toBe(false);

    const { header, claims, input, signature } = decode(answer.token);
    const cert = new X509Certificate(readFileSync(reg().signingCert));
    expect(header).toEqual({ typ: 'JWT', alg: 'RS256', x5c: [cert.raw.toString('base64')] });
    expect(verify('sha256', Buffer.from(input), cert.publicKey, signature)).toBe(true);
    expect(claims).toMatchObject({ iss: reg().issuer, sub: reg().username, aud: reg().service });
    expect(claims.exp - claims.iat).toBe(answer.expires_in);
    expect(claims.access).toEqual([
      { type: 'repository', name: 'lab/app', actions: ['pull', 'push'] },
      { type: 'registry', name: 'catalog', actions: ['*'] },
    ]);

    const catalog = await call(`${reg().url}/v2/_catalog`, { headers: bearer(answer.token) });
    expect(JSON.parse(catalog.body)).toEqual({ repositories: ['lab/app'] });
    const tags = await call(`${reg().url}/v2/lab/app/tags/list`, { headers: bearer(answer.token) });
    expect((JSON.parse(tags.body) as { tags: string[] }).tags.sort()).toEqual(Object.keys(lab().tokenImages).sort());
    // a repository outside the grant
    expect((await call(`${reg().url}/v2/other/x/tags/list`, { headers: bearer(answer.token) })).status).toBe(401);
  });

  it('gives the only audience it serves to a request without service', async () => {
    const token = (JSON.parse((await call(tokenUrl(['repository:lab/app:pull'], null), { headers: basic(reg().username, password()) })).body) as { token: string }).token;
    expect(decode(token).claims.aud).toBe(reg().service);
    expect((await call(`${reg().url}/v2/lab/app/tags/list`, { headers: bearer(token) })).status).toBe(200);
  });

  it('refuses a wrong password, an unknown user and anonymous requests with 401; a bad service or scope with 400', async () => {
    for (const headers of [basic(reg().username, 'wrong'), basic('eve', password()), {}]) {
      const res = await call(tokenUrl(['repository:lab/app:pull']), { headers });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/);
      expect(res.body).not.toContain(password());
    }
    expect((await call(tokenUrl([], 'another-service'), { headers: basic(reg().username, password()) })).status).toBe(400);
    expect((await call(tokenUrl(['repository:lab/app']), { headers: basic(reg().username, password()) })).status).toBe(400);
  });

  it('speaks the OAuth2 form: a password grant with offline access gives a refresh token, which gives access tokens', async () => {
    const first = await postForm({
      grant_type: 'password', username: reg().username, password: password(), access_type: 'offline',
      client_id: 'fleetdeck-test', service: reg().service, scope: 'repository:lab/app:pull',
    });
    expect(first.status).toBe(200);
    const { refresh_token: refresh, scope } = JSON.parse(first.body) as { refresh_token: string; scope: string };
    expect(scope).toBe('repository:lab/app:pull');
    const second = await postForm({ grant_type: 'refresh_token', refresh_token: refresh, client_id: 'fleetdeck-test', service: reg().service, scope: 'registry:catalog:*' });
    expect(second.status).toBe(200);
    const { access_token: token } = JSON.parse(second.body) as { access_token: string };
    expect((await call(`${reg().url}/v2/_catalog`, { headers: bearer(token) })).status).toBe(200);

    const tampered = await postForm({ grant_type: 'refresh_token', refresh_token: `${refresh.slice(0, -2)}xx`, service: reg().service });
    expect([tampered.status, (JSON.parse(tampered.body) as { error: string }).error]).toEqual([400, 'invalid_grant']);
    const wrong = await postForm({ grant_type: 'password', username: reg().username, password: 'wrong', service: reg().service });
    expect([wrong.status, (JSON.parse(wrong.body) as { error: string }).error]).toEqual([400, 'invalid_grant']);
  });
});

describe('lab credentials', () => {
  const helper = () => path.join(lab().credentialHelper.dir, `docker-credential-${lab().credentialHelper.name}`);
  async function runHelper(action: string, stdin: string): Promise<{ code: number; stdout: string }> {
    return new Promise((resolve) => {
      const child = execFile(helper(), [action], { timeout: 10_000 }, (err, stdout) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout }));
      child.stdin?.end(stdin);
    });
  }

  it('the credential helper answers the token registry, under either form of its server URL', async () => {
    for (const server of [reg().host, reg().url]) {
      const res = await runHelper('get', `${server}\n`);
      expect(res.code).toBe(0);
      expect(JSON.parse(res.stdout)).toEqual({ ServerURL: server, Username: reg().username, Secret: password() });
    }
    expect(JSON.parse((await runHelper('list', '')).stdout)).toEqual({ [reg().host]: reg().username });
  });

  it('the credential helper says "not found" for another server, as docker expects', async () => {
    const res = await runHelper('get', lab().registry.host);
    expect(res).toEqual({ code: 1, stdout: 'credentials not found in native keychain\n' });
  });

  it('DOCKER_CONFIG holds the basic registry in auths and sends the token registry to the helper', () => {
    const config = JSON.parse(readFileSync(path.join(lab().dockerConfig, 'config.json'), 'utf8')) as {
      auths: Record<string, { auth: string }>;
      credHelpers: Record<string, string>;
    };
    expect(Buffer.from(config.auths[lab().registry.host]!.auth, 'base64').toString()).toBe(`${lab().registry.username}:${readFileSync(lab().registry.passwordFile, 'utf8')}`);
    expect(config.credHelpers).toEqual({ [reg().host]: lab().credentialHelper.name });
  });

  it('the docker CLI pulls from the token registry with that config and the helper on PATH, and is refused without the helper', async () => {
    const { socket } = lab().hosts.find((h) => h.name === 'h3')!;
    const ref = lab().tokenImages['1.1']!;
    const env = { ...process.env, DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: lab().dockerConfig };
    const hadIt = await dockerCli('h3', 'image', 'inspect', ref).then(() => true, () => false);
    if (hadIt) await dockerCli('h3', 'rmi', ref); // an untag: h3 holds the same image as 198.18.0.1:5000/lab/app
    // without docker-credential-lab on PATH the CLI finds no credentials and asks anonymously
    const noHelper = (process.env.PATH ?? '').split(path.delimiter).filter((d) => path.resolve(d) !== lab().credentialHelper.dir).join(path.delimiter);
    const without = await exec('docker', ['pull', '-q', ref], { env: { ...env, PATH: noHelper }, timeout: 60_000 }).then(
      () => ({ stderr: 'pulled without credentials' }),
      (e: { stderr?: string }) => e,
    );
    expect(without.stderr).toMatch(/unauthorized: authentication required/);
    try {
      await exec('docker', ['pull', '-q', ref], { env: { ...env, PATH: `${lab().credentialHelper.dir}:${process.env.PATH}` }, timeout: 60_000 });
      const inspected = JSON.parse(await dockerCli('h3', 'image', 'inspect', ref)) as { RepoDigests: string[] }[];
      expect(inspected[0]!.RepoDigests.some((d) => d.startsWith(`${reg().host}/lab/app@sha256:`))).toBe(true);
    } finally {
      // leave h3 as found: the tag again if it was there, none otherwise
      if (hadIt) await dockerCli('h3', 'pull', '-q', ref);
      else await dockerCli('h3', 'rmi', ref).catch(() => undefined);
    }
  });
});
