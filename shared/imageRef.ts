// Image references as the docker CLI reads them (distribution's reference grammar): registry host
// with an optional port, repository path, tag and digest, with docker.io and library/ normalised.
// Bad references throw ImageRefError with a message saying what is wrong, not just "invalid".

/** A parsed reference, normalised: registry is never empty, docker.io names have their library/. */
export interface ImageRef {
  /** host[:port], e.g. docker.io, 198.18.0.1:5000, [::1]:5000 */
  registry: string;
  /** Path inside the registry, e.g. library/ubuntu, lab/app */
  repository: string;
  tag?: string;
  /** algorithm:hex, e.g. sha256:… */
  digest?: string;
}

export class ImageRefError extends Error {
  constructor(
    readonly reference: string,
    reason: string,
  ) {
    super(`invalid image reference "${reference}": ${reason}`);
    this.name = 'ImageRefError';
  }
}

export const DOCKER_HUB = 'docker.io';
/** Docker Hub's old name, which the docker CLI still accepts and rewrites. */
const LEGACY_DOCKER_HUB = 'index.docker.io';
const OFFICIAL_NAMESPACE = 'library/';
/** What a reference without tag or digest means. */
export const DEFAULT_TAG = 'latest';

/** distribution's NameTotalLengthMax: the registry and path together. */
const NAME_MAX = 255;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:.]+\\])(?::([0-9]*))?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
/** An image ID alone, which docker refuses as a repository name. */
const IMAGE_ID = /^[a-f0-9]{64}$/;
/** Hex length of each algorithm the registries use (go-digest's registered ones). */
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** Why a digest is not one (undefined when it is). */
export function digestProblem(digest: string): string | undefined {
  if (!DIGEST.test(digest)) return `bad digest "${digest}": expected algorithm:hex, e.g. sha256: and 64 hex digits`;
  const colon = digest.indexOf(':');
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  const length = DIGEST_HEX_LENGTH[algorithm];
  if (length === undefined) return `bad digest "${digest}": unsupported digest algorithm ${algorithm}`;
  if (hex.length !== length) return `bad digest "${digest}": ${algorithm} needs ${length} hex digits, got ${hex.length}`;
  if (hex !== hex.toLowerCase()) return `bad digest "${digest}": hex digits must be lowercase`;
  return undefined;
}

export function isDigest(s: string): boolean {
  return digestProblem(s) === undefined;
}

export function isTag(s: string): boolean {
  return TAG.test(s);
}

/** A repository path as registries name it (lowercase components separated by "/"), e.g. lab/app */
export function isRepositoryPath(s: string): boolean {
  return s.length > 0 && s.length <= NAME_MAX && s.split('/').every((component) => PATH_COMPONENT.test(component));
}

/** Parses a reference as `docker pull` does, e.g. "ubuntu", "198.18.0.1:5000/lab/app:1.0@sha256:…". */
export function parseImageRef(reference: string): ImageRef {
  const fail: (reason: string) => never = (reason) => {
    throw new ImageRefError(reference, reason);
  };
  if (reference === '') fail('it is empty');
  if (IMAGE_ID.test(reference)) fail('a 64-digit hex string is an image ID, not a repository name');

  const [nameAndTag = '', digest, ...more] = reference.split('@');
  if (more.length > 0) fail('more than one "@"');
  if (digest !== undefined) {
    if (digest === '') fail('empty digest after "@"');
    const problem = digestProblem(digest);
    if (problem) fail(problem);
  }

  const lastSlash = nameAndTag.lastIndexOf('/');
  const tagColon = nameAndTag.indexOf(':', lastSlash + 1);
  const name = tagColon === -1 ? nameAndTag : nameAndTag.slice(0, tagColon);
  const tag = tagColon === -1 ? undefined : nameAndTag.slice(tagColon + 1);
  if (tag === '') fail('empty tag after ":"');
  if (tag !== undefined && !TAG.test(tag)) {
    fail(`bad tag "${tag}": up to 128 letters, digits, "_", "." and "-", not starting with "." or "-"`);
  }

  const { registry, path } = splitRegistry(name, fail);
  if (path === '') fail('repository name must have at least one component');
  if (path !== path.toLowerCase()) fail(`repository name must be lowercase ("${path}")`);
  for (const component of path.split('/')) {
    if (component === '') fail(`empty path component in "${path}"`);
    if (!PATH_COMPONENT.test(component)) {
      fail(`bad repository path component "${component}": lowercase letters and digits, separated by ".", "_", "__" or "-"`);
    }
  }
  const repository = registry === DOCKER_HUB && !path.includes('/') ? OFFICIAL_NAMESPACE + path : path;
  if (registry.length + 1 + repository.length > NAME_MAX) fail(`repository name must not be more than ${NAME_MAX} characters`);

  return { registry, repository, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}

/** The first component names a registry when it has "." or ":" or is localhost; else it is Docker Hub. */
function splitRegistry(name: string, fail: (reason: string) => never): { registry: string; path: string } {
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  if (slash === -1 || !(first.includes('.') || first.includes(':') || first === 'localhost')) {
    return { registry: DOCKER_HUB, path: name };
  }
  if (first.startsWith(':')) fail(`port without a registry host ("${first}")`);
  const host = HOST.exec(first);
  if (!host) fail(`bad registry host "${first}"`);
  if (host[1] === '') fail(`empty port after "${first.slice(0, -1)}"`);
  return { registry: first === LEGACY_DOCKER_HUB ? DOCKER_HUB : first, path: name.slice(slash + 1) };
}

/** registry/repository, e.g. docker.io/library/ubuntu */
export function imageName(ref: ImageRef): string {
  return `${ref.registry}/${ref.repository}`;
}

function withTagAndDigest(name: string, ref: ImageRef): string {
  return name + (ref.tag !== undefined ? `:${ref.tag}` : '') + (ref.digest !== undefined ? `@${ref.digest}` : '');
}

/** The full form, e.g. docker.io/library/ubuntu:22.04 */
export function formatImageRef(ref: ImageRef): string {
  return withTagAndDigest(imageName(ref), ref);
}

/** The familiar form docker prints, e.g. ubuntu:22.04, bitnami/redis, 198.18.0.1:5000/lab/app:1.0 */
export function familiarImageRef(ref: ImageRef): string {
  if (ref.registry !== DOCKER_HUB) return formatImageRef(ref);
  const rest = ref.repository.startsWith(OFFICIAL_NAMESPACE) ? ref.repository.slice(OFFICIAL_NAMESPACE.length) : '';
  return withTagAndDigest(rest && !rest.includes('/') ? rest : ref.repository, ref);
}

/** What to ask the registry's manifests endpoint for: the digest, else the tag, else latest. */
export function manifestReference(ref: ImageRef): string {
  return ref.digest ?? ref.tag ?? DEFAULT_TAG;
}
