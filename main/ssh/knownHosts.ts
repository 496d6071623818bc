// OpenSSH known_hosts: parsing, lookup and fingerprints. ssh2 accepts every host key unless
// its hostVerifier says otherwise, so this is what stands between us and a spoofed host.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { nodeFiles, type DurableFiles } from '../files/durableFiles';
import { hostPatternsMatch } from './hostPatterns';

export interface KnownHostEntry {
  marker?: 'revoked' | 'cert-authority';
  /** Comma-separated patterns, or one hashed `|1|salt|hash` name. */
  hosts: string;
  keyType: string;
  key: Buffer;
  line: number;
}

export type HostKeyVerdict =
  | { status: 'match'; fingerprint: string }
  /** The host is known, but with other keys. */
  | { status: 'mismatch'; fingerprint: string }
  | { status: 'unknown'; fingerprint: string }
  | { status: 'revoked'; fingerprint: string };

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (!fields[0] || fields[0].startsWith('#')) return;
    let marker: KnownHostEntry['marker'];
    if (fields[0].startsWith('@')) {
      const name = fields.shift()!.slice(1);
      if (name !== 'revoked' && name !== 'cert-authority') return;
      marker = name;
    }
    const [hosts, keyType, keyBase64] = fields;
    if (!hosts || !keyType || !keyBase64) return;
    const key = Buffer.from(keyBase64, 'base64');
    if (key.length === 0) return;
    entries.push({ ...(marker ? { marker } : {}), hosts, keyType, key, line: index + 1 });
  });
  return entries;
}

/** Reads and concatenates known_hosts files; a missing file counts as empty. */
export async function loadKnownHosts(files: readonly string[], io: Pick<DurableFiles, 'readFrom'> = nodeFiles): Promise<KnownHostEntry[]> {
  return files.flatMap((file) => parseKnownHosts(io.readFrom(file, 0).toString('utf8')));
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function knownHostName(host: string, port: number): string {
  const lower = host.toLowerCase();
  return port === 22 ? lower : `[${lower}]:${port}`;
}

export function hostMatches(hosts: string, name: string): boolean {
  if (hosts.startsWith('|1|')) return hashedHostMatches(hosts, name);
  return hostPatternsMatch(hosts.split(','), name);
}

function hashedHostMatches(hashed: string, name: string): boolean {
  const [, , salt, hash] = hashed.split('|');
  if (!salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export function checkHostKey(entries: readonly KnownHostEntry[], host: string, port: number, key: Buffer): HostKeyVerdict {
  const fingerprint = hostKeyFingerprint(key);
  const name = knownHostName(host, port);
  const forHost = entries.filter((entry) => entry.marker !== 'cert-authority' && hostMatches(entry.hosts, name));
  if (forHost.some((entry) => entry.marker === 'revoked' && entry.key.equals(key))) return { status: 'revoked', fingerprint };
  const plain = forHost.filter((entry) => !entry.marker);
  if (plain.some((entry) => entry.key.equals(key))) return { status: 'match', fingerprint };
  return { status: plain.length > 0 ? 'mismatch' : 'unknown', fingerprint };
}

/** Host key algorithms to offer first, so the server presents a key type we know (as OpenSSH does). */
export function knownHostKeyAlgorithms(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  const name = knownHostName(host, port);
  const types = entries.filter((entry) => !entry.marker && hostMatches(entry.hosts, name)).map((entry) => entry.keyType);
  const algorithms = types.flatMap((type) => (type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type]));
  return [...new Set(algorithms)];
}

/** OpenSSH style: `SHA256:` + unpadded base64 of the SHA-256 of the key blob. */
export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named inside an SSH public key blob (its first length-prefixed string). */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) throw new Error('host key blob too short');
  const length = key.readUInt32BE(0);
  if (length > key.length - 4) throw new Error('host key blob malformed');
  return key.subarray(4, 4 + length).toString('latin1');
}

/** A line to append to known_hosts when the user chooses to trust a key. */
export function formatKnownHostsLine(host: string, port: number, key: Buffer): string {
  return `${knownHostName(host, port)} ${keyTypeOf(key)} ${key.toString('base64')}`;
}
