// The reference helpers of hostSteps.ts (pure): an image's repository, and its digest there.
import { describe, expect, it } from 'vitest';
import { digestIn, newName, oldName, repositoryOf } from './hostSteps';
import type { PlanTarget } from './types';

describe('repositoryOf', () => {
  it('drops the tag or digest, not a registry port', () => {
    expect(repositoryOf('198.18.0.1:5000/lab/app:1.1')).toBe('198.18.0.1:5000/lab/app');
    expect(repositoryOf('198.18.0.1:5000/lab/app')).toBe('198.18.0.1:5000/lab/app');
    expect(repositoryOf('198.18.0.1:5000/lab/app@sha256:abc')).toBe('198.18.0.1:5000/lab/app');
    expect(repositoryOf('nginx:1.27')).toBe('nginx');
  });
});

describe('digestIn', () => {
  it('picks the digest of the reference’s repository among the image’s RepoDigests', () => {
    const repoDigests = ['198.18.0.1:5001/lab/app@sha256:other', '198.18.0.1:5000/lab/app@sha256:this'];
    expect(digestIn(repoDigests, '198.18.0.1:5000/lab/app:1.1')).toBe('sha256:this');
    expect(digestIn(repoDigests, '198.18.0.1:5000/lab/ap:1.1')).toBeUndefined();
    expect(digestIn(undefined, 'app:1')).toBeUndefined();
  });
});

describe('oldName and newName', () => {
  it('carry the old container’s short id, so a leftover from another container never blocks the name', () => {
    const target = { name: 'ledger', id: '0123456789abcdef' } as PlanTarget;
    expect(oldName(target)).toBe('ledger-fd-old-0123456789ab');
    expect(newName(target)).toBe('ledger-fd-new-0123456789ab');
  });
});
