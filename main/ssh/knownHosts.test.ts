import { describe, expect, it } from 'vitest';
import {
  checkHostKey,
  formatKnownHostsLine,
  hostKeyFingerprint,
  hostMatches,
  keyTypeOf,
  knownHostKeyAlgorithms,
  knownHostName,
  parseKnownHosts,
} from './knownHosts';

// Real keys; the hashed lines and fingerprints were made by OpenSSH's ssh-keygen -H / -l.
const KEY_A = 'AAAAC3NzaC1lZDI1NTE5AAAAIG5ZHOIElioOgcDAxkBxd+F8Ku233zyWvZZbMjGhWJQs';
const KEY_B = 'AAAAC3NzaC1lZDI1NTE5AAAAIOeZgS15WmQetNAQxw4of72m53XEOgu+6B6nMQO+OMPx';
const keyA = Buffer.from(KEY_A, 'base64');
const keyB = Buffer.from(KEY_B, 'base64');
const FINGERPRINT_A = 'SHA256:FVhg0rQJysbfM3Hg5J4vF/m6x6ZePyd/FvGi1KcBcvw';
const FINGERPRINT_B = 'SHA256:FxZ+sPZYtWW7Ml/rj4AgZ6rXvaEhj/5iFeA2cWJNdgM';

const HASHED = [
  `|1|LPAPVb7gpG+OItCMYEPId8AD3Ss=|uJlV9jz84ywcr93oFVYa3FL560Q= ssh-ed25519 ${KEY_A}`, // 198.18.0.13
  `|1|vJw4UMGvdnelaggPZNaLXQQQmp0=|RCVx8vP4ebKdTfWT40GvDIbuaLA= ssh-ed25519 ${KEY_B}`, // [198.18.0.13]:2222
].join('\n');

describe('parseKnownHosts', () => {
  it('reads entries, markers and comments, skipping junk', () => {
    const entries = parseKnownHosts(
      [
        '# a comment',
        '',
        `198.18.0.13 ssh-ed25519 ${KEY_A} root@h3`,
        `@revoked * ssh-ed25519 ${KEY_B}`,
        `@cert-authority *.lab ssh-ed25519 ${KEY_B}`,
        `@unknown-marker host ssh-ed25519 ${KEY_B}`,
        'truncated-line ssh-ed25519',
        `  host1,host2\tssh-ed25519   ${KEY_B}  `,
      ].join('\r\n'),
    );
    expect(entries.map((e) => [e.marker, e.hosts, e.keyType, e.line])).toEqual([
      [undefined, '198.18.0.13', 'ssh-ed25519', 3],
      ['revoked', '*', 'ssh-ed25519', 4],
      ['cert-authority', '*.lab', 'ssh-ed25519', 5],
      [undefined, 'host1,host2', 'ssh-ed25519', 8],
    ]);
    expect(entries[0]!.key.equals(keyA)).toBe(true);
  });
});

describe('host names and patterns', () => {
  it('names non-22 ports in brackets, like OpenSSH', () => {
    expect(knownHostName('Node-H3.lab', 22)).toBe('node-h3.lab');
    expect(knownHostName('198.18.0.13', 2222)).toBe('[198.18.0.13]:2222');
  });

  it('matches comma lists, wildcards and negations', () => {
    expect(hostMatches('a.lab,198.18.0.13', '198.18.0.13')).toBe(true);
    expect(hostMatches('*.lab', 'node-h1.lab')).toBe(true);
    expect(hostMatches('*.lab', 'node-h1.lab.evil')).toBe(false);
    expect(hostMatches('198.18.0.1?', '198.18.0.13')).toBe(true);
    expect(hostMatches('198.18.0.1?', '198.18.0.130')).toBe(false);
    expect(hostMatches('*.lab,!bad.lab', 'bad.lab')).toBe(false);
    expect(hostMatches('198.18.0.13', '[198.18.0.13]:2222')).toBe(false);
    expect(hostMatches('[198.18.0.13]:2222', '[198.18.0.13]:2222')).toBe(true);
    expect(hostMatches('198.18.0.1.3', '198.18.0.113')).toBe(false); // dots are literal
  });

  it('matches hashed names made by ssh-keygen -H', () => {
    const [plainPort, otherPort] = parseKnownHosts(HASHED);
    expect(hostMatches(plainPort!.hosts, '198.18.0.13')).toBe(true);
    expect(hostMatches(plainPort!.hosts, '198.18.0.12')).toBe(false);
    expect(hostMatches(otherPort!.hosts, '[198.18.0.13]:2222')).toBe(true);
    expect(hostMatches(otherPort!.hosts, '198.18.0.13')).toBe(false);
  });
});

