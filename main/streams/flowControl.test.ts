import { describe, expect, it } from 'vitest';
import { FLOW_CONTROL } from '../../shared/terminal';
import { FlowControl } from './flowControl';

const { highWatermark: HIGH, lowWatermark: LOW } = FLOW_CONTROL;

describe('FlowControl', () => {
  it('stays flowing up to the high watermark and pauses once past it', () => {
    const flow = new FlowControl();
    expect(flow.sent(HIGH)).toBeUndefined();
    expect(flow.paused).toBe(false);
    expect(flow.sent(1)).toBe('pause');
    expect(flow.paused).toBe(true);
    expect(flow.unacked).toBe(HIGH + 1);
  });

  it('signals pause once, however much more arrives while paused', () => {
    const flow = new FlowControl();
    expect(flow.sent(HIGH + 10)).toBe('pause');
    expect(flow.sent(5_000)).toBeUndefined();
    expect(flow.stats.pauses).toBe(1);
  });

  it('resumes only below the low watermark (hysteresis)', () => {
    const flow = new FlowControl();
    flow.sent(HIGH + 1);
    expect(flow.ack(HIGH + 1 - LOW)).toBeUndefined(); // exactly LOW unacked: not below
    expect(flow.paused).toBe(true);
    expect(flow.ack(1)).toBe('resume');
    expect(flow.paused).toBe(false);
    expect(flow.unacked).toBe(LOW - 1);
  });

  it('does not signal resume when acks arrive while flowing', () => {
    const flow = new FlowControl();
    flow.sent(50_000);
    expect(flow.ack(49_000)).toBeUndefined();
    expect(flow.stats.resumes).toBe(0);
  });

  it('cycles pause → resume → pause and counts each', () => {
    const flow = new FlowControl();
    const signals = [flow.sent(HIGH + 1), flow.ack(HIGH + 1), flow.sent(HIGH), flow.sent(10), flow.ack(HIGH + 10)];
    expect(signals).toEqual(['pause', 'resume', undefined, 'pause', 'resume']);
    expect(flow.stats).toEqual({ sentChars: 2 * HIGH + 11, ackedChars: 2 * HIGH + 11, unacked: 0, pauses: 2, resumes: 2 });
  });

  it('clamps acks larger than what was sent, so unacked never goes negative', () => {
    const flow = new FlowControl();
    flow.sent(100);
    flow.ack(1_000_000);
    expect(flow.unacked).toBe(0);
    expect(flow.stats.ackedChars).toBe(100);
    // The excess is not credited to later output.
    expect(flow.sent(HIGH + 1)).toBe('pause');
  });

  it('ignores zero, negative and non-numeric acks and sends', () => {
    const flow = new FlowControl();
    flow.sent(HIGH + 1);
    for (const bad of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) expect(flow.ack(bad)).toBeUndefined();
    expect(flow.sent(-10)).toBeUndefined();
    expect(flow.unacked).toBe(HIGH + 1);
    expect(flow.paused).toBe(true);
  });

  it('takes custom watermarks', () => {
    const flow = new FlowControl(10, 2);
    expect(flow.sent(11)).toBe('pause');
    expect(flow.ack(9)).toBeUndefined();
    expect(flow.ack(1)).toBe('resume');
  });
});
