// The fleet's registries as one service: their status, repositories and tags (cached a short
// while), the digest a reference points to now, and where each image runs: every container's
// image, its digests as its daemon records them, and whether its tag has moved on in the registry.
// A registry that is down or slow costs only its own answers: each has its own request limit,
// every operation a deadline, and its errors come back in the answer, never for the whole list.
import pLimit, { type LimitFunction } from 'p-limit';
import type { Container } from '../../shared/model';
import { DEFAULT_TAG, parseImageRef, type ImageRef } from '../../shared/imageRef';
import type { ContainerImage, RegistryInfo, TagInfo } from '../../shared/registry';
import { systemClock, type Clock } from '../clock/clock';
import { TtlCache } from './ttlCache';
import { RegistryError, type CredentialStore, type ManifestDigest, type RegistryApi } from './types';

/** One registry of the fleet file, with its client. */
export interface FleetRegistry {
  /** As in the fleet file, e.g. https://198.18.0.1:5000 */
  url: string;
  /** host[:port], as image references name it. */
  host: string;
  insecure: boolean;
  api: RegistryApi;
}

/** What the service needs from the fleet's daemons (main/registry/daemonImages.ts over the inventory). */
export interface ImageDaemons {
  /** The hosts whose daemon answers now, with their containers. */
  hosts(): { host: string; containers: Container[] }[];
  /** GET /containers/{id}/json: Config.Image (the reference it was created from) and Image (its image ID). */
  inspectContainer(host: string, id: string): Promise<{ image: string; imageId: string }>;
  /** GET /images/{id}/json: RepoDigests. */
  repoDigests(host: string, imageId: string): Promise<string[]>;
}

/** The digest a reference points to now, as `fleetdeck digest` prints it. */
export interface ResolvedDigest {
  ref: string;
  registry: string;
  repository: string;
  tag?: string;
  digest: string;
  mediaType: string;
  platformDigest?: string;
}

/**
 * How long a tag list, a tag's details and a tag's digest stay cached. A tag moves on at a deploy,
 * so half a minute of staleness is what an SRE can wait for; meanwhile the Images view's refreshes
 * and imageUsage's every-container lookups ask the registry once per tag, not once per container.
 */
export const REGISTRY_CACHE_MS = 30_000;
/**
 * RepoDigests of one image on one host. They change only when that image is pushed or pulled under
 * another name; a minute bounds how long the view misses that, and a host has few distinct images.
 */
export const REPO_DIGESTS_CACHE_MS = 60_000;
/**
 * Registry requests in flight per registry. distribution serves a few concurrent manifest and
 * blob reads without queueing; four keeps a 100-tag repository 25 round trips deep without
 * opening a hundred sockets at a registry that may be someone's small box.
 */
export const REQUESTS_PER_REGISTRY = 4;
/** Daemon inspects in flight per host, as the inventory's start-time inspects: room stays for user actions. */
export const INSPECTS_PER_HOST = 2;
/**
 * One registry operation (a tag's details: token, HEAD, manifest, config blob) at most. The client
 * times out each request; this bounds a registry that answers each one just before its timeout.
 */
export const OPERATION_DEADLINE_MS = 20_000;

export interface RegistryServiceOptions {
  registries: FleetRegistry[];
  /** For each registry's credential source (registries()); the clients ask it for the credentials. */
  credentials: CredentialStore;
  /** Without daemons (the CLI's registry commands), imageUsage lists no container. */
  daemons?: ImageDaemons;
  clock?: Clock;
}

export class RegistryService {
  private readonly clock: Clock;
  private readonly limits = new Map<string, LimitFunction>();
  private readonly repositoryLists: TtlCache<string[]>;
  private readonly tagLists: TtlCache<string[]>;
  /** undefined: the tag was listed, yet its manifest is gone. */
  private readonly tagInfos: TtlCache<TagInfo | undefined>;
  private readonly digests: TtlCache<ManifestDigest>;
  /** A container's image reference and image ID never change: kept while the container exists. */
  private readonly inspected: TtlCache<{ image: string; imageId: string }>;
  private readonly repoDigestsOf: TtlCache<string[]>;

