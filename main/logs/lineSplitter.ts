// Splits one stream's bytes into lines: UTF-8 decoded with a decoder of its own (a character
// split across frames arrives whole), a partial line kept until its newline or the end. With
// timestamps on, each line starts with the daemon's RFC 3339 time and a space.
import { StringDecoder } from 'node:string_decoder';

/**
 * A line longer than this (a process writing without newlines) is cut here rather than held
 * whole: dockerd itself splits log messages at 16 KiB, so no real line comes near it.
 */
export const MAX_LINE_CHARS = 1024 * 1024;

export interface TimedLine {
  time: string;
  line: string;
}

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(private readonly onLine: (line: TimedLine) => void) {}

  push(bytes: Buffer): void {
    const text = this.partial + this.decoder.write(bytes);
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
      this.onLine(splitTimestamp(text.slice(start, nl)));
      start = nl + 1;
    }
    this.partial = text.slice(start);
    if (this.partial.length >= MAX_LINE_CHARS) {
      this.onLine(splitTimestamp(this.partial));
      this.partial = '';
    }
  }

  /** The stream ended: a last line without its newline is a line too. */
  end(): void {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    if (rest.length > 0) this.onLine(splitTimestamp(rest));
  }
}

/** "2026-12-02T01:02:03.123Z text" → its time and text; a line without a time keeps time "". */
export function splitTimestamp(text: string): TimedLine {
  const space = text.indexOf(' ');
  const head = space === -1 ? text : text.slice(0, space);
  if (!/^\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)$/.test(head)) return { time: '', line: text };
  return { time: head, line: space === -1 ? '' : text.slice(space + 1) };
}
