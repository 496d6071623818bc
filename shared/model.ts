// The normalised fleet model shared by main and renderer. Schemas first; types derive from them.
import { z } from 'zod';

export const HostState = z.enum(['connecting', 'online', 'offline', 'error']);
export type HostState = z.infer<typeof HostState>;

/** Why a host is not online. offline: the daemon did not answer; error: it answered wrongly or refused us. */
export const HostProblemReason = z.enum(['refused', 'timeout', 'unreachable', 'closed', 'tls', 'auth', 'hostkey', 'protocol']);
export type HostProblemReason = z.infer<typeof HostProblemReason>;

export const HostProblem = z.object({ reason: HostProblemReason, message: z.string() });
export type HostProblem = z.infer<typeof HostProblem>;

export const Transport = z.enum(['tls', 'tcp', 'ssh', 'unix']);
export type Transport = z.infer<typeof Transport>;

export const EngineInfo = z.object({
  version: z.string(),
  apiVersion: z.string(),
  os: z.string(),
  kernel: z.string(),
  hostname: z.string(),
  ncpu: z.number().int(),
  memTotal: z.number().int(),
});
export type EngineInfo = z.infer<typeof EngineInfo>;

export const Host = z.object({
  name: z.string(),
  /** The daemon address as configured, without secrets. */
  address: z.string(),
  transport: Transport,
  labels: z.record(z.string(), z.string()),
  state: HostState,
  problem: HostProblem.optional(),
  /** Epoch ms of the last state change. */
  since: z.number(),
  /** Epoch ms of the next reconnect attempt, while offline or in error. */
  retryAt: z.number().optional(),
  engine: EngineInfo.optional(),
  containersRunning: z.number().int().optional(),
  containersTotal: z.number().int().optional(),
});
export type Host = z.infer<typeof Host>;

export const NetworkAddress = z.object({ network: z.string(), ip: z.string(), mac: z.string() });
export type NetworkAddress = z.infer<typeof NetworkAddress>;

export const ContainerState = z.enum(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']);
export type ContainerState = z.infer<typeof ContainerState>;

export const Health = z.enum(['starting', 'healthy', 'unhealthy']);
export type Health = z.infer<typeof Health>;

export const Container = z.object({
  host: z.string(),
  id: z.string(),
  /** Without the leading slash. */
  name: z.string(),
  image: z.string(),
  /** The image's ID (sha256:…), from the list's ImageID; the registry view reads its repo digests. */
  imageId: z.string().optional(),
  state: ContainerState,
  /** Docker's own status text, e.g. "Up 3 minutes (healthy)". */
  status: z.string(),
  health: Health.optional(),
  service: z.string().optional(),
  group: z.string().optional(),
  ips: z.array(NetworkAddress),
  /** Epoch ms. */
  createdAt: z.number(),
  /** Epoch ms; present while running. */
  startedAt: z.number().optional(),
});
export type Container = z.infer<typeof Container>;

/** A change to the fleet: hosts are upserted; each listed host's containers are replaced whole. */
export const FleetChange = z.object({
  hosts: z.array(Host),
  containers: z.array(z.object({ host: z.string(), list: z.array(Container) })),
  /** Names of hosts removed from the fleet. */
  removedHosts: z.array(z.string()).default([]),
});
export type FleetChange = z.infer<typeof FleetChange>;

export const FleetSnapshot = z.object({ hosts: z.array(Host), containers: z.array(Container) });
export type FleetSnapshot = z.infer<typeof FleetSnapshot>;

export const ContainerAction = z.enum(['start', 'stop', 'restart']);
export type ContainerAction = z.infer<typeof ContainerAction>;

export const ContainerRef = z.object({ host: z.string().min(1), id: z.string().regex(/^[0-9a-f]{12,64}$/) });
export type ContainerRef = z.infer<typeof ContainerRef>;

/** Why an action failed, in one shape whichever daemon answered (see main/actions). */
export const ActionErrorCode = z.enum(['not-found', 'conflict', 'host-offline', 'timeout', 'daemon']);
export type ActionErrorCode = z.infer<typeof ActionErrorCode>;

export const ActionResult = z.object({
  ok: z.boolean(),
  action: ContainerAction,
  host: z.string(),
  id: z.string(),
  message: z.string(),
  /** Set when !ok. */
  code: ActionErrorCode.optional(),
});
export type ActionResult = z.infer<typeof ActionResult>;

export const AppInfo = z.object({
  version: z.string(),
  mode: z.enum(['electron', 'browser']),
  fleetSource: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;
