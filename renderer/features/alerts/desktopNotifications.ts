// Desktop notifications of new alerts: the Notification API (the browser's in browser mode,
// Electron's in its window, where main allows the 'notifications' permission and nothing else).
// The permission is asked for only on a user gesture (the Alerts view's "Desktop notifications"
// button), never at load. Once granted, every alert raised while the console runs shows one
// notification (never the recent past the stream starts with: the alerts store hands over only
// new ones); clicking it brings the window forward and shows what it is about.
import { create } from 'zustand';
import type { Alert } from '../../../shared/alerts';
import { boundStore, type Store } from '../../stores/boundStore';
import { notificationText } from './alertRows';

/**
 * Notifications shown for one change at most; the rest are summed up in one more. A host going
 * down raises an alert for it and may be followed by many at once (a whole service dying): a
 * screenful of OS popups helps nobody, the Alerts view lists them all.
 */
export const MAX_NOTIFICATIONS_AT_ONCE = 5;

export type NotifyPermission = NotificationPermission | 'unsupported';

/** What the notifications need from the page: window.Notification and window.focus. */
export interface NotificationHost {
  permission(): NotifyPermission;
  /** Only from a user gesture. */
  requestPermission(): Promise<NotificationPermission>;
  /** Shows one notification; `onClick` runs when the user clicks it, after the window is brought forward. */
  show(title: string, options: { body: string; tag: string }, onClick: () => void): void;
}

export type NotificationsState = {
  permission: NotifyPermission;
  /** Whether new alerts notify: on once the permission is granted, until the user turns them off (for this session). */
  enabled: boolean;
  /** The user's gesture: asks for the permission if nobody has yet, and turns notifications on. */
  enable(): Promise<void>;
  disable(): void;
  /** New alerts, oldest first. */
  notify(alerts: readonly Alert[]): void;
};

export type NotificationTargets = {
  /** A notification of one alert was clicked. */
  reveal(alert: Alert): void;
  /** The summary of many was clicked. */
  showAll(): void;
};

export function createNotificationsStore(host: NotificationHost, targets: NotificationTargets): Store<NotificationsState> {
  const initial = host.permission();
  return create<NotificationsState>()((set, get) => ({
    permission: initial,
    enabled: initial === 'granted',

    async enable() {
      let permission = host.permission();
      if (permission === 'default') permission = await host.requestPermission();
      set({ permission, enabled: permission === 'granted' });
    },

    disable() {
      set({ enabled: false });
    },

    notify(alerts) {
      if (!get().enabled || alerts.length === 0) return;
      // The permission may have been taken back in the browser's settings since.
      const permission = host.permission();
      if (permission !== 'granted') {
        set({ permission, enabled: false });
        return;
      }
      const shown = alerts.length > MAX_NOTIFICATIONS_AT_ONCE ? alerts.slice(-(MAX_NOTIFICATIONS_AT_ONCE - 1)) : alerts;
      if (shown.length < alerts.length) {
        const more = alerts.length - shown.length;
        host.show(`${more} more alerts`, { body: 'Open the Alerts view to see them all.', tag: 'fleetdeck-alerts-more' }, targets.showAll);
      }
      for (const a of shown) {
        const { title, body } = notificationText(a);
        // The tag is the alert's id: a second console on the same data directory replaces, not doubles, it.
        host.show(title, { body, tag: a.id }, () => targets.reveal(a));
      }
    },
  }));
}

/** The page's Notification API, or none where the browser has it not (then the button says so). */
export function pageNotificationHost(): NotificationHost {
  const api = typeof Notification === 'undefined' ? undefined : Notification;
  return {
    permission: () => api?.permission ?? 'unsupported',
    requestPermission: () => api?.requestPermission() ?? Promise.resolve('denied'),
    show(title, options, onClick) {
      if (!api) return;
      const n = new api(title, options);
      n.onclick = () => {
        window.focus();
        n.close();
        onClick();
      };
    },
  };
}

/** The app's desktop notifications (bound at boot). */
export const useNotifications = boundStore<NotificationsState>('notifications');
