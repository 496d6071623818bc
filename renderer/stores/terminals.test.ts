import { describe, expect, it } from 'vitest';
import type { Api } from '../../shared/contract';
import type { TerminalOpenResult, TerminalTarget } from '../../shared/terminal';
import { createTerminalsStore } from './terminals';

const FP = `SHA256:${'A'.repeat(43)}`;
const hostKey = { host: 'h1', address: '198.18.0.11', keyType: 'ssh-ed25519', fingerprint: FP };

/** A scripted Api: terminalOpen answers from a queue (or resolves when told to). */
function scriptedApi(answers: (TerminalOpenResult | Promise<TerminalOpenResult>)[]) {
  const calls: { name: string; request: unknown }[] = [];
  let n = 0;
  const api = {
    terminalOpen: async (request: unknown) => {
      calls.push({ name: 'terminalOpen', request });
      const a = answers.shift();
      if (!a) throw new Error('no scripted answer');
      return a;
    },
    terminalClose: async (request: unknown) => { calls.push({ name: 'terminalClose', request }); },
    trustHostKey: async (request: unknown) => { calls.push({ name: 'trustHostKey', request }); return { ok: true, message: 'added' }; },
  } as unknown as Api;
  const ok = (): TerminalOpenResult => ({ ok: true, sessionId: `t${++n}`, title: 'x', command: '/bin/sh' });
  return { api, calls, ok };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const ctr: TerminalTarget = { kind: 'container', host: 'h1', id: 'aaaaaaaaaaaa' };
const host: TerminalTarget = { kind: 'host', host: 'h1' };

describe('terminals store', () => {
  it('opens a tab, activates it, and records the session once main answers', async () => {
    const s = scriptedApi([]);
    const store = createTerminalsStore(s.api);
    const [answer] = [s.ok()];
    (s.api as { terminalOpen: unknown }).terminalOpen = async (r: unknown) => { s.calls.push({ name: 'terminalOpen', request: r }); return answer; };
    const key = store.getState().open(ctr, { name: 'payments-api-1' });
    expect(store.getState().activeKey).toBe(key);
    expect(store.getState().focusKey).toBe(key);
    expect(store.getState().sessions[0]).toMatchObject({ status: 'opening', name: 'payments-api-1' });
    await tick();
    expect(store.getState().sessions[0]).toMatchObject({ status: 'open', sessionId: 't1', command: '/bin/sh' });
    expect(s.calls[0]).toEqual({ name: 'terminalOpen', request: { target: ctr, size: { cols: 120, rows: 30 } } });
  });

  it('adds skipped output to the tab of that session, and clears it on input or a new session', async () => {
    const s = scriptedApi([]);
    (s.api as { terminalOpen: unknown }).terminalOpen = async () => s.ok();
    const store = createTerminalsStore(s.api);
    const key = store.getState().open(ctr);
    await tick();
    const tab = () => store.getState().sessions[0]!;
    expect(tab().skipped).toBe(0);
    store.getState().outputSkipped(key, 't1', 5_000_000);
    store.getState().outputSkipped(key, 't1', 1_000);
    store.getState().outputSkipped(key, 'stale', 7);
    expect(tab().skipped).toBe(5_001_000);
    store.getState().skipSeen(key);
    expect(tab().skipped).toBe(0);
    store.getState().outputSkipped(key, 't1', 42);
    store.getState().ended(key, 't1', 0, '');
    store.getState().reconnect(key);
    expect(tab().skipped).toBe(0);
  });

  it('reuses a live tab for the same target only when asked', async () => {
    const s = scriptedApi([]);
    let n = 0;
    const api = { ...s.api, terminalOpen: async () => ({ ok: true, sessionId: `t${++n}`, title: '', command: 'sh' }) } as unknown as Api;
    const store = createTerminalsStore(api);
    const a = store.getState().open(ctr, { reuse: true });
    const b = store.getState().open(host);
    expect(store.getState().open(ctr, { reuse: true })).toBe(a);
    expect(store.getState().activeKey).toBe(a);
    expect(store.getState().open(ctr)).not.toBe(a);
    expect(store.getState().sessions.map((t) => t.key)).toEqual([a, b, expect.any(String)]);
  });

  it('marks a session exited only for its current session id, and reconnects in the same tab', async () => {
    let n = 0;
    const closed: string[] = [];
    const api = {
      terminalOpen: async () => ({ ok: true, sessionId: `t${++n}`, title: '', command: 'sh' }),
      terminalClose: async ({ sessionId }: { sessionId: string }) => { closed.push(sessionId); },
    } as unknown as Api;
    const store = createTerminalsStore(api);
    const key = store.getState().open(ctr);
    await tick();
    store.getState().ended(key, 't999', 0, 'stale');
    expect(store.getState().sessions[0]!.status).toBe('open');
    store.getState().ended(key, 't1', 137, 'container stopped');
    expect(store.getState().sessions[0]).toMatchObject({ status: 'exited', exit: { code: 137, message: 'container stopped' } });
    store.getState().reconnect(key);
    expect(store.getState().sessions[0]).toMatchObject({ status: 'opening', exit: undefined, attempt: 2 });
    await tick();
    expect(store.getState().sessions[0]).toMatchObject({ key, status: 'open', sessionId: 't2' });
    expect(closed).toEqual(['t1']); // main lets go of the ended session
  });

  it('closes the session in main when a tab closes, also when the answer comes after the close', async () => {
    let release!: (r: TerminalOpenResult) => void;
    const s = scriptedApi([new Promise<TerminalOpenResult>((r) => { release = r; })]);
    const store = createTerminalsStore(s.api);
    const key = store.getState().open(ctr);
    await tick();
    store.getState().close(key);
    expect(store.getState().sessions).toHaveLength(0);
    expect(store.getState().activeKey).toBeNull();
    release({ ok: true, sessionId: 't7', title: '', command: 'sh' });
    await tick();
    await tick();
    expect(s.calls.filter((c) => c.name === 'terminalClose')).toEqual([{ name: 'terminalClose', request: { sessionId: 't7' } }]);
  });

  it('activates the neighbour when the active tab closes, and cycles with wrap-around', async () => {
    const s = scriptedApi([]);
    const api = { ...s.api, terminalOpen: async () => ({ ok: false, reason: 'host-down', message: 'down' }) } as unknown as Api;
    const store = createTerminalsStore(api);
    const a = store.getState().open(ctr);
    const b = store.getState().open(host);
    const c = store.getState().open(ctr);
    store.getState().activate(b);
    store.getState().close(b);
    expect(store.getState().activeKey).toBe(c);
    store.getState().cycle(1);
    expect(store.getState().activeKey).toBe(a);
    store.getState().cycle(-1);
    expect(store.getState().activeKey).toBe(c);
    await tick();
    expect(store.getState().sessions[0]).toMatchObject({ status: 'failed', failure: { reason: 'host-down', message: 'down' } });
  });

  it('asks about an unknown host key, and re-opens only after the user trusts it', async () => {
    const s = scriptedApi([]);
    const answers: TerminalOpenResult[] = [
      { ok: false, reason: 'unknown-host-key', message: 'unknown', hostKey },
      { ok: false, reason: 'unknown-host-key', message: 'unknown', hostKey },
      { ok: true, sessionId: 't3', title: '', command: 'ssh' },
    ];
    const api = { ...s.api, terminalOpen: async (r: unknown) => { s.calls.push({ name: 'terminalOpen', request: r }); return answers.shift()!; } } as unknown as Api;
    const store = createTerminalsStore(api);
    const key = store.getState().open(host);
    await tick();
    expect(store.getState().hostKeyPrompt).toEqual({ key, host: 'h1', hostKey });
    store.getState().declineHostKey();
    expect(store.getState().hostKeyPrompt).toBeNull();
    expect(store.getState().sessions[0]).toMatchObject({ status: 'failed', failure: { reason: 'untrusted' } });
    expect(s.calls.some((c) => c.name === 'trustHostKey')).toBe(false);

    store.getState().reconnect(key);
    await tick();
    expect(store.getState().hostKeyPrompt?.key).toBe(key);
    await store.getState().trustHostKey();
    expect(s.calls.find((c) => c.name === 'trustHostKey')?.request).toEqual({ host: 'h1', fingerprint: FP });
    await tick();
    expect(store.getState().sessions[0]).toMatchObject({ status: 'open', sessionId: 't3' });
    expect(store.getState().hostKeyPrompt).toBeNull();
  });

  it('refuses a changed host key without a prompt', async () => {
    const s = scriptedApi([{ ok: false, reason: 'changed-host-key', message: 'REMOTE HOST IDENTIFICATION HAS CHANGED', hostKey }]);
    const store = createTerminalsStore(s.api);
    store.getState().open(host);
    await tick();
    expect(store.getState().hostKeyPrompt).toBeNull();
    expect(store.getState().sessions[0]).toMatchObject({ status: 'failed', failure: { reason: 'changed-host-key', hostKey } });
  });

  it('turns a thrown call into a failed tab', async () => {
    const store = createTerminalsStore({ ...scriptedApi([]).api, terminalOpen: async () => { throw new Error('lost the connection to the fleetdeck core'); } });
    store.getState().open(ctr);
    await tick();
    expect(store.getState().sessions[0]).toMatchObject({ status: 'failed', failure: { reason: 'error', message: 'lost the connection to the fleetdeck core' } });
  });
});
