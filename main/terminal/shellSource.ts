// What the terminal service needs from a shell, whichever kind: bytes out, keys in, a size,
// and a switch on the source socket so backpressure reaches the writing process.
import type Dockerode from 'dockerode';
import { hostNotOnline } from '../engine/dockerErrors';
import type { HostStatus } from '../engine/hostConnection';
import type { HostSpec } from '../fleet/spec';
import type { StreamChannel } from '../ssh/connectionSet';
import type { SshConnection } from '../ssh/sshConnection';
import type { TerminalOpenResult, TerminalSize } from '../../shared/terminal';

/** The parts of a host connection (main/engine's HostConnection) that shells use. */
export interface TerminalHost {
  readonly spec: HostSpec;
  /** Short calls: inspect, exec create, resize. */
  readonly docker: Dockerode;
  /** Long streams on sockets of their own: the exec's hijacked connection. */
  readonly streams: Dockerode;
  readonly status: HostStatus;
  ssh(): Promise<SshConnection>;
  /** Opens a long stream (a host shell) on whichever of the host's SSH connections has a free stream slot. */
  sshStream<C extends StreamChannel>(open: (ssh: SshConnection) => Promise<C>): Promise<C>;
}

/** Where a shell delivers its output and, once, its end. */
export interface ShellSink {
  data(chunk: Buffer): void;
  exit(code: number | null, message: string): void;
}

export interface ShellSource {
  write(data: string): void;
  resize(size: TerminalSize): Promise<void>;
  /** Stops reading the source socket (TCP / SSH window backpressure), and starts again. */
  pause(): void;
  resume(): void;
  /** Ends the session from our side, processes included; no exit is reported afterwards. */
  close(): Promise<void>;
}

export type OpenFailure = Extract<TerminalOpenResult, { ok: false }>;
export type ShellOpened = { ok: true; source: ShellSource; title: string; command: string } | OpenFailure;

export function failure(reason: OpenFailure['reason'], message: string, hostKey?: OpenFailure['hostKey']): OpenFailure {
  return { ok: false, reason, message, ...(hostKey ? { hostKey } : {}) };
}

/** A host that is not online cannot give a shell; its problem says why. */
export function hostDown(host: TerminalHost): OpenFailure | undefined {
  return host.status.state === 'online' ? undefined : failure('host-down', hostNotOnline(host.spec.name, host.status));
}

/** The daemon's own words for a failed call, worded as everywhere else (main/engine/dockerErrors). */
export { dockerMessage as errorMessage } from '../engine/dockerErrors';
