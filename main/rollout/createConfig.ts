// The create-config carry-over of a deploy (pure): from the old container's inspect and the old and
// new images' configs, the create body of the new container. It keeps what the operator chose (the
// name, labels, env, mounts and their modes, networks, aliases, IP, a MAC they set, resources,
// restart and log policy: the whole HostConfig), and lets what came from the old image's defaults
// (Cmd, Entrypoint, Env and Label entries, User, WorkingDir, ExposedPorts, Healthcheck) follow
// the new image, so the old image's health check is not frozen into the copy (portainer#8540).
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';

/** moby API 1.44: endpoints may carry a MacAddress and several networks may be given at create. */
const MULTI_ENDPOINT_CREATE_API = '1.44';

/** What the carry-over reads of a container's inspect (GET /containers/{id}/json). */
export interface InspectedContainer {
  Id: string;
  Name: string;
  Config: ContainerConfig;
  HostConfig: HostConfig;
  Mounts?: { Type?: string; Name?: string; Source?: string; Destination: string; RW?: boolean }[];
  NetworkSettings: { Networks?: Record<string, EndpointSettings> };
}

export interface ContainerConfig {
  Hostname?: string;
  Domainname?: string;
  User?: string;
  Env?: string[] | null;
  Cmd?: string[] | null;
  Entrypoint?: string[] | null;
  WorkingDir?: string;
  Labels?: Record<string, string> | null;
  ExposedPorts?: Record<string, object> | null;
  Healthcheck?: Record<string, unknown> | null;
  /** Before API 1.44, the MAC the user set (empty when the engine generated one). */
  MacAddress?: string;
  Image?: string;
  [other: string]: unknown;
}

export interface HostConfig {
  NetworkMode?: string;
  Binds?: string[] | null;
  Mounts?: { Type?: string; Source?: string; Target: string; [other: string]: unknown }[] | null;
  [other: string]: unknown;
}

export interface EndpointSettings {
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string; LinkLocalIPs?: string[] } | null;
  Aliases?: string[] | null;
  Links?: string[] | null;
  DriverOpts?: Record<string, string> | null;
  MacAddress?: string;
  IPAddress?: string;
  [other: string]: unknown;
}

/** What it reads of an image's inspect (GET /images/{name}/json): its Config. */
export interface ImageDefaults {
  Cmd?: string[] | null;
  Entrypoint?: string[] | null;
  Env?: string[] | null;
  User?: string;
  WorkingDir?: string;
  Labels?: Record<string, string> | null;
  ExposedPorts?: Record<string, object> | null;
  Healthcheck?: Record<string, unknown> | null;
}

/** An endpoint as the create and connect calls take it. */
export interface EndpointConfig {
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string; LinkLocalIPs?: string[] };
  Aliases?: string[];
  Links?: string[];
  DriverOpts?: Record<string, string>;
  MacAddress?: string;
}

/** POST /containers/create's body (name as its query), and the networks to connect before the start. */
export interface CarriedConfig {
  name: string;
  body: ContainerConfig & { Image: string; HostConfig: HostConfig; NetworkingConfig: { EndpointsConfig: Record<string, EndpointConfig> } };
  /** Networks beyond the first, for an API before 1.44 that takes one at create: connect them, then start. */
  connect: { network: string; endpoint: EndpointConfig }[];
}

export interface CarryOverInput {
  old: InspectedContainer;
  oldImage: ImageDefaults;
  newImage: ImageDefaults;
  /** The reference the new container runs (as `docker create IMAGE`). */
  image: string;
  /** The host's Engine API version, e.g. "1.41". */
  apiVersion: string;
}

export function apiAtLeast(version: string, wanted: string): boolean {
  const [a, b] = [version, wanted].map((v) => v.split('.').map(Number));
  return a![0]! !== b![0]! ? a![0]! > b![0]! : (a![1] ?? 0) >= (b![1] ?? 0);
}

