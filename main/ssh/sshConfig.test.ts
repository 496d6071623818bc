import { describe, expect, it } from 'vitest';
import { hostPatternsMatch } from './hostPatterns';
import { parseSshConfig, resolveSshConfig } from './sshConfig';

const context = { home: '/home/sre', localUser: 'sre' };
const lookup = (text: string, alias: string) => resolveSshConfig(parseSshConfig(text), alias, context);

describe('ssh config patterns', () => {
  it('globs with * and ?, case-insensitively', () => {
    expect(hostPatternsMatch(['*.lab'], 'h1.LAB')).toBe(true);
    expect(hostPatternsMatch(['h?'], 'h1')).toBe(true);
    expect(hostPatternsMatch(['h?'], 'h10')).toBe(false);
    expect(hostPatternsMatch(['198.18.0.*'], '198.18.0.13')).toBe(true);
    expect(hostPatternsMatch(['198.18.0.*'], '198.18.011')).toBe(false); // the dot is literal
  });

  it('matches any of several patterns, and a matching negation excludes', () => {
    expect(hostPatternsMatch(['db*', 'h*'], 'h3')).toBe(true);
    expect(hostPatternsMatch(['h*', '!h2'], 'h2')).toBe(false);
    expect(hostPatternsMatch(['!h2', 'h*'], 'h2')).toBe(false);
    expect(hostPatternsMatch(['h*', '!h2'], 'h1')).toBe(true);
    expect(hostPatternsMatch(['!h2'], 'h1')).toBe(false); // negation alone never matches
  });
});

describe('ssh config', () => {
  const config = `
# fleet hosts
Host h1 h2
  HostName 198.18.0.1%h
  User ops
  IdentityFile ~/.ssh/lab_ed25519

Host h*  !h3
    Port 2222
    User ignored-already-set
    IdentityFile=~/.ssh/fallback

Match host h1 exec "true"
  User from-match

Host *
  user everyone
  Port=22
  IdentityFile "%d/.ssh/id for %r@%h"
`;

  it('takes the first value obtained for each option, in file order', () => {
    expect(lookup(config, 'h1')).toEqual({
      hostName: '198.18.0.1h1',
      user: 'ops',
      port: 2222,
      identityFiles: ['/home/sre/.ssh/lab_ed25519', '/home/sre/.ssh/fallback', '/home/sre/.ssh/id for ops@198.18.0.1h1'],
    });
  });

  it('skips blocks whose negation matches, and Match blocks', () => {
    expect(lookup(config, 'h3')).toEqual({ user: 'everyone', port: 22, identityFiles: ['/home/sre/.ssh/id for everyone@h3'] });
  });

  it('applies options before the first Host to every host', () => {
    expect(lookup('User early\nHost x\n  User late\n', 'x')).toEqual({ user: 'early', identityFiles: [] });
  });

  it('ignores comments, blank lines, bad ports and options without a value', () => {
    expect(lookup('Host a # trailing comment\n\n  Port 99999\n  Port 2200\n  User\n  HostName real.example # why\n', 'a')).toEqual({
      hostName: 'real.example',
      port: 2200,
      identityFiles: [],
    });
  });

  it('has nothing for a host no block matches, or an empty file', () => {
    expect(lookup(config.replace('Host *', 'Host nothing'), 'zz')).toEqual({ identityFiles: [] });
    expect(lookup('', 'zz')).toEqual({ identityFiles: [] });
  });

  it('keys are case-insensitive and "=" may separate them from values', () => {
    expect(lookup('HOST=a\nHOSTNAME = b.example\nuSeR=c\n', 'a')).toMatchObject({ hostName: 'b.example', user: 'c' });
  });

  it('expands %% and keeps unknown tokens', () => {
    expect(lookup('Host a\n  IdentityFile ~/k%%1%x\n', 'a').identityFiles).toEqual(['/home/sre/k%1%x']);
  });
});
