// Host-key trust against in-memory known_hosts files (the DurableFiles seam swapped).
import { describe, expect, it } from 'vitest';
import type { SshTarget } from '../fleet/spec';
import { HostKeyTrust, type KnownHostsFiles } from './hostKeyTrust';
import { checkHostKey, hostKeyFingerprint, parseKnownHosts } from './knownHosts';
import { HostKeyError } from './sshConnection';

// Real ed25519 key blobs (the same as knownHosts.test.ts).
const KEY_A = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIG5ZHOIElioOgcDAxkBxd+F8Ku233zyWvZZbMjGhWJQs', 'base64');
const KEY_B = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIOeZgS15WmQetNAQxw4of72m53XEOgu+6B6nMQO+OMPx', 'base64');
const FILE = '/home/op/.ssh/known_hosts';

/** known_hosts in memory, recording directory and file modes. */
function memoryFiles(initial: Record<string, string> = {}) {
  const files = new Map(Object.entries(initial).map(([name, text]) => [name, Buffer.from(text)]));
  const dirs = new Map<string, number>();
  const modes = new Map<string, number>();
  const io: KnownHostsFiles = {
    ensureDir: (dir, mode) => void dirs.set(dir, mode),
    append: (file, text, mode) => {
      if (!files.has(file)) modes.set(file, mode);
      files.set(file, Buffer.concat([files.get(file) ?? Buffer.alloc(0), Buffer.from(text)]));
    },
    readFrom: (file, offset) => (files.get(file) ?? Buffer.alloc(0)).subarray(offset),
    size: (file) => files.get(file)?.length,
  };
  return { io, dirs, modes, text: (file = FILE) => files.get(file)?.toString() };
}

const target = (knownHostsFiles = [FILE]): SshTarget => ({ host: '198.18.0.13', port: 22, user: 'root', knownHostsFiles });

/** The error an SSH connect to h3 presenting `key` would fail with, given `knownHosts`. */
function refusal(key: Buffer, knownHosts = ''): HostKeyError {
  const verdict = checkHostKey(parseKnownHosts(knownHosts), '198.18.0.13', 22, key);
  if (verdict.status === 'match') throw new Error('the key is known');
  return new HostKeyError(verdict, '198.18.0.13', 22, key);
}

describe('HostKeyTrust', () => {
  it('an unknown key: refused with its fingerprint, trusted only with that fingerprint, then appended', async () => {
    const files = memoryFiles({ [FILE]: `other.example ssh-ed25519 ${KEY_B.toString('base64')}` }); // no newline at the end
    const trust = new HostKeyTrust(files.io);
    const refused = await trust.refused('h3', target(), refusal(KEY_A));
    expect(refused).toEqual({
      reason: 'unknown-host-key',
      message: `the authenticity of h3 (198.18.0.13) can't be established: its ssh-ed25519 key fingerprint is ${hostKeyFingerprint(KEY_A)}. Trust it only if that is the host's real key.`,
      hostKey: { host: 'h3', address: '198.18.0.13', keyType: 'ssh-ed25519', fingerprint: hostKeyFingerprint(KEY_A) },
    });

    expect(await trust.trust('h3', hostKeyFingerprint(KEY_B))).toMatchObject({ ok: false });
    expect(files.text()).not.toContain(KEY_A.toString('base64'));

    expect(await trust.trust('h3', hostKeyFingerprint(KEY_A))).toEqual({ ok: true, message: `trusted ${hostKeyFingerprint(KEY_A)} for h3 (added to ${FILE})` });
    expect(files.text()).toBe(`other.example ssh-ed25519 ${KEY_B.toString('base64')}\n198.18.0.13 ssh-ed25519 ${KEY_A.toString('base64')}\n`);
    expect(files.dirs.get('/home/op/.ssh')).toBe(0o700);
    expect(checkHostKey(parseKnownHosts(files.text()!), '198.18.0.13', 22, KEY_A).status).toBe('match');
    // Trusted once: nothing is waiting any more.
    expect(await trust.trust('h3', hostKeyFingerprint(KEY_A))).toMatchObject({ ok: false });
  });

  it('a new known_hosts file is created 0600, with no blank first line', async () => {
    const files = memoryFiles();
    const trust = new HostKeyTrust(files.io);
    await trust.refused('h3', target(), refusal(KEY_A));
    expect(await trust.trust('h3', hostKeyFingerprint(KEY_A))).toMatchObject({ ok: true });
    expect(files.text()).toBe(`198.18.0.13 ssh-ed25519 ${KEY_A.toString('base64')}\n`);
    expect(files.modes.get(FILE)).toBe(0o600);
  });

  it('a changed key: refused with the expected fingerprint, and never trusted', async () => {
    const known = `198.18.0.13 ssh-ed25519 ${KEY_B.toString('base64')}\n`;
    const files = memoryFiles({ [FILE]: known });
    const trust = new HostKeyTrust(files.io);
    const refused = await trust.refused('h3', target(), refusal(KEY_A, known));
    expect(refused.reason).toBe('changed-host-key');
    expect(refused.message).toBe(
      `the host key of h3 (198.18.0.13) CHANGED — expected ${hostKeyFingerprint(KEY_B)}, got ${hostKeyFingerprint(KEY_A)}; refusing: possible man-in-the-middle`,
    );
    expect(await trust.trust('h3', hostKeyFingerprint(KEY_A))).toMatchObject({ ok: false });
    expect(files.text()).toBe(known);
  });

  it('a write that fails is reported, and the key stays waiting', async () => {
    const files = memoryFiles();
    let readOnly = true;
    const append: KnownHostsFiles['append'] = (...args) => {
      if (readOnly) throw new Error('EROFS: read-only file system');
      files.io.append(...args);
    };
    const trust = new HostKeyTrust({ ...files.io, append });
    await trust.refused('h3', target(), refusal(KEY_A));
    expect(await trust.trust('h3', hostKeyFingerprint(KEY_A))).toEqual({ ok: false, message: `cannot write ${FILE}: EROFS: read-only file system` });
    readOnly = false;
    expect(await trust.trust('h3', hostKeyFingerprint(KEY_A))).toMatchObject({ ok: true });
    expect(files.text()).toBe(`198.18.0.13 ssh-ed25519 ${KEY_A.toString('base64')}\n`);
  });

  it('no known_hosts file configured: refused, with nothing to trust it in', async () => {
    const trust = new HostKeyTrust(memoryFiles().io);
    expect(await trust.refused('h3', target([]), refusal(KEY_A))).toMatchObject({ reason: 'unknown-host-key', message: expect.stringContaining('no known_hosts file is configured') });
    expect(await trust.trust('h3', hostKeyFingerprint(KEY_A))).toMatchObject({ ok: false });
  });
});