  constructor(private readonly options: RegistryServiceOptions) {
    this.clock = options.clock ?? systemClock;
    this.repositoryLists = new TtlCache(this.clock, REGISTRY_CACHE_MS);
    this.tagLists = new TtlCache(this.clock, REGISTRY_CACHE_MS);
    this.tagInfos = new TtlCache(this.clock, REGISTRY_CACHE_MS);
    this.digests = new TtlCache(this.clock, REGISTRY_CACHE_MS);
    this.inspected = new TtlCache(this.clock, Infinity);
    this.repoDigestsOf = new TtlCache(this.clock, REPO_DIGESTS_CACHE_MS);
  }

  /** Every registry of the fleet with its /v2/ ping's outcome; one that fails says why, the others are unaffected. */
  registries(): Promise<RegistryInfo[]> {
    return Promise.all(
      this.options.registries.map(async (r): Promise<RegistryInfo> => {
        const [ping, lookup] = await Promise.allSettled([this.run(r, () => r.api.ping()), this.options.credentials.lookup(r.host)]);
        const info: RegistryInfo = {
          url: r.url,
          host: r.host,
          insecure: r.insecure,
          credentials: lookup.status === 'fulfilled' ? lookup.value.source : 'none',
          status: 'ok',
        };
        const failure = ping.status === 'rejected' ? ping.reason : lookup.status === 'rejected' ? new RegistryError(messageOf(lookup.reason), 'auth') : undefined;
        if (failure !== undefined) {
          const error = asRegistryError(failure);
          info.status = 'error';
          info.error = { kind: error.kind, message: error.message };
        }
        return info;
      }),
    );
  }

  /** The registry by its fleet-file URL or its host[:port]; RegistryError not-found when the fleet has none such. */
  registry(urlOrHost: string): FleetRegistry {
    const wanted = urlOrHost.replace(/\/+$/, '');
    const found = this.options.registries.find((r) => r.url === wanted || r.host === wanted);
    if (!found) throw new RegistryError(`registry ${urlOrHost} is not in the fleet file (${this.known()})`, 'not-found');
    return found;
  }

  async repositories(registry: string): Promise<string[]> {
    const r = this.registry(registry);
    return this.repositoryLists.get(r.url, () => this.run(r, () => r.api.repositories()));
  }

  /** Every tag of a repository with its digest, created time, size and labels, in the registry's order. */
  async tags(registry: string, repository: string): Promise<TagInfo[]> {
    const r = this.registry(registry);
    const names = await this.tagLists.get(`${r.url} ${repository}`, () => this.run(r, () => r.api.tags(repository)));
    const infos = await Promise.all(
      names.map((tag) =>
        this.tagInfos.get(`${r.url} ${repository}:${tag}`, () =>
          this.run(r, () => r.api.tagInfo(repository, tag)).catch((err: unknown) => {
            // Deleted between the tag list and its manifest: it is gone, not an error of the registry.
            if (err instanceof RegistryError && err.kind === 'not-found') return undefined;
            throw err;
          }),
        ),
      ),
    );
    return infos.filter((t): t is TagInfo => t !== undefined);
  }

  /**
   * The digest the registry gives now for an image reference (a tag, or latest; a digest reference
   * is checked to exist). Throws ImageRefError for a bad reference, RegistryError otherwise.
   */
  async resolve(reference: string): Promise<ResolvedDigest> {
    const ref = parseImageRef(reference);
    const r = this.registry(ref.registry);
    const tag = ref.digest ? ref.tag : (ref.tag ?? DEFAULT_TAG);
    const found = ref.digest ? await this.run(r, () => r.api.manifestDigest(ref.repository, ref.digest!)) : await this.currentDigest(r, ref.repository, tag!);
    return {
      ref: reference,
      registry: r.url,
      repository: ref.repository,
      ...(tag !== undefined ? { tag } : {}),
      digest: found.digest,
      mediaType: found.mediaType,
      ...(found.platformDigest ? { platformDigest: found.platformDigest } : {}),
    };
  }

  /** Every container on the hosts that answer: its image, image ID and repo digests, and whether its tag has moved on. */
  async imageUsage(): Promise<ContainerImage[]> {
    const daemons = this.options.daemons;
    if (!daemons) return [];
    const hosts = daemons.hosts();
    const rows = await Promise.all(hosts.flatMap(({ host, containers }) => containers.map((c) => this.containerImage(daemons, host, c))));
    const containerKeys = new Set(hosts.flatMap(({ host, containers }) => containers.map((c) => `${host}/${c.id}`)));
    const imageKeys = new Set(rows.map((row) => `${row.host}/${row.imageId}`));
    this.inspected.retain((key) => containerKeys.has(key));
    this.repoDigestsOf.retain((key) => imageKeys.has(key));
    return rows;
  }

