// Binds the fleet slice: app info, the fleet snapshot and its change stream, from the inventory.
import type { fleetSlice } from '../../shared/fleet';
import type { FleetChange, FleetSnapshot } from '../../shared/model';
import type { ApiOf } from '../../shared/slice';
import type { FleetSpec } from './spec';

/** The part of the inventory (main/inventory's FleetModel) the fleet slice reads. */
export interface FleetSource {
  snapshot(): FleetSnapshot;
  subscribe(onChange: (change: FleetChange) => void): () => void;
}

export function bindFleet(deps: { fleet: FleetSpec; model: FleetSource; mode: 'electron' | 'browser'; version: string }): ApiOf<typeof fleetSlice> {
  const { fleet, model, mode, version } = deps;
  return {
    appInfo: async () => ({ version, mode, fleetSource: fleet.source }),
    fleetSnapshot: async () => model.snapshot(),
    fleetChanges: (_params, onEvent) => model.subscribe(onEvent),
  };
}
