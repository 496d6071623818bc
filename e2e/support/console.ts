// Starts the console exactly as `npm start -- --browser --no-open` does, and hands tests its URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { testDataDir } from './dataDir';
import { ROOT } from './lab';

export interface RunningConsole {
  /** The launch URL, with the per-launch token. */
  launchUrl: string;
  origin: string;
  port: number;
  token: string;
  log: string[];
  stop(): Promise<void>;
}

/**
 * `dataDir`: the console's audit log; by default the test run's (see dataDir.ts), shared with the CLIs a spec runs.
 * `env`: more environment (e.g. the lab's registry credentials, support/lab.ts labRegistryEnv).
 */
export async function startConsole(fleetFile: string, dataDir = testDataDir(), env: Record<string, string> = {}): Promise<RunningConsole> {
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'main/launch/start.ts', '--browser', '--no-open', '--fleet', fleetFile], {
    cwd: ROOT,
    env: { ...process.env, ...env, FLEETDECK_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => log.push(l));
  const launchUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the console did not start in 120 s:\n${log.join('\n')}`)), 120_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`the console exited (${code}):\n${log.join('\n')}`)));
  });
  const url = new URL(launchUrl);
  return {
    launchUrl,
    origin: url.origin,
    port: Number(url.port),
    token: url.searchParams.get('token') ?? '',
    log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