/** The new image's value where the container's equals the old image's; else the container's own. */
function followImage<T>(current: T | null | undefined, oldDefault: T | null | undefined, newDefault: T | null | undefined): T | undefined {
  const same = isDeepStrictEqual(current ?? null, oldDefault ?? null);
  return (same ? newDefault : current) ?? undefined;
}

function envPairs(env: string[] | null | undefined): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const entry of env ?? []) {
    const eq = entry.indexOf('=');
    pairs.set(eq < 0 ? entry : entry.slice(0, eq), entry);
  }
  return pairs;
}

/**
 * Env by key: an entry equal to the old image's is the image's default and takes the new image's
 * value (or goes, when the new image has none); any other entry is the operator's and stays.
 */
export function mergeEnv(current: string[] | null | undefined, oldImage: string[] | null | undefined, newImage: string[] | null | undefined): string[] {
  const [old, next] = [envPairs(oldImage), envPairs(newImage)];
  const merged = new Map<string, string>();
  for (const [key, entry] of envPairs(current)) {
    if (old.get(key) !== entry) merged.set(key, entry);
    else if (next.has(key)) merged.set(key, next.get(key)!);
  }
  for (const [key, entry] of next) if (!merged.has(key)) merged.set(key, entry);
  return [...merged.values()];
}

/** Labels by key, as Env: the old image's labels (e.g. its version) follow the new image. */
export function mergeLabels(current: Record<string, string> | null | undefined, oldImage: Record<string, string> | null | undefined, newImage: Record<string, string> | null | undefined): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const [key, value] of Object.entries(current ?? {})) {
    if (oldImage?.[key] !== value) merged[key] = value;
    else if (newImage && key in newImage) merged[key] = newImage[key]!;
  }
  for (const [key, value] of Object.entries(newImage ?? {})) if (!(key in merged)) merged[key] = value;
  return merged;
}

/** ExposedPorts: the operator's own ports (not the old image's) plus the new image's. */
function mergePorts(current: Record<string, object> | null | undefined, oldImage: Record<string, object> | null | undefined, newImage: Record<string, object> | null | undefined): Record<string, object> | undefined {
  const merged: Record<string, object> = { ...(newImage ?? {}) };
  for (const [port, value] of Object.entries(current ?? {})) if (!oldImage || !(port in oldImage)) merged[port] = value;
  return Object.keys(merged).length ? merged : undefined;
}

/**
 * The MAC to set on the new container: the one the user configured (Config.MacAddress, which the
 * engine leaves empty when it generated the address), never the endpoint's operational MAC, which
 * may be engine-generated (copying it makes it static and duplicates it: moby#48595). On a static
 * IP without a configured MAC, setting none lets the engine derive the same MAC from the same IP.
 */
export function configuredMac(old: InspectedContainer): string | undefined {
  return old.Config.MacAddress || undefined;
}

/** The endpoint to give the new container: its IPAM config and aliases, minus the old id's alias. */
function carriedEndpoint(settings: EndpointSettings, oldId: string): EndpointConfig {
  const endpoint: EndpointConfig = {};
  const ipam = settings.IPAMConfig;
  if (ipam && (ipam.IPv4Address || ipam.IPv6Address || ipam.LinkLocalIPs?.length)) {
    endpoint.IPAMConfig = {
      ...(ipam.IPv4Address ? { IPv4Address: ipam.IPv4Address } : {}),
      ...(ipam.IPv6Address ? { IPv6Address: ipam.IPv6Address } : {}),
      ...(ipam.LinkLocalIPs?.length ? { LinkLocalIPs: ipam.LinkLocalIPs } : {}),
    };
  }
  // The engine adds the short id as an alias itself (API < 1.45 shows it in Aliases): not the operator's.
  const aliases = (settings.Aliases ?? []).filter((alias) => !oldId.startsWith(alias) || alias.length < 12);
  if (aliases.length) endpoint.Aliases = aliases;
  if (settings.Links?.length) endpoint.Links = settings.Links;
  if (settings.DriverOpts && Object.keys(settings.DriverOpts).length) endpoint.DriverOpts = settings.DriverOpts;
  return endpoint;
}

