// The per-user data directory for durable state (audit log, later the rollout journal and alert
// history): $FLEETDECK_DATA_DIR, else $XDG_DATA_HOME/fleetdeck, else ~/.local/share/fleetdeck.
import os from 'node:os';
import path from 'node:path';

export function dataDirectory(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  if (env.FLEETDECK_DATA_DIR) return path.resolve(env.FLEETDECK_DATA_DIR);
  if (env.XDG_DATA_HOME) return path.join(path.resolve(env.XDG_DATA_HOME), 'fleetdeck');
  return path.join(home, '.local', 'share', 'fleetdeck');
}

/** The OS user acting, as the audit log names them. */
export function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.LOGNAME ?? `uid ${process.getuid?.() ?? '?'}`;
  }
}
