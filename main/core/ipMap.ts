// The core's IP map: one IpMapService over the hosts' clients and their events, with the fleet
// file's segments and pools, the conflict finder over the data directory's MAC history, and
// "Create here" on the action path.
import type Dockerode from 'dockerode';
import type { ActionPath } from '../actions/actionPath';
import type { Clock } from '../clock/clock';
import { nodeFiles } from '../files/durableFiles';
import type { FleetSpec, IpPoolSpec } from '../fleet/spec';
import { allocate, checkPoolSegments } from '../ipmap/allocator';
import { conflictFinder } from '../ipmap/conflicts';
import { bindIpCreate, CreateHere } from '../ipmap/createHere';
import { readEndpoints, readNetworks } from '../ipmap/engineRead';
import { IpMapService, type IpMapHost } from '../ipmap/ipMapService';
import { MacHistory } from '../ipmap/macHistory';

/** A host connection as the map reads it and "Create here" acts on it (main/core's ManagedHost fits). */
export interface IpMapCoreHost extends IpMapHost {
  readonly docker: Dockerode;
}

export interface CoreIpMapDeps {
  fleet: Pick<FleetSpec, 'source' | 'ipPools' | 'segments'>;
  hosts: readonly IpMapCoreHost[];
  actions: ActionPath;
  clock: Clock;
  dataDir: string;
  log?: (message: string) => void;
}

export interface CoreIpMap {
  service: IpMapService<IpMapCoreHost>;
  create: CreateHere<IpPoolSpec>;
  calls: ReturnType<typeof bindIpCreate>;
}

export function createCoreIpMap(deps: CoreIpMapDeps): CoreIpMap {
  const { fleet, hosts, clock } = deps;
  const log = deps.log ?? (() => {});
  const macHistory = new MacHistory({ dataDir: deps.dataDir, files: nodeFiles, clock, warn: log });
  const service = new IpMapService<IpMapCoreHost>({
    hosts,
    reader: { networks: (h) => readNetworks(h.docker, h.spec.name), endpoints: (h, networks) => readEndpoints(h.docker, networks) },
    segments: fleet.segments,
    pools: fleet.ipPools,
    conflicts: conflictFinder(macHistory),
    poolErrors: (known) => checkPoolSegments(fleet.ipPools, known, fleet.source),
    allocate,
    clock,
    log,
  });
  const create = new CreateHere({
    map: service,
    pools: () => fleet.ipPools,
    allocate,
    actions: deps.actions,
    hosts: { host: (name) => hosts.find((h) => h.spec.name === name) },
    fleetFile: fleet.source,
  });
  return { service, create, calls: bindIpCreate(create) };
}
