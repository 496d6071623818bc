// The grid's row model: containers filtered, grouped by group → service, sorted, flattened
// with collapsed sections left out. Memoised in three layers so that each kind of change
// costs only what it must:
//   1. filter, per host   — a stream update re-filters only the hosts it replaced;
//   2. group + sort       — rebuilt when containers, filter or sort change;
//   3. flatten            — rebuilt when collapsing, without re-sorting.
import type { Container } from '../../../shared/model';
import type { ContainerMap } from '../../stores/fleet';
import type { Sort, SortColumn } from '../../stores/ui';
import { compareNatural, naturalKey } from '../../components/natural';
import { isProblem, isStopped, isUnhealthy, ipSortKey, severityRank } from './containerState';

export const NO_GROUP = '(no group)';
export const NO_SERVICE = '(no service)';

export type SectionCounts = { total: number; running: number; unhealthy: number; stopped: number; restarting: number };

export type GroupRow = { kind: 'group'; key: string; group: string; services: number; counts: SectionCounts; collapsed: boolean };
export type ServiceRow = { kind: 'service'; key: string; group: string; service: string; counts: SectionCounts; collapsed: boolean };
export type ContainerRow = { kind: 'container'; key: string; container: Container };
export type Row = GroupRow | ServiceRow | ContainerRow;

export type RowsInput = {
  containers: ContainerMap;
  filter: string;
  problemsOnly: boolean;
  hostFilter: string | null;
  sort: Sort;
  collapsed: ReadonlySet<string>;
};

export type DerivedRows = {
  rows: readonly Row[];
  /** Row index by row key, for selection and aria-activedescendant. */
  indexOf: ReadonlyMap<string, number>;
  /** Containers that pass the filter, and all containers. */
  matched: number;
  total: number;
  /** Keys of every group and service header (for "collapse all"). */
  sectionKeys: readonly string[];
};

export const groupKey = (group: string): string => `g:${group}`;
export const serviceKey = (group: string, service: string): string => `s:${group}\u0000${service}`;
export const containerRowKey = (c: { host: string; id: string }): string => `c:${c.host}/${c.id}`;

// ---- search -----------------------------------------------------------------------------

const haystacks = new WeakMap<Container, string>();
/** Lower-cased text the filter matches against: name, host, image, IPs and MACs, service, group, id. */
export function haystack(c: Container): string {
  let h = haystacks.get(c);
  if (h === undefined) {
    const ips = c.ips.map((n) => `${n.ip} ${n.mac} ${n.network}`).join(' ');
    h = `${c.name}\n${c.host}\n${c.image}\n${ips}\n${c.service ?? ''}\n${c.group ?? ''}\n${c.id.slice(0, 12)}`.toLowerCase();
    haystacks.set(c, h);
  }
  return h;
}

/** Whitespace-separated terms, all of which must appear (case-insensitive substrings). */
export function parseFilter(filter: string): string[] {
  return filter.toLowerCase().split(/\s+/).filter(Boolean);
}

export function matches(c: Container, terms: readonly string[]): boolean {
  if (terms.length === 0) return true;
  const h = haystack(c);
  return terms.every((t) => h.includes(t));
}

// ---- sorting ----------------------------------------------------------------------------

type Key = string | number;
function columnKey(c: Container, column: SortColumn): Key {
  switch (column) {
    case 'name': return naturalKey(c.name);
    case 'host': return naturalKey(c.host);
    case 'group': return naturalKey(c.group ?? '');
    case 'service': return naturalKey(c.service ?? '');
    case 'image': return naturalKey(c.image);
    case 'state': return severityRank(c);
    case 'ips': return ipSortKey(c);
    // Shortest uptime first when ascending; containers that are not running go last.
    case 'uptime': return c.state === 'running' && c.startedAt !== undefined ? -c.startedAt : Number.MAX_SAFE_INTEGER;
  }
}

const cmp = (a: Key, b: Key): number => (a < b ? -1 : a > b ? 1 : 0);

export function sortContainers(list: Container[], sort: Sort): Container[] {
  const dir = sort.dir === 'asc' ? 1 : -1;
  const decorated = list.map((c) => ({ c, k: columnKey(c, sort.column), n: naturalKey(c.name), h: naturalKey(c.host) }));
  decorated.sort((a, b) => dir * cmp(a.k, b.k) || cmp(a.n, b.n) || cmp(a.h, b.h));
  return decorated.map((d) => d.c);
}

/** Sections sort by name; reversed when the user sorts by that very column descending. "(no …)" goes last. */
function sortSections(names: string[], none: string, reverse: boolean): string[] {
  const sorted = names.filter((n) => n !== none).sort(compareNatural);
  if (reverse) sorted.reverse();
  if (names.includes(none)) sorted.push(none);
  return sorted;
}

// ---- counts -----------------------------------------------------------------------------

