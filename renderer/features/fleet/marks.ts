// The containers marked in the Containers grid for a rollout of several (Ctrl+click or Space on a
// row marks or unmarks it): a set of row keys that the grid, its rows and the marked bar share.
// UI state only; a marked container that leaves the fleet is dropped when the marks are read
// (markedContainers), so nothing stale is rolled out.
import type { Container } from '../../../shared/model';
import { sharedValue } from '../../components/sharedValue';
import type { ContainerMap } from '../../stores/fleet';
import { containerRowKey } from './rows';

const marks = sharedValue<ReadonlySet<string>>(new Set());

export function toggleMark(c: Pick<Container, 'host' | 'id'>): void {
  const key = containerRowKey(c);
  const next = new Set(marks.get());
  if (!next.delete(key)) next.add(key);
  marks.set(next);
}

export const clearMarks = (): void => {
  if (marks.get().size > 0) marks.set(new Set());
};

export const useMarks = (): ReadonlySet<string> => marks.useValue();

/** The marked containers still in the fleet, in the fleet's host order then as listed (pure). */
export function markedContainers(containers: ContainerMap, marked: ReadonlySet<string>): Container[] {
  if (marked.size === 0) return [];
  const out: Container[] = [];
  for (const list of containers.values()) for (const c of list) if (marked.has(containerRowKey(c))) out.push(c);
  return out;
}
