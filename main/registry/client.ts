// One registry's Registry v2 API (RegistryApi): the /v2/ ping, catalog and tag lists paged through
// Link headers, manifest digests by HEAD (GET where HEAD does not say), and the image config blob.
// Authentication follows the registry's own challenge: Basic, or Bearer tokens from its token
// service, cached per scope set, with one fresh token after a 401. Every failure is a RegistryError.
import { isDigest, isRepositoryPath, isTag } from '../../shared/imageRef';
import type { TagInfo } from '../../shared/registry';
import { systemClock, type Clock } from '../clock/clock';
import { z } from 'zod';
import { answerError, isOk, readJson } from './answers';
import { HttpSender, type HttpAnswer, type HttpExchange } from './httpSend';
import { nextLink } from './link';
import {
  ImageConfigBlob,
  isIndexType,
  layersSize,
  MANIFEST_ACCEPT,
  matchesDigest,
  digestOf,
  MEDIA_TYPES,
  mediaTypeOf,
  parseManifest,
  platformDigest,
  PLATFORM,
  type ImageManifest,
} from './manifests';
import { basicAuthorization, requestToken, TokenCache, type BearerChallenge, type Token } from './tokenAuth';
import { RegistryError, type ImageConfigSummary, type ManifestDigest, type RegistryApi, type RegistryCredentials } from './types';
import { findChallenge, parseWwwAuthenticate } from './wwwAuthenticate';

export interface RegistryClientOptions {
  /** The fleet file's url, e.g. https://198.18.0.1:5000 (the API is at /v2/ of its origin). */
  url: string;
  /** The fleet file's CA (PEM), trusted besides the system roots. */
  ca?: Buffer;
  /** Plain HTTP allowed: only for an http:// url. TLS is verified whenever it is used. */
  insecure?: boolean;
  /** Asked at each authentication (so a changed docker config is seen); undefined: anonymous. */
  credentials: () => Promise<RegistryCredentials | undefined>;
  timeoutMs?: number;
  clock?: Clock;
}

/**
 * Per request (connect, TLS, headers and body). The lab's registry answers a ping in ~3 ms and a
 * token in ~10 ms; a registry across the internet under load takes a second or two. 10 s is well
 * past that, and short enough that the Images view shows "timeout" before a user gives up on it.
 */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** A loop guard: distribution pages by 100 (its default n), so this is a million names. */
const MAX_PAGES = 10_000;
const USER_AGENT = 'fleetdeck';
const CATALOG_SCOPE = 'registry:catalog:*';
const pullScope = (repository: string): string => `repository:${repository}:pull`;

type Scheme = { kind: 'basic' } | { kind: 'bearer'; challenge: BearerChallenge; scopes: readonly string[] };

const Catalog = z.object({ repositories: z.array(z.string()).nullish() });
const TagList = z.object({ tags: z.array(z.string()).nullish() });

/** A manifest as fetched: its digest (as served), media type and parsed body. */
type FetchedManifest = ReturnType<typeof parseManifest> & { digest: string; mediaType: string };

export class RegistryClient implements RegistryApi {
  readonly url: string;
  private readonly base: URL;
  private readonly sender: HttpSender;
  private readonly clock: Clock;
  private readonly tokens = new TokenCache();
  private readonly pendingTokens = new Map<string, Promise<Token>>();
  /** What the registry asked for at its last 401: sent up front from then on, saving a round trip. */
  private scheme: Scheme | undefined;

  constructor(private readonly options: RegistryClientOptions) {
    this.url = options.url;
    try {
      this.base = new URL(options.url);
    } catch {
      throw new RegistryError(`registry url "${options.url}" is not a URL`, 'protocol');
    }
    this.clock = options.clock ?? systemClock;
    this.sender = new HttpSender({
      ...(options.ca && { ca: options.ca }),
      allowPlainHttp: options.insecure === true,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      clock: this.clock,
    });
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.sender.close();
  }

  async ping(): Promise<void> {
    const answer = await this.authorized(this.at('/v2/'), { method: 'GET' }, []);
    if (isOk(answer)) return;
    if (answer.status === 404) throw new RegistryError(`${this.base.origin}: no Registry v2 API at /v2/ (HTTP 404)`, 'protocol');
    throw await this.failure(answer, `${this.base.origin} /v2/`);
  }

