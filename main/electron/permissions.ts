// Which web permissions the window's page gets: desktop notifications (new alerts), asked for by
// the app's own page, and nothing else (camera, microphone, geolocation, clipboard, … all denied).
// Pure, so it is tested without an Electron binary; app.ts hands it to the session's request and
// check handlers (the check handler is what Notification.permission reads).
import { APP_HOST, APP_SCHEME } from './channels';

/** The only permission granted. */
export const ALLOWED_PERMISSION = 'notifications';

/** Whether `permission`, asked for by a page at `requestingUrl` (a URL or an origin), is granted. */
export function allowsPermission(permission: string, requestingUrl: string | undefined): boolean {
  if (permission !== ALLOWED_PERMISSION || !requestingUrl) return false;
  try {
    const url = new URL(requestingUrl);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}
