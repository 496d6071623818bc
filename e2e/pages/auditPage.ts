// The Audit view as a user sees it: its tab, the grid "Audit" (newest first), one entry by what it
// says, and the filters.
import { expect, type Locator, type Page } from '@playwright/test';

export type AuditRowQuery = {
  user?: string;
  source?: 'console' | 'cli';
  action?: string;
  host?: string;
  container?: string;
  result?: 'ok' | 'failed' | 'unknown';
};

export type AuditFilterName = 'User' | 'Action' | 'Host' | 'Result';

export class AuditPage {
  readonly tab: Locator;
  readonly containersTab: Locator;
  readonly grid: Locator;

  constructor(readonly page: Page) {
    this.tab = page.getByRole('tab', { name: 'Audit' });
    this.containersTab = page.getByRole('tab', { name: 'Containers' });
    this.grid = page.getByRole('grid', { name: 'Audit' });
  }

  async open(): Promise<void> {
    await this.tab.click();
    await expect(this.grid).toBeVisible();
  }

  /** Entries rendered now, newest first. */
  rows(): Locator {
    return this.grid.getByRole('rowgroup').last().getByRole('row');
  }

  /** The entries whose cells say all of `q` (the result cell starts with the result's word). */
  row(q: AuditRowQuery): Locator {
    let rows = this.rows();
    const cell = (name: string | RegExp) => this.page.getByRole('gridcell', { name, exact: typeof name === 'string' });
    for (const v of [q.user, q.source, q.action]) if (v !== undefined) rows = rows.filter({ has: cell(v) });
    // The target cell reads "HOST CONTAINER (SERVICE)" (the slash between them is not read).
    const target = new RegExp(`^${q.host ? esc(q.host) : '\\S+'}${q.container ? ` ${esc(q.container)}( \\(|$)` : '( |$)'}`);
    if (q.host !== undefined || q.container !== undefined) rows = rows.filter({ has: cell(target) });
    if (q.result !== undefined) rows = rows.filter({ has: cell(new RegExp(`^${q.result}\\b`)) });
    return rows;
  }

  /** Picks a filter's value ("any" for none). */
  async filter(name: AuditFilterName, value: string): Promise<void> {
    await this.page.getByLabel(name, { exact: true }).selectOption({ label: value });
  }
}

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
