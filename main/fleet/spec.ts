// What the engine needs to reach one host, resolved from the fleet file or the environment.
// Key material is held in memory only and must never be logged.
import type { AlertRules } from './alertRules';

export interface TlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

export interface SshTarget {
  host: string;
  port: number;
  user: string;
  /** Private key contents (from identityFile). */
  privateKey?: Buffer;
  /** More keys to try, in order, after privateKey (further IdentityFile entries, other default keys). */
  extraPrivateKeys?: Buffer[];
  /** ssh-agent socket (SSH_AUTH_SOCK), used when no key is given or as well. */
  agentSocket?: string;
  /** known_hosts files to verify the server's host key against; an unknown or changed key is refused. */
  knownHostsFiles: string[];
}

export type DockerEndpoint =
  | { kind: 'tcp'; host: string; port: number; tls?: TlsMaterial }
  | { kind: 'unix'; socketPath: string }
  | { kind: 'ssh'; target: SshTarget };

export interface HostSpec {
  name: string;
  /** Display form of the docker address, without secrets, e.g. tcp://198.18.0.11:2376. */
  address: string;
  endpoint: DockerEndpoint;
  /** SSH to the host itself (host shells); for ssh:// endpoints this is the same target. */
  ssh?: SshTarget;
  labels: Record<string, string>;
}

export interface ServiceLabels {
  /** Label naming a container's service. */
  label: string;
  /** Label naming the business line (group); none by default. */
  groupLabel?: string;
}

export interface RegistrySpec {
  /** As in the fleet file, without a trailing slash, e.g. https://198.18.0.1:5000 */
  url: string;
  /** host[:port], as image references name it (and docker's config.json keys it). */
  host: string;
  ca?: Buffer;
  /** Plain HTTP allowed (the fleet file's insecure: true, only with an http:// url). */
  insecure: boolean;
  /** The fleet file's credentials: username, and the password read from passwordEnv at load. */
  username?: string;
  password?: string;
}

export interface FleetSpec {
  /** Where the fleet came from: a file path, or a description such as "DOCKER_HOST". */
  source: string;
  hosts: HostSpec[];
  registries: RegistrySpec[];
  services: ServiceLabels;
  ipPools: IpPoolSpec[];
  segments: SegmentSpec[];
  /** The fleet file's alerts: rules (none: main/fleet/alertRules.ts's defaults). */
  alerts?: AlertRules;
}

/** A fleet file ipPools entry: where the allocator hands out addresses in one segment. */
export interface IpPoolSpec {
  /** A segment id: a subnet in normal form ("198.18.4.0/24") or a declared segment's name. */
  segment: string;
  /** Inclusive uint32 bounds (shared/ip.ts). */
  range: { first: number; last: number };
  /** Addresses never handed out (uint32). */
  reserved: number[];
  /** The same container name always gets the same address, if free. */
  byName: boolean;
  /** On API 1.44+, whether "Create here" sets the endpoint's MAC (the IP-derived one) or leaves it to the engine (the default). */
  mac?: 'derive' | 'none';
  /** The entry's line in the fleet file, for FILE:LINE messages found later (checkPoolSegments). */
  line: number;
}

/** A fleet file segments entry, overriding "same subnet = one segment". */
export interface SegmentSpec {
  name: string;
  /** Subnets in normal form; one L2 when several. */
  subnets: string[];
  /** Only these hosts' networks on the subnet(s) belong to this segment (one subnet that is two). */
  hosts?: string[];
  line: number;
}
