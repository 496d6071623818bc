import { describe, expect, it } from 'vitest';
import { registryAuthHeader } from './registryAuth';

/** What moby's DecodeAuthConfig does: base64url (RFC 4648 §5, padded), then JSON. */
function decode(header: string): unknown {
  expect(header).toMatch(/^[A-Za-z0-9_-]*={0,2}$/);
  expect(header.length % 4).toBe(0);
  return JSON.parse(Buffer.from(header.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'));
}

describe('X-Registry-Auth', () => {
  it('carries username, password and serveraddress', () => {
    const header = registryAuthHeader({ username: 'sre', password: 'p@ss/wörd' }, '198.18.0.1:5000');
    expect(decode(header)).toEqual({ username: 'sre', password: 'p@ss/wörd', serveraddress: '198.18.0.1:5000' });
  });

  it('is base64url, not base64, and keeps the padding Go’s base64.URLEncoding expects', () => {
    // "??>" encodes to "Pz8-" in base64url and "Pz8+" in base64; this password puts such bytes in the JSON.
    const header = registryAuthHeader({ username: 'u', password: '??>??>~~~' }, 'r:5000');
    expect(header).not.toMatch(/[+/]/);
    expect(header).toMatch(/[-_]/);
    expect(decode(header)).toEqual({ username: 'u', password: '??>??>~~~', serveraddress: 'r:5000' });
    // 52 bytes of JSON: one byte past a multiple of 3, so two padding characters.
    const json = '{"username":"a","password":"b","serveraddress":"hh"}';
    expect(registryAuthHeader({ username: 'a', password: 'b' }, 'hh')).toBe(`${Buffer.from(json).toString('base64url')}==`);
  });

  it('sends an identity token as identitytoken, with the username when known', () => {
    expect(decode(registryAuthHeader({ identityToken: 'tok' }, 'r:5000'))).toEqual({ identitytoken: 'tok', serveraddress: 'r:5000' });
    expect(decode(registryAuthHeader({ identityToken: 'tok', username: 'sre' }, 'r:5000'))).toEqual({ username: 'sre', identitytoken: 'tok', serveraddress: 'r:5000' });
  });

  it('without credentials is an anonymous AuthConfig', () => {
    expect(decode(registryAuthHeader(undefined, 'r:5000'))).toEqual({ serveraddress: 'r:5000' });
  });
});
