// Credentials from each source, shown to work on the lab: the credential store finds them (the
// fleet file's passwordEnv, the lab's DOCKER_CONFIG `auths`, its docker-credential-lab helper for
// the token registry), and a daemon pulls with them sent as X-Registry-Auth, which it refuses
// without them. The images are already on h1, so the pulls change nothing there.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { lab, labHost } from '../../e2e/support/lab';
import { systemClock } from '../clock/clock';
import type { FleetEnv } from '../fleet/environment';
import { loadFleetFile } from '../fleet/fleetFile';
import { createCredentialStore } from './credentials';
import { REGISTRY_AUTH_HEADER, registryAuthHeader } from './registryAuth';
import type { RegistryCredentials } from './types';

/** The parts of lab.json this test reads (lab.sh up writes them). */
interface LabRegistries {
  registry: { host: string; passwordFile: string };
  tokenRegistry: { host: string };
  tokenImages: Record<string, string>;
  images: Record<string, string>;
  dockerConfig: string;
  credentialHelper: { dir: string };
}

const labInfo = lab() as ReturnType<typeof lab> & LabRegistries;
const password = readFileSync(labInfo.registry.passwordFile, 'utf8').trim();
const baseEnv: FleetEnv = { home: '/nonexistent', user: 'sre', vars: { PATH: `${labInfo.credentialHelper.dir}:${process.env.PATH}`, FLEETDECK_LAB_DIR: labInfo.dir } };

/** POST /images/create on h1's socket: ok, or the daemon's error (HTTP status, or an errorDetail in the stream). */
function pull(image: string, credentials: RegistryCredentials | undefined, registryHost: string): Promise<{ ok: boolean; said: string }> {
  const [name, tag] = [image.slice(0, image.lastIndexOf(':')), image.slice(image.lastIndexOf(':') + 1)];
  const headers = credentials ? { [REGISTRY_AUTH_HEADER]: registryAuthHeader(credentials, registryHost) } : {};
  return new Promise((resolve, reject) => {
    const req = http.request(
      { socketPath: labHost('h1').socket, method: 'POST', path: `/images/create?fromImage=${encodeURIComponent(name)}&tag=${encodeURIComponent(tag)}`, headers, timeout: 30_000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ ok: res.statusCode === 200 && !body.includes('"errorDetail"'), said: body.slice(-300) }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('the pull did not finish within 30 s')));
    req.on('error', reject);
    req.end();
  });
}

describe('credentials on the lab', () => {
  it('the fleet file: username with the password from passwordEnv', async () => {
    const env = { ...baseEnv, vars: { ...baseEnv.vars, FLEETDECK_REGISTRY_PASSWORD: password } };
    const { registries } = loadFleetFile(labInfo.fleetFile, env);
    const found = await createCredentialStore({ registries, env, clock: systemClock }).lookup(labInfo.registry.host);
    expect(found.source).toBe('fleet-file');
    expect(await pull(labInfo.images['1.0']!, found.credentials, labInfo.registry.host)).toMatchObject({ ok: true });
    expect(await pull(labInfo.images['1.0']!, undefined, labInfo.registry.host)).toMatchObject({ ok: false, said: expect.stringMatching(/no basic auth credentials/) });
  });

  it('config.json auths (the fleet file without its password variable)', async () => {
    const env = { ...baseEnv, vars: { ...baseEnv.vars, DOCKER_CONFIG: labInfo.dockerConfig } };
    const { registries } = loadFleetFile(labInfo.fleetFile, env);
    const found = await createCredentialStore({ registries, env, clock: systemClock }).lookup(labInfo.registry.host);
    expect(found.source).toBe('docker-config');
    expect(await pull(labInfo.images['1.1']!, found.credentials, labInfo.registry.host)).toMatchObject({ ok: true });
  });

  it('the credential helper, for the token registry; without credentials, or with a wrong password, the daemon refuses', async () => {
    const env = { ...baseEnv, vars: { ...baseEnv.vars, DOCKER_CONFIG: labInfo.dockerConfig } };
    const found = await createCredentialStore({ registries: [], env, clock: systemClock }).lookup(labInfo.tokenRegistry.host);
    expect(found.source).toBe('credential-helper');
    const image = labInfo.tokenImages['1.0']!;
    expect(await pull(image, found.credentials, labInfo.tokenRegistry.host)).toMatchObject({ ok: true });

    const anonymous = await pull(image, undefined, labInfo.tokenRegistry.host);
    expect(anonymous.ok).toBe(false);
    expect(anonymous.said).toMatch(/unauthorized|authentication required|no basic auth credentials/i);
    const wrong = await pull(image, { username: 'deployer', password: 'not-the-password' }, labInfo.tokenRegistry.host);
    expect(wrong.ok).toBe(false);
  });
});
