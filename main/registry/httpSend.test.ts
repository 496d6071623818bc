// One exchange's edges: a kept-alive connection reset as it is reused (GET goes again, POST does
// not), a reset on a fresh connection, and redirects that never end.
import { describe, expect, it } from 'vitest';
import { json, loopbackWithSender } from './fixtures/loopbackRegistry';

const loopback = loopbackWithSender();

/** Answers the first request, resets the connection on the second, answers from then on. */
function resetSecond(): void {
  loopback.server.handle = (_r, response) => (loopback.server.requests.length === 2 ? response.socket?.destroy() : json(response, 200, { n: loopback.server.requests.length }));
}

describe('HttpSender', () => {
  it('sends a GET again on a new connection when a kept-alive one is reset as it is reused', async () => {
    resetSecond();
    const url = new URL(`${loopback.server.url}/v2/`);
    expect((await loopback.sender.send(url, { method: 'GET' })).status).toBe(200);
    const again = await loopback.sender.send(url, { method: 'GET' });
    expect([again.status, again.body.toString()]).toEqual([200, '{"n":3}']);
  });

  it('does not send a POST again: it fails as unreachable', async () => {
    resetSecond();
    const url = new URL(`${loopback.server.url}/token`);
    await loopback.sender.send(url, { method: 'POST', body: 'a=b' });
    await expect(loopback.sender.send(url, { method: 'POST', body: 'a=b' })).rejects.toMatchObject({ kind: 'unreachable' });
    expect(loopback.server.requests).toHaveLength(2);
  });

  it('does not send again after a reset on a fresh connection', async () => {
    loopback.server.handle = (_r, response) => response.socket?.destroy();
    await expect(loopback.sender.send(new URL(`${loopback.server.url}/v2/`), { method: 'GET' })).rejects.toMatchObject({ kind: 'unreachable' });
    expect(loopback.server.requests).toHaveLength(1);
  });

  it('gives up on redirects that never end', async () => {
    loopback.server.handle = (r, response) => response.writeHead(302, { location: `${r.url}x` }).end();
    await expect(loopback.sender.send(new URL(`${loopback.server.url}/v2/`), { method: 'GET' })).rejects.toMatchObject({ kind: 'protocol', message: expect.stringContaining('more than 5 redirects') });
    expect(loopback.server.requests).toHaveLength(6);
  });
});
