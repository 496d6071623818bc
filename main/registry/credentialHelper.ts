// Runs a docker credential helper the way the docker CLI does (docker-credential-helpers' client):
// `docker-credential-NAME get`, the server URL on stdin, {ServerURL, Username, Secret} JSON on
// stdout. A missing, failing, hanging or garbled helper is a clear error, never a hang; its answer
// stays in memory and no error quotes it.
import { spawn } from 'node:child_process';
import type { Clock } from '../clock/clock';
import { RegistryError, type RegistryCredentials } from './types';

/** The message every helper prints (on stdout, exit 1) when it has nothing for that server. */
const NOT_FOUND = 'credentials not found in native keychain';
/** The Username a helper stores an identity token under (docker/cli's tokenUsername). */
const TOKEN_USERNAME = '<token>';
/** An answer is one small JSON object; more than this is not a helper speaking the protocol. */
const MAX_OUTPUT_BYTES = 64 * 1024;
/** How much of a failing helper's own message we show: its first line, which says what went wrong. */
const MAX_MESSAGE_CHARS = 200;

export interface HelperRun {
  /** The helper's name: the program is docker-credential-NAME, found on env.PATH. */
  name: string;
  serverUrl: string;
  /** The helper's environment (PATH finds it; keychain helpers need HOME, DBUS_SESSION_BUS_ADDRESS …). */
  env: Record<string, string | undefined>;
  clock: Clock;
  timeoutMs: number;
}

/** The helper's credentials for serverUrl, or undefined when it has none. */
export function runCredentialHelper(run: HelperRun): Promise<RegistryCredentials | undefined> {
  const program = `docker-credential-${run.name}`;
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout stops what a helper script started too (a keychain
    // prompt, a sleep), not just the script.
    const child = spawn(program, ['get'], { env: run.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      run.clock.clearTimeout(timer);
      outcome();
    };
    const fail = (message: string) => finish(() => reject(new RegistryError(`${program}: ${message}`, 'auth')));
    const stop = (message: string) => {
      // The group, even when the script itself has exited: what it left running may hold stdout.
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // The whole group ended on its own meanwhile.
        }
      }
      fail(message);
    };
    const timer = run.clock.setTimeout(() => stop(`no answer within ${run.timeoutMs / 1000} s for ${run.serverUrl}; stopped it`), run.timeoutMs);
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES) stop(`answered more than ${MAX_OUTPUT_BYTES / 1024} KB: not a credential helper's answer`);
      else into.push(chunk);
    };
    child.stdout.on('data', collect(stdout));
    child.stderr.on('data', collect(stderr));
    child.on('error', (err: NodeJS.ErrnoException) =>
      fail(err.code === 'ENOENT' ? 'not found on PATH (is the credential helper installed?)' : `cannot run it: ${err.code ?? err.message}`),
    );
    // A helper that exits before reading its input makes the write fail with EPIPE; its exit says why.
    child.stdin.on('error', () => {});
    child.on('close', (code) => {
      const out = Buffer.concat(stdout).toString('utf8').trim();
      if (code !== 0) {
        if (out.includes(NOT_FOUND)) return finish(() => resolve(undefined));
        const said = firstLine(out) || firstLine(Buffer.concat(stderr).toString('utf8'));
        return fail(`get failed (exit ${code ?? 'by signal'})${said ? `: ${said}` : ''}`);
      }
      const credentials = parseAnswer(out);
      if (credentials === 'garbage') return fail(`answered something other than {ServerURL, Username, Secret} JSON for ${run.serverUrl}`);
      finish(() => resolve(credentials));
    });
    child.stdin.end(run.serverUrl);
  });
}

function parseAnswer(out: string): RegistryCredentials | undefined | 'garbage' {
  let answer: unknown;
  try {
    answer = JSON.parse(out);
  } catch {
    return 'garbage';
  }
  if (typeof answer !== 'object' || answer === null) return 'garbage';
  const { Username, Secret } = answer as { Username?: unknown; Secret?: unknown };
  if (typeof Username !== 'string' || typeof Secret !== 'string') return 'garbage';
  if (!Secret) return undefined;
  return Username === TOKEN_USERNAME ? { identityToken: Secret } : { username: Username, password: Secret };
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0]!.trim();
  return line.length > MAX_MESSAGE_CHARS ? `${line.slice(0, MAX_MESSAGE_CHARS)}…` : line;
}
