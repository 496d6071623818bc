// Binds the fleet slice: app info, and the fleet's change stream (whole fleet first) from the inventory.
import type { fleetSlice } from '../../shared/fleet';
import type { FleetChange } from '../../shared/model';
import type { ApiOf } from '../../shared/slice';
import type { FleetSpec } from './spec';

/** The part of the inventory (main/inventory's FleetModel) the fleet slice reads. */
export interface FleetSource {
  subscribe(onChange: (change: FleetChange) => void): () => void;
}

export function bindFleet(deps: { fleet: FleetSpec; model: FleetSource; mode: 'electron' | 'browser'; version: string }): ApiOf<typeof fleetSlice> {
  const { fleet, model, mode, version } = deps;
  return {
    appInfo: async () => ({ version, mode, fleetSource: fleet.source }),
    fleetChanges: (_params, onEvent) => model.subscribe(onEvent),
  };
}
