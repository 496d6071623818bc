import { describe, expect, it } from 'vitest';
import { fuzzyMatch, prepare, rankFuzzy } from './fuzzy';

const score = (q: string, text: string) => fuzzyMatch(q, prepare(text))?.score;
const positions = (q: string, text: string) => fuzzyMatch(q, prepare(text))?.positions;
const ranked = (q: string, texts: string[], limit = 50) => rankFuzzy(q, texts, prepare, limit).map((r) => r.item);

describe('fuzzyMatch', () => {
  it('needs the query as a subsequence, in any case', () => {
    expect(fuzzyMatch('ldg', prepare('payments-ledger-1'))).not.toBeNull();
    expect(fuzzyMatch('LEDGER', prepare('payments-ledger-1'))).not.toBeNull();
    expect(fuzzyMatch('gdl', prepare('payments-ledger-1'))).toBeNull();
    expect(fuzzyMatch('ledgers', prepare('ledger'))).toBeNull();
    expect(fuzzyMatch('x', prepare(''))).toBeNull();
  });

  it('an empty query matches everything with score 0', () => {
    expect(fuzzyMatch('', prepare('anything'))).toEqual({ score: 0, positions: [] });
  });

  it('returns the matched positions for highlighting', () => {
    expect(positions('tv', 'Show Top view')).toEqual([5, 9]);
    expect(positions('ledger', 'payments-ledger-1')).toEqual([9, 10, 11, 12, 13, 14]);
  });

  it('finds the word-start alignment, not the first one (dynamic programme, not greedy)', () => {
    // Greedy would take sea[r]ch; the word start of ranker scores more.
    expect(positions('sr', 'search-ranker-1')).toEqual([0, 7]);
    expect(positions('top', 'stop the top view')).toEqual([9, 10, 11]);
  });

  it('scores a word start above a match inside a word', () => {
    expect(score('pl', 'payments-ledger')!).toBeGreaterThan(score('pl', 'apple')!);
    expect(score('api', 'payments-api-1')!).toBeGreaterThan(score('api', 'rapid-1')!);
  });

  it('scores a camel hump and a digit run as word starts', () => {
    expect(score('tv', 'showTopView')!).toBeGreaterThan(score('tv', 'showtopview')!);
    expect(score('2', 'w2')!).toBeGreaterThan(score('2', '12')!);
  });

  it('scores consecutive characters above the same characters spread out', () => {
    expect(score('led', 'ledger')!).toBeGreaterThan(score('led', 'lxexd')!);
    expect(score('ledger', 'payments-ledger')!).toBeGreaterThan(score('ledger', 'l-e-d-g-e-r')!);
  });

  it('a longer gap costs more than a shorter one', () => {
    expect(score('ab', 'a-b')!).toBeGreaterThan(score('ab', 'a---b')!);
    expect(score('ab', 'axb')!).toBeGreaterThan(score('ab', 'axxxb')!);
  });
});

describe('rankFuzzy', () => {
  const names = ['search-indexer-1', 'payments-ledger-2', 'payments-ledger-1', 'payments-api-1', 'search-ranker-1', 'ledger'];

  it('leaves out what does not match and puts the best first', () => {
    expect(ranked('ledger-1', names)).toEqual(['payments-ledger-1']);
    expect(ranked('ledg', names)[0]).toBe('ledger');
    expect(ranked('sr', names)[0]).toBe('search-ranker-1');
  });

  it('breaks ties by the shorter text, then by the order given', () => {
    expect(ranked('ledger', ['payments-ledger-10', 'payments-ledger-1'])).toEqual(['payments-ledger-1', 'payments-ledger-10']);
    expect(ranked('ledger', ['a-ledger-2', 'a-ledger-1'])).toEqual(['a-ledger-2', 'a-ledger-1']);
  });

  it('caps the results', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => `svc-${i}`);
    const top = ranked('svc', many, 50);
    expect(top).toHaveLength(50);
    expect(top[0]).toBe('svc-0');
  });

  it('an empty query ranks by length, then keeps the given order', () => {
    expect(ranked('', ['bb', 'a', 'cc'])).toEqual(['a', 'bb', 'cc']);
    expect(ranked('', ['b', 'a', 'c'])).toEqual(['b', 'a', 'c']);
  });
});
