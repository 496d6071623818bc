// Bridge parity: the same checks against both transports. Electron runs on a fake ipcMain and
// webContents (no binary exists here) with the real preload port and the page's client session;
// browser mode runs the real server on 127.0.0.1 with a real WebSocket (ws), holding the token
// cookie and our Origin as main/web/security.ts requires.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { BridgeError, clientOverPort, DISCONNECTED, type BridgeClient } from '../../shared/bridgeClient';
import { SocketBridge, type OpenSocket } from '../../shared/bridgeSocket';
import type { Api, RemoteError } from '../../shared/contract';
import type { FleetChange } from '../../shared/model';
import { BRIDGE_PATH } from '../../shared/wire';
import { ActionError } from '../actions/actionPath';
import { createDispatcher, type Dispatcher } from '../core/dispatch';
import { stubApi } from '../core/fixtures/stubApi';
import { startWebServer, type WebServer } from '../web/server';
import { APP_URL } from './channels';
import { acrossContextBridge, fakeIpcMain, FakePage } from './fixtures/fakeElectron';
import { registerContract } from './ipc';
import { createPreloadPort } from './preloadPort';

vi.mock('electron', async () => ({ ipcMain: (await import('./fixtures/fakeElectron')).fakeIpcMain }));

/** A small core: answers, a coded failure, streams it can feed and end, and a record of what reached it. */
function fakeCore() {
  const reached: string[] = [];
  const fleetListeners = new Set<(change: FleetChange) => void>();
  let unsubscribed = 0;
  const api = {
    ...stubApi,
    appInfo: async () => {
      reached.push('appInfo');
      return { version: '9.9.9', mode: 'browser', fleetSource: 'fleet.yaml' };
    },
    containerAction: async ({ host, id }) => {
      reached.push('containerAction');
      throw new ActionError(`no container ${id} on ${host}`, 'not-found');
    },
    /** Never answers: a call still in flight when the transport drops. */
    terminalOpen: () => {
      reached.push('terminalOpen');
      return new Promise(() => {});
    },
    fleetChanges: (_params, onEvent) => {
      reached.push('fleetChanges');
      fleetListeners.add(onEvent);
      return () => {
        if (fleetListeners.delete(onEvent)) unsubscribed++;
      };
    },
    terminalOutput: ({ sessionId }, onEvent, onEnd) => {
      reached.push('terminalOutput');
      if (sessionId === 't404') throw Object.assign(new Error('no terminal session t404'), { code: 'unknown-session' });
      // The session's last output, then the core finishes the stream itself.
      queueMicrotask(() => {
        onEvent({ t: 'exit', code: 0, message: 'exited' });
        onEnd?.();
      });
      return () => {};
    },
  } satisfies Api;
  return {
    api,
    reached,
    emit: (change: FleetChange) => fleetListeners.forEach((listener) => listener(change)),
    subscribers: () => fleetListeners.size,
    unsubscribed: () => unsubscribed,
  };
}

const change = (host: string): FleetChange => ({ hosts: [], containers: [{ host, list: [] }], removedHosts: [] });

interface Client {
  api: Api;
  session: BridgeClient;
  /** The client goes away: its page is destroyed, or its socket closed. */
  leave(): void;
}

interface Transport {
  name: string;
  start(dispatcher: Dispatcher, log: (message: string) => void): Promise<void>;
  connect(): Promise<Client>;
  /** Clients the transport must refuse try to reach the core; resolves once each was turned away. */
  refuseUntrusted(): Promise<void>;
  stop(): Promise<void>;
}

function electronTransport(): Transport {
  return {
    name: 'Electron (preload port over IPC)',
    async start(dispatcher, log) {
      registerContract(dispatcher, log);
    },
    async connect() {
      const page = new FakePage();
      const session = clientOverPort(acrossContextBridge(createPreloadPort(page.ipcRenderer)));
      return { api: session.api(), session, leave: () => page.destroy() };
    },
    async refuseUntrusted() {
      const foreign = new FakePage('https://evil.example/');
      const subFrame = new FakePage(APP_URL, { url: APP_URL });
      const settled: string[] = [];
      for (const page of [foreign, subFrame]) {
        const api = clientOverPort(acrossContextBridge(createPreloadPort(page.ipcRenderer))).api();
        api.appInfo({}).then(
          () => settled.push('resolved'),
          () => settled.push('rejected'),
        );
      }
      // IPC keeps its order: once a trusted page's round trip (one the core never sees) is answered,
      // theirs were handled, and dropped.
      await expect((await this.connect()).session.call('toString', {})).rejects.toMatchObject({ code: 'unknown-entry' });
      expect(settled).toEqual([]);
    },
    async stop() {
      expect(fakeIpcMain.handled).toEqual([]); // no raw ipcMain.handle: every message goes through the validated listener
      fakeIpcMain.reset();
    },
  };
}