/** Does the container hold a static address (an IPAM-configured IP on any network) or a MAC it set? */
export function hasStaticAddress(old: InspectedContainer): boolean {
  if (configuredMac(old)) return true;
  return Object.values(old.NetworkSettings.Networks ?? {}).some((n) => Boolean(n.IPAMConfig?.IPv4Address || n.IPAMConfig?.IPv6Address));
}

/** Volumes the container got without naming them (the image's VOLUME, `-v /path`): keep their data. */
function anonymousVolumeMounts(old: InspectedContainer): NonNullable<HostConfig['Mounts']> {
  const explicit = new Set([...(old.HostConfig.Binds ?? []).map((b) => b.split(':')[1]), ...(old.HostConfig.Mounts ?? []).map((m) => m.Target)]);
  return (old.Mounts ?? [])
    .filter((m) => m.Type === 'volume' && m.Name && !explicit.has(m.Destination))
    .map((m) => ({ Type: 'volume', Source: m.Name!, Target: m.Destination, ReadOnly: m.RW === false }));
}

export function carryOver({ old, oldImage, newImage, image, apiVersion }: CarryOverInput): CarriedConfig {
  const c = old.Config;
  const multi = apiAtLeast(apiVersion, MULTI_ENDPOINT_CREATE_API);
  const mac = configuredMac(old);
  const networks = Object.entries(old.NetworkSettings.Networks ?? {});
  const primaryName = networks.find(([name]) => name === old.HostConfig.NetworkMode)?.[0] ?? networks[0]?.[0];
  const endpoints: Record<string, EndpointConfig> = {};
  const connect: CarriedConfig['connect'] = [];
  for (const [name, settings] of networks) {
    const endpoint = carriedEndpoint(settings, old.Id);
    if (mac && multi && name === primaryName) endpoint.MacAddress = mac;
    if (multi || name === primaryName) endpoints[name] = endpoint;
    else connect.push({ network: name, endpoint });
  }
  const anonymous = anonymousVolumeMounts(old);
  const hostConfig: HostConfig = { ...old.HostConfig, ...(anonymous.length ? { Mounts: [...(old.HostConfig.Mounts ?? []), ...anonymous] } : {}) };
  // The engine sets an unset hostname to the short id: that one is not the operator's.
  const hostname = c.Hostname && !old.Id.startsWith(c.Hostname) ? c.Hostname : undefined;

  const { MacAddress: _mac, Image: _image, Hostname: _hostname, Volumes: _volumes, ...rest } = c;
  const body: CarriedConfig['body'] = {
    ...rest,
    ...(hostname ? { Hostname: hostname } : {}),
    Image: image,
    Env: mergeEnv(c.Env, oldImage.Env, newImage.Env),
    Labels: mergeLabels(c.Labels, oldImage.Labels, newImage.Labels),
    Cmd: followImage(c.Cmd, oldImage.Cmd, newImage.Cmd) ?? null,
    Entrypoint: followImage(c.Entrypoint, oldImage.Entrypoint, newImage.Entrypoint) ?? null,
    User: followImage(c.User || '', oldImage.User || '', newImage.User || '') ?? '',
    WorkingDir: followImage(c.WorkingDir || '', oldImage.WorkingDir || '', newImage.WorkingDir || '') ?? '',
    ExposedPorts: mergePorts(c.ExposedPorts, oldImage.ExposedPorts, newImage.ExposedPorts) ?? null,
    Healthcheck: followImage(c.Healthcheck, oldImage.Healthcheck, newImage.Healthcheck) ?? null,
    ...(mac && !multi ? { MacAddress: mac } : {}),
    HostConfig: hostConfig,
    NetworkingConfig: { EndpointsConfig: endpoints },
  };
  return { name: old.Name.replace(/^\//, ''), body, connect };
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
  return value;
}

/** sha256 of the config's JSON with sorted keys: equal configs, equal digests (for the journal's step lines). */
export function configDigest(config: CarriedConfig): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(canonical(config))).digest('hex')}`;
}
