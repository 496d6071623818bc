import { describe, expect, it } from 'vitest';
import type { Container } from '../../../shared/model';
import { markedContainers } from './marks';
import { containerRowKey } from './rows';

const c = (name: string, host: string): Container => ({ host, id: `${name}id0000000`, name, image: 'app:1', state: 'running', status: 'Up', ips: [], createdAt: 0 });

describe('marked containers', () => {
  it('are those still in the fleet, in its host order; none without marks', () => {
    const a = c('a', 'h1');
    const b = c('b', 'h2');
    const gone = c('gone', 'h1');
    const fleet = new Map([['h1', [a]], ['h2', [b]]]);
    expect(markedContainers(fleet, new Set([containerRowKey(b), containerRowKey(gone), containerRowKey(a)]))).toEqual([a, b]);
    expect(markedContainers(fleet, new Set())).toEqual([]);
  });
});
