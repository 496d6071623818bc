import { describe, expect, it } from 'vitest';
import { exitWording, failureWording, fitTitle, hostKeyFile, middleEllipsis, tabTitle, tabTitleParts, targetDescription } from './sessionText';

const ctr = { kind: 'container' as const, host: 'h1', id: 'aaaaaaaaaaaa' };

describe('tab titles', () => {
  it('names the container and host, the user when given, and marks host shells as ssh', () => {
    expect(tabTitle(ctr, 'payments-api-1')).toBe('payments-api-1 · h1');
    expect(tabTitle({ ...ctr, user: 'root' }, 'payments-api-1')).toBe('payments-api-1 · h1 as root');
    expect(tabTitle({ kind: 'host', host: 'h1' }, 'h1')).toBe('h1 (ssh)');
    expect(tabTitleParts(ctr, 'payments-api-1')).toEqual({ name: 'payments-api-1', rest: ' · h1' });
  });
  it('shortens names in the middle, keeping the distinguishing end', () => {
    expect(middleEllipsis('payments-gateway-1', 30)).toBe('payments-gateway-1');
    expect(middleEllipsis('payments-gateway-1', 11)).toBe('paym…eway-1');
    expect(middleEllipsis('payments-gateway-12', 11)).toBe('paym…way-12');
    expect(middleEllipsis('abcdef', 1)).toBe('…');
    for (let max = 2; max < 20; max++) expect(middleEllipsis('payments-gateway-123', max)).toHaveLength(max);
  });
  it('fits a title into a tab: the name first, a short suffix kept', () => {
    const parts = { name: 'payments-gateway-1', rest: ' · dc3-h0015' };
    expect(fitTitle(parts, 40)).toBe(parts);
    expect(fitTitle(parts, 20)).toEqual({ name: 'payments-gateway-1', rest: '' });
    expect(fitTitle(parts, 11)).toEqual({ name: 'paym…eway-1', rest: '' });
    expect(fitTitle({ name: 'dc3-h0015', rest: ' (ssh)' }, 12)).toEqual({ name: 'dc…015', rest: ' (ssh)' });
  });
  it('describes what runs', () => {
    expect(targetDescription({ ...ctr, command: ['sh', '-l'], user: '1000' }, 'api', undefined)).toBe('Shell in api on h1 as 1000: sh -l');
    expect(targetDescription({ kind: 'host', host: 'h3' }, 'h3', 'ssh root@198.18.0.13')).toBe('SSH shell on h3 (ssh root@198.18.0.13)');
  });
});

describe('failure wording', () => {
  it('says what to do about a stopped container, using its state', () => {
    expect(failureWording('not-running', 'container is not running', ctr, 'payments-api-1', 'exited').headline).toBe('payments-api-1 is exited — start it first');
    expect(failureWording('not-running', '', ctr, 'payments-api-1').headline).toBe('payments-api-1 is not running — start it first');
    // main's own wording of the same thing is not repeated underneath
    expect(failureWording('not-running', 'payments-api-1 is exited — start it first', ctr, 'payments-api-1', 'exited').detail).toBeUndefined();
  });
  it('points at Shell as… when there is no shell', () => {
    const w = failureWording('no-shell', '', ctr, 'scratch-1');
    expect(w.headline).toBe('scratch-1 has no shell (tried /bin/bash and /bin/sh)');
    expect(w.detail).toMatch(/Shell as/);
    expect(failureWording('no-shell', 'exec: "zsh": not found', { ...ctr, command: ['zsh'] }, 'x').headline).toBe('x cannot run zsh');
  });
  it('refuses a changed host key loudly and never as a question', () => {
    const w = failureWording('changed-host-key', 'mismatch', { kind: 'host', host: 'h1' }, 'h1');
    expect(w.tone).toBe('danger');
    expect(w.headline).toMatch(/CHANGED — connection refused/);
    expect(w.detail).toMatch(/man-in-the-middle/);
  });
  it('keeps the core’s message as the detail', () => {
    expect(failureWording('host-down', 'connect ECONNREFUSED', ctr, 'x')).toEqual({ headline: 'Host h1 is not reachable', detail: 'connect ECONNREFUSED', tone: 'error' });
  });
});

describe('exit wording', () => {
  it('shows the exit code, or the message when there is none', () => {
    expect(exitWording(0, '')).toEqual({ headline: 'Session ended — exit code 0', detail: undefined });
    expect(exitWording(137, 'container stopped')).toEqual({ headline: 'Session ended — exit code 137', detail: 'container stopped' });
    expect(exitWording(null, 'connection lost')).toEqual({ headline: 'Session ended — connection lost', detail: undefined });
  });
});

describe('hostKeyFile', () => {
  it('names the host key file to compare against', () => {
    expect(hostKeyFile('ssh-ed25519')).toBe('/etc/ssh/ssh_host_ed25519_key.pub');
    expect(hostKeyFile('ssh-rsa')).toBe('/etc/ssh/ssh_host_rsa_key.pub');
    expect(hostKeyFile('ecdsa-sha2-nistp256')).toBe('/etc/ssh/ssh_host_ecdsa_key.pub');
  });
});