const emptyCounts = (): SectionCounts => ({ total: 0, running: 0, unhealthy: 0, stopped: 0, restarting: 0 });
function count(into: SectionCounts, c: Container): void {
  into.total++;
  if (c.state === 'running') into.running++;
  if (isUnhealthy(c)) into.unhealthy++;
  if (isStopped(c)) into.stopped++;
  if (c.state === 'restarting') into.restarting++;
}

// ---- the memoised deriver ---------------------------------------------------------------

type ServiceNode = { service: string; key: string; counts: SectionCounts; list: Container[] };
type GroupNode = { group: string; key: string; counts: SectionCounts; services: ServiceNode[] };
type Tree = { groups: GroupNode[]; matched: number; total: number };

/** One deriver per grid; call it with the latest inputs on every render. */
export function createRowDeriver(): (input: RowsInput) => DerivedRows {
  // Layer 1: per-host filter results, valid for one filter signature.
  let filterSig = '';
  let perHost = new Map<string, { source: readonly Container[]; result: readonly Container[] }>();
  // Layer 2.
  let treeFor: { containers: ContainerMap; filterSig: string; sortSig: string } | undefined;
  let tree: Tree | undefined;
  // Layer 3.
  let derivedFor: { tree: Tree; collapsed: ReadonlySet<string> } | undefined;
  let derived: DerivedRows | undefined;

  return (input) => {
    const terms = parseFilter(input.filter);
    const sig = `${terms.join('\u0000')}|${input.problemsOnly ? 1 : 0}|${input.hostFilter ?? ''}`;
    if (sig !== filterSig) {
      filterSig = sig;
      perHost = new Map();
    }

    const sortSig = `${input.sort.column}:${input.sort.dir}`;
    if (!tree || !treeFor || treeFor.containers !== input.containers || treeFor.filterSig !== sig || treeFor.sortSig !== sortSig) {
      const seen = new Set<string>();
      let total = 0;
      const byGroup = new Map<string, Map<string, Container[]>>();
      for (const [host, list] of input.containers) {
        total += list.length;
        seen.add(host);
        let cached = perHost.get(host);
        if (!cached || cached.source !== list) {
          const result = input.hostFilter !== null && input.hostFilter !== host
            ? []
            : list.filter((c) => (!input.problemsOnly || isProblem(c)) && matches(c, terms));
          cached = { source: list, result };
          perHost.set(host, cached);
        }
        for (const c of cached.result) {
          const g = c.group || NO_GROUP;
          const s = c.service || NO_SERVICE;
          let services = byGroup.get(g);
          if (!services) byGroup.set(g, (services = new Map()));
          let bucket = services.get(s);
          if (!bucket) services.set(s, (bucket = []));
          bucket.push(c);
        }
      }
      for (const host of perHost.keys()) if (!seen.has(host)) perHost.delete(host);

      let matched = 0;
      const groups: GroupNode[] = [];
      const reverseGroups = input.sort.column === 'group' && input.sort.dir === 'desc';
      const reverseServices = input.sort.column === 'service' && input.sort.dir === 'desc';
      for (const g of sortSections([...byGroup.keys()], NO_GROUP, reverseGroups)) {
        const services = byGroup.get(g)!;
        const gCounts = emptyCounts();
        const nodes: ServiceNode[] = [];
        for (const s of sortSections([...services.keys()], NO_SERVICE, reverseServices)) {
          const list = sortContainers(services.get(s)!, input.sort);
          const sCounts = emptyCounts();
          for (const c of list) {
            count(sCounts, c);
            count(gCounts, c);
          }
          nodes.push({ service: s, key: serviceKey(g, s), counts: sCounts, list });
        }
        matched += gCounts.total;
        groups.push({ group: g, key: groupKey(g), counts: gCounts, services: nodes });
      }
      tree = { groups, matched, total };
      treeFor = { containers: input.containers, filterSig: sig, sortSig };
    }

    if (!derived || !derivedFor || derivedFor.tree !== tree || derivedFor.collapsed !== input.collapsed) {
      const rows: Row[] = [];
      const indexOf = new Map<string, number>();
      const sectionKeys: string[] = [];
      const push = (row: Row) => {
        indexOf.set(row.key, rows.length);
        rows.push(row);
      };
      for (const g of tree.groups) {
        const gCollapsed = input.collapsed.has(g.key);
        sectionKeys.push(g.key);
        push({ kind: 'group', key: g.key, group: g.group, services: g.services.length, counts: g.counts, collapsed: gCollapsed });
        for (const s of g.services) {
          sectionKeys.push(s.key);
          if (gCollapsed) continue;
          const sCollapsed = input.collapsed.has(s.key);
          push({ kind: 'service', key: s.key, group: g.group, service: s.service, counts: s.counts, collapsed: sCollapsed });
          if (sCollapsed) continue;
          for (const c of s.list) push({ kind: 'container', key: containerRowKey(c), container: c });
        }
      }
      derived = { rows, indexOf, matched: tree.matched, total: tree.total, sectionKeys };
      derivedFor = { tree, collapsed: input.collapsed };
    }
    return derived;
  };
}
