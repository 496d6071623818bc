// The inventory's timers on a fake clock: a burst of events is one re-list after the debounce,
// and the fleet's changes go out as one message per flush.
import { EventEmitter } from 'node:events';
import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { FleetChange } from '../../shared/model';
import { FakeClock } from '../clock/fakeClock';
import { FleetModel } from './fleetModel';
import type { EngineHost, HostStatus } from './hostInventory';
import type { EngineContainer } from './normalize';

const item = (n: number, State = 'exited'): EngineContainer => ({ Id: `${n}`.padStart(64, 'c'), Names: [`/c${n}`], Image: 'app:1', Created: 1_700_000_000, State, Status: State });

/** A host whose daemon lists `items` and counts the lists. */
function fakeHost(name: string, items: EngineContainer[]) {
  const emitter = new EventEmitter();
  const lists: number[] = [];
  const status: HostStatus = { name, address: name, transport: 'tls', labels: {}, state: 'online', since: 0 };
  let clock: FakeClock | undefined;
  const docker = {
    listContainers: async () => (lists.push(clock?.now() ?? -1), [...items]),
    getContainer: () => ({ inspect: async () => ({ State: { StartedAt: '2024-01-01T00:00:00Z' } }) }),
  } as unknown as Dockerode;
  const host = Object.assign(emitter, { spec: { name }, docker, status }) as unknown as EngineHost;
  return {
    host,
    lists,
    emit: (event: string, ...args: unknown[]) => emitter.emit(event, ...args),
    useClock: (c: FakeClock) => (clock = c),
  };
}

function setup(items: EngineContainer[]) {
  const clock = new FakeClock();
  const h1 = fakeHost('h1', items);
  h1.useClock(clock);
  const model = new FleetModel([h1.host], { label: 'service' }, { clock });
  const changes: FleetChange[] = [];
  model.subscribe((change) => changes.push(change));
  changes.length = 0; // the whole-fleet message sent on subscribing
  return {
    clock,
    h1,
    model,
    changes,
    /** h1 comes online and is listed; what it sent is forgotten. */
    async listed() {
      h1.emit('online');
      await clock.advance(100);
      changes.length = 0;
    },
    event: (Action: string, n: number) => h1.emit('event', { Type: 'container', Action, Actor: { ID: item(n).Id } }),
  };
}

describe('FleetModel and HostInventory timers', () => {
  it('lists a host as it comes online, and sends the change at the next flush', async () => {
    const t = setup([item(1)]);
    t.h1.emit('online');
    await t.clock.advance(0);
    expect(t.h1.lists).toEqual([0]);
    expect(t.changes).toEqual([]);
    await t.clock.advance(16);
    expect(t.changes).toHaveLength(1);
    expect(t.changes[0]!.containers).toEqual([{ host: 'h1', list: [expect.objectContaining({ name: 'c1' })] }]);
    expect(t.model.isSettled('h1')).toBe(true);
    t.model.close();
  });

  it('a burst of events is one re-list, 50 ms after the first, and one message', async () => {
    const items = [item(1)];
    const t = setup(items);
    await t.listed();
    items.push(item(2));
    for (let i = 0; i < 20; i++) {
      t.event('create', 2);
      await t.clock.advance(1);
    }
    await t.clock.advance(29);
    expect(t.h1.lists).toEqual([0]);
    await t.clock.advance(1);
    expect(t.h1.lists).toEqual([0, 150]);
    await t.clock.advance(100);
    expect(t.changes).toHaveLength(1);
    expect(t.changes[0]!.containers[0]!.list.map((c) => c.name)).toEqual(['c1', 'c2']);
    t.model.close();
  });

  it('health-check execs change nothing shown: no re-list', async () => {
    const t = setup([item(1)]);
    await t.listed();
    t.event('exec_start: /healthcheck', 1);
    await t.clock.advance(1_000);
    expect(t.h1.lists).toEqual([0]);
    t.model.close();
  });

  it('close() cancels the pending re-list and flush', async () => {
    const t = setup([item(1)]);
    await t.listed();
    t.event('die', 1);
    t.model.close();
    expect(t.clock.pending).toEqual([]);
  });
});
