// Token requests as the token spec words them (one scope parameter per scope, service only when
// the challenge has one), and the cache keyed by scope set.
import { describe, expect, it } from 'vitest';
import { json, loopbackWithSender } from './fixtures/loopbackRegistry';
import { basicAuthorization, requestToken, TokenCache } from './tokenAuth';

const loopback = loopbackWithSender();

describe('requestToken', () => {
  it('repeats scope for several repositories, with service, account and basic credentials', async () => {
    loopback.server.handle = (_r, response) => json(response, 200, { token: 'T', expires_in: 300 });
    const token = await requestToken(loopback.sender, { realm: `${loopback.server.url}/token?client=x`, service: 'reg' }, ['repository:a:pull', 'repository:b/c:pull,push'], { username: 'u', password: 'p' }, 1_000);
    expect(token).toEqual({ value: 'T', expiresAt: 1_000 + 300_000 });
    const asked = new URL(loopback.server.requests[0]?.url ?? '', loopback.server.url);
    expect(asked.pathname).toBe('/token');
    expect(asked.searchParams.get('client')).toBe('x'); // the realm's own query is kept
    expect(asked.searchParams.get('service')).toBe('reg');
    expect(asked.searchParams.getAll('scope')).toEqual(['repository:a:pull', 'repository:b/c:pull,push']);
    expect(asked.searchParams.get('account')).toBe('u');
    expect(loopback.server.requests[0]?.headers.authorization).toBe(basicAuthorization('u', 'p'));
  });

  it('asks anonymously without credentials, and defaults expires_in to 60 s (also for 0)', async () => {
    loopback.server.handle = (_r, response) => json(response, 200, { access_token: 'A', expires_in: 0 });
    expect(await requestToken(loopback.sender, { realm: `${loopback.server.url}/token` }, [], undefined, 0)).toEqual({ value: 'A', expiresAt: 60_000 });
    expect(loopback.server.requests[0]?.headers.authorization).toBeUndefined();
    expect(loopback.server.requests[0]?.url).toBe('/token');
  });

  it('joins the scopes with spaces in the OAuth2 form', async () => {
    loopback.server.handle = (_r, response) => json(response, 200, { access_token: 'A' });
    await requestToken(loopback.sender, { realm: `${loopback.server.url}/token` }, ['repository:a:pull', 'repository:b:pull'], { identityToken: 'R' }, 0);
    expect(new URLSearchParams(loopback.server.requests[0]?.body).get('scope')).toBe('repository:a:pull repository:b:pull');
    expect(new URLSearchParams(loopback.server.requests[0]?.body).has('service')).toBe(false);
  });

  it('is a protocol error for a realm that is not a URL', async () => {
    await expect(requestToken(loopback.sender, { realm: 'not a url' }, [], undefined, 0)).rejects.toMatchObject({ kind: 'protocol' });
  });
});

describe('TokenCache', () => {
  it('keys by scope set, whatever the order and repeats, until expiry', () => {
    const cache = new TokenCache();
    cache.set(['b', 'a'], { value: 'T', expiresAt: 100 });
    expect(cache.get(['a', 'b', 'a'], 99)?.value).toBe('T');
    expect(cache.get(['a'], 99)).toBeUndefined();
    expect(cache.get(['a', 'b'], 100)).toBeUndefined();
    cache.set(['a'], { value: 'U', expiresAt: 100 });
    cache.drop(['a']);
    expect(cache.get(['a'], 0)).toBeUndefined();
  });
});
