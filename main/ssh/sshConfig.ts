// ~/.ssh/config, the parts a fleet needs: Host blocks with HostName, User, Port and IdentityFile.
// As in OpenSSH, blocks apply in file order and the first value obtained for an option wins
// (IdentityFile accumulates). Match blocks and Include are not supported: their options are skipped.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { hostPatternsMatch } from './hostPatterns';

export interface SshConfigBlock {
  /** Host patterns; undefined for the options before the first Host line (they apply to every host). */
  patterns: string[] | undefined;
  /** False for a Match block: never applied. */
  applies: boolean;
  options: { keyword: string; args: string[] }[];
}

export interface SshHostConfig {
  hostName?: string;
  user?: string;
  port?: number;
  /** Absolute paths, in the order to try them. */
  identityFiles: string[];
}

export function parseSshConfig(text: string): SshConfigBlock[] {
  const blocks: SshConfigBlock[] = [{ patterns: undefined, applies: true, options: [] }];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^([^\s=]+)\s*(?:=\s*|\s)(.*)$/.exec(line);
    if (!match) continue;
    const keyword = match[1]!.toLowerCase();
    const args = splitArgs(match[2]!);
    if (keyword === 'host') blocks.push({ patterns: args, applies: true, options: [] });
    else if (keyword === 'match') blocks.push({ patterns: [], applies: false, options: [] });
    else blocks[blocks.length - 1]!.options.push({ keyword, args });
  }
  return blocks;
}

/** Whitespace-separated words; double quotes group, and a trailing comment ends the line. */
function splitArgs(text: string): string[] {
  const args: string[] = [];
  for (const m of text.matchAll(/"([^"]*)"|(\S+)/g)) {
    if (m[2]?.startsWith('#')) break;
    args.push(m[1] ?? m[2]!);
  }
  return args;
}

export interface SshConfigContext {
  home: string;
  localUser: string;
}

/** The options for `alias` (the host name as given to ssh). */
export function resolveSshConfig(blocks: readonly SshConfigBlock[], alias: string, context: SshConfigContext): SshHostConfig {
  const found: SshHostConfig = { identityFiles: [] };
  const rawIdentities: string[] = [];
  for (const block of blocks) {
    if (!block.applies || (block.patterns && !hostPatternsMatch(block.patterns, alias))) continue;
    for (const { keyword, args } of block.options) {
      const value = args[0];
      if (value === undefined) continue;
      if (keyword === 'hostname') found.hostName ??= value;
      else if (keyword === 'user') found.user ??= value;
      else if (keyword === 'port') found.port ??= validPort(value);
      else if (keyword === 'identityfile') rawIdentities.push(value);
    }
  }
  const hostName = found.hostName === undefined ? alias : expandTokens(found.hostName, { h: alias });
  if (found.hostName !== undefined) found.hostName = hostName;
  const tokens = { h: hostName, d: context.home, u: context.localUser, r: found.user ?? context.localUser };
  found.identityFiles = [...new Set(rawIdentities.map((file) => expandPath(expandTokens(file, tokens), context.home)))];
  return found;
}

function validPort(value: string): number | undefined {
  const port = Number(value);
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? port : undefined;
}

function expandTokens(value: string, tokens: Record<string, string>): string {
  return value.replace(/%(.)/g, (whole, letter: string) => (letter === '%' ? '%' : (tokens[letter] ?? whole)));
}

/** `~` is the home directory; a relative path is taken from it too, as ssh does for files it reads. */
function expandPath(file: string, home: string): string {
  if (file === '~') return home;
  if (file.startsWith('~/')) return path.join(home, file.slice(2));
  return path.resolve(home, file);
}

/** ~/.ssh/config under `home`; a missing or unreadable file is an empty config. */
export function readSshConfig(home: string): SshConfigBlock[] {
  try {
    return parseSshConfig(readFileSync(path.join(home, '.ssh', 'config'), 'utf8'));
  } catch {
    return [];
  }
}
