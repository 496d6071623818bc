// Natural ordering ("web-2" before "web-10") that is cheap enough for 10,000 rows: each
// string gets a cached key (lower-cased, digit runs zero-padded) compared with <.
const keys = new Map<string, string>();
const MAX_CACHED = 200_000;

export function naturalKey(s: string): string {
  let k = keys.get(s);
  if (k === undefined) {
    k = s.toLowerCase().replace(/\d+/g, (d) => d.padStart(12, '0'));
    if (keys.size >= MAX_CACHED) keys.clear();
    keys.set(s, k);
  }
  return k;
}

export function compareNatural(a: string, b: string): number {
  const ka = naturalKey(a);
  const kb = naturalKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
