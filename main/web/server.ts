// Browser mode: serves the built renderer and the contract over a WebSocket on 127.0.0.1.
import { createReadStream, existsSync, statSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { BRIDGE_PATH, TOKEN_PARAM } from '../../shared/wire';
import { createBridgeSession } from '../bridge/bridgeSession';
import type { Dispatcher } from '../core/dispatch';
import { AccessPolicy, newToken, TOKEN_COOKIE } from './security';

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** A client message can never be bigger than this; terminal input is small. */
const MAX_MESSAGE_BYTES = 1 << 20;

export interface WebServerOptions {
  dispatcher: Dispatcher;
  staticDir: string;
  port?: number;
  token?: string;
  log?: (message: string) => void;
}

export interface WebServer {
  url: string;
  /** The URL with the token, to open in a browser. */
  launchUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const { dispatcher, staticDir, log = () => {} } = options;
  const token = options.token ?? newToken();
  let port = 0;
  const policy = new AccessPolicy(token, () => port);

  const server = http.createServer((req, res) => {
    const verdict = policy.check(req, false);
    if (!verdict.ok) {
      log(`refused ${req.method} ${req.url?.split('?')[0]}: ${verdict.reason}`);
      res.writeHead(verdict.status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${verdict.reason}\n`);
      return;
    }
    const url = new URL(req.url ?? '/', 'http://x');
    if (verdict.viaQuery) {
      // Trade the token in the URL for a cookie, so it does not linger in history or get copied.
      url.searchParams.delete(TOKEN_PARAM);
      res.writeHead(303, {
        location: url.pathname + url.search,
        'set-cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        'cache-control': 'no-store',
      });
      res.end();
      return;
    }
    serveStatic(staticDir, url.pathname, res);
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    socket.on('error', () => socket.destroy());
    const verdict = policy.check(req, true);
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (!verdict.ok || pathname !== BRIDGE_PATH) {
      const status = verdict.ok ? 404 : verdict.status;
      log(`refused WebSocket ${pathname}: ${verdict.ok ? 'no such path' : verdict.reason}`);
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => serveBridge(ws, dispatcher, log));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    launchUrl: `${url}?${TOKEN_PARAM}=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function serveStatic(root: string, pathname: string, res: ServerResponse): void {
  let relative: string;
  try {
    relative = decodeURIComponent(pathname);
  } catch {
    res.writeHead(400).end();
    return;
  }
  let file = path.join(root, path.normalize(relative));
  if (!file.startsWith(path.resolve(root) + path.sep) && file !== path.resolve(root)) {
    res.writeHead(403).end();
    return;
  }
  if (!existsSync(file) || statSync(file).isDirectory()) file = path.join(root, 'index.html');
  if (!existsSync(file)) {
    res.writeHead(503, { 'content-type': 'text/plain' }).end('renderer not built: run npm run build\n');
    return;
  }
  const isIndex = file.endsWith('index.html');
  res.writeHead(200, {
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cache-control': isIndex ? 'no-store' : 'max-age=3600',
  });
  createReadStream(file).pipe(res);
}

/** The WebSocket transport for the bridge: one session per socket, JSON text frames both ways. */
function serveBridge(ws: WebSocket, dispatcher: Dispatcher, log: (m: string) => void): void {
  const session = createBridgeSession(dispatcher, (message) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  });
  ws.on('error', (err) => log(`bridge socket error: ${err.message}`));
  ws.on('close', () => session.close());
  const receiveText = (text: string): string | undefined => {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch (err) {
      return (err as Error).message;
    }
    return session.receive(message);
  };
  ws.on('message', (data, isBinary) => {
    const refused = isBinary ? 'binary frames are not part of the bridge' : receiveText(data.toString());
    if (refused) {
      log(`bridge: dropping a malformed message: ${refused.slice(0, 200)}`);
      ws.close(1008, 'malformed message');
    }
  });
}
