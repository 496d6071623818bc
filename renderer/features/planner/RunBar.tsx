// A running (or stopped) plan's bar: its state (shape and word), overall progress (done of all),
// failures against the max failure ratio, the reason it stopped, and the orders its state takes
// (Pause, Resume, Abort, Roll back), each with its key from the keybinding registry (the planner
// listens for them: PlannerView.tsx). Abort and Roll back are confirmed in an AlertDialog first.
import type { RolloutControlOp, RolloutSummary } from '../../../shared/rollout';
import { AlertDialog } from '../../components/AlertDialog';
import { formatPercent } from '../../components/format';
import { ariaKeys, KEYS, keyText, type Binding } from '../../components/keybindings';
import { KeyCaps } from '../../components/keybindingsCaps';
import { Shape } from '../../components/Shape';
import { useRollouts } from '../../stores/rollouts';
import { DESTRUCTIVE, ORDER_LABEL, ordersFor, rolloutTitle, STATE_LOOK } from '../rollouts/rolloutRows';
import { runFigures } from './planView';

export const ORDER_KEY: Record<RolloutControlOp, Binding> = { pause: KEYS.rolloutPause, resume: KEYS.rolloutResume, abort: KEYS.rolloutAbort, rollback: KEYS.rolloutRollback };

const CONFIRM_TEXT: Record<'abort' | 'rollback', string> = {
  abort: 'It finishes the step in flight, then stops: each container keeps its old or its new revision.',
  rollback: 'Every container it touched returns to its previous revision (same IP and MAC).',
};

export type Asking = 'abort' | 'rollback' | null;

/** Gives an order, or asks first for a destructive one. */
export function requestOrder(rollout: RolloutSummary, op: RolloutControlOp, ask: (op: Asking) => void): void {
  if (!ordersFor(rollout.state).includes(op)) return;
  if (DESTRUCTIVE.has(op)) ask(op as 'abort' | 'rollback');
  else void useRollouts.getState().control(rollout.id, op);
}

export function RunBar({ rollout, maxFailureRatio, asking, onAsk }: { rollout: RolloutSummary; maxFailureRatio: number; asking: Asking; onAsk(op: Asking): void }) {
  const pending = useRollouts((s) => s.pending.get(rollout.id));
  const refused = useRollouts((s) => s.refused.get(rollout.id));
  const look = STATE_LOOK[rollout.state];
  const f = runFigures(rollout.containers, maxFailureRatio);
  const orders = ordersFor(rollout.state);
  return (
    <div className={`plan-runbar state-${rollout.state}`}>
      <span className={`rollout-state plan-run-state ro-tone-${look.tone}`} title={look.title}>
        <Shape kind={look.shape} /> {rollout.state}
      </span>
      <span className="plan-progress" aria-label={`${f.done} of ${f.total} done`}>
        <span className="ro-progress plan-progress-bar" aria-hidden="true"><span style={{ width: `${f.total ? (100 * f.done) / f.total : 0}%` }} /></span>
        <span className="mono">{f.done} of {f.total} done</span>
      </span>
      <span className={`plan-failures${f.overLimit ? ' is-over' : ''}`} title="Failed containers of all, against the max failure ratio">
        {f.overLimit && <Shape kind="cross" />} {f.failed} failed ({formatPercent(f.ratio * 100)}) · limit {formatPercent(maxFailureRatio * 100)}
        {f.rolledBack > 0 && <> · {f.rolledBack} rolled back</>}
      </span>
      {rollout.reason && <span className="rollout-reason" title={rollout.reason}>{rollout.reason}</span>}
      <span className="toolbar-spacer" />
      {orders.map((op) => (
        <OrderButton key={op} op={op} binding={ORDER_KEY[op]} disabled={pending !== undefined} onClick={() => requestOrder(rollout, op, onAsk)} />
      ))}
      {pending && <span className="muted" aria-live="polite">{ORDER_LABEL[pending]}…</span>}
      {refused && (
        <span className="rollout-refused" role="alert">
          {ORDER_LABEL[refused.op]} refused: {refused.message}
        </span>
      )}
      {asking && (
        <AlertDialog
          title={`${ORDER_LABEL[asking]} the ${rolloutTitle(rollout)}?`}
          confirmLabel={ORDER_LABEL[asking]}
          tone="danger"
          initialFocus="cancel"
          onCancel={() => onAsk(null)}
          onConfirm={() => {
            onAsk(null);
            void useRollouts.getState().control(rollout.id, asking);
          }}
        >
          <p>{CONFIRM_TEXT[asking]}</p>
          <p className="muted">
            {f.done} of {f.total} done, {f.failed} failed.
          </p>
        </AlertDialog>
      )}
    </div>
  );
}

function OrderButton({ op, binding, disabled, onClick }: { op: RolloutControlOp; binding: Binding; disabled: boolean; onClick(): void }) {
  return (
    <button
      type="button"
      className={`btn btn-small${op === 'resume' ? ' btn-primary' : DESTRUCTIVE.has(op) ? ' plan-order-danger' : ''}`}
      disabled={disabled}
      aria-label={ORDER_LABEL[op]}
      aria-keyshortcuts={ariaKeys(binding)}
      title={`${ORDER_LABEL[op]} (${keyText(binding)})${DESTRUCTIVE.has(op) ? ', asked first' : ''}`}
      onClick={onClick}
    >
      {ORDER_LABEL[op]} <KeyCaps binding={binding} />
    </button>
  );
}
