// The browser-mode server over real loopback sockets: who gets in, and what they get.
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Dispatcher } from '../core/dispatch';
import { startWebServer, type WebServer } from './server';

const staticDir = mkdtempSync(path.join(os.tmpdir(), 'fleetdeck-static-'));
writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>fleetdeck</title>');
const dispatcher: Dispatcher = {
  call: async (name, request) => ({ name, request }),
  subscribe: (_name, _params, emit) => {
    emit({ hello: 1 });
    return () => {};
  },
};

let server: WebServer;
beforeAll(async () => {
  server = await startWebServer({ dispatcher, staticDir });
});
afterAll(() => server.close());

function get(pathAndQuery: string, headers: Record<string, string> = {}): Promise<http.IncomingMessage & { body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: server.port, path: pathAndQuery, headers }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve(Object.assign(res, { body })));
      })
      .on('error', reject);
  });
}

function openSocket(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/bridge`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

const cookie = () => `fleetdeck_token=${server.token}`;
const origin = () => `http://127.0.0.1:${server.port}`;

describe('browser-mode server', () => {
  it('binds 127.0.0.1 only', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
  });

  it('trades the launch token for an HttpOnly cookie, then serves the page with a CSP', async () => {
    const launch = await get(`/?token=${server.token}`);
    expect(launch.statusCode).toBe(303);
    expect(launch.headers.location).toBe('/');
    expect(launch.headers['set-cookie']?.[0]).toMatch(/^fleetdeck_token=.+; HttpOnly; SameSite=Strict/);
    const page = await get('/', { cookie: cookie() });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>fleetdeck</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('refuses requests with a missing or wrong token, or a foreign Origin', async () => {
    expect((await get('/')).statusCode).toBe(401);
    expect((await get('/?token=wrong')).statusCode).toBe(401);
    expect((await get('/', { cookie: 'fleetdeck_token=wrong' })).statusCode).toBe(401);
    expect((await get('/', { cookie: cookie(), origin: 'http://evil.example' })).statusCode).toBe(403);
  });

  it('does not serve files outside the renderer folder', async () => {
    const res = await get('/..%2f..%2f..%2fetc%2fpasswd', { cookie: cookie() });
    expect(res.body).not.toContain('root:');
  });

  it('refuses sockets without the token, with a wrong one, or from another Origin', async () => {
    await expect(openSocket({ origin: origin() })).rejects.toThrow('HTTP 401');
    await expect(openSocket({ origin: origin(), cookie: 'fleetdeck_token=wrong' })).rejects.toThrow('HTTP 401');
    await expect(openSocket({ origin: 'http://evil.example', cookie: cookie() })).rejects.toThrow('HTTP 403');
    await expect(openSocket({ cookie: cookie() })).rejects.toThrow('HTTP 403');
  });

  it('serves calls and streams to an authorised socket, and closes on malformed messages', async () => {
    const ws = await openSocket({ origin: origin(), cookie: cookie() });
    const messages: unknown[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
    ws.send(JSON.stringify({ t: 'call', id: 1, name: 'appInfo', request: {} }));
    ws.send(JSON.stringify({ t: 'subscribe', id: 2, name: 'fleetChanges', params: {} }));
    await expect.poll(() => messages.length).toBe(2);
    expect(messages).toContainEqual({ t: 'result', id: 1, value: { name: 'appInfo', request: {} } });
    expect(messages).toContainEqual({ t: 'event', id: 2, event: { hello: 1 } });
    const closed = new Promise<number>((resolve) => ws.once('close', resolve));
    ws.send('{"t":"bogus"}');
    expect(await closed).toBe(1008);
  });
});
