import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { AccessPolicy, cookieValue } from './security';

const policy = new AccessPolicy('T0K3N', () => 4000);
const req = (url: string, headers: Record<string, string>) => ({ url, headers }) as unknown as IncomingMessage;
const ours = { host: '127.0.0.1:4000' };

describe('AccessPolicy', () => {
  it('accepts the token from the query or the cookie', () => {
    expect(policy.check(req('/?token=T0K3N', ours), false)).toEqual({ ok: true, viaQuery: true });
    expect(policy.check(req('/app.js', { ...ours, cookie: 'a=b; fleetdeck_token=T0K3N' }), false)).toEqual({ ok: true, viaQuery: false });
  });

  it('refuses a missing or wrong token', () => {
    expect(policy.check(req('/', ours), false)).toMatchObject({ ok: false, status: 401, reason: 'missing token' });
    expect(policy.check(req('/?token=nope', ours), false)).toMatchObject({ ok: false, status: 401, reason: 'wrong token' });
    expect(policy.check(req('/', { ...ours, cookie: 'fleetdeck_token=T0K3M' }), false)).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses a foreign Origin even with the right token, and requires one on sockets', () => {
    expect(policy.check(req('/?token=T0K3N', { ...ours, origin: 'http://evil.example' }), false)).toMatchObject({ ok: false, status: 403 });
    expect(policy.check(req('/bridge', { ...ours, cookie: 'fleetdeck_token=T0K3N' }), true)).toMatchObject({ ok: false, status: 403 });
    expect(policy.check(req('/bridge', { ...ours, cookie: 'fleetdeck_token=T0K3N', origin: 'http://127.0.0.1:4000' }), true)).toMatchObject({ ok: true });
    expect(policy.check(req('/bridge', { ...ours, cookie: 'fleetdeck_token=T0K3N', origin: 'http://127.0.0.1:4001' }), true)).toMatchObject({ ok: false, status: 403 });
  });

  it('refuses another Host header (DNS rebinding)', () => {
    expect(policy.check(req('/?token=T0K3N', { host: 'attacker.example:4000' }), false)).toMatchObject({ ok: false, status: 421 });
  });

  it('reads cookies', () => {
    expect(cookieValue('x=1; fleetdeck_token=abc; y=2', 'fleetdeck_token')).toBe('abc');
    expect(cookieValue(undefined, 'fleetdeck_token')).toBeUndefined();
  });
});
