// Runs the fleetdeck CLI as a user would (`npx fleetdeck …`) and hands tests its exit code and output.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ROOT } from './lab';

const exec = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** npm itself may warn about this machine's npm config; that is not fleetdeck's output. */
const withoutNpmWarnings = (text: string) => text.split('\n').filter((l) => !l.startsWith('npm warn')).join('\n');

export function fleetdeck(...args: string[]): Promise<CliResult> {
  return fleetdeckWith({}, ...args);
}

/** `env`: extra variables, e.g. FLEETDECK_DATA_DIR for a test's own data directory. */
export async function fleetdeckWith(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  const started = Date.now();
  const seconds = () => (Date.now() - started) / 1000;
  try {
    const { stdout, stderr } = await exec('npx', ['fleetdeck', ...args], { cwd: ROOT, timeout: 60_000, maxBuffer: 64 << 20, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr: withoutNpmWarnings(stderr), seconds: seconds() };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: withoutNpmWarnings(e.stderr), seconds: seconds() };
  }
}
