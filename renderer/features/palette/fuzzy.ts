// The palette's fuzzy scorer: the query must appear in the text as a subsequence (any case);
// among the ways it does, the best one scores. Matches at word starts (after - _ . / : space,
// a camelCase hump or the first digit) and runs of consecutive characters score higher; gaps
// cost. A small dynamic programme over query × text, like fzf's "v2" algorithm without its
// extras, so "sr" finds search-[r]anker's word start, not sea[r]ch's middle.

// fzf's weights (src/algo/algo.go): a match is worth 16; a word start adds 8 (the first query
// character's bonus counts double); a camel hump or digit 7; a gap costs 3, then 1 a character;
// a consecutive character adds at least 4, and as much as the word start its run began at,
// so "ledger" in "payments-ledger" beats "l-e-d-g-e-r" spread over six word starts.
const SCORE_MATCH = 16;
const BONUS_BOUNDARY = 8;
const BONUS_CAMEL = 7;
const BONUS_CONSECUTIVE = 4;
const FIRST_CHAR_MULTIPLIER = 2;
const GAP_START = -3;
const GAP_EXTENSION = -1;

export type FuzzyMatch = {
  score: number;
  /** Indexes of the matched characters in the text, ascending (for highlighting). */
  positions: number[];
};

/** A text lower-cased once, so scoring it for every keystroke allocates nothing. */
export type Prepared = { readonly text: string; readonly lower: string };

export const prepare = (text: string): Prepared => ({ text, lower: text.toLowerCase() });

const Cls = { Delimiter: 0, Lower: 1, Upper: 2, Digit: 3, Other: 4 } as const;
type Cls = (typeof Cls)[keyof typeof Cls];

function cls(ch: string): Cls {
  if (ch >= 'a' && ch <= 'z') return Cls.Lower;
  if (ch >= 'A' && ch <= 'Z') return Cls.Upper;
  if (ch >= '0' && ch <= '9') return Cls.Digit;
  if (' -_./:@\\'.includes(ch)) return Cls.Delimiter;
  const lower = ch.toLowerCase();
  if (lower !== ch.toUpperCase()) return lower === ch ? Cls.Lower : Cls.Upper;
  return Cls.Other;
}

function bonusAt(text: string, j: number): number {
  const cur = cls(text[j]!);
  const prev = j === 0 ? Cls.Delimiter : cls(text[j - 1]!);
  if (cur === Cls.Delimiter || cur === Cls.Other) return 0;
  if (prev === Cls.Delimiter || prev === Cls.Other) return BONUS_BOUNDARY;
  if ((prev === Cls.Lower && cur === Cls.Upper) || (prev !== Cls.Digit && cur === Cls.Digit)) return BONUS_CAMEL;
  return 0;
}

// Work buffers, grown as needed and reused: scoring 10,000 names per keystroke allocates only results.
let scores = new Float64Array(0);
let from = new Int32Array(0);
let runBonus = new Float64Array(0);

/** The best way `query` matches `target`, or null when it is not a subsequence. An empty query matches with score 0. */
export function fuzzyMatch(query: string, target: Prepared): FuzzyMatch | null {
  const q = query.toLowerCase();
  const t = target.lower;
  const m = q.length;
  const n = t.length;
  if (m === 0) return { score: 0, positions: [] };
  if (m > n) return null;
  // Cheap rejection first: most texts do not hold the query at all.
  for (let i = 0, j = 0; i < m; i++, j++) {
    j = t.indexOf(q[i]!, j);
    if (j < 0) return null;
  }

  if (scores.length < m * n) {
    scores = new Float64Array(m * n * 2);
    from = new Int32Array(m * n * 2);
    runBonus = new Float64Array(m * n * 2);
  }
  // scores[i*n + j]: best score with query[i] matched at text[j] (-Infinity: impossible);
  // from[i*n + j]: where query[i-1] was matched on that best way; runBonus[i*n + j]: the bonus
  // at the start of the run of consecutive matches that cell ends.
  for (let i = 0; i < m; i++) {
    const row = i * n;
    const prevRow = row - n;
    const qc = q[i]!;
    // Best over k <= j-2 of scores[i-1][k] plus the cost of the gap k+1..j-1.
    let gapBest = -Infinity;
    let gapFrom = -1;
    for (let j = 0; j < n; j++) {
      if (i > 0 && j >= 2) {
        const opened = scores[prevRow + j - 2]! + GAP_START;
        gapBest += GAP_EXTENSION;
        if (opened >= gapBest) {
          gapBest = opened;
          gapFrom = j - 2;
        }
      }
      if (t[j] !== qc) {
        scores[row + j] = -Infinity;
        continue;
      }
      const bonus = bonusAt(target.text, j);
      if (i === 0) {
        scores[row + j] = SCORE_MATCH + bonus * FIRST_CHAR_MULTIPLIER;
        from[row + j] = -1;
        runBonus[row + j] = bonus;
        continue;
      }
      const run = j > 0 ? runBonus[prevRow + j - 1]! : 0;
      const adjacent = j > 0 ? scores[prevRow + j - 1]! + Math.max(bonus, run, BONUS_CONSECUTIVE) : -Infinity;
      const gapped = gapBest + bonus;
      if (adjacent >= gapped) {
        scores[row + j] = SCORE_MATCH + adjacent;
        from[row + j] = j - 1;
        runBonus[row + j] = Math.max(run, bonus);
      } else {
        scores[row + j] = SCORE_MATCH + gapped;
        from[row + j] = gapFrom;
        runBonus[row + j] = bonus;
      }
    }
  }

  const last = (m - 1) * n;
  let best = -Infinity;
  let end = -1;
  for (let j = 0; j < n; j++) {
    if (scores[last + j]! > best) {
      best = scores[last + j]!;
      end = j;
    }
  }
  if (end < 0 || best === -Infinity) return null;
  const positions = new Array<number>(m);
  for (let i = m - 1, j = end; i >= 0; i--) {
    positions[i] = j;
    j = from[i * n + j]!;
  }
  return { score: best, positions };
}

export type Ranked<T> = { item: T; match: FuzzyMatch };

/**
 * The `limit` best items for the query, best first; ties go to the shorter text, then to the
 * earlier item (callers list what should win a tie first).
 */
export function rankFuzzy<T>(query: string, items: readonly T[], target: (item: T) => Prepared, limit: number): Ranked<T>[] {
  const found: { item: T; match: FuzzyMatch; length: number; index: number }[] = [];
  for (let index = 0; index < items.length; index++) {
    const item = items[index]!;
    const p = target(item);
    const match = fuzzyMatch(query, p);
    if (match) found.push({ item, match, length: p.text.length, index });
  }
  found.sort((a, b) => b.match.score - a.match.score || a.length - b.length || a.index - b.index);
  return found.slice(0, limit).map(({ item, match }) => ({ item, match }));
}
