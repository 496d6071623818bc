// The fleet view as a user sees it: the Hosts panel, the Containers grid, the filter, row actions.
import { expect, type Locator, type Page } from '@playwright/test';

export class FleetPage {
  readonly hosts: Locator;
  readonly grid: Locator;
  readonly filter: Locator;
  readonly status: Locator;

  constructor(readonly page: Page) {
    this.hosts = page.getByRole('region', { name: 'Hosts' });
    this.grid = page.getByRole('grid', { name: 'Containers' });
    this.filter = page.getByRole('textbox', { name: 'Filter' });
    this.status = page.getByRole('status').filter({ hasText: /\S/ });
  }

  /** The host's entry in the Hosts panel. */
  host(name: string): Locator {
    return this.hosts.getByRole('option').filter({ has: this.page.getByText(name, { exact: true }) });
  }

  async expectHostState(name: string, state: 'online' | 'offline' | 'error' | 'connecting', timeout?: number): Promise<void> {
    await expect(this.host(name)).toContainText(state, timeout === undefined ? {} : { timeout });
  }

  /** Data rows (not group headers) of the grid that are rendered now. */
  containerRows(): Locator {
    return this.grid.getByRole('row').filter({ has: this.page.getByRole('gridcell') }).filter({ hasNot: this.page.locator('[data-group-row]') });
  }

  row(containerName: string): Locator {
    return this.grid.getByRole('row').filter({ has: this.page.getByRole('gridcell', { name: containerName, exact: true }) });
  }

  async search(text: string): Promise<void> {
    await this.filter.fill(text);
  }

  async select(containerName: string): Promise<void> {
    await this.row(containerName).click();
    await expect(this.row(containerName)).toHaveAttribute('aria-selected', 'true');
  }

  /** Runs start/stop/restart on the selected container, confirming if asked. */
  async act(action: 'Start' | 'Stop' | 'Restart'): Promise<void> {
    await this.page.getByRole('button', { name: action, exact: true }).first().click();
    if (action !== 'Start') {
      const dialog = this.page.getByRole('alertdialog').or(this.page.getByRole('dialog'));
      await expect(dialog).toBeVisible();
      await dialog.getByRole('button', { name: new RegExp(`^(${action}|Confirm)$`) }).click();
    }
  }
}
