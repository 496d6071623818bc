import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineGet, EngineStatusError } from './engineGet';
import type { RequestTarget } from './transports';

describe('engineGet', () => {
  let server: http.Server;
  let target: RequestTarget;
  const agent = new http.Agent({ keepAlive: true });

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/version') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"Version":"27.5.1"}');
      if (req.url === '/_ping') return res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
      if (req.url === '/bad-json') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"Vers');
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"No such container: abc"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    target = { secure: false, options: { host: '127.0.0.1', port: (server.address() as AddressInfo).port } };
  });
  afterAll(() => {
    agent.destroy();
    server.close();
  });

  const get = (path: string, signal = new AbortController().signal) => engineGet(target, agent, path, signal);

  it('parses JSON answers and returns text ones as text', async () => {
    expect(await get('/version')).toEqual({ Version: '27.5.1' });
    expect(await get('/_ping')).toBe('OK');
  });

  it("rejects a non-2xx answer with its status code and the daemon's message", async () => {
    const err = await get('/containers/abc/json').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineStatusError);
    expect(err).toMatchObject({ statusCode: 404, message: '(HTTP code 404) No such container: abc' });
  });

  it('rejects malformed JSON', async () => {
    await expect(get('/bad-json')).rejects.toThrow('GET /bad-json: malformed JSON from the daemon');
  });

  it('rejects on abort even while the request still waits for a socket', async () => {
    // An agent that never hands out a socket: an SSH channel pool with no free channel.
    const stuck = new http.Agent();
    stuck.createConnection = () => undefined as never;
    const abort = new AbortController();
    const pending = engineGet(target, stuck, '/version', abort.signal);
    abort.abort(new Error('stats of c1 took longer than 5000 ms'));
    await expect(pending).rejects.toThrow('stats of c1 took longer than 5000 ms');
  });
});