  repositories(): Promise<string[]> {
    return this.pages(this.at('/v2/_catalog'), [CATALOG_SCOPE], Catalog, (page) => page.repositories, 'catalog');
  }

  async tags(repository: string): Promise<string[]> {
    this.checkRepository(repository);
    return this.pages(this.at(`/v2/${repository}/tags/list`), [pullScope(repository)], TagList, (page) => page.tags, `${repository} tags`);
  }

  async manifestDigest(repository: string, reference: string): Promise<ManifestDigest> {
    this.checkRepository(repository);
    this.checkReference(reference);
    const what = this.manifestWhat(repository, reference);
    const head = await this.authorized(this.manifestUrl(repository, reference), { method: 'HEAD', headers: { accept: MANIFEST_ACCEPT } }, [pullScope(repository)]);
    if (head.status === 401 || head.status === 403 || head.status === 404) throw await this.failure(head, what);
    const digest = headerDigest(head);
    const mediaType = mediaTypeOf(header(head, 'content-type'));
    if (isOk(head) && digest && mediaType && !isIndexType(mediaType)) return { digest, mediaType };
    // GET where HEAD gave no digest or type, or failed otherwise; and for an index, whose platform digest is in its body.
    const manifest = await this.fetchManifest(repository, isOk(head) && digest ? digest : reference);
    // An index without linux/amd64 still has its own digest: only its config is out of reach.
    const platform = manifest.kind === 'index' ? platformDigest(manifest.index) : undefined;
    return { digest: manifest.digest, mediaType: manifest.mediaType, ...(platform && { platformDigest: platform }) };
  }

  async imageConfig(repository: string, reference: string): Promise<ImageConfigSummary> {
    this.checkRepository(repository);
    this.checkReference(reference);
    const { manifest } = await this.resolve(repository, reference);
    return this.config(repository, manifest);
  }

  async tagInfo(repository: string, tag: string): Promise<TagInfo> {
    this.checkRepository(repository);
    if (!isTag(tag)) throw new RegistryError(`"${tag}" is not a tag`, 'not-found');
    // One GET gives the digest and the body the config needs: no HEAD first.
    const resolved = await this.resolve(repository, tag);
    const config = await this.config(repository, resolved.manifest);
    return {
      tag,
      digest: resolved.digest,
      mediaType: resolved.mediaType,
      ...(resolved.platformDigest && { platformDigest: resolved.platformDigest }),
      ...(config.created !== undefined && { created: config.created }),
      ...(config.size !== undefined && { size: config.size }),
      labels: config.labels,
    };
  }

  // --- manifests and blobs ---

  /** The manifest a reference names, and for an index the linux/amd64 image manifest under it. */
  private async resolve(repository: string, reference: string): Promise<{ digest: string; mediaType: string; platformDigest?: string; manifest: ImageManifest }> {
    const top = await this.fetchManifest(repository, reference);
    if (top.kind === 'image') return { digest: top.digest, mediaType: top.mediaType, manifest: top.manifest };
    const platform = this.pickPlatform(top, this.manifestWhat(repository, reference));
    const image = await this.fetchManifest(repository, platform);
    if (image.kind !== 'image') {
      const entry = `${PLATFORM.os}/${PLATFORM.architecture}`;
      throw new RegistryError(`${this.manifestWhat(repository, platform)}: the index's ${entry} entry is not an image manifest`, 'protocol');
    }
    return { digest: top.digest, mediaType: top.mediaType, platformDigest: platform, manifest: image.manifest };
  }

  private pickPlatform(manifest: FetchedManifest, what: string): string {
    const digest = manifest.kind === 'index' ? platformDigest(manifest.index) : undefined;
    if (!digest) throw new RegistryError(`${what}: the index has no ${PLATFORM.os}/${PLATFORM.architecture} image`, 'not-found');
    return digest;
  }

