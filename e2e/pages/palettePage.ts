// The command palette as a user sees it: a dialog "Command palette" with a combobox to type in
// and a listbox of results; the active result is the combobox's aria-activedescendant.
import { expect, type Locator, type Page } from '@playwright/test';

export type PaletteKeys = 'Control+K' | 'Control+Shift+P';

export class PalettePage {
  readonly dialog: Locator;
  readonly input: Locator;
  readonly list: Locator;
  readonly options: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'Command palette' });
    this.input = this.dialog.getByRole('combobox');
    this.list = this.dialog.getByRole('listbox');
    this.options = this.list.getByRole('option');
  }

  async open(keys: PaletteKeys = 'Control+K'): Promise<void> {
    await this.page.keyboard.press(keys);
    await expect(this.dialog).toBeVisible();
    await expect(this.input).toBeFocused();
  }

  /** The result the keyboard is on (what Enter runs). */
  active(): Locator {
    return this.list.getByRole('option', { selected: true });
  }

  /** Types the query and waits until the active result shows `expected`. */
  async search(query: string, expected: string | RegExp): Promise<void> {
    await this.input.fill(query);
    await expect(this.active()).toContainText(expected);
  }

  async runActive(): Promise<void> {
    await this.page.keyboard.press('Enter');
    await expect(this.dialog).toHaveCount(0);
  }

  async close(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await expect(this.dialog).toHaveCount(0);
  }
}
