// "Shell as…": the command line a user types, split into argv like a POSIX shell would for
// simple cases (spaces separate words; '…' and "…" group; backslash escapes), and the user
// field checked against what docker exec --user accepts.

export type SplitResult = { ok: true; argv: string[] } | { ok: false; error: string };

export function splitCommand(line: string): SplitResult {
  const argv: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote === "'") {
      if (ch === "'") quote = null;
      else word += ch;
      continue;
    }
    if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) word += line[++i];
      else word += ch;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) argv.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) return { ok: false, error: `unclosed ${quote === '"' ? 'double' : 'single'} quote` };
  if (inWord) argv.push(word);
  if (argv.some((a) => a === '')) return { ok: false, error: 'empty argument' };
  if (argv.length > 64) return { ok: false, error: 'too many arguments (at most 64)' };
  return { ok: true, argv };
}

/** docker exec --user: "name", "uid", "name:group" or "uid:gid". */
export const USER_PATTERN = /^[A-Za-z0-9._-]+(:[A-Za-z0-9._-]+)?$/;

export function checkUser(user: string): string | undefined {
  if (user === '' || USER_PATTERN.test(user)) return undefined;
  return 'use a name or uid, optionally with :group (e.g. root, 1000:1000)';
}
