// npm start: Electron when its binary is installed; otherwise browser mode on 127.0.0.1, opened in
// a Chromium app window when Chromium is found, else the URL (with its token) is printed.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDispatcher } from '../core/dispatch';
import { openFleet } from '../core/open';
import { startWebServer } from '../web/server';
import { findChromium, openAppWindow } from './chromium';
import { electronBinary } from './electronBinary';
import { ensureRendererBuilt, RENDERER_DIST, ROOT } from './rendererBuild';

const USAGE = `Usage: npm start -- [--fleet FILE] [--port N] [--no-open] [--browser]
  --fleet FILE  fleet file (YAML); default: DOCKER_HOST, the docker context, /var/run/docker.sock
  --port N      browser mode: port on 127.0.0.1 (default: a free port)
  --no-open     browser mode: print the URL instead of opening a window
  --browser     use browser mode even when Electron is installed
`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        fleet: { type: 'string' },
        port: { type: 'string' },
        'no-open': { type: 'boolean', default: false },
        browser: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be a port number, got "${values.port}"\n`);
    return 2;
  }
  const log = (m: string) => process.stderr.write(`fleetdeck: ${m}\n`);
  await ensureRendererBuilt(log);

  const electron = values.browser ? undefined : electronBinary();
  if (electron) {
    const { buildElectronShell } = await import('./electronBuild');
    await buildElectronShell();
    const args = [path.join(ROOT, 'dist/electron/app.cjs'), ...(values.fleet ? ['--fleet', path.resolve(values.fleet)] : [])];
    const child = spawn(electron, args, { stdio: 'inherit' });
    return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
  }

  const { spec, core } = await openFleet({ fleetFile: values.fleet, mode: 'browser', log });
  const server = await startWebServer({ dispatcher: createDispatcher(core.api), staticDir: RENDERER_DIST, port, log });
  log(`fleet from ${spec.source}: ${spec.hosts.length} host${spec.hosts.length === 1 ? '' : 's'}`);
  const chromium = values['no-open'] ? undefined : findChromium();
  if (chromium) {
    log(`opening ${server.url} in ${chromium}`);
    openAppWindow(chromium, server.launchUrl);
  } else {
    if (!values['no-open']) log('Electron and Chromium not found; open this URL in a browser:');
  }
  process.stdout.write(`${server.launchUrl}\n`);

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  await core.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`fleetdeck: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
