// Which containers run which image, indexed once per imageUsage answer: by container (the grid's
// outdated mark, the action bar's digest line), by repository digest and by tag reference (a tag's
// "running" and "outdated" counts in the Images view). References are normalised with
// shared/imageRef, so "nginx:1" and "docker.io/library/nginx:1" meet.
import { DEFAULT_TAG, imageName, parseImageRef, type ImageRef } from '../../shared/imageRef';
import type { ContainerImage, TagInfo } from '../../shared/registry';
import { containerKey } from './fleet';

export interface UsageIndex {
  /** By containerKey (host/id). */
  byContainer: ReadonlyMap<string, ContainerImage>;
  /** By "registry/repository@digest", from the daemons' RepoDigests. */
  byDigest: ReadonlyMap<string, readonly ContainerImage[]>;
  /** By "registry/repository:tag", from the reference each container was created from. */
  byTag: ReadonlyMap<string, readonly ContainerImage[]>;
  /** "registry/repository" of every image in use. */
  repositories: ReadonlySet<string>;
}

export const EMPTY_USAGE: UsageIndex = { byContainer: new Map(), byDigest: new Map(), byTag: new Map(), repositories: new Set() };

function parsed(reference: string): ImageRef | undefined {
  try {
    return parseImageRef(reference);
  } catch {
    return undefined; // an image ID, or a reference the daemon kept that is not one: not in any registry
  }
}

export const digestKey = (registryHost: string, repository: string, digest: string): string => `${registryHost}/${repository}@${digest}`;
export const tagKey = (registryHost: string, repository: string, tag: string): string => `${registryHost}/${repository}:${tag}`;

function push(into: Map<string, ContainerImage[]>, key: string, c: ContainerImage): void {
  const list = into.get(key);
  if (!list) into.set(key, [c]);
  else if (!list.includes(c)) list.push(c);
}

export function indexUsage(containers: readonly ContainerImage[]): UsageIndex {
  const byContainer = new Map<string, ContainerImage>();
  const byDigest = new Map<string, ContainerImage[]>();
  const byTag = new Map<string, ContainerImage[]>();
  const repositories = new Set<string>();
  for (const c of containers) {
    byContainer.set(containerKey(c), c);
    for (const d of c.repoDigests) {
      const ref = parsed(d);
      if (!ref?.digest) continue;
      push(byDigest, `${imageName(ref)}@${ref.digest}`, c);
      repositories.add(imageName(ref));
    }
    const ref = parsed(c.image);
    if (!ref) continue;
    repositories.add(imageName(ref));
    if (ref.digest === undefined) push(byTag, `${imageName(ref)}:${ref.tag ?? DEFAULT_TAG}`, c);
  }
  return { byContainer, byDigest, byTag, repositories };
}

/** A tag's containers: those running the digest it points to now, and those created from it that run an older one. */
export interface TagUse {
  running: readonly ContainerImage[];
  outdated: readonly ContainerImage[];
}

export function tagUse(index: UsageIndex, registryHost: string, repository: string, tag: TagInfo): TagUse {
  const running = [...(index.byDigest.get(digestKey(registryHost, repository, tag.digest)) ?? [])];
  if (tag.platformDigest) {
    for (const c of index.byDigest.get(digestKey(registryHost, repository, tag.platformDigest)) ?? []) if (!running.includes(c)) running.push(c);
  }
  const outdated = (index.byTag.get(tagKey(registryHost, repository, tag.tag)) ?? []).filter((c) => c.outdated === true && !running.includes(c));
  return { running, outdated };
}

/** Whether any container in the fleet was created from an image of this repository. */
export function repositoryInUse(index: UsageIndex, registryHost: string, repository: string): boolean {
  return index.repositories.has(`${registryHost}/${repository}`);
}

/** The digest a container's image has in its own repository (what it runs), if the daemon recorded one. */
export function runningDigest(c: ContainerImage): string | undefined {
  const ref = parsed(c.image);
  const digests = c.repoDigests.map(parsed).filter((r): r is ImageRef => r?.digest !== undefined);
  if (ref?.digest) return ref.digest;
  return (digests.find((d) => ref && d.registry === ref.registry && d.repository === ref.repository) ?? digests[0])?.digest;
}
