// The create/clone dialog's choices (pure): the hosts that have a network on the segment, the
// segment a container to clone sits on, and the images to offer (those the fleet runs and the tags
// the registry view has listed, as references), typed ones allowed besides.
import type { IpMapSnapshot } from '../../../shared/ipmap';
import type { RegistryInfo, TagInfo } from '../../../shared/registry';

/** The hosts with a network on the segment, the offline ones last. */
export function segmentHosts(snapshot: IpMapSnapshot | undefined, segment: string): string[] {
  const seg = snapshot?.segments.find((s) => s.id === segment);
  if (!seg) return [];
  const offline = new Set(seg.offlineHosts);
  return [...seg.hosts].sort((a, b) => Number(offline.has(a)) - Number(offline.has(b)) || a.localeCompare(b));
}

/** The segment of the container's static endpoint (else its first one), or undefined when the map has none. */
export function segmentOfContainer(snapshot: IpMapSnapshot | undefined, host: string, container: string): string | undefined {
  const mine = snapshot?.endpoints.filter((e) => e.host === host && e.container === container) ?? [];
  return (mine.find((e) => e.static) ?? mine[0])?.segment;
}

/** Image references: the fleet's own first, then each listed tag as registry-host/repository:tag; each once, sorted. */
export function imageChoices(running: Iterable<string>, registries: readonly RegistryInfo[] | undefined, tags: ReadonlyMap<string, { value?: readonly TagInfo[] }>): string[] {
  const fromTags: string[] = [];
  for (const [key, loaded] of tags) {
    const [url, repository] = key.split('\u0000'); // stores/images' tagsKey(url, repository)
    const host = registries?.find((r) => r.url === url)?.host;
    if (!host || !repository) continue;
    for (const t of loaded.value ?? []) fromTags.push(`${host}/${repository}:${t.tag}`);
  }
  const own = [...new Set(running)].sort();
  return [...own, ...[...new Set(fromTags)].filter((ref) => !own.includes(ref)).sort()];
}
