import { describe, expect, it } from 'vitest';
import type { IpEndpoint, IpMapSnapshot } from '../../../shared/ipmap';
import type { RegistryInfo } from '../../../shared/registry';
import { imageChoices, segmentHosts, segmentOfContainer } from './choices';

const SEG = '198.18.4.0/24';
const endpoint = (over: Partial<IpEndpoint>): IpEndpoint => ({ segment: SEG, host: 'h1', network: 'br0', container: 'web-1', containerId: 'x', ip: '198.18.4.20', static: true, state: 'running', ...over });
const snapshot: IpMapSnapshot = {
  time: '2026-12-02T00:00:00Z',
  segments: [{ id: SEG, subnets: [SEG], hosts: ['h3', 'h1', 'h2'], offlineHosts: ['h1'], hostAddresses: [] }],
  endpoints: [endpoint({ segment: '172.17.0.0/16', network: 'bridge', static: false }), endpoint({})],
  networks: [],
  conflicts: [],
  poolErrors: [],
};

describe('create/clone choices', () => {
  it("offers the segment's hosts, online ones first", () => {
    expect(segmentHosts(snapshot, SEG)).toEqual(['h2', 'h3', 'h1']);
    expect(segmentHosts(snapshot, '10.0.0.0/24')).toEqual([]);
    expect(segmentHosts(undefined, SEG)).toEqual([]);
  });

  it("finds a container's segment by its static endpoint first", () => {
    expect(segmentOfContainer(snapshot, 'h1', 'web-1')).toBe(SEG);
    expect(segmentOfContainer(snapshot, 'h2', 'web-1')).toBeUndefined();
  });

  it("lists the fleet's images, then the registry view's tags as references, each once", () => {
    const registries = [{ url: 'https://198.18.0.1:5000', host: '198.18.0.1:5000' } as RegistryInfo];
    const tags = new Map([['https://198.18.0.1:5000\u0000lab/app', { value: [{ tag: '1.1' }, { tag: '1.0' }] as never }], ['https://gone\u0000x', { value: [{ tag: '1' }] as never }]]);
    expect(imageChoices(['198.18.0.1:5000/lab/app:1.0', 'busybox', 'busybox'], registries, tags)).toEqual(['198.18.0.1:5000/lab/app:1.0', 'busybox', '198.18.0.1:5000/lab/app:1.1']);
  });
});
