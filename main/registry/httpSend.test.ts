// One exchange's edges: a kept-alive connection reset as it is reused (GET goes again, POST does
// not), a reset on a fresh connection, and redirects that never end.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../clock/clock';
import { json, makeCertificate, startServer, type Certificate, type LoopbackServer } from './fixtures/loopbackRegistry';
import { HttpSender } from './httpSend';

let cert: Certificate;
let server: LoopbackServer;
let sender: HttpSender;

beforeAll(() => {
  cert = makeCertificate();
});
beforeEach(async () => {
  server = await startServer(cert);
  sender = new HttpSender({ ca: cert.cert, allowPlainHttp: false, timeoutMs: 10_000, clock: systemClock });
});
afterEach(async () => {
  sender.close();
  await server.close();
});

/** Answers the first request, resets the connection on the second, answers from then on. */
function resetSecond(): void {
  server.handle = (_r, response) => (server.requests.length === 2 ? response.socket?.destroy() : json(response, 200, { n: server.requests.length }));
}

describe('HttpSender', () => {
  it('sends a GET again on a new connection when a kept-alive one is reset as it is reused', async () => {
    resetSecond();
    const url = new URL(`${server.url}/v2/`);
    expect((await sender.send(url, { method: 'GET' })).status).toBe(200);
    const again = await sender.send(url, { method: 'GET' });
    expect([again.status, again.body.toString()]).toEqual([200, '{"n":3}']);
  });

  it('does not send a POST again: it fails as unreachable', async () => {
    resetSecond();
    const url = new URL(`${server.url}/token`);
    await sender.send(url, { method: 'POST', body: 'a=b' });
    await expect(sender.send(url, { method: 'POST', body: 'a=b' })).rejects.toMatchObject({ kind: 'unreachable' });
    expect(server.requests).toHaveLength(2);
  });

  it('does not send again after a reset on a fresh connection', async () => {
    server.handle = (_r, response) => response.socket?.destroy();
    await expect(sender.send(new URL(`${server.url}/v2/`), { method: 'GET' })).rejects.toMatchObject({ kind: 'unreachable' });
    expect(server.requests).toHaveLength(1);
  });

  it('gives up on redirects that never end', async () => {
    server.handle = (r, response) => response.writeHead(302, { location: `${r.url}x` }).end();
    await expect(sender.send(new URL(`${server.url}/v2/`), { method: 'GET' })).rejects.toMatchObject({ kind: 'protocol', message: expect.stringContaining('more than 5 redirects') });
    expect(server.requests).toHaveLength(6);
  });
});
