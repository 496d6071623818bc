// The options every fleet command parsed on its own takes (--fleet, --timeout, --json), and its
// checks: no positional besides the command, a timeout in range. Errors are the caller's usage
// error (exit 2).
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

const COMMON = {
  fleet: { type: 'string' },
  timeout: { type: 'string', default: '10' },
  json: { type: 'boolean', default: false },
} as const satisfies Options;

type Config<O extends Options> = { args: string[]; allowPositionals: true; options: typeof COMMON & O };
type Values<O extends Options> = ReturnType<typeof parseArgs<Config<O>>>['values'];

export function parseCommandArgs<O extends Options>(
  argv: readonly string[],
  command: string,
  options: O,
  usageError: new (message: string) => Error,
): { values: Values<O>; timeoutS: number; fleetFile?: string } {
  let parsed;
  try {
    parsed = parseArgs<Config<O>>({ args: [...argv], allowPositionals: true, options: { ...COMMON, ...options } });
  } catch (err) {
    throw new usageError((err as Error).message);
  }
  const { positionals } = parsed;
  const values = parsed.values as Values<O>;
  const common = values as { timeout?: string; fleet?: string };
  const [, ...extra] = positionals;
  if (extra.length > 0) throw new usageError(`${command} takes no arguments besides its options, got "${extra.join(' ')}"`);
  const timeoutS = Number(common.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0 || timeoutS > 600) throw new usageError(`--timeout must be a number of seconds between 0 and 600, got "${common.timeout}"`);
  return { values, timeoutS, ...(common.fleet !== undefined ? { fleetFile: common.fleet } : {}) };
}
