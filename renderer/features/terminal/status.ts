// A session's status at a glance: shape (never colour alone) and a short word; and the mark of
// output main skipped under a flood.
import { formatDecimal } from '../../components/format';
import type { ShapeKind } from '../../components/Shape';
import type { TerminalSession, TerminalStatus } from '../../stores/terminals';

export const STATUS_SHAPE: Record<TerminalStatus, ShapeKind> = { opening: 'ring', open: 'dot', exited: 'square', failed: 'triangle' };

/** "", "connecting", "exit 137", "ended", "failed". */
export function statusWord(s: Pick<TerminalSession, 'status' | 'exit'>): string {
  switch (s.status) {
    case 'open': return '';
    case 'opening': return 'connecting';
    case 'exited': return s.exit?.code !== null && s.exit?.code !== undefined ? `exit ${s.exit.code}` : 'ended';
    case 'failed': return 'failed';
  }
}

/** Decimal sizes, as a flood's volume is read: "840 B", "12.3 MB" (characters, which are bytes for the ASCII a flood mostly is). */
const decimalSize = (chars: number) => formatDecimal(chars, ['B', 'kB', 'MB', 'GB']);

/** The tab's mark: "skipped 12.3 MB" (empty when nothing was skipped). */
export function skippedWord(chars: number): string {
  return chars > 0 ? `skipped ${decimalSize(chars)}` : '';
}

/** The mark's tooltip and the tab's accessible description. */
export function skippedDescription(chars: number): string {
  return `Output came faster than the screen could draw it: ${decimalSize(chars)} was skipped, and the screen shows the session as it is now. Once the flood stops, its last lines are in the scrollback. This mark clears when you type in the tab a few seconds after the last skip.`;
}
