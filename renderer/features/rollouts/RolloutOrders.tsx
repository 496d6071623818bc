// A rollout's order buttons (Pause, Resume, Abort, Roll back: those its state takes, or the ones
// a caller names). Abort and Roll back ask first, in place: the button gives way to what it will
// do, a confirm button (focused) and Cancel. While an order is in flight every button waits; a
// refused order shows its reason next to them.
import { useEffect, useRef, useState } from 'react';
import type { RolloutControlOp, RolloutSummary } from '../../../shared/rollout';
import { useRollouts } from '../../stores/rollouts';
import { DESTRUCTIVE, ORDER_LABEL, ordersFor, rolloutTitle } from './rolloutRows';

const CONFIRM_TEXT: Record<'abort' | 'rollback', string> = {
  abort: 'finishes the step in flight, then stops: each container keeps its old or its new revision.',
  rollback: 'returns every container it touched to its previous revision (same IP and MAC).',
};

export function RolloutOrders({ rollout, only }: { rollout: RolloutSummary; only?: readonly RolloutControlOp[] }) {
  const pending = useRollouts((s) => s.pending.get(rollout.id));
  const refused = useRollouts((s) => s.refused.get(rollout.id));
  const [asking, setAsking] = useState<'abort' | 'rollback' | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const orders = ordersFor(rollout.state).filter((op) => !only || only.includes(op));

  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);
  useEffect(() => setAsking(null), [rollout.state]);

  const order = (op: RolloutControlOp) => void useRollouts.getState().control(rollout.id, op);

  if (asking) {
    return (
      <div className="rollout-orders is-asking" role="group" aria-label={`Confirm ${ORDER_LABEL[asking].toLowerCase()}`}>
        <span className="rollout-confirm-text">
          {ORDER_LABEL[asking]} the {rolloutTitle(rollout)}? It {CONFIRM_TEXT[asking]}
        </span>
        <button
          ref={confirmRef}
          type="button"
          className="btn btn-danger btn-small"
          onClick={() => {
            setAsking(null);
            order(asking);
          }}
        >
          Confirm {ORDER_LABEL[asking].toLowerCase()}
        </button>
        <button type="button" className="btn btn-small" onClick={() => setAsking(null)} onKeyDown={(e) => e.key === 'Escape' && setAsking(null)}>
          Cancel
        </button>
      </div>
    );
  }
  if (orders.length === 0) return null;
  return (
    <div className="rollout-orders">
      {orders.map((op) => (
        <button
          key={op}
          type="button"
          className={`btn btn-small${op === 'resume' ? ' btn-primary' : ''}`}
          disabled={pending !== undefined}
          onClick={() => (DESTRUCTIVE.has(op) ? setAsking(op as 'abort' | 'rollback') : order(op))}
        >
          {ORDER_LABEL[op]}
        </button>
      ))}
      {pending && <span className="muted" aria-live="polite">{ORDER_LABEL[pending]}…</span>}
      {refused && (
        <span className="rollout-refused" role="alert">
          {ORDER_LABEL[refused.op]} refused: {refused.message}
        </span>
      )}
    </div>
  );
}