  private async fetchManifest(repository: string, reference: string): Promise<FetchedManifest> {
    const what = this.manifestWhat(repository, reference);
    const answer = await this.authorized(this.manifestUrl(repository, reference), { method: 'GET', headers: { accept: MANIFEST_ACCEPT } }, [pullScope(repository)]);
    if (!isOk(answer)) throw await this.failure(answer, what);
    const served = headerDigest(answer);
    // The digest is that of the bytes as served; a header or a digest reference that disagrees is a broken answer.
    for (const claimed of [served, isDigest(reference) ? reference : undefined]) {
      if (claimed && !matchesDigest(answer.body, claimed)) throw new RegistryError(`${what}: the manifest does not match its digest ${claimed}`, 'protocol');
    }
    const parsed = parseManifest(answer.body, header(answer, 'content-type'));
    if (parsed.kind === 'unknown') {
      throw new RegistryError(`${what}: not a Docker v2 or OCI manifest (${mediaTypeOf(header(answer, 'content-type')) ?? 'no media type'})`, 'protocol');
    }
    const declared = mediaTypeOf(header(answer, 'content-type')) ?? (parsed.kind === 'index' ? parsed.index.mediaType : parsed.manifest.mediaType);
    const mediaType = declared ?? (parsed.kind === 'index' ? MEDIA_TYPES.ociIndex : MEDIA_TYPES.ociManifest);
    return { ...parsed, digest: served ?? digestOf(answer.body), mediaType };
  }

  private async config(repository: string, manifest: ImageManifest): Promise<ImageConfigSummary> {
    const digest = manifest.config.digest;
    const what = `${this.base.origin} ${repository}@${digest} config`;
    if (!isDigest(digest)) throw new RegistryError(`${what}: the manifest's config digest is not a digest`, 'protocol');
    const answer = await this.authorized(this.at(`/v2/${repository}/blobs/${digest}`), { method: 'GET' }, [pullScope(repository)]);
    if (!isOk(answer)) throw await this.failure(answer, what);
    if (!matchesDigest(answer.body, digest)) throw new RegistryError(`${what}: the blob does not match its digest`, 'protocol');
    const blob = readJson(answer, ImageConfigBlob, what);
    const size = layersSize(manifest);
    return { ...(blob.created !== undefined && { created: blob.created }), ...(size !== undefined && { size }), labels: blob.config?.Labels ?? {} };
  }

  // --- lists ---

  private async pages<T>(first: URL, scopes: readonly string[], schema: z.ZodType<T>, names: (page: T) => string[] | null | undefined, what: string): Promise<string[]> {
    const all: string[] = [];
    const seen = new Set<string>();
    for (let url: URL | undefined = first; url; ) {
      const where = `${this.base.origin} ${what}`;
      if (seen.has(url.href) || seen.size >= MAX_PAGES) throw new RegistryError(`${where}: the pages' next links loop`, 'protocol');
      seen.add(url.href);
      const answer = await this.authorized(url, { method: 'GET', headers: { accept: 'application/json' } }, scopes);
      if (!isOk(answer)) throw await this.failure(answer, where);
      const list = names(readJson(answer, schema, where)) ?? [];
      if (!list.every((name) => typeof name === 'string')) throw new RegistryError(`${where}: not a list of names`, 'protocol');
      all.push(...list);
      url = nextLink(answer.headers.link, answer.url);
      // Our credentials go to our registry only: a next page elsewhere is not followed.
      if (url && url.origin !== this.base.origin) throw new RegistryError(`${where}: the next page is on another origin (${url.origin})`, 'protocol');
    }
    return all;
  }

  // --- authentication ---

  /** Sends a request with the registry's scheme; after a 401, learns its challenge and tries once more with fresh credentials. */
  private async authorized(url: URL, exchange: HttpExchange, scopes: readonly string[]): Promise<HttpAnswer> {
    const first = await this.authorization(scopes, false);
    const answer = await this.sender.send(url, this.withAuthorization(exchange, first?.header));
    if (answer.status !== 401) return answer;
    const learned = this.learn(answer, scopes);
    if (!learned) return answer;
    if (first?.cached) this.tokens.drop(this.scopesFor(scopes));
    const again = await this.authorization(scopes, true);
    if (!again || again.header === first?.header) return answer;
    return this.sender.send(url, this.withAuthorization(exchange, again.header));
  }

  /** Takes the first challenge we can answer: Bearer over Basic, as docker does. */
  private learn(answer: HttpAnswer, scopes: readonly string[]): boolean {
    const challenges = parseWwwAuthenticate(answer.headers['www-authenticate']);
    const bearer = findChallenge(challenges, 'bearer');
    if (bearer?.params.realm) {
      const challenge: BearerChallenge = { realm: bearer.params.realm, ...(bearer.params.service !== undefined && { service: bearer.params.service }) };
      // A ping asks for no scope; the challenge may name the one it wants.
      const challengeScopes = scopes.length === 0 && bearer.params.scope ? bearer.params.scope.split(' ').filter(Boolean) : [];
      this.scheme = { kind: 'bearer', challenge, scopes: challengeScopes };
      return true;
    }
    if (findChallenge(challenges, 'basic')) {
      this.scheme = { kind: 'basic' };
      return true;
    }
    return false;
  }

