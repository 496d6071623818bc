// Host keys a shell was refused for. An unknown key is remembered so that the user, having
// compared its fingerprint, can trust exactly that key; a changed key is never trusted here.
import path from 'node:path';
import { nodeFiles, type DurableFiles } from '../files/durableFiles';
import type { SshTarget } from '../fleet/spec';
import { hostKeyFingerprint, hostMatches, keyTypeOf, knownHostName, loadKnownHosts } from './knownHosts';
import type { HostKeyError } from './sshConnection';

/** What trusting a key writes and reads: known_hosts, through the one file seam. */
export type KnownHostsFiles = Pick<DurableFiles, 'ensureDir' | 'append' | 'readFrom' | 'size'>;

/** Why a shell was refused, with what the user must compare before trusting the key. */
export interface HostKeyRefusal {
  reason: 'unknown-host-key' | 'changed-host-key';
  message: string;
  hostKey: { host: string; address: string; keyType: string; fingerprint: string };
}

interface PendingKey {
  fingerprint: string;
  line: string;
  file: string;
}

export class HostKeyTrust {
  private readonly pending = new Map<string, PendingKey>();

  constructor(private readonly files: KnownHostsFiles = nodeFiles) {}

  /** Why the host key was refused; an unknown key is remembered for trust(). */
  async refused(hostName: string, target: SshTarget, err: HostKeyError): Promise<HostKeyRefusal> {
    const address = target.port === 22 ? target.host : `${target.host}:${target.port}`;
    const keyType = keyTypeOf(err.key);
    const fingerprint = err.verdict.fingerprint;
    const hostKey = { host: hostName, address, keyType, fingerprint };
    const who = `${hostName} (${address})`;
    if (err.verdict.status === 'unknown') {
      const file = target.knownHostsFiles[0];
      if (!file) return { reason: 'unknown-host-key', message: `the host key of ${who} is unknown, and no known_hosts file is configured to trust it in`, hostKey };
      this.pending.set(hostName, { fingerprint, line: err.knownHostsLine, file });
      return {
        reason: 'unknown-host-key',
        message: `the authenticity of ${who} can't be established: its ${keyType} key fingerprint is ${fingerprint}. Trust it only if that is the host's real key.`,
        hostKey,
      };
    }
    this.pending.delete(hostName);
    if (err.verdict.status === 'revoked') {
      return { reason: 'changed-host-key', message: `the host key of ${who} (${fingerprint}) is REVOKED in known_hosts; refusing`, hostKey };
    }
    const expected = await this.knownFingerprints(target, keyType);
    return {
      reason: 'changed-host-key',
      message: `the host key of ${who} CHANGED — expected ${expected.join(' or ') || 'another key'}, got ${fingerprint}; refusing: possible man-in-the-middle`,
      hostKey,
    };
  }

  /** Appends the remembered unknown key of `hostName` to known_hosts, if it is the one the user confirmed. */
  async trust(hostName: string, fingerprint: string): Promise<{ ok: boolean; message: string }> {
    const pending = this.pending.get(hostName);
    if (!pending) return { ok: false, message: `no unknown host key is waiting for confirmation for ${hostName}; open a shell on it first` };
    if (pending.fingerprint !== fingerprint) {
      return { ok: false, message: `${hostName} offered ${pending.fingerprint}, not ${fingerprint}; nothing was trusted` };
    }
    try {
      this.files.ensureDir(path.dirname(pending.file), 0o700);
      // A file whose last line has no newline would otherwise get our entry glued onto it.
      const size = this.files.size(pending.file) ?? 0;
      const separator = size > 0 && this.files.readFrom(pending.file, size - 1).toString('latin1') !== '\n' ? '\n' : '';
      this.files.append(pending.file, `${separator}${pending.line}\n`, 0o600);
    } catch (err) {
      return { ok: false, message: `cannot write ${pending.file}: ${(err as Error).message}` };
    }
    this.pending.delete(hostName);
    return { ok: true, message: `trusted ${fingerprint} for ${hostName} (added to ${pending.file})` };
  }

  /** Fingerprints known_hosts holds for the target, those of `keyType` first choice. */
  private async knownFingerprints(target: SshTarget, keyType: string): Promise<string[]> {
    const name = knownHostName(target.host, target.port);
    const entries = (await loadKnownHosts(target.knownHostsFiles, this.files).catch(() => [])).filter((e) => !e.marker && hostMatches(e.hosts, name));
    const sameType = entries.filter((e) => e.keyType === keyType);
    return [...new Set((sameType.length > 0 ? sameType : entries).map((e) => hostKeyFingerprint(e.key)))];
  }
}
