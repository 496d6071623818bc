import { describe, expect, it } from 'vitest';
import type { LogEvent, LogLine, LogOpenRequest, LogOpenResult } from '../../shared/logs';
import { createLogsStore, droppedOf, type LogsApi, type LogTarget } from './logs';
import { testStream } from './testStream';

const ID = (n: number) => String(n).repeat(12);
const web: LogTarget = {
  kind: 'service', service: 'web',
  members: [{ host: 'h1', id: ID(1), name: 'web-1' }, { host: 'h2', id: ID(2), name: 'web-2' }, { host: 'h3', id: ID(3), name: 'web-3' }],
};
const one: LogTarget = { kind: 'container', host: 'h1', id: ID(1), name: 'web-1' };

/** An Api whose logsOpen answers with a view of the requested sources; records acks and closes. */
function fakeApi() {
  const events = testStream<LogEvent>();
  const calls: { name: string; request: unknown }[] = [];
  let n = 0;
  const api: LogsApi = {
    logsOpen: async (request: LogOpenRequest): Promise<LogOpenResult> => {
      calls.push({ name: 'logsOpen', request });
      const viewId = `l${++n}`;
      return { ok: true, viewId, sources: request.sources.map((s, i) => ({ host: s.host, id: s.id, name: `web-${i + 1}`, tag: `web-${i + 1}·${s.host}`, tty: false })) };
    },
    logsAck: async (request) => void calls.push({ name: 'logsAck', request }),
    logsClose: async (request) => void calls.push({ name: 'logsClose', request }),
    logEvents: (params, onEvent, onEnd) => {
      calls.push({ name: 'logEvents', request: params });
      return events.subscribe(params, onEvent, onEnd);
    },
  };
  return { api, events, calls };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const line = (src: number, s: number, text: string, stream: 'stdout' | 'stderr' = 'stdout'): LogLine => ({
  src, stream, time: `2026-12-02T01:00:${String(s).padStart(2, '0')}.000000001Z`, line: text,
});
const now = { schedule: (fn: () => void) => fn() };

async function opened(target: LogTarget = web, limits?: { maxLines: number; maxChars: number }) {
  const f = fakeApi();
  const store = createLogsStore(f.api, { ...now, ...(limits ? { limits } : {}) });
  const key = store.getState().open(target);
  await tick();
  const lines = () => store.getState().lines(key)!;
  const shown = () => [...lines().shown.entries()].map((e) => e.line);
  return { ...f, store, key, lines, shown, view: () => store.getState().views.find((v) => v.key === key)! };
}

describe('logs store', () => {
  it('opens the sources of a service with a tail, names the view, and subscribes to its events', async () => {
    const t = await opened();
    expect(t.calls[0]).toEqual({ name: 'logsOpen', request: { sources: web.members.map((m) => ({ host: m.host, id: m.id })), tail: 1000, follow: true } });
    expect(t.calls[1]).toEqual({ name: 'logEvents', request: { viewId: 'l1' } });
    expect(t.view()).toMatchObject({ status: 'open', viewId: 'l1', title: 'service web (3 replicas)' });
    expect(t.view().states.map((s) => s.state)).toEqual(['loading', 'loading', 'loading']);
    t.events.emit({ t: 'source', src: 1, state: 'following' });
    expect(t.view().states[1]).toEqual({ state: 'following' });
  });

  it('merges the replicas by time whatever order their batches come in, and acks what it took', async () => {
    const t = await opened();
    t.events.emit({ t: 'lines', lines: [line(0, 1, 'a1'), line(0, 4, 'a4')] });
    t.events.emit({ t: 'lines', lines: [line(1, 2, 'b2'), line(1, 5, 'b5')] });
    t.events.emit({ t: 'lines', lines: [line(2, 3, 'c3')] });
    expect(t.shown()).toEqual(['a1', 'b2', 'c3', 'a4', 'b5']);
    const v0 = t.view().version;
    t.events.emit({ t: 'lines', lines: [line(2, 6, 'c6')] });
    expect(t.view().version).toBe(v0 + 1);
    // Closing the tab flushes the acks still batched: every line counts its text and its newline (logLineChars).
    t.store.getState().close(t.key);
    const acked = t.calls.filter((c) => c.name === 'logsAck').reduce((sum, c) => sum + (c.request as { chars: number }).chars, 0);
    expect(acked).toBe('a1a4b2b5c3c6'.length + 6);
  });

  it('holds its bound and counts what went, with main\'s drops', async () => {
    const t = await opened(one, { maxLines: 3, maxChars: 1e6 });
    t.events.emit({ t: 'lines', lines: [1, 2, 3, 4, 5].map((s) => line(0, s, `l${s}`)) });
    expect(t.shown()).toEqual(['l3', 'l4', 'l5']);
    expect(droppedOf(t.view(), t.lines())).toBe(2);
    // Main's drops are lines that never came (its ring holds only what it has not delivered): they add up.
    t.events.emit({ t: 'dropped', total: 7 });
    expect(droppedOf(t.view(), t.lines())).toBe(9);
  });

  it('hides a replica toggled off and shows it again, its lines kept', async () => {
    const t = await opened();
    t.events.emit({ t: 'lines', lines: [line(0, 1, 'a1'), line(0, 3, 'a3')] });
    t.events.emit({ t: 'lines', lines: [line(1, 2, 'b2')] });
    t.store.getState().toggleSource(t.key, 0);
    expect(t.shown()).toEqual(['b2']);
    t.events.emit({ t: 'lines', lines: [line(0, 4, 'a4'), line(1, 5, 'b5')] });
    expect(t.shown()).toEqual(['b2', 'b5']);
    t.store.getState().toggleSource(t.key, 0);
    expect(t.shown()).toEqual(['a1', 'b2', 'a3', 'a4', 'b5']);
  });

  it('counts the hits of a search (escapes ignored), steps through them, and keeps them as lines come', async () => {
    const t = await opened();
    t.events.emit({ t: 'lines', lines: [line(0, 1, 'GET /'), line(0, 2, '\x1b[31mERROR\x1b[0m disk'), line(0, 3, 'GET /a'), line(0, 5, 'error: net', 'stderr')] });
    const s = t.store.getState();
    s.setQuery(t.key, { text: 'error' });
    expect(t.lines().hits.length).toBe(2);
    // Enter from the top goes to the first hit, then the next, then wraps; Shift+Enter goes back.
    expect(s.stepHit(t.key, 1, 0)).toBe(1);
    expect(s.stepHit(t.key, 1)).toBe(3);
    expect(s.stepHit(t.key, 1)).toBe(1);
    expect(s.stepHit(t.key, -1)).toBe(3);
    expect(t.lines().current?.line).toBe('error: net');
    t.events.emit({ t: 'lines', lines: [line(1, 4, 'ERROR again')] });
    expect(t.lines().hits.length).toBe(3);
    // Case and regex.
    s.setQuery(t.key, { caseSensitive: true, text: 'ERROR' });
    expect(t.lines().hits.length).toBe(2);
    s.setQuery(t.key, { caseSensitive: false, regex: true, text: '^get /a?$' });
    expect(t.lines().hits.length).toBe(2);
    s.setQuery(t.key, { text: '(' });
    expect(t.view().queryError).toBeTruthy();
    expect(t.lines().hits.length).toBe(0);
    expect(s.stepHit(t.key, 1)).toBe(-1);
  });

  it('shows only the matching lines in filter mode, new ones included, and a hidden replica\'s none', async () => {
    const t = await opened();
    t.events.emit({ t: 'lines', lines: [line(0, 1, 'ok 1'), line(0, 2, 'fail 2'), line(1, 3, 'fail 3')] });
    const s = t.store.getState();
    s.setQuery(t.key, { text: 'fail' });
    expect(t.shown()).toEqual(['ok 1', 'fail 2', 'fail 3']);
    s.setFilter(t.key, true);
    expect(t.shown()).toEqual(['fail 2', 'fail 3']);
    t.events.emit({ t: 'lines', lines: [line(2, 4, 'ok 4'), line(2, 5, 'fail 5')] });
    expect(t.shown()).toEqual(['fail 2', 'fail 3', 'fail 5']);
    s.toggleSource(t.key, 1);
    expect(t.shown()).toEqual(['fail 2', 'fail 5']);
    expect(s.stepHit(t.key, 1, 1)).toBe(1);
    s.setFilter(t.key, false);
    expect(t.shown()).toEqual(['ok 1', 'fail 2', 'ok 4', 'fail 5']);
  });

  it('shows the live view of the same target instead of a second one', async () => {
    const t = await opened(one);
    const other = t.store.getState().open(web);
    expect(t.store.getState().open({ ...one })).toBe(t.key);
    expect(t.store.getState().activeKey).toBe(t.key);
    expect(t.store.getState().views.map((v) => v.key)).toEqual([t.key, other]);
  });

  it('reloads with another tail and since: main\'s view is closed, the lines go, a new view opens', async () => {
    const t = await opened(one);
    t.events.emit({ t: 'lines', lines: [line(0, 1, 'old')] });
    t.store.getState().reload(t.key, { tail: 'all', sinceSeconds: 300 });
    await tick();
    expect(t.calls).toContainEqual({ name: 'logsClose', request: { viewId: 'l1' } });
    expect(t.calls.filter((c) => c.name === 'logsOpen')[1]!.request).toMatchObject({ tail: 'all', sinceSeconds: 300 });
    expect(t.view().viewId).toBe('l2');
    expect(t.shown()).toEqual([]);
    // A late event of the old view is not taken.
    t.events.emit({ t: 'lines', lines: [line(0, 2, 'new')] });
    expect(t.shown()).toEqual(['new']);
  });

  it('closes main\'s view with the tab, and says why when main ends the stream', async () => {
    const t = await opened(one);
    t.events.end({ message: 'host h1 went offline', code: 'host-offline' });
    expect(t.view()).toMatchObject({ status: 'ended', message: 'host h1 went offline' });
    t.store.getState().close(t.key);
    expect(t.calls).toContainEqual({ name: 'logsClose', request: { viewId: 'l1' } });
    expect(t.store.getState().views).toEqual([]);
    expect(t.store.getState().activeKey).toBeNull();
  });

  it('says why an open failed', async () => {
    const f = fakeApi();
    f.api.logsOpen = async () => ({ ok: false, message: 'no such container' });
    const store = createLogsStore(f.api, now);
    store.getState().open(one);
    await tick();
    expect(store.getState().views[0]).toMatchObject({ status: 'failed', message: 'no such container' });
  });
});
