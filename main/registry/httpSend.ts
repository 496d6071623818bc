// One HTTP exchange with a registry or its token service: TLS verified against the system roots
// plus the fleet file's CA, plain HTTP only where allowed, one deadline for the whole exchange
// (connect, TLS, headers and body), a bounded body, redirects followed without leaking the
// Authorization header to another origin, and every failure as a RegistryError of its kind.
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { Clock } from '../clock/clock';
import { classifyError } from '../engine/problems';
import type { HostProblemReason } from '../../shared/model';
import { RegistryError } from './types';
import type { RegistryErrorKind } from '../../shared/registry';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** Where the answer came from, after redirects: relative links resolve against it. */
  url: URL;
}

export interface HttpExchange {
  method: 'GET' | 'HEAD' | 'POST';
  /** Lowercase names (authorization is dropped on a redirect to another origin). */
  headers?: Record<string, string>;
  body?: string;
}

export interface HttpSenderOptions {
  ca?: Buffer;
  /** Plain http:// URLs may be used (the fleet file's insecure: true). */
  allowPlainHttp: boolean;
  timeoutMs: number;
  clock: Clock;
}

/**
 * Distribution refuses manifests over 4 MiB; config blobs and catalog pages are far smaller (the
 * lab's configs are ~1.5 KiB, a 100-repository catalog page ~3 KiB). 16 MiB leaves room and still
 * stops a registry streaming garbage from filling memory.
 */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Docker's registry client follows up to 10; blob downloads redirect once (to storage or a CDN). */
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

const KIND_BY_REASON: Partial<Record<HostProblemReason, RegistryErrorKind>> = {
  tls: 'tls',
  timeout: 'timeout',
  refused: 'unreachable',
  unreachable: 'unreachable',
  closed: 'unreachable',
};

/** What to call a URL in a message: origin and path, never a query (token requests carry account names) or userinfo. */
export function describeUrl(url: URL): string {
  return url.origin + url.pathname;
}

/** A network failure as a RegistryError: Node's and OpenSSL's codes read as the engine reads them. */
export function networkError(err: unknown, url: URL): RegistryError {
  if (err instanceof RegistryError) return err;
  const problem = classifyError(err);
  return new RegistryError(`${describeUrl(url)}: ${problem.message}`, KIND_BY_REASON[problem.reason] ?? 'protocol');
}

/** A reused keep-alive socket was reset before any answer. */
class StaleSocket extends Error {
  readonly code = 'ECONNRESET';
  constructor() {
    super('the connection was reset (a kept-alive connection the registry had closed)');
  }
}

export class HttpSender {
  private readonly httpsAgent: https.Agent;
  private readonly httpAgent: http.Agent;

  constructor(private readonly options: HttpSenderOptions) {
    // Docker adds a registry's CA (certs.d) to the system pool: do the same, so a token service
    // on a public CA and a registry on the fleet's own CA both verify. Built once, not per socket.
    const secureContext = options.ca ? tls.createSecureContext({ ca: [...tls.rootCertificates, options.ca.toString('utf8')] }) : undefined;
    // keepAlive: a tag's details take 3-4 requests, and a page of tags many more, on one registry.
    this.httpsAgent = new https.Agent({ keepAlive: true, ...(secureContext && { secureContext }) });
    this.httpAgent = new http.Agent({ keepAlive: true });
  }

  /** Sends one request, following redirects for GET and HEAD. */
  async send(url: URL, exchange: HttpExchange): Promise<HttpAnswer> {
    let current = url;
    let headers = exchange.headers ?? {};
    for (let hop = 0; ; hop++) {
      const answer = await this.retryingStale(current, { ...exchange, headers });
      const location = answer.headers.location;
      if (!REDIRECT_STATUSES.has(answer.status) || !location || exchange.method === 'POST') return answer;
      if (hop >= MAX_REDIRECTS) throw new RegistryError(`${describeUrl(url)}: more than ${MAX_REDIRECTS} redirects`, 'protocol');
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        throw new RegistryError(`${describeUrl(current)}: redirect to a bad URL`, 'protocol');
      }
      if (next.origin !== current.origin) {
        const { authorization: _dropped, ...rest } = headers;
        headers = rest;
      }
      current = next;
    }
  }

  close(): void {
    this.httpsAgent.destroy();
    this.httpAgent.destroy();
  }

  /**
   * A kept-alive connection the registry closed just as we reused it resets at once: that request
   * never reached the registry, so GET and HEAD go again, once, on a new connection.
   */
  private async retryingStale(url: URL, exchange: HttpExchange): Promise<HttpAnswer> {
    try {
      return await this.once(url, exchange);
    } catch (err) {
      if (!(err instanceof StaleSocket)) throw err;
      if (exchange.method === 'POST') throw networkError(err, url);
      return this.once(url, exchange).catch((again: unknown) => {
        throw networkError(again, url);
      });
    }
  }

  private once(url: URL, exchange: HttpExchange): Promise<HttpAnswer> {
    const { clock, timeoutMs } = this.options;
    const plain = url.protocol === 'http:';
    if (plain && !this.options.allowPlainHttp) {
      return Promise.reject(new RegistryError(`${describeUrl(url)}: plain HTTP, which the fleet file allows only with insecure: true`, 'tls'));
    }
    if (!plain && url.protocol !== 'https:') return Promise.reject(new RegistryError(`${describeUrl(url)}: not an http(s) URL`, 'protocol'));

    return new Promise<HttpAnswer>((resolve, reject) => {
      const body = exchange.body === undefined ? undefined : Buffer.from(exchange.body);
      const request = (plain ? http : https).request(url, {
        method: exchange.method,
        agent: plain ? this.httpAgent : this.httpsAgent,
        headers: { ...exchange.headers, ...(body && { 'content-length': String(body.length) }) },
      });
      const timer = clock.setTimeout(() => abort(new RegistryError(`${exchange.method} ${describeUrl(url)} timed out after ${timeoutMs} ms`, 'timeout')), timeoutMs);
      let settled = false;
      const settle = (outcome: { answer: HttpAnswer } | { error: unknown }): void => {
        if (settled) return;
        settled = true;
        clock.clearTimeout(timer);
        if ('answer' in outcome) resolve(outcome.answer);
        else reject(networkError(outcome.error, url));
      };
      const abort = (error: RegistryError): void => {
        settle({ error });
        request.destroy();
      };
      request.on('error', (error) => {
        if (request.reusedSocket && (error as NodeJS.ErrnoException).code === 'ECONNRESET' && !settled) {
          settled = true;
          clock.clearTimeout(timer);
          reject(new StaleSocket());
        } else settle({ error });
      });
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) abort(new RegistryError(`${describeUrl(url)}: answer larger than ${MAX_BODY_BYTES} bytes`, 'protocol'));
          else chunks.push(chunk);
        });
        response.on('error', (error) => settle({ error }));
        response.on('end', () => settle({ answer: { status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks), url } }));
      });
      request.end(body);
    });
  }
}
