// The Electron shell, where its binary exists. This machine has none (it cannot be downloaded
// here), so the spec skips with that reason; everything else runs in browser mode.
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { electronBinary } from '../../main/launch/electronBinary';
import { buildElectronShell } from '../../main/launch/electronBuild';
import { lab, ROOT } from '../support/lab';

const binary = electronBinary();

test('the Electron window shows the fleet, sandboxed and isolated', async () => {
  test.skip(!binary, 'no Electron binary installed: npm skips its download (allowScripts) and this machine cannot fetch it; run `node node_modules/electron/install.js` where a network exists');
  await buildElectronShell();
  const app = await electron.launch({ executablePath: binary!, args: [path.join(ROOT, 'dist/electron/app.cjs'), '--fleet', lab().fleetFile] });
  try {
    const page = await app.firstWindow();
    await expect(page.getByRole('grid', { name: 'Containers' })).toBeVisible({ timeout: 30_000 });
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const wc = BrowserWindow.getAllWindows()[0]!.webContents;
      return (wc as unknown as { getLastWebPreferences(): Record<string, unknown> }).getLastWebPreferences();
    });
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    // Navigation away and pop-ups are denied.
    await page.evaluate(() => (globalThis as unknown as { open(url: string): unknown }).open('https://example.invalid/'));
    expect(app.windows()).toHaveLength(1);
  } finally {
    await app.close();
  }
});
