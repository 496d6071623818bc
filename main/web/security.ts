// Who may talk to the browser-mode server: only pages we served, from our own origin, holding the
// per-launch token. Guards against other local users' pages and DNS rebinding (cf. Lens CVE-2021-44458).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TOKEN_PARAM } from '../../shared/wire';

export const TOKEN_COOKIE = 'fleetdeck_token';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export type Verdict = { ok: true; viaQuery: boolean } | { ok: false; status: 401 | 403 | 421; reason: string };

export class AccessPolicy {
  constructor(
    readonly token: string,
    private readonly port: () => number,
  ) {}

  origins(): string[] {
    const port = this.port();
    return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
  }

  /** `requireOrigin`: WebSocket upgrades must carry our Origin; plain page loads may carry none. */
  check(req: IncomingMessage, requireOrigin: boolean): Verdict {
    const port = this.port();
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      return { ok: false, status: 421, reason: `unexpected Host "${host}"` };
    }
    const origin = req.headers.origin;
    if (origin === undefined ? requireOrigin : !this.origins().includes(origin)) {
      return { ok: false, status: 403, reason: `origin ${origin ?? '(none)'} is not allowed` };
    }
    const fromQuery = new URL(req.url ?? '/', 'http://x').searchParams.get(TOKEN_PARAM);
    if (fromQuery !== null) {
      return sameSecret(fromQuery, this.token) ? { ok: true, viaQuery: true } : { ok: false, status: 401, reason: 'wrong token' };
    }
    const fromCookie = cookieValue(req.headers.cookie, TOKEN_COOKIE);
    if (fromCookie !== undefined && sameSecret(fromCookie, this.token)) return { ok: true, viaQuery: false };
    return { ok: false, status: 401, reason: fromCookie === undefined ? 'missing token' : 'wrong token' };
  }
}
