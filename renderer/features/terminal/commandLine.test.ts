import { describe, expect, it } from 'vitest';
import { checkUser, splitCommand } from './commandLine';

describe('splitCommand', () => {
  it('splits on runs of whitespace', () => {
    expect(splitCommand('  /bin/sh  -l ')).toEqual({ ok: true, argv: ['/bin/sh', '-l'] });
    expect(splitCommand('')).toEqual({ ok: true, argv: [] });
  });
  it('keeps quoted words together', () => {
    expect(splitCommand(`sh -c "ls -l /tmp" 'a b'`)).toEqual({ ok: true, argv: ['sh', '-c', 'ls -l /tmp', 'a b'] });
    expect(splitCommand(`sh -c 'echo "hi"'`)).toEqual({ ok: true, argv: ['sh', '-c', 'echo "hi"'] });
    expect(splitCommand(`a"b c"d`)).toEqual({ ok: true, argv: ['ab cd'] });
  });
  it('honours backslash escapes', () => {
    expect(splitCommand('echo a\\ b')).toEqual({ ok: true, argv: ['echo', 'a b'] });
    expect(splitCommand('echo "a\\"b"')).toEqual({ ok: true, argv: ['echo', 'a"b'] });
  });
  it('rejects unclosed quotes and empty arguments', () => {
    expect(splitCommand('sh -c "ls')).toEqual({ ok: false, error: 'unclosed double quote' });
    expect(splitCommand("sh -c 'ls")).toEqual({ ok: false, error: 'unclosed single quote' });
    expect(splitCommand('echo ""')).toMatchObject({ ok: false });
  });
});

describe('checkUser', () => {
  it('accepts names, uids and groups; empty means the image default', () => {
    for (const u of ['', 'root', '1000', '1000:1000', 'www-data:www-data', 'svc.user']) expect(checkUser(u)).toBeUndefined();
  });
  it('rejects anything docker exec --user would not take', () => {
    for (const u of ['root;id', 'a b', ':1000', 'a:', 'a:b:c']) expect(checkUser(u)).toBeDefined();
  });
});
