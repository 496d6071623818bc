// A log line's ANSI colours as styled segments (anser parses the SGR codes; every other escape
// is removed first, so nothing shows raw), and search hits cut into them. Pure: the row draws
// the segments as spans.
import Anser from 'anser';
import { withoutControls } from './logSearch';

export type Segment = {
  text: string;
  /** CSS classes: the 16 base colours (logs.css, both themes) and the decorations. */
  className: string;
  /** Inline colours of the 256-colour palette and of true colour. */
  color?: string;
  background?: string;
  /** Part of a search hit. */
  hit?: boolean;
};

const DECORATION_CLASS: Record<string, string> = {
  bold: 'ansi-bold', dim: 'ansi-dim', italic: 'ansi-italic', underline: 'ansi-underline', blink: '', reverse: 'ansi-reverse', hidden: 'ansi-hidden', strikethrough: 'ansi-strike',
};

/** xterm's 16 base colours by palette index, as anser names them. */
const BASE = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];
const CUBE = [0, 95, 135, 175, 215, 255];

/** A colour of the 256-colour palette: 0-15 as the base classes draw them, then the 6×6×6 cube and the greys. */
export function paletteColor(n: number): string | { base: string } {
  if (n < 8) return { base: BASE[n]! };
  if (n < 16) return { base: `bright-${BASE[n - 8]!}` };
  if (n < 232) {
    const i = n - 16;
    return `rgb(${CUBE[Math.floor(i / 36)]}, ${CUBE[Math.floor(i / 6) % 6]}, ${CUBE[i % 6]})`;
  }
  const g = 8 + (n - 232) * 10;
  return `rgb(${g}, ${g}, ${g})`;
}

/** One colour of an anser entry: a class (base colours), or an inline value. */
function colour(name: string | null, truecolor: string | null, layer: 'fg' | 'bg'): { cls?: string; value?: string } {
  if (!name) return {};
  if (name === 'ansi-truecolor') return truecolor ? { value: `rgb(${truecolor})` } : {};
  const palette = /^ansi-palette-(\d+)$/.exec(name);
  if (palette) {
    const c = paletteColor(Number(palette[1]));
    return typeof c === 'string' ? { value: c } : { cls: `ansi-${c.base}-${layer}` };
  }
  return { cls: `${name}-${layer}` };
}

/** The line as segments; a line without escapes is one plain segment (the usual case, and cheap). */
export function segmentsOf(line: string): Segment[] {
  const clean = withoutControls(line);
  if (!clean.includes('\x1b')) return [{ text: clean, className: '' }];
  const out: Segment[] = [];
  for (const e of Anser.ansiToJson(clean, { use_classes: true, remove_empty: true })) {
    if (e.content === '') continue;
    const fg = colour(e.fg, e.fg_truecolor, 'fg');
    const bg = colour(e.bg, e.bg_truecolor, 'bg');
    const classes = [fg.cls, bg.cls, ...e.decorations.map((d) => DECORATION_CLASS[d])].filter(Boolean);
    out.push({
      text: e.content,
      className: classes.join(' '),
      ...(fg.value ? { color: fg.value } : {}),
      ...(bg.value ? { background: bg.value } : {}),
    });
  }
  return out;
}

/** Segments cut at the hits' boundaries ([start, end) in the joined text), the hit parts marked. */
export function withHits(segments: readonly Segment[], ranges: readonly (readonly [number, number])[]): Segment[] {
  if (ranges.length === 0) return segments as Segment[];
  const out: Segment[] = [];
  let pos = 0;
  let r = 0;
  for (const seg of segments) {
    const end = pos + seg.text.length;
    let at = pos;
    while (at < end) {
      while (r < ranges.length && ranges[r]![1] <= at) r++;
      const range = ranges[r];
      let next: number;
      let hit = false;
      if (!range || range[0] >= end) next = end;
      else if (range[0] > at) next = range[0];
      else {
        next = Math.min(range[1], end);
        hit = true;
      }
      out.push({ ...seg, text: seg.text.slice(at - pos, next - pos), ...(hit ? { hit: true } : {}) });
      at = next;
    }
    pos = end;
  }
  return out;
}
