// What the fault tests read from docker events (rolloutLab.ts), on made-up event lists: how many
// members were down at once (stop-first and start-first, renames to -fd-old-/-fd-new-) and the
// order in which members first went down.
import { describe, expect, it } from 'vitest';
import { memberOf, mostDownAtOnce, stopOrder, type ContainerEvent, type MemberState } from './rolloutLab';

const member = (host: 'h1' | 'h2', name: string, id: string): MemberState => ({ host, name, id, running: true, ip: '', mac: '', digest: undefined });
let clock = 0;
const ev = (host: string, action: string, id: string, name: string): ContainerEvent => ({ host, action, id, name, time: ++clock });
const OLD = '-fd-old-0123456789ab';
const NEW = '-fd-new-0123456789ab';

describe('memberOf', () => {
  it('names the member of an old or new revision, and a member itself', () => {
    expect([memberOf(`web-1${OLD}`), memberOf(`web-1${NEW}`), memberOf('web-1'), memberOf('web-1-fd-old-xyz')]).toEqual(['web-1', 'web-1', 'web-1', 'web-1-fd-old-xyz']);
  });
});

describe('mostDownAtOnce', () => {
  const before = [member('h1', 'a', 'a0'), member('h1', 'b', 'b0'), member('h2', 'a', 'c0')];

  it('stop-first one at a time: one down at a time', () => {
    const events = [
      ev('h1', 'die', 'a0', 'a'),
      ev('h1', 'rename', 'a0', `a${OLD}`),
      ev('h1', 'start', 'a1', 'a'),
      ev('h1', 'die', 'b0', 'b'),
      ev('h1', 'start', 'b1', 'b'),
      ev('h2', 'die', 'c0', 'a'),
      ev('h2', 'start', 'c1', 'a'),
    ];
    expect(mostDownAtOnce(events, before)).toBe(1);
  });

  it('overlapping downtimes on two hosts count together (same name, other host: another member)', () => {
    const events = [ev('h1', 'die', 'a0', 'a'), ev('h2', 'die', 'c0', 'a'), ev('h1', 'die', 'b0', 'b'), ev('h1', 'start', 'a1', 'a'), ev('h2', 'start', 'c1', 'a'), ev('h1', 'start', 'b1', 'b')];
    expect(mostDownAtOnce(events, before)).toBe(3);
  });

  it('start-first: the new copy runs before the old one dies, so the member is never down', () => {
    const events = [ev('h1', 'start', 'a1', `a${NEW}`), ev('h1', 'health_status: healthy', 'a1', `a${NEW}`), ev('h1', 'die', 'a0', 'a'), ev('h1', 'rename', 'a0', `a${OLD}`), ev('h1', 'rename', 'a1', 'a')];
    expect(mostDownAtOnce(events, before)).toBe(0);
  });

  it('a failed new container that dies leaves its member down until the old one starts again', () => {
    const events = [ev('h1', 'die', 'a0', 'a'), ev('h1', 'start', 'a1', 'a'), ev('h1', 'die', 'a1', 'a'), ev('h1', 'die', 'b0', 'b'), ev('h1', 'start', 'a0', 'a'), ev('h1', 'start', 'b0', 'b')];
    expect(mostDownAtOnce(events, before)).toBe(2);
  });

  it('events of other containers and other actions do not count', () => {
    expect(mostDownAtOnce([ev('h1', 'die', 'x0', 'other'), ev('h1', 'exec_die', 'a0', 'a'), ev('h1', 'kill', 'a0', 'a')], before)).toBe(0);
  });
});

describe('stopOrder', () => {
  it('lists each member once, when it first went down (kill, die or stop), by host', () => {
    const events = [
      ev('h2', 'kill', 'c0', 'a'),
      ev('h2', 'die', 'c0', 'a'),
      ev('h2', 'start', 'c0', 'a'),
      ev('h1', 'exec_die', 'b0', 'b'),
      ev('h1', 'die', 'b0', 'b'),
      ev('h1', 'stop', 'a0', 'a'),
      ev('h1', 'die', 'b1', `b${OLD}`),
    ];
    expect(stopOrder(events)).toEqual(['h2/a', 'h1/b', 'h1/a']);
  });
});
