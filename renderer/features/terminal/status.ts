// A session's status at a glance: shape (never colour alone) and a short word.
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
