// The few Docker Engine API shapes the connection itself reads, and pure helpers for them.
import type Dockerode from 'dockerode';
import type { DialOptions } from 'docker-modem';
import { EngineInfo } from '../../shared/model';

/** One message of GET /events (Docker's own field names). */
export interface DockerEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope?: string;
  time: number;
  timeNano: number;
}

/** Calls the daemon through a dockerode instance's modem (and so through its agent). */
export function dial<T>(docker: Dockerode, options: DialOptions): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    docker.modem.dial(options, (err, data) => (err ? reject(err) : resolve(data as T)));
  });
}

interface VersionResponse {
  Version?: string;
  ApiVersion?: string;
  Os?: string;
  KernelVersion?: string;
}

interface InfoResponse {
  Name?: string;
  OperatingSystem?: string;
  KernelVersion?: string;
  NCPU?: number;
  MemTotal?: number;
}

/** Throws (a ZodError, classified as 'protocol') if the daemon's answers lack what we show. */
export function toEngineInfo(version: VersionResponse, info: InfoResponse): EngineInfo {
  return EngineInfo.parse({
    version: version.Version,
    apiVersion: version.ApiVersion,
    os: info.OperatingSystem || version.Os,
    kernel: version.KernelVersion || info.KernelVersion,
    hostname: info.Name,
    ncpu: info.NCPU,
    memTotal: info.MemTotal,
  });
}

/**
 * Splits a newline-delimited JSON stream (as /events sends it) into values.
 * Feed it decoded text; a line that is not JSON is reported and parsing stops.
 */
export function ndjsonParser(onValue: (value: unknown) => void, onError: (err: Error) => void): (text: string) => void {
  let pending = '';
  let failed = false;
  return (text) => {
    if (failed) return;
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        failed = true;
        onError(new Error(`malformed event from daemon: ${line.slice(0, 120)}`));
        return;
      }
      onValue(value);
    }
  };
}

export function isDockerEvent(value: unknown): value is DockerEvent {
  const event = value as Partial<DockerEvent> | null;
  return typeof event === 'object' && event !== null && typeof event.Type === 'string' && typeof event.Action === 'string';
}
