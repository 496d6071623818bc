// A GET to the Engine API without docker-modem, for the calls made thousands of times a minute
// across a fleet: heartbeats and stats. docker-modem runs util.inspect over every request's
// options and parses its URL twice; at 1,000 hosts that was a third of main's allocations.
import http from 'node:http';
import https from 'node:https';
import type { RequestTarget } from './transports';

/** A non-2xx answer; `statusCode` is what classifyError reads, as with docker-modem's errors. */
export class EngineStatusError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(`(HTTP code ${statusCode}) ${message}`);
  }
}

/** GET `path` through `agent`: JSON answers parsed, others as text. */
export function engineGet<T>(target: RequestTarget, agent: http.Agent, path: string, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      fn();
    };
    const fail = (err: Error) => settle(() => reject(err));
    // Node reports an abort only once the request has a socket; one still waiting for an SSH
    // channel would never settle.
    const onAbort = () => fail(toError(signal.reason));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    const request = (target.secure ? https : http).request({ ...target.options, agent, path, method: 'GET', signal, headers: { accept: 'application/json' } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', fail);
      response.on('close', () => {
        if (!response.complete) fail(signal.aborted ? toError(signal.reason) : new Error(`GET ${path}: connection closed mid-answer`));
      });
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = response.statusCode ?? 0;
        if (status < 200 || status > 299) return fail(new EngineStatusError(status, messageOf(text)));
        if (!/json/i.test(response.headers['content-type'] ?? '')) return settle(() => resolve(text as T));
        try {
          const value = JSON.parse(text) as T;
          settle(() => resolve(value));
        } catch {
          fail(new Error(`GET ${path}: malformed JSON from the daemon`));
        }
      });
    });
    request.on('error', fail);
    request.end();
  });
}

/** The daemon's {"message": "..."} error body, or the text itself. */
function messageOf(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === 'string') return body.message;
  } catch {
    // not JSON
  }
  return text.trim().slice(0, 200) || 'no message';
}

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason ?? 'aborted'));
}
