// The IP map as a user sees it: its tab, the grid "IP map" (a cell by its IP: its accessible name
// starts with it), the segment picker, the search, the address details, and the conflict list
// (a conflict by its IP or MAC, its holders' links).
import { expect, type Locator, type Page } from '@playwright/test';

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class IpMapPage {
  readonly tab: Locator;
  readonly grid: Locator;
  readonly segment: Locator;
  readonly search: Locator;
  readonly details: Locator;
  readonly conflicts: Locator;
  readonly poolUse: Locator;

  constructor(readonly page: Page) {
    this.tab = page.getByRole('tab', { name: 'IP map' });
    this.grid = page.getByRole('grid', { name: 'IP map' });
    this.segment = page.getByRole('combobox', { name: 'Segment' });
    this.search = page.getByRole('searchbox', { name: 'Find an IP, MAC or container' });
    this.details = page.getByRole('complementary', { name: 'Address details' });
    this.conflicts = page.getByRole('region', { name: 'Conflicts' });
    this.poolUse = page.getByRole('group', { name: 'Pool use' });
  }

  async open(): Promise<void> {
    await this.tab.click();
    await expect(this.grid).toBeVisible();
  }

  /** The cell of `ip` (on the page shown). */
  cell(ip: string): Locator {
    return this.grid.getByRole('gridcell', { name: new RegExp(`^${esc(ip)} `) });
  }

  /** Finds an IP, MAC or container name (Enter), which puts the keyboard on its cell. */
  async find(query: string): Promise<void> {
    await this.search.fill(query);
    await this.search.press('Enter');
  }

  /** The conflict list's lines about `ipOrMac`. */
  conflict(ipOrMac: string): Locator {
    return this.conflicts.getByRole('listitem').filter({ hasText: ipOrMac });
  }

  /** A holder's link in a conflict line ("NAME on HOST"). */
  holder(conflict: Locator, container: string, host: string): Locator {
    return conflict.getByRole('button', { name: `${container} on ${host}`, exact: true });
  }
}
