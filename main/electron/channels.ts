// IPC channel names shared by the preload and the main-side handlers.
export const CALL = 'fleetdeck:call';
export const SUBSCRIBE = 'fleetdeck:subscribe';
export const UNSUBSCRIBE = 'fleetdeck:unsubscribe';
export const EVENT = 'fleetdeck:event';
export const APP_SCHEME = 'fleetdeck';
export const APP_HOST = 'app';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;
