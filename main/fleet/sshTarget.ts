// Builds the SSH target for a host: the fleet file's explicit values win, then ~/.ssh/config
// (Host blocks matched against the name given), then the defaults ssh itself would use.
import { readFileSync } from 'node:fs';
import { readSshConfig, resolveSshConfig, type SshConfigBlock } from '../ssh/sshConfig';
import { defaultIdentities, defaultKnownHosts, type FleetEnv } from './environment';
import type { SshTarget } from './spec';

export interface ExplicitSsh {
  /** The host as given (an alias ~/.ssh/config may map with HostName). */
  host: string;
  user?: string | undefined;
  port?: number | undefined;
  /** Keys from an explicit identityFile; when given, ~/.ssh/config and default keys are not used. */
  identities?: Buffer[] | undefined;
  knownHostsFiles?: string[] | undefined;
}

export function buildSshTarget(explicit: ExplicitSsh, env: FleetEnv, config: readonly SshConfigBlock[]): SshTarget {
  const found = resolveSshConfig(config, explicit.host, { home: env.home, localUser: env.user });
  const keys = explicit.identities ?? nonEmpty(readableKeys(found.identityFiles)) ?? defaultIdentities(env);
  const target: SshTarget = {
    host: found.hostName ?? explicit.host,
    port: explicit.port ?? found.port ?? 22,
    user: explicit.user ?? found.user ?? env.user,
    knownHostsFiles: explicit.knownHostsFiles ?? defaultKnownHosts(env),
  };
  const [first, ...rest] = keys;
  if (first) target.privateKey = first;
  if (rest.length > 0) target.extraPrivateKeys = rest;
  if (env.vars.SSH_AUTH_SOCK) target.agentSocket = env.vars.SSH_AUTH_SOCK;
  return target;
}

/** The user's ssh config, read once per fleet. */
export function userSshConfig(env: FleetEnv): SshConfigBlock[] {
  return readSshConfig(env.home);
}

/** As ssh does, an IdentityFile from the config that does not exist is skipped. */
function readableKeys(files: string[]): Buffer[] {
  return files.flatMap((file) => {
    try {
      return [readFileSync(file)];
    } catch {
      return [];
    }
  });
}

function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}
