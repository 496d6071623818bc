// A small cache of answers that go stale: each key's value (or its load in flight, shared by
// every caller that asks meanwhile) is kept for `ttlMs` on the clock. A failed load is not kept,
// so the next caller asks again.
import type { Clock } from '../clock/clock';

interface Entry<V> {
  value: Promise<V>;
  /** Clock time after which the value is stale; Infinity while its load is in flight. */
  expires: number;
}

export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.clock.now();
    const entry = this.entries.get(key);
    if (entry && entry.expires > now) return entry.value;
    const fresh: Entry<V> = { value: load(), expires: Infinity };
    this.entries.set(key, fresh);
    fresh.value.then(
      () => {
        if (this.entries.get(key) === fresh) fresh.expires = this.clock.now() + this.ttlMs;
      },
      () => {
        if (this.entries.get(key) === fresh) this.entries.delete(key);
      },
    );
    return fresh.value;
  }

  /** Drops every key `keep` says no to (e.g. containers that are gone), so the cache cannot grow without bound. */
  retain(keep: (key: string) => boolean): void {
    for (const key of this.entries.keys()) if (!keep(key)) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
