// Opens the console in a Chromium app window (browser mode). The flags keep Chromium from
// calling home: this tool runs on locked-down ops machines.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export function findChromium(): string | undefined {
  return CANDIDATES.find((p) => existsSync(p));
}

export function openAppWindow(binary: string, url: string): void {
  const profile = path.join(os.homedir(), '.cache', 'fleetdeck', 'chromium');
  mkdirSync(profile, { recursive: true });
  const args = [
    `--app=${url}`,
    `--user-data-dir=${profile}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--window-size=1600,1000',
  ];
  // Chromium refuses to run as root with its sandbox on.
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  const child = spawn(binary, args, { stdio: 'ignore', detached: true });
  child.on('error', () => {});
  child.unref();
}
