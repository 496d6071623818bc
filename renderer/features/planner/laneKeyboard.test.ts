import { describe, expect, it } from 'vitest';
import { arrayMove, cardStep, laneStep } from './laneKeyboard';
import { moveCard } from './planModel';

const lanes = [['a', 'b', 'c'], ['d'], []];

describe('cardStep', () => {
  it('moves within the lane with ↑/↓ and stops at its ends', () => {
    expect(cardStep(lanes, 'b', 'up')).toEqual({ lane: 0, index: 0 });
    expect(cardStep(lanes, 'b', 'down')).toEqual({ lane: 0, index: 2 });
    expect(cardStep(lanes, 'a', 'up')).toBeUndefined();
    expect(cardStep(lanes, 'c', 'down')).toBeUndefined();
    expect(cardStep(lanes, 'd', 'down')).toBeUndefined();
  });

  it('moves to the neighbouring lane at the same height, or to its end when it is shorter', () => {
    expect(cardStep(lanes, 'a', 'right')).toEqual({ lane: 1, index: 0 });
    expect(cardStep(lanes, 'c', 'right')).toEqual({ lane: 1, index: 1 });
    expect(cardStep(lanes, 'd', 'right')).toEqual({ lane: 2, index: 0 });
    expect(cardStep(lanes, 'd', 'left')).toEqual({ lane: 0, index: 0 });
    expect(cardStep(lanes, 'a', 'left')).toBeUndefined();
    expect(cardStep([['a', 'b']], 'b', 'right')).toBeUndefined();
  });

  it('knows no unknown card', () => {
    expect(cardStep(lanes, 'zz', 'up')).toBeUndefined();
  });

  it('gives positions planModel.moveCard places the card at', () => {
    const step = cardStep(lanes, 'c', 'right')!;
    expect(moveCard(lanes, 'c', step.lane, step.index)).toEqual([['a', 'b'], ['d', 'c'], []]);
    const down = cardStep(lanes, 'a', 'down')!;
    expect(moveCard(lanes, 'a', down.lane, down.index)).toEqual([['b', 'a', 'c'], ['d'], []]);
    const up = cardStep(lanes, 'c', 'up')!;
    expect(moveCard(lanes, 'c', up.lane, up.index)).toEqual([['a', 'c', 'b'], ['d'], []]);
  });
});

describe('laneStep', () => {
  it('moves lanes with ←/→ only, within the lanes', () => {
    expect(laneStep(3, 1, 'left')).toBe(0);
    expect(laneStep(3, 1, 'right')).toBe(2);
    expect(laneStep(3, 0, 'left')).toBeUndefined();
    expect(laneStep(3, 2, 'right')).toBeUndefined();
    expect(laneStep(3, 1, 'up')).toBeUndefined();
  });
});

describe('arrayMove', () => {
  it('moves an item, leaving the input alone', () => {
    const items = ['a', 'b', 'c'];
    expect(arrayMove(items, 0, 2)).toEqual(['b', 'c', 'a']);
    expect(arrayMove(items, 2, 0)).toEqual(['c', 'a', 'b']);
    expect(items).toEqual(['a', 'b', 'c']);
  });
});
