import { describe, expect, it } from 'vitest';
import { APP_URL } from './channels';
import { allowsPermission } from './permissions';

describe('the window\'s permissions', () => {
  it('grants notifications to the app\'s own page (by URL or origin) and nothing else to anyone', () => {
    expect(allowsPermission('notifications', APP_URL)).toBe(true);
    expect(allowsPermission('notifications', 'fleetdeck://app')).toBe(true);
    for (const other of ['media', 'geolocation', 'clipboard-read', 'clipboard-sanitized-write', 'openExternal', 'midi', 'pointerLock', 'fullscreen', 'display-capture']) {
      expect(allowsPermission(other, APP_URL)).toBe(false);
    }
    expect(allowsPermission('notifications', 'https://example.invalid/')).toBe(false);
    expect(allowsPermission('notifications', 'fleetdeck://evil/index.html')).toBe(false);
    expect(allowsPermission('notifications', undefined)).toBe(false);
    expect(allowsPermission('notifications', 'not a url')).toBe(false);
  });
});
