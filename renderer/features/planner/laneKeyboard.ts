// The planner's keyboard moves, as data: where an arrow key takes a picked-up card (↑/↓ within its
// lane, ←/→ to the neighbouring lane at the same height) or a picked-up lane (←/→). The lanes'
// KeyboardSensor coordinate getter (PlanLanes.tsx) applies these moves to the lanes being dragged
// and points the drag overlay at the new slot; the positions follow planModel.moveCard's
// convention (an index in the lane as it is once the card has left it).
import { findCard, type Lanes } from './planModel';

export type Direction = 'up' | 'down' | 'left' | 'right';

/** KeyboardEvent.code → direction (the sensor's other keys, Space and Escape, are its own). */
export const ARROW_DIRECTION: Readonly<Record<string, Direction>> = { ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' };

/** Where `dir` takes card `key`: its lane and index there, or undefined at an edge (or for an unknown card). */
export function cardStep(lanes: Lanes, key: string, dir: Direction): { lane: number; index: number } | undefined {
  const at = findCard(lanes, key);
  if (!at) return undefined;
  const [lane, index] = at;
  const length = lanes[lane]!.length;
  switch (dir) {
    case 'up':
      return index > 0 ? { lane, index: index - 1 } : undefined;
    case 'down':
      return index < length - 1 ? { lane, index: index + 1 } : undefined;
    case 'left':
    case 'right': {
      const to = lane + (dir === 'left' ? -1 : 1);
      const target = lanes[to];
      // The same height in the next lane, or its end when it is shorter.
      return target ? { lane: to, index: Math.min(index, target.length) } : undefined;
    }
  }
}

/** Where ←/→ takes lane `index` of `count` lanes (↑/↓ do not move lanes), or undefined at an edge. */
export function laneStep(count: number, index: number, dir: Direction): number | undefined {
  if (dir !== 'left' && dir !== 'right') return undefined;
  const to = index + (dir === 'left' ? -1 : 1);
  return to >= 0 && to < count ? to : undefined;
}

/** Moves the item at `from` to `to` (a copy). */
export function arrayMove<T>(items: readonly T[], from: number, to: number): T[] {
  const next = items.slice();
  const [item] = next.splice(from, 1);
  if (item !== undefined) next.splice(to, 0, item);
  return next;
}
