// The fleet slice: what the app is, the whole fleet once, then its changes as they happen.
import { call, empty, stream } from './slice';
import { AppInfo, FleetChange, FleetSnapshot } from './model';

export const fleetSlice = {
  calls: {
    appInfo: call(empty, AppInfo),
    fleetSnapshot: call(empty, FleetSnapshot),
  },
  streams: {
    /** The first event holds the whole fleet; later ones hold what changed. */
    fleetChanges: stream(empty, FleetChange),
  },
};
