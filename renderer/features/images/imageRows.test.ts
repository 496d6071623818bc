import { describe, expect, it } from 'vitest';
import type { RegistryInfo, TagInfo } from '../../../shared/registry';
import { tagsKey, type ImagesState } from '../../stores/images';
import { EMPTY_USAGE, indexUsage } from '../../stores/imageUsage';
import { hostsText, imageRows, registryKey, repositoryKey, shortDigest, type ImageRowsInput } from './imageRows';

const OK: RegistryInfo = { url: 'https://r:5000', host: 'r:5000', insecure: false, credentials: 'none', status: 'ok' };
const DOWN: RegistryInfo = { url: 'https://down', host: 'down', insecure: false, credentials: 'none', status: 'error', error: { kind: 'tls', message: 'x509: unknown authority' } };
const D = `sha256:${'a'.repeat(64)}`;
const tag: TagInfo = { tag: '1.0', digest: D, mediaType: 'm', labels: {} };

function input(patch: Partial<ImageRowsInput> = {}): ImageRowsInput {
  return { registries: { status: 'ok', value: [OK, DOWN] }, repositories: new Map(), tags: new Map(), expanded: new Map(), usage: EMPTY_USAGE, ...patch };
}
const kinds = (i: ImageRowsInput) => imageRows(i).rows.map((r) => (r.kind === 'message' ? `${r.tone}:${r.text}` : r.kind));

describe('image rows', () => {
  it('stand in for what is loading or failed, and say what to ask for', () => {
    const first = imageRows(input());
    expect(first.rows.map((r) => (r.kind === 'message' ? `${r.tone}:${r.text}` : r.kind))).toEqual(['registry', 'loading:Loading repositories…', 'registry', 'error:x509: unknown authority']);
    expect(first.wantRepositories).toEqual([OK.url]);
    const failed: ImagesState['repositories'] = new Map([[OK.url, { status: 'error', error: 'unauthorized', kind: 'auth' }]]);
    expect(kinds(input({ repositories: failed }))[1]).toBe('error:unauthorized');
  });

  it('opens repositories that the fleet runs and asks their tags; others stay closed until opened', () => {
    const usage = indexUsage([{ host: 'h1', id: 'a', name: 'a', image: 'r:5000/lab/app:1.0', imageId: 'x', repoDigests: [`r:5000/lab/app@${D}`] }]);
    const repositories: ImagesState['repositories'] = new Map([[OK.url, { status: 'ok', value: ['lab/app', 'lab/other'] }]]);
    const closedDown = new Map([[registryKey(DOWN.url), false]]);
    const rows = imageRows(input({ repositories, usage, expanded: closedDown }));
    expect(rows.rows.map((r) => r.kind)).toEqual(['registry', 'repository', 'message', 'repository', 'registry']);
    expect(rows.wantTags).toEqual([[OK.url, 'lab/app']]);

    const tags: ImagesState['tags'] = new Map([[tagsKey(OK.url, 'lab/app'), { status: 'ok', value: [tag] }]]);
    const withTags = imageRows(input({ repositories, usage, tags, expanded: new Map([...closedDown, [repositoryKey(OK.url, 'lab/other'), true]]) }));
    const tagRow = withTags.rows.find((r) => r.kind === 'tag');
    expect(tagRow?.kind === 'tag' && tagRow.use.running.map((c) => c.id)).toEqual(['a']);
    expect(withTags.rows.find((r) => r.kind === 'repository')).toMatchObject({ running: 1, outdated: 0, tags: 1 });
    expect(withTags.wantTags).toEqual([[OK.url, 'lab/other']]);
    // A stopped container runs nothing: it is counted apart.
    const stopped = imageRows(input({ repositories, usage, tags, expanded: closedDown, isRunning: () => false })).rows.find((r) => r.kind === 'tag');
    expect(stopped?.kind === 'tag' && [stopped.use.running.length, stopped.use.stopped.map((c) => c.id)]).toEqual([0, ['a']]);
  });

  it('keeps the last list below a failed refresh', () => {
    const repositories: ImagesState['repositories'] = new Map([[OK.url, { status: 'error', error: 'timeout', value: ['lab/app'] }]]);
    expect(kinds(input({ repositories, expanded: new Map([[registryKey(DOWN.url), false]]) }))).toEqual(['registry', 'error:timeout', 'repository', 'registry']);
  });

  it('words digests and hosts briefly', () => {
    expect(shortDigest(D)).toBe('sha256:aaaaaaaaaaaa');
    expect(hostsText([{ host: 'h10' }, { host: 'h2' }, { host: 'h2' }])).toBe('h2 ×2, h10');
  });
});
