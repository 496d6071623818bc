import { describe, expect, it } from 'vitest';
import { cardLabel, diffRefs, lastSegment, runFigures } from './planView';

describe('diffRefs', () => {
  it('highlights the tag whole when only the tag changes', () => {
    expect(diffRefs('reg/pay/api:2024.11.3', 'reg/pay/api:2024.12.1')).toEqual({ common: 'reg/pay/api:', from: '2024.11.3', to: '2024.12.1' });
    expect(diffRefs('reg/pay/api:v3.12.1', 'reg/pay/api:v3.13.0')).toEqual({ common: 'reg/pay/api:', from: 'v3.12.1', to: 'v3.13.0' });
  });

  it('snaps back to a path segment when the repository changes', () => {
    expect(diffRefs('reg/pay/api:1.0', 'reg/pay/apx:1.0')).toEqual({ common: 'reg/pay/', from: 'api:1.0', to: 'apx:1.0' });
    expect(diffRefs('old.reg/api:1', 'new.reg/api:1')).toEqual({ common: '', from: 'old.reg/api:1', to: 'new.reg/api:1' });
  });

  it('shows digests whole after their algorithm', () => {
    expect(diffRefs('sha256:aaaa1111', 'sha256:aaaa2222')).toEqual({ common: 'sha256:', from: 'aaaa1111', to: 'aaaa2222' });
  });

  it('says nothing changes for the same reference', () => {
    expect(diffRefs('reg/api:1', 'reg/api:1')).toEqual({ common: 'reg/api:1', from: '', to: '' });
  });

  it('handles one reference a prefix of the other', () => {
    expect(diffRefs('reg/api:1', 'reg/api:1.1')).toEqual({ common: 'reg/api:', from: '1', to: '1.1' });
  });
});

describe('lastSegment', () => {
  it('keeps the last path segment', () => {
    expect(lastSegment('registry.example:5000/payments/api:')).toBe('api:');
    expect(lastSegment('api:')).toBe('api:');
    expect(lastSegment('reg/pay/')).toBe('pay/');
  });
});

describe('cardLabel', () => {
  const card = { name: 'payments-api-1', host: 'h1', ip: '198.18.4.21', forcedStopFirst: false, hostOnline: true };
  it('starts with the name, then the host, the address and the step', () => {
    expect(cardLabel(card, { step: 'queued' })).toBe('payments-api-1 on h1, 198.18.4.21, queued');
    expect(cardLabel(card, { step: 'waiting-healthy' })).toBe('payments-api-1 on h1, 198.18.4.21, waiting healthy');
    expect(cardLabel(card, undefined)).toBe('payments-api-1 on h1, 198.18.4.21');
  });
  it('says a forced stop-first, an offline host and a failure with its reason', () => {
    expect(cardLabel({ ...card, ip: undefined, forcedStopFirst: true, hostOnline: false }, { step: 'failed', error: 'exit code 1' })).toBe(
      'payments-api-1 on h1, host offline, stop-first (static address), failed: exit code 1',
    );
  });
});

describe('runFigures', () => {
  it('counts done and failed of all, and the ratio against the limit', () => {
    const steps = ['done', 'done', 'failed', 'queued'] as const;
    expect(runFigures(steps.map((step) => ({ step })), 0.5)).toEqual({ total: 4, done: 2, failed: 1, rolledBack: 0, ratio: 0.25, overLimit: false });
    expect(runFigures(steps.map((step) => ({ step })), 0.2).overLimit).toBe(true);
  });
  it('a limit of 0 is crossed by the first failure, and nothing is not a failure', () => {
    expect(runFigures([{ step: 'failed' }, { step: 'done' }], 0).overLimit).toBe(true);
    expect(runFigures([{ step: 'done' }], 0).overLimit).toBe(false);
    expect(runFigures([], 0)).toEqual({ total: 0, done: 0, failed: 0, rolledBack: 0, ratio: 0, overLimit: false });
  });
});
