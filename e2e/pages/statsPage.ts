// Live stats as a user sees them: the fleet Top view (grid "Top"), the container stats
// dialog (charts), and the CPU / memory columns of the containers grid.
import { expect, type Locator, type Page } from '@playwright/test';

export type TopSortColumn = 'CPU' | 'Memory' | 'Block I/O' | 'Network';

export class StatsPage {
  readonly top: Locator;
  readonly topTab: Locator;
  readonly containersTab: Locator;
  readonly detail: Locator;

  constructor(readonly page: Page) {
    this.top = page.getByRole('grid', { name: 'Top' });
    this.topTab = page.getByRole('tab', { name: 'Top' });
    this.containersTab = page.getByRole('tab', { name: 'Containers' });
    this.detail = page.getByRole('dialog', { name: /^Stats:/ });
  }

  /** Shows the Top view with the keyboard (t), as an SRE would. */
  async openTop(): Promise<void> {
    if ((await this.topTab.getAttribute('aria-selected')) !== 'true') {
      await this.page.locator('body').focus();
      await this.page.keyboard.press('t');
    }
    await expect(this.top).toBeVisible();
  }

  /** Data rows of the Top view that are rendered now, in order (hottest first by default). */
  topRows(): Locator {
    return this.top.getByRole('rowgroup').last().getByRole('row');
  }

  topRow(containerName: string): Locator {
    return this.top.getByRole('row').filter({ has: this.page.getByRole('gridcell', { name: containerName, exact: true }) });
  }

  header(column: TopSortColumn): Locator {
    return this.top.getByRole('columnheader', { name: new RegExp(`^${column.replace('/', '\\/')}`) });
  }

  async sortBy(column: TopSortColumn): Promise<void> {
    await this.header(column).click();
  }

  /** Opens the stats dialog of a Top row (select, then i). */
  async openDetailFromTop(containerName: string): Promise<void> {
    await this.topRow(containerName).click();
    await expect(this.topRow(containerName)).toHaveAttribute('aria-selected', 'true');
    await this.page.keyboard.press('i');
    await expect(this.detail).toBeVisible();
  }

  chart(title: 'CPU' | 'Memory' | 'Block I/O' | 'Network'): Locator {
    return this.detail.getByRole('figure', { name: `${title} chart` });
  }

  async closeDetail(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await expect(this.detail).toHaveCount(0);
  }
}