/** The bridge's socket made with the ws package, which (unlike a page) sets the headers itself. */
function wsSocket(port: number, headers: Record<string, string>): OpenSocket {
  return (handlers) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}${BRIDGE_PATH}`, { headers });
    socket.on('open', () => handlers.open());
    socket.on('message', (data) => handlers.message(String(data)));
    socket.on('close', () => handlers.close());
    socket.on('error', () => {}); // a close follows
    return { send: (text) => socket.send(text), close: () => socket.close() };
  };
}

/** What the page served with the launch token carries: its cookie, and our Origin. */
const trustedHeaders = (port: number, token: string) => ({ origin: `http://127.0.0.1:${port}`, cookie: `fleetdeck_token=${token}` });

/** The server never serves a page in these tests: only its bridge. */
const NO_RENDERER = path.join(import.meta.dirname, 'no-renderer-needed');

function browserTransport(): Transport {
  let server: WebServer;
  const bridges: SocketBridge[] = [];
  const trusted = () => trustedHeaders(server.port, server.token);
  const refusal = (headers: Record<string, string>) =>
    new Promise<number | undefined>((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${server.port}${BRIDGE_PATH}`, { headers });
      socket.on('open', () => {
        socket.close();
        resolve(undefined);
      });
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode));
      socket.on('error', () => {});
    });
  return {
    name: 'browser mode (WebSocket on 127.0.0.1)',
    async start(dispatcher, log) {
      server = await startWebServer({ dispatcher, log, staticDir: NO_RENDERER });
    },
    async connect() {
      const bridge = new SocketBridge(wsSocket(server.port, trusted()));
      bridges.push(bridge);
      await bridge.ready();
      return { api: bridge.api(), session: bridge.client, leave: () => bridge.close() };
    },
    async refuseUntrusted() {
      expect(await refusal({ origin: 'http://evil.example', cookie: trusted().cookie })).toBe(403);
      expect(await refusal({ origin: trusted().origin })).toBe(401);
    },
    async stop() {
      bridges.forEach((bridge) => bridge.close());
      await server.close();
    },
  };
}

describe.each([electronTransport(), browserTransport()])('the bridge over $name', (transport) => {
  let core: ReturnType<typeof fakeCore>;
  let logs: string[];
  let client: Client;

  beforeEach(async () => {
    core = fakeCore();
    logs = [];
    await transport.start(createDispatcher(core.api), (message) => logs.push(message));
    client = await transport.connect();
  });
  afterEach(() => transport.stop());

  it("returns a call's result", async () => {
    await expect(client.api.appInfo({})).resolves.toEqual({ version: '9.9.9', mode: 'browser', fleetSource: 'fleet.yaml' });
  });

  it('rejects a call that failed with the same message and code', async () => {
    const failure = client.api.containerAction({ host: 'h1', id: 'abcdef012345', action: 'stop' });
    await expect(failure).rejects.toBeInstanceOf(BridgeError);
    await expect(failure).rejects.toMatchObject({ message: 'no container abcdef012345 on h1', code: 'not-found' });
  });

  it("refuses a bad request with code 'bad-request', before the core sees it", async () => {
    const bad = client.session.call('containerAction', { host: 'h1', id: '../../etc', action: 'stop' });
    await expect(bad).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/^containerAction: id/) });
    expect(core.reached).toEqual([]);
  });

  it("answers an unknown entry with code 'unknown-entry'", async () => {
    await expect(client.session.call('toString', {})).rejects.toMatchObject({ code: 'unknown-entry', message: 'unknown call "toString"' });
    const ends: (RemoteError | undefined)[] = [];
    client.session.subscribe('nope', {}, () => {}, (error) => ends.push(error));
    await expect.poll(() => ends).toEqual([{ message: 'unknown stream "nope"', code: 'unknown-entry' }]);
  });

  it('delivers a subscription its events', async () => {
    const events: FleetChange[] = [];
    client.api.fleetChanges({}, (event) => events.push(event));
    await expect.poll(() => core.subscribers()).toBe(1);
    core.emit(change('h1'));
    core.emit(change('h2'));
    await expect.poll(() => events).toEqual([change('h1'), change('h2')]);
  });

  it('ends a stream whose subscribe failed, with the message and code, through the end callback', async () => {
    const ends: (RemoteError | undefined)[] = [];
    const events: unknown[] = [];
    client.api.terminalOutput({ sessionId: 't404' }, (event) => events.push(event), (error) => ends.push(error));
    client.api.terminalOutput({ sessionId: 'bogus' }, (event) => events.push(event), (error) => ends.push(error));
    await expect.poll(() => ends).toHaveLength(2);
    expect(ends[0]).toEqual({ message: 'no terminal session t404', code: 'unknown-session' });
    expect(ends[1]).toMatchObject({ code: 'bad-request', message: expect.stringMatching(/^terminalOutput: sessionId/) });
    expect(events).toEqual([]);
  });

  it('ends a stream the core finished, once, after its events', async () => {
    const seen: unknown[] = [];
    client.api.terminalOutput(
      { sessionId: 't1' },
      (event) => seen.push(event),
      (error) => seen.push({ ended: error ?? 'without error' }),
    );
    await expect.poll(() => seen).toEqual([{ t: 'exit', code: 0, message: 'exited' }, { ended: 'without error' }]);
  });

  it("stops a subscription's events on unsubscribe, and reaches the core's unsubscribe", async () => {
    const events: FleetChange[] = [];
    const unsubscribe = client.api.fleetChanges({}, (event) => events.push(event));
    await expect.poll(() => core.subscribers()).toBe(1);
    core.emit(change('h1'));
    await expect.poll(() => events).toHaveLength(1);
    unsubscribe();
    await expect.poll(() => core.unsubscribed()).toBe(1);
    core.emit(change('h2'));
    await client.api.appInfo({}); // a round trip: anything sent before its answer has arrived
    expect(events).toEqual([change('h1')]);
  });

  it('unsubscribes everything when the client goes away', async () => {
    client.api.fleetChanges({}, () => {});
    client.api.fleetChanges({}, () => {});
    await expect.poll(() => core.subscribers()).toBe(2);
    client.leave();
    await expect.poll(() => core.unsubscribed()).toBe(2);
  });

  it('refuses an untrusted client, which never reaches the core', async () => {
    await transport.refuseUntrusted();
    expect(core.reached).toEqual([]);
    expect(logs.some((line) => line.startsWith('refused'))).toBe(true);
  });
});

describe('the bridge over Electron only', () => {
  afterEach(() => fakeIpcMain.reset());

  it("ends a page's subscriptions when it reloads in the same webContents", async () => {
    const core = fakeCore();
    registerContract(createDispatcher(core.api), () => {});
    const page = new FakePage();
    clientOverPort(acrossContextBridge(createPreloadPort(page.ipcRenderer))).api().fleetChanges({}, () => {});
    await expect.poll(() => core.subscribers()).toBe(1);
    page.reload();
    const events: FleetChange[] = [];
    clientOverPort(acrossContextBridge(createPreloadPort(page.ipcRenderer))).api().fleetChanges({}, (event) => events.push(event));
    await expect.poll(() => core.unsubscribed()).toBe(1);
    await expect.poll(() => core.subscribers()).toBe(1);
    core.emit(change('h1'));
    await expect.poll(() => events).toEqual([change('h1')]);
  });
});

describe('the bridge over the WebSocket only', () => {
  it('fails calls in flight when the socket drops, then reconnects and renews its streams', async () => {
    const core = fakeCore();
    const dispatcher = createDispatcher(core.api);
    // The server going down and coming back on the same port, with the same token, drops the connection.
    let server = await startWebServer({ dispatcher, staticDir: NO_RENDERER });
    const { port, token } = server;
    const bridge = new SocketBridge(wsSocket(port, trustedHeaders(port, token)));
    const connection: boolean[] = [];
    bridge.onConnectionChange((up) => connection.push(up));
    try {
      await bridge.ready();
      const events: FleetChange[] = [];
      bridge.api().fleetChanges({}, (event) => events.push(event));
      await expect.poll(() => core.subscribers()).toBe(1);
      const inFlight = bridge.api().terminalOpen({ target: { kind: 'host', host: 'h1' }, size: { cols: 80, rows: 24 } });
      await expect.poll(() => core.reached).toContain('terminalOpen');

      await server.close();
      await expect(inFlight).rejects.toMatchObject({ code: DISCONNECTED, message: 'lost the connection to the fleetdeck core' });
      await expect.poll(() => core.unsubscribed()).toBe(1);
      server = await startWebServer({ dispatcher, staticDir: NO_RENDERER, port, token });

      await expect.poll(() => core.subscribers(), { timeout: 5_000 }).toBe(1);
      core.emit(change('h1'));
      await expect.poll(() => events).toEqual([change('h1')]);
      expect(connection).toEqual([true, false, true]);
    } finally {
      bridge.close();
      await server.close();
    }
  });
});