  private async containerImage(daemons: ImageDaemons, host: string, c: Container): Promise<ContainerImage> {
    let image = c.image;
    let imageId = c.imageId ?? '';
    // The list names the image by ID when its reference now points elsewhere (the tag was pulled
    // anew on that host): inspect tells the reference it was created from.
    if (!imageId || looksLikeImageId(image)) {
      try {
        ({ image, imageId } = await this.inspected.get(`${host}/${c.id}`, () => this.limit(`host ${host}`, INSPECTS_PER_HOST)(() => daemons.inspectContainer(host, c.id))));
      } catch {
        // Gone since the list, or its host is failing: what the list said is all there is.
      }
    }
    let repoDigests: string[] = [];
    if (imageId) {
      repoDigests = await this.repoDigestsOf
        .get(`${host}/${imageId}`, () => this.limit(`host ${host}`, INSPECTS_PER_HOST)(() => daemons.repoDigests(host, imageId)))
        .catch(() => []);
    }
    return { host, id: c.id, name: c.name, image, imageId, repoDigests, ...(await this.judge(image, repoDigests)) };
  }

  /** The tag's digest now, and outdated: it is not among the image's repo digests for that repository. */
  private async judge(image: string, repoDigests: string[]): Promise<Pick<ContainerImage, 'currentDigest' | 'outdated'>> {
    const ref = parseOrUndefined(image);
    const r = ref && this.options.registries.find((x) => x.host === ref.registry);
    const tag = ref && (ref.tag ?? (ref.digest ? undefined : DEFAULT_TAG));
    if (!ref || !r || tag === undefined) return {};
    let current: ManifestDigest;
    try {
      current = await this.currentDigest(r, ref.repository, tag);
    } catch {
      return {};
    }
    const known = repoDigests.map(parseOrUndefined).filter((d) => d?.registry === ref.registry && d.repository === ref.repository && d.digest).map((d) => d!.digest!);
    // No digest of that repository (built on the host, never pushed or pulled): nothing to compare.
    if (known.length === 0) return { currentDigest: current.digest };
    const runsCurrent = known.includes(current.digest) || (current.platformDigest !== undefined && known.includes(current.platformDigest));
    return { currentDigest: current.digest, outdated: !runsCurrent };
  }

  private currentDigest(r: FleetRegistry, repository: string, tag: string): Promise<ManifestDigest> {
    return this.digests.get(`${r.url} ${repository}:${tag}`, () => this.run(r, () => r.api.manifestDigest(repository, tag)));
  }

  /** One operation on a registry: behind its request limit, within the operation deadline, failing as a RegistryError. */
  private run<T>(r: FleetRegistry, operation: () => Promise<T>): Promise<T> {
    return this.limit(`registry ${r.url}`, REQUESTS_PER_REGISTRY)(() => this.withDeadline(r, operation()));
  }

  private withDeadline<T>(r: FleetRegistry, work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = this.clock.setTimeout(() => reject(new RegistryError(`${r.url} did not answer within ${OPERATION_DEADLINE_MS / 1000} s`, 'timeout')), OPERATION_DEADLINE_MS);
      work.then(
        (value) => {
          this.clock.clearTimeout(timer);
          resolve(value);
        },
        (err: unknown) => {
          this.clock.clearTimeout(timer);
          reject(asRegistryError(err));
        },
      );
    });
  }

  private limit(key: string, concurrency: number): LimitFunction {
    let limit = this.limits.get(key);
    if (!limit) this.limits.set(key, (limit = pLimit(concurrency)));
    return limit;
  }

  private known(): string {
    const urls = this.options.registries.map((r) => r.url);
    return urls.length === 0 ? 'it lists no registries' : `it lists ${urls.join(', ')}`;
  }
}

/** "sha256:…" (or a bare hex ID): what /containers/json shows when the reference no longer names the container's image. */
function looksLikeImageId(image: string): boolean {
  return /^sha256:[0-9a-f]{64}$/.test(image) || /^[0-9a-f]{12,64}$/.test(image);
}

function parseOrUndefined(reference: string): ImageRef | undefined {
  try {
    return parseImageRef(reference);
  } catch {
    return undefined;
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The client rejects with RegistryError; anything else (a bug, a credential helper's failure) is a protocol error. */
function asRegistryError(err: unknown): RegistryError {
  return err instanceof RegistryError ? err : new RegistryError(messageOf(err), 'protocol');
}
