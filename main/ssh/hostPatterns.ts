// OpenSSH's host pattern lists, shared by known_hosts and ~/.ssh/config.

/** `*` and `?` globs, case-insensitive; any matching `!pattern` excludes the host. */
export function hostPatternsMatch(patterns: readonly string[], host: string): boolean {
  const name = host.toLowerCase();
  let matched = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    if (!glob(negated ? pattern.slice(1) : pattern, name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

function glob(pattern: string, name: string): boolean {
  const regex = pattern
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(name);
}
