// Search in a log view: a substring or a regular expression, matched against a line's text with
// its escapes removed (what the view shows), case-insensitive unless asked. Pure.
import type { LogEntry } from './logBuffer';

export type LogQuery = { text: string; regex: boolean; caseSensitive: boolean };

export type Matcher = {
  /** Does the text hold a match? */
  test(text: string): boolean;
  /** Every match's [start, end) in the text (empty matches skipped). */
  ranges(text: string): [number, number][];
};

export type Compiled = { matcher: Matcher | null; error?: string };

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** No matcher for an empty query; an error (and no matcher) for a regex that does not compile. */
export function compileQuery(q: LogQuery): Compiled {
  if (q.text === '') return { matcher: null };
  let once: RegExp;
  let all: RegExp;
  try {
    const source = q.regex ? q.text : escapeRegex(q.text);
    const flags = q.caseSensitive ? '' : 'i';
    once = new RegExp(source, flags);
    all = new RegExp(source, `${flags}g`);
  } catch (err) {
    return { matcher: null, error: err instanceof Error ? err.message.replace(/^Invalid regular expression: /, '') : String(err) };
  }
  return {
    matcher: {
      test: (text) => once.test(text),
      ranges: (text) => {
        const out: [number, number][] = [];
        all.lastIndex = 0;
        for (let m = all.exec(text); m; m = all.exec(text)) {
          if (m[0].length === 0) {
            all.lastIndex++;
            continue;
          }
          out.push([m.index, m.index + m[0].length]);
        }
        return out;
      },
    },
  };
}

// CSI (colours, cursor moves), OSC (titles, hyperlinks: up to BEL or ST), and the other two-byte
// escapes; then the C0 controls left over (a tab stays).
const OSC = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?/g;
const CSI = /\x1b\[[0-?]*[ -/]*[@-~]/g;
const OTHER_ESC = /\x1b[@-Z\\-_]?/g;
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f]/g;

/** The line without what never shows but the colours: what the ANSI renderer is given. */
export function withoutControls(line: string): string {
  if (!/[\x00-\x08\x0b-\x1f\x7f]/.test(line)) return line;
  // Keep CSI sequences for the colour parser; everything else invisible goes.
  const parts = line.replace(OSC, '').split(CSI);
  const seqs = line.replace(OSC, '').match(CSI) ?? [];
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    out += parts[i]!.replace(OTHER_ESC, '').replace(CONTROLS, '');
    if (i < seqs.length) out += seqs[i];
  }
  return out;
}

/** The line's visible text: every escape and control removed. */
export function plainText(line: string): string {
  if (!/[\x00-\x08\x0b-\x1f\x7f]/.test(line)) return line;
  return line.replace(OSC, '').replace(CSI, '').replace(OTHER_ESC, '').replace(CONTROLS, '');
}

const plainCache = new WeakMap<LogEntry, string>();
/** plainText of an entry's line, computed once. */
export function plainOf(e: LogEntry): string {
  let p = plainCache.get(e);
  if (p === undefined) {
    p = plainText(e.line);
    plainCache.set(e, p);
  }
  return p;
}
