// The Rollouts view as a user sees it: its tab, the grid "Rollouts" (newest first), one rollout's
// row and its selected detail, and the "Interrupted rollouts" region above every view with each
// rollout's containers and its Resume and Roll back buttons.
import { expect, type Locator, type Page } from '@playwright/test';

export class RolloutsPage {
  readonly tab: Locator;
  readonly grid: Locator;
  readonly interrupted: Locator;

  constructor(readonly page: Page) {
    this.tab = page.getByRole('tab', { name: 'Rollouts' });
    this.grid = page.getByRole('grid', { name: 'Rollouts' });
    this.interrupted = page.getByRole('region', { name: 'Interrupted rollouts' });
  }

  async open(): Promise<void> {
    await this.tab.click();
    await expect(this.grid).toBeVisible();
  }

  /** Rows rendered now, newest first. */
  rows(): Locator {
    return this.grid.getByRole('rowgroup').last().getByRole('row');
  }

  /** The row of rollout `id` (its first cell is the id). */
  row(id: string): Locator {
    return this.rows().filter({ has: this.page.getByRole('gridcell', { name: id, exact: true }) });
  }

  /** The state cell of rollout `id` (it reads the state's word). */
  stateOf(id: string): Locator {
    return this.row(id).getByRole('gridcell').nth(3);
  }

  /** The selected rollout's detail: its containers table. */
  detail(id: string): Locator {
    return this.page.getByRole('region', { name: `Rollout ${id}` }).filter({ has: this.page.getByRole('table') });
  }

  /** One rollout in the "Interrupted rollouts" region. */
  interruptedRollout(id: string): Locator {
    return this.interrupted.getByRole('article', { name: `Rollout ${id}` });
  }

  /** Its containers as the region lists them: "HOST/NAME step" each. */
  async interruptedContainers(id: string): Promise<string[]> {
    const items = await this.interruptedRollout(id).getByRole('list', { name: 'Containers' }).getByRole('listitem').allInnerTexts();
    return items.map((t) => t.replace(/\s+/g, ' ').trim());
  }
}
