// The Alerts view as a user sees it: its tab, the top bar's unacknowledged count, the grid
// "Alerts" (newest first), one alert by what its cells say, Ack, Ack all, the filter and the
// "Desktop notifications" button.
import { expect, type Locator, type Page } from '@playwright/test';

export type AlertRowQuery = {
  /** The kind's word as the Kind cell shows it: "died", "OOM killed", "unhealthy", … */
  kind?: string;
  host?: string;
  container?: string;
};

export class AlertsPage {
  readonly tab: Locator;
  readonly containersTab: Locator;
  readonly grid: Locator;
  /** The top bar's button: "Alerts: N unacknowledged". */
  readonly count: Locator;
  readonly ackAll: Locator;
  readonly unackedOnly: Locator;
  readonly notifications: Locator;

  constructor(readonly page: Page) {
    this.tab = page.getByRole('tab', { name: 'Alerts' });
    this.containersTab = page.getByRole('tab', { name: 'Containers' });
    this.grid = page.getByRole('grid', { name: 'Alerts' });
    this.count = page.getByRole('button', { name: /^Alerts: \d+ unacknowledged$/ });
    this.ackAll = page.getByRole('button', { name: 'Ack all', exact: true });
    this.unackedOnly = page.getByRole('button', { name: 'Unacknowledged only' });
    this.notifications = page.getByRole('button', { name: 'Desktop notifications' });
  }

  async open(): Promise<void> {
    await this.tab.click();
    await expect(this.grid).toBeVisible();
  }

  /** The unacknowledged count the top bar shows now. */
  async unacked(): Promise<number> {
    const name = (await this.count.getAttribute('aria-label')) ?? '';
    return Number(/^Alerts: (\d+)/.exec(name)?.[1] ?? NaN);
  }

  /** Alerts rendered now, newest first. */
  rows(): Locator {
    return this.grid.getByRole('rowgroup').last().getByRole('row');
  }

  /** The alerts whose cells say all of `q`. */
  row(q: AlertRowQuery): Locator {
    let rows = this.rows();
    const cell = (name: string) => this.page.getByRole('gridcell', { name, exact: true });
    for (const v of [q.kind, q.host, q.container]) if (v !== undefined) rows = rows.filter({ has: cell(v) });
    return rows;
  }

  /** The row's own Ack button. */
  ackButton(row: Locator): Locator {
    return row.getByRole('button', { name: 'Ack', exact: true });
  }
}

/** What the page was asked to show, as the notification spy recorded it. */
export type ShownNotification = { title: string; body: string; tag: string };

/**
 * An init script that replaces window.Notification with a spy: the permission and its request
 * are the real API's (grant it to the browser context), and each notification the page makes is
 * recorded instead of shown (headless Chromium has no desktop to show it on). `shownNotifications`
 * reads them and `clickNotification` clicks one as the user would.
 */
export const NOTIFICATION_SPY = `(() => {
  const Real = window.Notification;
  const shown = [];
  class Spy {
    static get permission() { return Real ? Real.permission : 'denied'; }
    static requestPermission() { return Real ? Real.requestPermission() : Promise.resolve('denied'); }
    constructor(title, options = {}) {
      this.title = title; this.body = options.body ?? ''; this.tag = options.tag ?? ''; this.onclick = null;
      shown.push(this);
    }
    close() {}
  }
  window.Notification = Spy;
  window.__fleetdeckNotifications = shown;
})();`;

type SpyWindow = { __fleetdeckNotifications: { title: string; body: string; tag: string; onclick: (() => void) | null }[] };

export async function shownNotifications(page: Page): Promise<ShownNotification[]> {
  return page.evaluate(() => (globalThis as unknown as SpyWindow).__fleetdeckNotifications.map(({ title, body, tag }) => ({ title, body, tag })));
}

export async function clickNotification(page: Page, index: number): Promise<void> {
  await page.evaluate((i) => (globalThis as unknown as SpyWindow).__fleetdeckNotifications[i]?.onclick?.(), index);
}
