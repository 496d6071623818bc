// The Images grid's row model: registries, then (open) their repositories, then (open) their tags,
// flattened like the Containers grid's groups; where a level's data is loading or failed, one
// message row stands in for it. Also says which repositories and tag lists are wanted and not yet
// asked (the view asks the store for them). A registry starts open; a repository starts open when
// some container in the fleet runs one of its images. Pure: no stores, no DOM.
import type { ContainerImage, RegistryErrorKind, RegistryInfo, TagInfo } from '../../../shared/registry';
import { tagsKey, type ImagesState, type Loadable } from '../../stores/images';
import { repositoryInUse, tagUse, type TagUse, type UsageIndex } from '../../stores/imageUsage';

export type RegistryRow = { kind: 'registry'; key: string; registry: RegistryInfo; open: boolean; repositories: number | undefined };
export type RepositoryRow = {
  kind: 'repository'; key: string; registry: RegistryInfo; repository: string; open: boolean; inUse: boolean; tags: number | undefined;
  /** Containers running one of its tags now, and outdated ones created from them. */
  running: number; outdated: number;
};
/** A tag's containers that are running (its digest now, or outdated), and those of either that are not. */
export type TagRowUse = TagUse & { stopped: readonly ContainerImage[] };
export type TagRow = { kind: 'tag'; key: string; registry: RegistryInfo; repository: string; tag: TagInfo; use: TagRowUse };
export type MessageRow = {
  kind: 'message'; key: string; level: 2 | 3; tone: 'loading' | 'error' | 'empty'; text: string;
  errorKind?: RegistryErrorKind | undefined;
};
export type ImageRow = RegistryRow | RepositoryRow | TagRow | MessageRow;

export const registryKey = (url: string): string => `r:${url}`;
export const repositoryKey = (url: string, repository: string): string => `p:${tagsKey(url, repository)}`;
const tagRowKey = (url: string, repository: string, tag: string): string => `t:${tagsKey(url, repository)}:${tag}`;

export type ImageRowsInput = Pick<ImagesState, 'registries' | 'repositories' | 'tags' | 'expanded'> & {
  usage: UsageIndex;
  /** Whether the fleet has the container running now (default: all are). */
  isRunning?(c: ContainerImage): boolean;
};

function splitByState(use: TagUse, isRunning: (c: ContainerImage) => boolean): TagRowUse {
  return { running: use.running.filter(isRunning), outdated: use.outdated.filter(isRunning), stopped: [...use.running, ...use.outdated].filter((c) => !isRunning(c)) };
}

export type DerivedImageRows = {
  rows: readonly ImageRow[];
  /** Registry URLs whose repositories are shown open and not asked yet. */
  wantRepositories: readonly string[];
  /** [registry URL, repository] whose tags are shown open and not asked yet. */
  wantTags: readonly (readonly [string, string])[];
};

/** The message row for a level that has no data to show (yet), else undefined. */
function stand<T>(key: string, level: 2 | 3, state: Loadable<T> | undefined, what: string): MessageRow | undefined {
  if (state === undefined || (state.status === 'loading' && state.value === undefined)) return { kind: 'message', key, level, tone: 'loading', text: `Loading ${what}…` };
  if (state.status === 'error') return { kind: 'message', key, level, tone: 'error', text: state.error, errorKind: state.kind };
  return undefined;
}

export function imageRows(input: ImageRowsInput): DerivedImageRows {
  const rows: ImageRow[] = [];
  const wantRepositories: string[] = [];
  const wantTags: [string, string][] = [];
  const open = (key: string, byDefault: boolean) => input.expanded.get(key) ?? byDefault;
  const isRunning = input.isRunning ?? (() => true);

  for (const registry of input.registries?.value ?? []) {
    const rKey = registryKey(registry.url);
    const repos = input.repositories.get(registry.url);
    const rOpen = open(rKey, true);
    rows.push({ kind: 'registry', key: rKey, registry, open: rOpen, repositories: repos?.value?.length });
    if (!rOpen) continue;
    if (registry.status === 'error') {
      rows.push({ kind: 'message', key: `m:${rKey}`, level: 2, tone: 'error', text: registry.error?.message ?? 'the registry did not answer', errorKind: registry.error?.kind });
      continue;
    }
    if (repos === undefined) wantRepositories.push(registry.url);
    const standIn = stand(`m:${rKey}`, 2, repos, 'repositories');
    // A failed refresh keeps the last list below its error.
    if (standIn && (standIn.tone === 'loading' || repos?.value === undefined)) {
      rows.push(standIn);
      continue;
    }
    if (standIn) rows.push(standIn);
    const list = repos?.value ?? [];
    if (list.length === 0) rows.push({ kind: 'message', key: `m:${rKey}`, level: 2, tone: 'empty', text: 'No repositories.' });
    for (const repository of list) {
      const pKey = repositoryKey(registry.url, repository);
      const inUse = repositoryInUse(input.usage, registry.host, repository);
      const pOpen = open(pKey, inUse);
      const tags = input.tags.get(tagsKey(registry.url, repository));
      const uses = (tags?.value ?? []).map((tag) => ({ tag, use: splitByState(tagUse(input.usage, registry.host, repository, tag), isRunning) }));
      const running = new Set(uses.flatMap((u) => u.use.running));
      const outdated = new Set(uses.flatMap((u) => u.use.outdated));
      rows.push({ kind: 'repository', key: pKey, registry, repository, open: pOpen, inUse, tags: tags?.value?.length, running: running.size, outdated: outdated.size });
      if (!pOpen) continue;
      if (tags === undefined) wantTags.push([registry.url, repository]);
      const tagStandIn = stand(`m:${pKey}`, 3, tags, 'tags');
      if (tagStandIn && (tagStandIn.tone === 'loading' || tags?.value === undefined)) {
        rows.push(tagStandIn);
        continue;
      }
      if (tagStandIn) rows.push(tagStandIn);
      if (uses.length === 0) rows.push({ kind: 'message', key: `m:${pKey}`, level: 3, tone: 'empty', text: 'No tags.' });
      for (const { tag, use } of uses) rows.push({ kind: 'tag', key: tagRowKey(registry.url, repository, tag.tag), registry, repository, tag, use });
    }
  }
  return { rows, wantRepositories, wantTags };
}

/** "sha256:0123456789ab": the algorithm and the first 12 hex digits, as docker prints image IDs. */
export function shortDigest(digest: string): string {
  const colon = digest.indexOf(':');
  return colon < 0 ? digest.slice(0, 12) : `${digest.slice(0, colon + 1)}${digest.slice(colon + 1, colon + 13)}`;
}

/** "h1 ×2, h2": the hosts of some containers, in name order, with how many on each. */
export function hostsText(containers: readonly { host: string }[]): string {
  const n = new Map<string, number>();
  for (const c of containers) n.set(c.host, (n.get(c.host) ?? 0) + 1);
  return [...n].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })).map(([h, k]) => (k > 1 ? `${h} ×${k}` : h)).join(', ');
}

/** The reference the tag's containers were created from, as the grid filter matches it. */
export const tagReference = (row: TagRow): string => `${row.registry.host}/${row.repository}:${row.tag.tag}`;

/** "auth", "TLS", … as the view labels an error kind. */
export const ERROR_KIND_LABEL: Record<RegistryErrorKind, string> = {
  auth: 'auth', tls: 'TLS', unreachable: 'unreachable', timeout: 'timeout', 'not-found': 'not found', protocol: 'protocol',
};
