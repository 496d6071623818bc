// The containers marked in the Containers grid for a rollout of several (Ctrl+click or Space on a
// row marks or unmarks it): a set of row keys that the grid, its rows and the marked bar share.
// UI state only; a marked container that leaves the fleet is dropped when the marks are read
// (markedContainers), so nothing stale is rolled out.
import { useSyncExternalStore } from 'react';
import type { Container } from '../../../shared/model';
import type { ContainerMap } from '../../stores/fleet';
import { containerRowKey } from './rows';

let marks: ReadonlySet<string> = new Set();
const listeners = new Set<() => void>();

function set(next: ReadonlySet<string>): void {
  marks = next;
  for (const l of listeners) l();
}

export function toggleMark(c: Pick<Container, 'host' | 'id'>): void {
  const key = containerRowKey(c);
  const next = new Set(marks);
  if (!next.delete(key)) next.add(key);
  set(next);
}

export const clearMarks = (): void => {
  if (marks.size > 0) set(new Set());
};

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const get = () => marks;

export function useMarks(): ReadonlySet<string> {
  return useSyncExternalStore(subscribe, get, get);
}

/** The marked containers still in the fleet, in the fleet's host order then as listed (pure). */
export function markedContainers(containers: ContainerMap, marked: ReadonlySet<string>): Container[] {
  if (marked.size === 0) return [];
  const out: Container[] = [];
  for (const list of containers.values()) for (const c of list) if (marked.has(containerRowKey(c))) out.push(c);
  return out;
}
