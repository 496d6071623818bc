import { describe, expect, it } from 'vitest';
import { healthFromStatus, normalizeContainer, parseDockerTime, type EngineContainer } from './normalize';

const item: EngineContainer = {
  Id: 'a'.repeat(64),
  Names: ['/payments-ledger-1'],
  Image: '198.18.0.1:5000/lab/app:1.0',
  ImageID: `sha256:${'c'.repeat(64)}`,
  Created: 1_700_000_000,
  State: 'running',
  Status: 'Up 5 minutes (unhealthy)',
  Labels: { 'com.example.service': 'ledger', 'com.example.team': 'payments' },
  NetworkSettings: {
    Networks: {
      br0: { IPAddress: '198.18.4.21', MacAddress: '02:fd:00:04:00:21' },
      none: { IPAddress: '', MacAddress: '' },
      apps: { IPAddress: '198.18.5.3', MacAddress: '02:42:c6:12:05:03' },
    },
  },
};

describe('normalizeContainer', () => {
  it('maps a list item to the fleet model', () => {
    const c = normalizeContainer('h1', item, { label: 'com.example.service', groupLabel: 'com.example.team' }, 1_700_000_100_000);
    expect(c).toEqual({
      host: 'h1',
      id: 'a'.repeat(64),
      name: 'payments-ledger-1',
      image: '198.18.0.1:5000/lab/app:1.0',
      imageId: `sha256:${'c'.repeat(64)}`,
      state: 'running',
      status: 'Up 5 minutes (unhealthy)',
      health: 'unhealthy',
      service: 'ledger',
      group: 'payments',
      ips: [
        { network: 'apps', ip: '198.18.5.3', mac: '02:42:c6:12:05:03' },
        { network: 'br0', ip: '198.18.4.21', mac: '02:fd:00:04:00:21' },
      ],
      createdAt: 1_700_000_000_000,
      startedAt: 1_700_000_100_000,
    });
  });

  it('has no group without a group label, and no start time when stopped', () => {
    const c = normalizeContainer('h1', { ...item, State: 'exited', Status: 'Exited (137) 2 hours ago' }, { label: 'com.example.service' }, 5);
    expect(c.group).toBeUndefined();
    expect(c.startedAt).toBeUndefined();
    expect(c.health).toBeUndefined();
    expect(c.service).toBe('ledger');
  });

  it('survives missing names, labels and networks', () => {
    const c = normalizeContainer('h1', { Id: 'b'.repeat(64), Image: 'x', Created: 0, State: 'weird', Status: '', Labels: null, NetworkSettings: null }, { label: 's' });
    expect(c).toMatchObject({ name: 'bbbbbbbbbbbb', state: 'dead', ips: [] });
  });
});

describe('helpers', () => {
  it('reads health from the status text', () => {
    expect(healthFromStatus('Up 2 seconds (health: starting)')).toBe('starting');
    expect(healthFromStatus('Up 2 hours (healthy)')).toBe('healthy');
    expect(healthFromStatus('Up 2 hours')).toBeUndefined();
  });

  it('parses docker times, with the zero time meaning never', () => {
    expect(parseDockerTime('2026-11-22T21:00:00.123456789Z')).toBe(Date.UTC(2026, 10, 22, 21, 0, 0, 123));
    expect(parseDockerTime('0001-01-01T00:00:00Z')).toBeUndefined();
    expect(parseDockerTime(undefined)).toBeUndefined();
  });
});
