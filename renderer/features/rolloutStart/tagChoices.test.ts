import { describe, expect, it } from 'vitest';
import type { TagInfo } from '../../../shared/registry';
import { defaultTag, tagChoices } from './tagChoices';

const tag = (name: string, created?: string): TagInfo => ({ tag: name, digest: `sha256:${name.replace(/\W/g, '').padEnd(64, '0')}`, mediaType: 'application/vnd.oci.image.manifest.v1+json', labels: {}, ...(created ? { created } : {}) });
const REPO = 'registry.internal:5000/payments/api';

describe('the tags a Deploy offers', () => {
  const tags = [tag('1.9', '2026-11-01T00:00:00Z'), tag('latest'), tag('1.10', '2026-11-20T00:00:00Z'), tag('1.2'), tag('2.0-rc1', '2026-11-30T00:00:00Z')];
  const running = [{ image: `${REPO}:1.10` }, { image: `${REPO}:1.10` }, { image: `${REPO}:1.9` }, { image: 'registry.internal:5000/other:2.0-rc1' }];

  it('lists newest first by created, undated ones last by name, with how many of the scope run each', () => {
    const choices = tagChoices(tags, 'registry.internal:5000', 'payments/api', running);
    expect(choices.map((t) => t.tag)).toEqual(['2.0-rc1', '1.10', '1.9', 'latest', '1.2']);
    expect(choices.map((t) => t.running)).toEqual([0, 2, 1, 0, 0]);
    expect(choices[1]).toMatchObject({ reference: `${REPO}:1.10`, digest: tags[2]!.digest, created: '2026-11-20T00:00:00Z' });
    expect(choices[3]).not.toHaveProperty('created');
  });

  it('offers first the newest tag not already run by the whole scope', () => {
    const all = [{ image: `${REPO}:2.0-rc1` }, { image: `${REPO}:2.0-rc1` }];
    const choices = tagChoices(tags, 'registry.internal:5000', 'payments/api', all);
    expect(defaultTag(choices, all.length)).toBe(1);
    expect(defaultTag(tagChoices(tags, 'registry.internal:5000', 'payments/api', running), running.length)).toBe(0);
    expect(defaultTag([], 0)).toBe(0);
  });
});
