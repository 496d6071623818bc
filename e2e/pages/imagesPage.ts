// The Images view as a user sees it: its tab, the grid "Images" (registries, then repositories,
// then tags), one registry, repository or tag row by name, and a tag's digest and running count.
import { expect, type Locator, type Page } from '@playwright/test';

export class ImagesPage {
  readonly tab: Locator;
  readonly grid: Locator;

  constructor(readonly page: Page) {
    this.tab = page.getByRole('tab', { name: 'Images' });
    this.grid = page.getByRole('grid', { name: 'Images' });
  }

  async open(): Promise<void> {
    await this.tab.click();
    await expect(this.grid).toBeVisible();
  }

  rows(): Locator {
    return this.grid.getByRole('rowgroup').last().getByRole('row');
  }

  /** A registry's row, by its host[:port] (the first thing it says). */
  registry(host: string): Locator {
    return this.rows().filter({ has: this.page.locator('.img-registry-host', { hasText: new RegExp(`^${esc(host)}$`) }) });
  }

  repository(name: string): Locator {
    return this.rows().filter({ has: this.page.locator('.img-repository-name', { hasText: new RegExp(`^${esc(name)}$`) }) });
  }

  /** Tag rows named `tag` (of any repository shown; pass `reference`, registry/repo:tag, to pick one). */
  tag(tag: string, reference?: string): Locator {
    const name = this.page.getByRole('gridcell', { name: tag, exact: true });
    return this.rows().filter({ has: reference ? name.and(this.page.locator(`[title="${reference}"]`)) : name });
  }

  /** The number of containers a tag row says run it now (0 for "—"). */
  async runningCount(row: Locator): Promise<number> {
    const text = (await row.locator('.img-running-count').textContent({ timeout: 1_000 }).catch(() => null)) ?? '';
    return Number(/(\d[\d,]*)/.exec(text)?.[1]?.replace(/,/g, '') ?? 0);
  }

  /** Error rows (where a registry's or repository's data would be). */
  errors(): Locator {
    return this.rows().filter({ has: this.page.locator('.img-message.tone-error, .img-badge.is-error') });
  }
}

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
