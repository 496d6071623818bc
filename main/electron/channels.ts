// IPC channel names shared by the preload and the main-side handlers, and the app's own origin.
/** Page → main: starts the page's bridge session, ending any earlier one (the page reloaded). */
export const BRIDGE_OPEN = 'fleetdeck:bridge-open';
/** Page → main: one ClientMessage (shared/wire.ts). */
export const CLIENT_MESSAGE = 'fleetdeck:client-message';
/** Main → page: one ServerMessage (shared/wire.ts). */
export const SERVER_MESSAGE = 'fleetdeck:server-message';
export const APP_SCHEME = 'fleetdeck';
export const APP_HOST = 'app';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;
