// pullAuthFrom: the credentials of the image's own registry, under the server address the engine expects.
import { describe, expect, it } from 'vitest';
import type { CredentialStore } from '../registry/types';
import { pullAuthFrom } from './pullAuth';

const decode = (header: string | undefined) => JSON.parse(Buffer.from(header!, 'base64url').toString('utf8')) as Record<string, string>;

describe('pullAuthFrom', () => {
  const asked: string[] = [];
  const store: CredentialStore = {
    lookup(host) {
      asked.push(host);
      return Promise.resolve(host === 'nowhere.example:5000' ? { source: 'none' } : { source: 'fleet-file', credentials: { username: 'sre', password: 'pw' } });
    },
  };
  const pullAuth = pullAuthFrom(store);

  it('asks for the image’s registry and encodes its credentials for it', async () => {
    expect(decode(await pullAuth('198.18.0.1:5000/lab/app:1.1'))).toEqual({ username: 'sre', password: 'pw', serveraddress: '198.18.0.1:5000' });
    expect(asked.at(-1)).toBe('198.18.0.1:5000');
  });

  it('names Docker Hub as the docker CLI does', async () => {
    expect(decode(await pullAuth('busybox:1.36')).serveraddress).toBe('https://index.docker.io/v1/');
    expect(asked.at(-1)).toBe('docker.io');
  });

  it('sends nothing where the registry has no credentials', async () => {
    expect(await pullAuth('nowhere.example:5000/app:1')).toBeUndefined();
  });
});
