// A failed answer's kind and words, from its status and distribution's or OAuth2's error body.
import { describe, expect, it } from 'vitest';
import { answerError, readJson } from './answers';
import type { HttpAnswer } from './httpSend';
import { z } from 'zod';

const answer = (status: number, body: unknown): HttpAnswer => ({
  status,
  headers: {},
  body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  url: new URL('https://r.example/v2/'),
});

describe('answerError', () => {
  it.each([
    [404, 'no body', 'not-found', 'x: HTTP 404'],
    [404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }, 'not-found', 'x: HTTP 404: MANIFEST_UNKNOWN manifest unknown'],
    [400, { errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }] }, 'not-found', 'x: HTTP 400: NAME_UNKNOWN repository name not known to registry'],
    [401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, 'auth', 'x: HTTP 401: UNAUTHORIZED authentication required'],
    [403, '', 'auth', 'x: HTTP 403'],
    [400, { error: 'invalid_grant', error_description: 'unknown or revoked refresh token' }, 'auth', 'x: HTTP 400: invalid_grant unknown or revoked refresh token'],
    [400, { error: 'invalid_scope' }, 'protocol', 'x: HTTP 400: invalid_scope'],
    [502, '<html>Bad Gateway</html>', 'unreachable', 'x: HTTP 502'],
    [500, { errors: [{ code: 'UNKNOWN', message: 'm'.repeat(500) }] }, 'protocol', `x: HTTP 500: UNKNOWN ${'m'.repeat(190)}`],
  ])('HTTP %i %j: %s', (status, body, kind, message) => {
    const error = answerError(answer(status, body), 'x');
    expect([error.kind, error.message]).toEqual([kind, message]);
  });
});

describe('readJson', () => {
  it('reads the expected shape, and calls anything else a protocol error', () => {
    const Shape = z.object({ a: z.number() });
    expect(readJson(answer(200, { a: 1 }), Shape, 'x')).toEqual({ a: 1 });
    expect(() => readJson(answer(200, { a: 'one' }), Shape, 'x')).toThrow(expect.objectContaining({ kind: 'protocol' }));
    expect(() => readJson(answer(200, '<html>'), Shape, 'x')).toThrow(/not the JSON a registry sends/);
  });
});
