// The fleet slice: what the app is, and the fleet: whole on the first event, then its changes.
import { call, empty, stream } from './slice';
import { AppInfo, FleetChange } from './model';

export const fleetSlice = {
  calls: {
    appInfo: call(empty, AppInfo),
  },
  streams: {
    /** The first event holds the whole fleet; later ones hold what changed. */
    fleetChanges: stream(empty, FleetChange),
  },
};
