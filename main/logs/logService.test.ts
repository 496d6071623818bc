// The log service with fake hosts: what it does without dockerd answering (the lab itest covers
// the streams): a host that is down fails its source at once, unknown hosts and containers are
// refused, a view nobody watches is closed after the orphan timeout.
import { describe, expect, it } from 'vitest';
import type Dockerode from 'dockerode';
import type { LogEvent } from '../../shared/logs';
import { FakeClock } from '../clock/fakeClock';
import type { LogHost } from './logSource';
import { LogService } from './logService';

const ID = 'abcdef0123456789';

function host(name: string, state: 'online' | 'offline', inspect: () => Promise<unknown> = async () => ({ Id: ID, Name: '/web-1', Config: { Tty: false, Labels: { svc: 'web' } } })): LogHost {
  const docker = { getContainer: () => ({ inspect }) } as unknown as Dockerode;
  const streams = { modem: { dial: () => {} } } as unknown as Dockerode;
  return { spec: { name }, docker, streams, status: { name, state, ...(state === 'offline' ? { problem: { reason: 'unreachable', message: 'connect ECONNREFUSED' } } : {}) } as LogHost['status'] };
}

function service(hosts: LogHost[], clock = new FakeClock()) {
  return new LogService({ host: (name) => hosts.find((h) => h.spec.name === name), serviceLabel: 'svc', clock, orphanTimeoutMs: 1_000 });
}

describe('LogService', () => {
  it('opens a view on a host that is down and fails its source at once with the reason', async () => {
    const logs = service([host('h2', 'offline')]);
    const opened = await logs.open({ sources: [{ host: 'h2', id: ID }] });
    expect(opened).toEqual({ ok: true, viewId: 'l1', sources: [{ host: 'h2', id: ID, name: ID.slice(0, 12), tag: `${ID.slice(0, 12)}·h2`, tty: false }] });
    const events: LogEvent[] = [];
    logs.subscribe('l1', (e) => events.push(e));
    expect(events).toEqual([{ t: 'source', src: 0, state: 'failed', message: 'h2 is offline (connect ECONNREFUSED)' }]);
  });

  it('names a source by inspect: name, service label and tty', async () => {
    const logs = service([host('h1', 'online')]);
    expect(await logs.open({ sources: [{ host: 'h1', id: ID }] })).toMatchObject({ ok: true, sources: [{ host: 'h1', id: ID, name: 'web-1', service: 'web', tag: 'web-1·h1', tty: false }] });
  });

  it('refuses an unknown host and a container the daemon does not know, using up no view id', async () => {
    const gone = host('h1', 'online', async () => Promise.reject(Object.assign(new Error('no such container'), { statusCode: 404 })));
    const logs = service([gone]);
    expect(await logs.open({ sources: [{ host: 'h9', id: ID }] })).toEqual({ ok: false, message: 'no host named "h9" in the fleet' });
    expect(await logs.open({ sources: [{ host: 'h1', id: ID }] })).toEqual({ ok: false, message: `no container ${ID.slice(0, 12)} on h1` });
    expect(logs.viewIds).toEqual([]);
  });

  it('closes a view nobody has watched for the orphan timeout, and ends its subscribers on close', async () => {
    const clock = new FakeClock();
    const logs = service([host('h1', 'online')], clock);
    await logs.open({ sources: [{ host: 'h1', id: ID }] });
    await logs.open({ sources: [{ host: 'h1', id: ID }] });
    let ended = false;
    logs.subscribe(
      'l2',
      () => {},
      () => (ended = true),
    );
    await clock.advance(1_000);
    expect(logs.viewIds).toEqual(['l2']);
    await logs.close('l2');
    expect(ended).toBe(true);
    expect(logs.viewIds).toEqual([]);
  });
});
