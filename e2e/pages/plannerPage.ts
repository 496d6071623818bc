// The rollout planner as a user sees it, by issue 12's contract names only: the region "Rollout
// plan", its lanes (lists "Batch N"), each container's card (a list item whose name starts with
// the container's), Run and the running controls (Pause, Resume, Abort, Roll back; the destructive
// ones confirmed in a dialog); a card moved with the mouse or with the keyboard alone; and a
// rollout opened from the Containers grid's selected service (Deploy and Roll back through the
// dialog that asks for the tag or revision), and that service's history.
import { expect, type Locator, type Page } from '@playwright/test';
import { FleetPage } from './fleetPage';

export type StartAction = 'Rolling restart…' | 'Deploy…' | 'Roll back…';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * dnd-kit's pointer sensor starts a drag after the pointer has moved a few pixels, and finds the
 * lane under it from pointer moves: enough intermediate moves that each one is seen.
 */
const DRAG_STEPS = 24;
/**
 * Between keys of a keyboard drag: dnd-kit measures the lanes again after each move (a render),
 * and a key that comes before that moves from stale positions. 150 ms covers a loaded machine.
 */
const KEY_GAP_MS = 150;

export class PlannerPage {
  readonly region: Locator;
  readonly run: Locator;
  readonly pause: Locator;
  readonly resume: Locator;
  readonly abort: Locator;
  readonly rollBack: Locator;
  readonly back: Locator;
  /** A confirmation (Abort, Roll back) while it is open. */
  readonly confirmation: Locator;

  constructor(readonly page: Page) {
    this.region = page.getByRole('region', { name: 'Rollout plan' });
    const button = (name: string) => this.region.getByRole('button', { name, exact: true });
    this.run = button('Run');
    this.pause = button('Pause');
    this.resume = button('Resume');
    this.abort = button('Abort');
    this.rollBack = button('Roll back');
    this.back = page.getByRole('button', { name: 'Back to rollouts' });
    this.confirmation = page.getByRole('alertdialog');
  }

  /** From the Containers grid: selects SERVICE's row and starts `action` from the action bar. */
  async startFromGrid(service: string, action: StartAction): Promise<void> {
    await this.fromServiceBar(service, action);
  }

  /** From the Containers grid: SERVICE's history (past rollouts, revisions) in the Rollouts tab. */
  async openHistory(service: string): Promise<Locator> {
    await this.fromServiceBar(service, `History of ${service}`);
    const history = this.history(service);
    await expect(history).toBeVisible();
    return history;
  }

  history(service: string): Locator {
    return this.page.getByRole('region', { name: `History of ${service}` });
  }

  private async fromServiceBar(service: string, button: string): Promise<void> {
    const fleet = new FleetPage(this.page);
    await this.page.getByRole('tab', { name: 'Containers' }).click();
    await fleet.search(service);
    const row = fleet.grid.locator('[role=row][data-group-row=service]').filter({ has: this.page.getByText(service, { exact: true }) });
    await row.click();
    await expect(row).toHaveAttribute('aria-selected', 'true');
    await this.page.getByRole('region', { name: 'Selected service' }).getByRole('button', { name: button, exact: true }).click();
  }

  /** In the Deploy or Roll back dialog a start asks in: picks the option named `option` (a tag, a revision) and confirms. */
  async pickInDialog(option: RegExp): Promise<void> {
    const dialog = this.page.getByRole('dialog', { name: /^(Deploy|Roll back) / });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('option', { name: option }).click();
    await dialog.getByRole('button', { name: /^(?!Cancel)/ }).click();
    await expect(dialog).toBeHidden();
  }

  lane(n: number): Locator {
    return this.region.getByRole('list', { name: `Batch ${n}`, exact: true });
  }

  lanes(): Locator {
    return this.region.getByRole('list', { name: /^Batch \d+$/ });
  }

  /** The card of container NAME (its accessible name starts with the name, then a space or a comma). */
  card(name: string, within: Locator = this.region): Locator {
    return within.getByRole('listitem', { name: new RegExp(`^${escapeRegExp(name)}(?=[\\s,]|$)`) });
  }

  /** Each lane's cards among `names`, top to bottom, lane by lane (an empty lane is []). */
  async layout(names: readonly string[]): Promise<string[][]> {
    const lanes = await this.lanes().all();
    return Promise.all(
      lanes.map(async (lane) => {
        const placed: { name: string; y: number }[] = [];
        for (const name of names) {
          const card = this.card(name, lane);
          if ((await card.count()) === 0) continue;
          const box = await card.boundingBox();
          placed.push({ name, y: box?.y ?? 0 });
        }
        return placed.sort((a, b) => a.y - b.y).map((p) => p.name);
      }),
    );
  }

  /** Drags NAME's card with the mouse onto lane `toLane` (over its first card, or the lane itself when it is empty). */
  async dragWithMouse(name: string, toLane: number): Promise<void> {
    const card = this.card(name);
    await card.scrollIntoViewIfNeeded();
    const from = await centre(card);
    const lane = this.lane(toLane);
    const first = lane.getByRole('listitem').first();
    const to = await centre((await first.count()) > 0 ? first : lane);
    const mouse = this.page.mouse;
    await mouse.move(from.x, from.y);
    await mouse.down();
    await mouse.move(from.x + 8, from.y + 8, { steps: 4 });
    await mouse.move(to.x, to.y, { steps: DRAG_STEPS });
    await mouse.up();
  }

  /** Focuses NAME's card, picks it up with Space, presses `moves` (arrows), drops it with Space. */
  async moveWithKeyboard(name: string, moves: readonly string[]): Promise<void> {
    const card = this.card(name);
    await card.focus();
    await expect(card).toBeFocused();
    await this.page.keyboard.press('Space');
    for (const key of moves) {
      await this.page.waitForTimeout(KEY_GAP_MS);
      await this.page.keyboard.press(key);
    }
    await this.page.waitForTimeout(KEY_GAP_MS);
    await this.page.keyboard.press('Space');
  }

  /** Presses a destructive control (Abort, Roll back) and confirms it in its dialog. */
  async confirmed(control: Locator): Promise<void> {
    await control.click();
    await expect(this.confirmation).toBeVisible();
    await this.confirmation.getByRole('button', { name: /^(?!Cancel)/ }).click();
    await expect(this.confirmation).toBeHidden();
  }
}

async function centre(l: Locator): Promise<{ x: number; y: number }> {
  const box = await l.boundingBox();
  if (!box) throw new Error(`${l.toString()} is not visible`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}
