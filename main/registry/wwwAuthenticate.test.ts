// WWW-Authenticate: the details registry clients get wrong (quoted commas in a scope, several
// challenges in one header, a missing service), and headers as registries actually send them.
import { describe, expect, it } from 'vitest';
import { findChallenge, parseWwwAuthenticate } from './wwwAuthenticate';

describe('parseWwwAuthenticate', () => {
  it("reads distribution's Bearer challenge, keeping the commas inside the quoted scope", () => {
    expect(
      parseWwwAuthenticate('Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:samalba/my-app:pull,push"'),
    ).toEqual([
      {
        scheme: 'bearer',
        params: { realm: 'https://auth.example.com/token', service: 'registry.example.com', scope: 'repository:samalba/my-app:pull,push' },
      },
    ]);
  });

  it('reads several challenges in one header, with spaces after the commas', () => {
    expect(parseWwwAuthenticate('Basic realm="Registry Realm", Bearer realm="https://t.example/token", service="reg", scope="a:b:pull,push"')).toEqual([
      { scheme: 'basic', params: { realm: 'Registry Realm' } },
      { scheme: 'bearer', params: { realm: 'https://t.example/token', service: 'reg', scope: 'a:b:pull,push' } },
    ]);
  });

  it('reads a challenge without service (some registries leave it out)', () => {
    const [bearer] = parseWwwAuthenticate('Bearer realm="https://ghcr.example/token",scope="repository:user/image:pull"');
    expect(bearer).toEqual({ scheme: 'bearer', params: { realm: 'https://ghcr.example/token', scope: 'repository:user/image:pull' } });
    expect(bearer?.params.service).toBeUndefined();
  });

  it('unescapes quoted pairs: escaped quotes and backslashes', () => {
    expect(parseWwwAuthenticate('Basic realm="say \\"hi\\", \\\\ok"')).toEqual([{ scheme: 'basic', params: { realm: 'say "hi", \\ok' } }]);
  });

  it('takes schemes and parameter names case-insensitively, values as sent', () => {
    expect(parseWwwAuthenticate('BEARER Realm="https://T.example/Token",SERVICE=Reg')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://T.example/Token', service: 'Reg' } },
    ]);
  });

  it('reads unquoted token values and spaces around "="', () => {
    expect(parseWwwAuthenticate('Bearer realm = "https://t/x" , service = reg.example:5000')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://t/x', service: 'reg.example:5000' } },
    ]);
    expect(parseWwwAuthenticate('Bearer realm=https://t.example/token,service=reg')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://t.example/token', service: 'reg' } },
    ]);
  });

  it('reads a scheme alone, and a token68 with padding, before other challenges', () => {
    expect(parseWwwAuthenticate('Negotiate, NTLM abc/D+e==, Basic realm=x')).toEqual([
      { scheme: 'negotiate', params: {} },
      { scheme: 'ntlm', params: {}, token68: 'abc/D+e==' },
      { scheme: 'basic', params: { realm: 'x' } },
    ]);
  });

  it('takes several header lines, and empty list elements', () => {
    expect(parseWwwAuthenticate(['Basic realm="a"', ', ,Bearer realm="b",,service="s"'])).toEqual([
      { scheme: 'basic', params: { realm: 'a' } },
      { scheme: 'bearer', params: { realm: 'b', service: 's' } },
    ]);
  });

  it('keeps the first of a repeated parameter', () => {
    expect(parseWwwAuthenticate('Bearer realm="first",realm="second"')[0]?.params.realm).toBe('first');
  });

  it('survives garbage: no header, empty, stray quotes and an unterminated string', () => {
    expect(parseWwwAuthenticate(undefined)).toEqual([]);
    expect(parseWwwAuthenticate('')).toEqual([]);
    expect(parseWwwAuthenticate('"junk, with comma", Basic realm="r"')).toEqual([{ scheme: 'basic', params: { realm: 'r' } }]);
    expect(parseWwwAuthenticate('Bearer realm="https://t/x", scope="never ends')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://t/x', scope: 'never ends' } },
    ]);
    expect(parseWwwAuthenticate('Bearer realm="a" junk, service="s"')).toEqual([{ scheme: 'bearer', params: { realm: 'a', service: 's' } }]);
  });
});

describe('findChallenge', () => {
  it('finds a scheme in any case', () => {
    const challenges = parseWwwAuthenticate('Basic realm="a", Bearer realm="b"');
    expect(findChallenge(challenges, 'Bearer')?.params.realm).toBe('b');
    expect(findChallenge(challenges, 'digest')).toBeUndefined();
  });
});
