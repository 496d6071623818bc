export { loadFleetFile, parseFleetFile, FleetFileError } from './fleetFile';
export { fleetFromEnvironment, processFleetEnv, type FleetEnv } from './environment';
export type * from './spec';
