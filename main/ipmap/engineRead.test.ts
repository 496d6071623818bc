import { describe, expect, it } from 'vitest';
import { isMapped, mapEndpoints, mapNetwork, type EngineEndpointContainer, type EngineNetwork } from './engineRead';

const br0: EngineNetwork = {
  Id: 'n1', Name: 'br0', Driver: 'bridge',
  IPAM: { Config: [{ Subnet: '198.18.4.0/24', Gateway: '198.18.4.11', IPRange: '198.18.4.64/28' }, { Subnet: 'fd00::/64', Gateway: 'fd00::1' }] },
  Options: { 'com.docker.network.bridge.name': 'br0' },
};

describe('engineRead', () => {
  it('maps a network: driver, subnets, gateways, ip range, bridge name', () => {
    expect(mapNetwork('h1', br0)).toEqual({ host: 'h1', id: 'n1', name: 'br0', driver: 'bridge', subnets: ['198.18.4.0/24', 'fd00::/64'], gateways: ['198.18.4.11', 'fd00::1'], ipRange: '198.18.4.64/28', bridge: 'br0' });
  });

  it('follows bridge, macvlan and ipvlan networks, not docker0, host or overlay', () => {
    expect([br0, { ...br0, Driver: 'macvlan' }, { ...br0, Driver: 'ipvlan' }].every(isMapped)).toBe(true);
    expect(isMapped({ ...br0, Options: { 'com.docker.network.bridge.default_bridge': 'true' } })).toBe(false);
    expect(isMapped({ ...br0, Driver: 'host' })).toBe(false);
    expect(isMapped({ ...br0, Driver: 'overlay' })).toBe(false);
  });

  it("maps endpoints: a stopped static holder keeps its IPAMConfig address; a stopped dynamic one holds none; other networks are left out", () => {
    const items: EngineEndpointContainer[] = [
      { Id: 'a', Names: ['/a'], State: 'running', Created: 1_700_000_000, NetworkSettings: { Networks: { br0: { NetworkID: 'n1', IPAddress: '198.18.4.21', MacAddress: '02:FD:00:04:00:15', IPAMConfig: { IPv4Address: '198.18.4.21' } }, other: { NetworkID: 'n9', IPAddress: '172.18.0.2' } } } },
      { Id: 'b', Names: ['/b'], State: 'exited', Created: 1_700_000_000, NetworkSettings: { Networks: { br0: { NetworkID: 'n1', IPAddress: '', MacAddress: '', IPAMConfig: { IPv4Address: '198.18.4.22' } } } } },
      { Id: 'c', Names: ['/c'], State: 'exited', Created: 1_700_000_000, NetworkSettings: { Networks: { br0: { NetworkID: 'n1', IPAddress: '', IPAMConfig: null } } } },
      { Id: 'd', Names: ['/d'], State: 'running', Created: 1_700_000_000, NetworkSettings: { Networks: { br0: { NetworkID: 'n1', IPAddress: '198.18.4.70', MacAddress: '02:42:c6:12:04:46' } } } },
      // Created, never started: no NetworkID yet, matched by the network's name.
      { Id: 'e', Names: ['/e'], State: 'created', Created: 1_700_000_000, NetworkSettings: { Networks: { br0: { NetworkID: '', IPAddress: '', IPAMConfig: { IPv4Address: '198.18.4.23' } } } } },
    ];
    expect(mapEndpoints(items, [{ id: 'n1', name: 'br0' }]).map((e) => [e.container, e.networkId, e.ip, e.mac, e.static, e.state])).toEqual([
      ['a', 'n1', '198.18.4.21', '02:fd:00:04:00:15', true, 'running'],
      ['b', 'n1', '198.18.4.22', undefined, true, 'exited'],
      ['d', 'n1', '198.18.4.70', '02:42:c6:12:04:46', false, 'running'],
      ['e', 'n1', '198.18.4.23', undefined, true, 'created'],
    ]);
  });
});
