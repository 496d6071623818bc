// Electron main: serves the built renderer from a private scheme, binds the contract to IPC.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { app, dialog, net, protocol, session } from 'electron';
import { createDispatcher } from '../core/dispatch';
import { openFleet } from '../core/open';
import { CONTENT_SECURITY_POLICY } from '../web/server';
import { APP_HOST, APP_SCHEME } from './channels';
import { registerContract } from './ipc';
import { allowsPermission } from './permissions';
import { createMainWindow } from './window';

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const RENDERER_DIR = path.resolve(__dirname, '../renderer');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

async function main(): Promise<void> {
  const { values } = parseArgs({ args: process.argv.slice(app.isPackaged ? 1 : 2), options: { fleet: { type: 'string' } }, strict: false });
  await app.whenReady();
  // Desktop notifications of new alerts for the app's page; every other permission is denied.
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback, details) => callback(allowsPermission(permission, details.requestingUrl)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission, requestingOrigin) => allowsPermission(permission, requestingOrigin));
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = path.normalize(path.join(RENDERER_DIR, decodeURIComponent(url.pathname)));
    if (url.host !== APP_HOST || !file.startsWith(RENDERER_DIR + path.sep)) return new Response('not found', { status: 404 });
    try {
      return new Response(await readFile(file), {
        headers: { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-security-policy': CONTENT_SECURITY_POLICY },
      });
    } catch {
      return net.fetch('about:blank');
    }
  });
  let opened;
  try {
    opened = await openFleet({ fleetFile: typeof values.fleet === 'string' ? values.fleet : undefined, mode: 'electron' });
  } catch (err) {
    dialog.showErrorBox('fleetdeck: cannot open the fleet', (err as Error).message);
    app.exit(1);
    return;
  }
  const { core } = opened;
  registerContract(createDispatcher(core.api));
  createMainWindow(path.join(__dirname, 'preload.cjs'));
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => void core.close());
}

void main();
