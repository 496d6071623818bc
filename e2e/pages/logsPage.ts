// The Logs view as a user sees it: its sub-tabs, the active view's sources, search, controls and
// lines (role="log", named "Logs: …").
import { expect, type Locator, type Page } from '@playwright/test';
import type { FleetPage } from './fleetPage';

export class LogsPage {
  readonly tabs: Locator;
  /** The active view's log (only the active one is rendered). */
  readonly log: Locator;
  readonly search: Locator;
  readonly count: Locator;
  readonly sources: Locator;
  readonly follow: Locator;
  /** "N new lines · End to follow" while follow is paused. */
  readonly paused: Locator;

  constructor(readonly page: Page) {
    this.tabs = page.getByRole('tablist', { name: 'Log views' });
    this.log = page.getByRole('log');
    const search = page.getByRole('search', { name: 'Search logs' });
    this.search = search.getByRole('textbox', { name: 'Search logs' });
    this.count = search.getByRole('status');
    this.sources = page.getByRole('group', { name: 'Sources' });
    this.follow = page.getByRole('button', { name: 'Follow', exact: true });
    this.paused = page.getByRole('button', { name: /new lines? · End to follow|Paused · End to follow/ });
  }

  /** Filters the grid to the container, selects it and presses l. */
  async openContainer(fleet: FleetPage, name: string): Promise<void> {
    await fleet.search(name);
    await fleet.select(name);
    await this.page.keyboard.press('l');
  }

  /** Filters the grid to the service, selects its row and presses l: every replica merged. */
  async openService(fleet: FleetPage, service: string, filter = service): Promise<void> {
    await fleet.search(filter);
    const row = fleet.grid.locator('[role=row][data-group-row=service]').filter({ has: this.page.getByText(service, { exact: true }) });
    await row.click();
    await expect(row).toHaveAttribute('aria-selected', 'true');
    await this.page.keyboard.press('l');
  }

  tab(title: string | RegExp): Locator {
    return this.tabs.getByRole('tab', { name: title });
  }

  source(tag: string): Locator {
    return this.sources.getByRole('button', { name: tag, exact: true });
  }

  button(name: string): Locator {
    return this.page.getByRole('button', { name, exact: true });
  }

  /** The line rows rendered now (the dropped marker left out). */
  rows(): Locator {
    return this.log.locator('.log-row:not(.log-dropped)');
  }

  /** The text of the rendered rows, without tags and times. */
  async texts(): Promise<string[]> {
    return this.log.locator('.log-row:not(.log-dropped) .log-text').allInnerTexts();
  }

  /** Waits until every source has loaded its tail (following or ended). */
  async expectLoaded(timeout = 30_000): Promise<void> {
    await expect(this.log).toHaveAttribute('data-state', /^(following|ended)$/, { timeout });
  }

  async lineCount(): Promise<number> {
    return Number(await this.log.getAttribute('data-lines'));
  }

  /** Wheel over the lines (negative: up). */
  async wheel(deltaY: number): Promise<void> {
    const box = await this.log.boundingBox();
    if (!box) throw new Error('the log is not visible');
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await this.page.mouse.wheel(0, deltaY);
  }
}