  private scopesFor(scopes: readonly string[]): readonly string[] {
    return scopes.length === 0 && this.scheme?.kind === 'bearer' ? this.scheme.scopes : scopes;
  }

  /** The Authorization header for the known scheme; `fresh`: never a cached token. */
  private async authorization(scopes: readonly string[], fresh: boolean): Promise<{ header: string; cached: boolean } | undefined> {
    const scheme = this.scheme;
    if (!scheme) return undefined;
    if (scheme.kind === 'basic') {
      const credentials = await this.credentials();
      return credentials && 'password' in credentials ? { header: basicAuthorization(credentials.username, credentials.password), cached: false } : undefined;
    }
    const wanted = this.scopesFor(scopes);
    const cached = fresh ? undefined : this.tokens.get(wanted, this.clock.now());
    if (cached) return { header: `Bearer ${cached.value}`, cached: true };
    const token = await this.token(scheme.challenge, wanted);
    return { header: `Bearer ${token.value}`, cached: false };
  }

  /** One token request per scope set at a time: concurrent calls for a repository share it. */
  private token(challenge: BearerChallenge, scopes: readonly string[]): Promise<Token> {
    const key = `${challenge.realm} ${challenge.service ?? ''} ${TokenCache.key(scopes)}`;
    const pending = this.pendingTokens.get(key);
    if (pending) return pending;
    const request = (async () => {
      const credentials = await this.credentials();
      try {
        const token = await requestToken(this.sender, challenge, scopes, credentials, this.clock.now());
        this.tokens.set(scopes, token);
        return token;
      } catch (err) {
        throw err instanceof RegistryError && err.kind === 'auth' && !credentials ? this.noCredentials(err) : err;
      }
    })().finally(() => this.pendingTokens.delete(key));
    this.pendingTokens.set(key, request);
    return request;
  }

  private async credentials(): Promise<RegistryCredentials | undefined> {
    try {
      return await this.options.credentials();
    } catch (err) {
      throw new RegistryError(`${this.base.origin}: its credentials could not be read (${err instanceof Error ? err.message : String(err)})`, 'auth');
    }
  }

  /** A failed answer as an error; a 401 says whether we had credentials to offer. */
  private async failure(answer: HttpAnswer, what: string): Promise<RegistryError> {
    const error = answerError(answer, what);
    return answer.status === 401 && !(await this.credentials()) ? this.noCredentials(error) : error;
  }

  private noCredentials(error: RegistryError): RegistryError {
    return new RegistryError(`${error.message} (no credentials for ${this.base.host})`, error.kind);
  }

  private withAuthorization(exchange: HttpExchange, authorization: string | undefined): HttpExchange {
    return { ...exchange, headers: { 'user-agent': USER_AGENT, ...exchange.headers, ...(authorization && { authorization }) } };
  }

  // --- names ---

  private at(path: string): URL {
    return new URL(path, this.base.origin);
  }

  private manifestUrl(repository: string, reference: string): URL {
    return this.at(`/v2/${repository}/manifests/${reference}`);
  }

  private manifestWhat(repository: string, reference: string): string {
    return `${this.base.origin} ${repository}${isDigest(reference) ? '@' : ':'}${reference} manifest`;
  }

  private checkRepository(repository: string): void {
    if (!isRepositoryPath(repository)) throw new RegistryError(`"${repository}" is not a repository name`, 'not-found');
  }

  private checkReference(reference: string): void {
    if (!isTag(reference) && !isDigest(reference)) throw new RegistryError(`"${reference}" is neither a tag nor a digest`, 'not-found');
  }
}

function header(answer: HttpAnswer, name: string): string | undefined {
  const value = answer.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function headerDigest(answer: HttpAnswer): string | undefined {
  const digest = header(answer, 'docker-content-digest')?.trim();
  return digest && isDigest(digest) ? digest : undefined;
}

export function createRegistryClient(options: RegistryClientOptions): RegistryClient {
  return new RegistryClient(options);
}