describe('checkHostKey', () => {
  const entries = parseKnownHosts(`198.18.0.13 ssh-ed25519 ${KEY_A}\n[198.18.0.13]:2222 ssh-ed25519 ${KEY_B}\n`);

  it('accepts the known key', () => {
    expect(checkHostKey(entries, '198.18.0.13', 22, keyA)).toEqual({ status: 'match', fingerprint: FINGERPRINT_A });
    expect(checkHostKey(entries, '198.18.0.13', 2222, keyB).status).toBe('match');
  });

  it('refuses a changed key, naming what the server offered', () => {
    expect(checkHostKey(entries, '198.18.0.13', 22, keyB)).toEqual({ status: 'mismatch', fingerprint: FINGERPRINT_B });
  });

  it('refuses an unknown host, port included', () => {
    expect(checkHostKey(entries, '198.18.0.12', 22, keyA).status).toBe('unknown');
    expect(checkHostKey(entries, '198.18.0.13', 2200, keyA).status).toBe('unknown');
  });

  it('works on hashed entries', () => {
    const hashed = parseKnownHosts(HASHED);
    expect(checkHostKey(hashed, '198.18.0.13', 22, keyA).status).toBe('match');
    expect(checkHostKey(hashed, '198.18.0.13', 2222, keyB).status).toBe('match');
    expect(checkHostKey(hashed, '198.18.0.13', 2222, keyA).status).toBe('mismatch');
  });

  it('rejects a revoked key even where a plain entry accepts it; ignores CA lines', () => {
    const revoked = parseKnownHosts(`198.18.0.13 ssh-ed25519 ${KEY_A}\n@revoked * ssh-ed25519 ${KEY_A}\n`);
    expect(checkHostKey(revoked, '198.18.0.13', 22, keyA).status).toBe('revoked');
    const caOnly = parseKnownHosts(`@cert-authority * ssh-ed25519 ${KEY_A}\n`);
    expect(checkHostKey(caOnly, '198.18.0.13', 22, keyA).status).toBe('unknown');
  });
});

describe('fingerprints and lines', () => {
  it('formats SHA256 fingerprints exactly like ssh-keygen -l', () => {
    expect(hostKeyFingerprint(keyA)).toBe(FINGERPRINT_A);
    expect(hostKeyFingerprint(keyB)).toBe(FINGERPRINT_B);
  });

  it('reads the key type from the blob', () => {
    expect(keyTypeOf(keyA)).toBe('ssh-ed25519');
    expect(() => keyTypeOf(Buffer.from([0, 0, 0, 99, 1]))).toThrow();
  });

  it('formats a line that parses back to a match', () => {
    const line = formatKnownHostsLine('198.18.0.13', 2222, keyA);
    expect(line).toBe(`[198.18.0.13]:2222 ssh-ed25519 ${KEY_A}`);
    expect(checkHostKey(parseKnownHosts(line), '198.18.0.13', 2222, keyA).status).toBe('match');
  });

  it('lists the known key types as algorithms to ask for first', () => {
    const entries = parseKnownHosts(`h ssh-rsa ${KEY_A}\nh ssh-ed25519 ${KEY_B}\nother ecdsa-sha2-nistp256 ${KEY_B}\n`);
    expect(knownHostKeyAlgorithms(entries, 'h', 22)).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-ed25519']);
    expect(knownHostKeyAlgorithms(entries, 'nobody', 22)).toEqual([]);
  });
});
