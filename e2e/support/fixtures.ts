import { test as base } from '@playwright/test';
import { FleetPage } from '../pages/fleetPage';
import { startConsole, type RunningConsole } from './console';
import { lab } from './lab';

export const test = base.extend<{ fleet: FleetPage }, { console: RunningConsole }>({
  console: [
    async ({}, use) => {
      const running = await startConsole(lab().fleetFile);
      await use(running);
      await running.stop();
    },
    { scope: 'worker', timeout: 150_000 },
  ],
  fleet: async ({ page, console }, use) => {
    const fleet = new FleetPage(page);
    await page.goto(console.launchUrl);
    await use(fleet);
  },
});

export { expect } from '@playwright/test';
