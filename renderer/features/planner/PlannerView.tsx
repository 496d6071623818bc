// The planner region "Rollout plan", shown in the Rollouts tab while a plan is open (issue 12):
// a head (what it plans, "Back to rollouts" with Escape), while editing its settings
// (PlanSettings), its warnings and Run; while running its run bar (RunBar: progress, failures,
// orders with keys); and the lanes (PlanLanes) with each container's card and live step.
//
// Keys (outside text fields, menus and dialogs, and while nothing is picked up): Escape goes back
// to the rollouts (a running rollout keeps running); p, r, a, b give the orders the rollout's state
// takes (components/keybindings.ts), Abort and Roll back asked first.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RolloutContainer, RolloutControlOp } from '../../../shared/rollout';
import { matches } from '../../components/keybindings';
import { Shape } from '../../components/Shape';
import { useNow } from '../../components/useNow';
import { usePlanner, type PlanOpen } from '../../stores/planner';
import { useRollouts } from '../../stores/rollouts';
import { containerKey } from '../rollouts/rolloutRows';
import { PlanLanes } from './PlanLanes';
import { PlanSettings } from './PlanSettings';
import { ORDER_KEY, requestOrder, RunBar, type Asking } from './RunBar';
import './planner.css';

/** Warnings shown before "N more": a plan with many (one per lane) would push its lanes off the screen. */
const WARNINGS_SHOWN = 2;

function Warnings({ warnings }: { warnings: readonly string[] }) {
  const [all, setAll] = useState(false);
  if (warnings.length === 0) return <span className="muted plan-no-warnings">No warnings.</span>;
  const shown = all ? warnings : warnings.slice(0, WARNINGS_SHOWN);
  return (
    <ul className="plan-warnings" aria-label="Warnings">
      {shown.map((w) => (
        <li key={w}>
          <Shape kind="triangle" /> {w}
        </li>
      ))}
      {warnings.length > shown.length && (
        <li>
          <button type="button" className="plan-warnings-more" aria-expanded={false} onClick={() => setAll(true)}>
            {warnings.length - shown.length} more warning{warnings.length - shown.length === 1 ? '' : 's'}…
          </button>
        </li>
      )}
    </ul>
  );
}

const ACTION_TITLE: Record<PlanOpen['action'], string> = { restart: 'Rolling restart', deploy: 'Deploy', rollback: 'Roll back' };

/** "Rolling restart of payments-api", "Deploy of 3 containers → reg/api:1.2". */
function planTitle(request: PlanOpen | undefined, count: number): string {
  if (!request) return 'Rollout';
  const scope = 'service' in request ? request.service : `${count} container${count === 1 ? '' : 's'}`;
  const tail = request.action === 'deploy' ? ` → ${request.image}` : request.action === 'rollback' && request.toRevision !== undefined ? ` to revision ${request.toRevision}` : '';
  return `${ACTION_TITLE[request.action]} of ${scope}${tail}`;
}

/** Where the planner's keys do not apply: typing, choosing, or another layer has the keyboard. */
const OWN_KEYS = 'input, select, textarea, [role=menu], [role=dialog], [role=alertdialog], .xterm';

export function PlannerView() {
  const status = usePlanner((s) => s.status);
  const request = usePlanner((s) => s.request);
  const cards = usePlanner((s) => s.cards);
  const lanes = usePlanner((s) => s.lanes);
  const mode = usePlanner((s) => s.mode);
  const params = usePlanner((s) => s.params);
  const warnings = usePlanner((s) => s.warnings);
  const error = usePlanner((s) => s.error);
  const rolloutId = usePlanner((s) => s.rolloutId);
  const rollout = useRollouts((s) => (rolloutId ? s.rollouts.get(rolloutId) : undefined));
  const [invalid, setInvalid] = useState<ReadonlySet<string>>(new Set());
  const [asking, setAsking] = useState<Asking>(null);
  const dragging = useRef(false);
  const regionRef = useRef<HTMLElement>(null);
  const now = useNow();

  const editable = status === 'editing';
  const live = useMemo(() => new Map<string, RolloutContainer>((rollout?.containers ?? []).map((c) => [containerKey(c), c])), [rollout]);
  const onValidity = useCallback((field: string, ok: boolean) => {
    setInvalid((prev) => {
      if (prev.has(field) === !ok) return prev;
      const next = new Set(prev);
      if (ok) next.delete(field);
      else next.add(field);
      return next;
    });
  }, []);
  const onDragging = useCallback((active: boolean) => {
    dragging.current = active;
  }, []);

  const state = useRef({ rollout, asking });
  state.current = { rollout, asking };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const { rollout: r, asking: a } = state.current;
      if (e.defaultPrevented || dragging.current || a) return;
      const target = e.target as HTMLElement;
      if (target !== document.body && !regionRef.current?.contains(target)) return;
      if (target.closest(OWN_KEYS)) return;
      if (e.key === 'Escape' && !e.ctrlKey && !e.altKey && !e.metaKey && !e.shiftKey) {
        e.preventDefault();
        usePlanner.getState().close();
        return;
      }
      if (!r) return;
      const op = (Object.keys(ORDER_KEY) as RolloutControlOp[]).find((o) => matches(ORDER_KEY[o], e));
      if (!op) return;
      e.preventDefault();
      requestOrder(r, op, setAsking);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const cardCount = cards.size;
  const empty = lanes.every((l) => l.length === 0);
  const runBlocked = invalid.size > 0 ? 'Fix the parameters marked first' : empty ? 'The plan has no containers' : undefined;

  return (
    // While Abort or Roll back is asked, the planner behind the dialog is out of reach (and of the accessibility tree).
    <section ref={regionRef} className="planner" role="region" aria-label="Rollout plan" inert={asking !== null} aria-hidden={asking !== null || undefined}>
      <div className="toolbar planner-toolbar">
        <button
          type="button"
          className="btn btn-small"
          aria-keyshortcuts="Escape"
          title={rollout?.state === 'running' ? 'Back to the list of rollouts; this one keeps running (Escape)' : 'Back to the list of rollouts (Escape)'}
          onClick={() => usePlanner.getState().close()}
        >
          <span aria-hidden="true">←</span> Back to rollouts <kbd aria-hidden="true">Esc</kbd>
        </button>
        <h2 className="planner-title">{planTitle(request, cardCount)}</h2>
        <span className="muted">
          {cardCount} container{cardCount === 1 ? '' : 's'}
          {mode === 'batches' ? ` in ${lanes.length} batch${lanes.length === 1 ? '' : 'es'}` : `, a window of ${params.parallelism === 0 ? 'all' : params.parallelism}`}
        </span>
        {rolloutId && <span className="muted mono">{rolloutId}</span>}
        <span className="toolbar-spacer" />
        {editable && mode === 'batches' && (
          <button type="button" className="btn btn-small" onClick={() => usePlanner.getState().addLane()}>
            Add batch
          </button>
        )}
      </div>
      {status === 'loading' && <p className="planner-note" aria-live="polite"><span className="spinner" aria-hidden="true" /> Planning: asking the fleet and the registry…</p>}
      {status === 'error' && (
        <p className="planner-note planner-error" role="alert">
          <Shape kind="cross" /> Could not plan this: {error}
        </p>
      )}
      {editable && <PlanSettings onValidity={onValidity} />}
      {(editable || status === 'starting') && (
        <div className="plan-runrow">
          <Warnings warnings={warnings} />
          {error && (
            <span className="rollout-refused" role="alert">
              Run refused: {error}
            </span>
          )}
          <span className="toolbar-spacer" />
          {runBlocked && <span className="muted">{runBlocked}</span>}
          <button type="button" className="btn btn-primary plan-run" aria-label="Run" disabled={!editable || runBlocked !== undefined} onClick={() => void usePlanner.getState().run()}>
            {status === 'starting' ? 'Starting…' : 'Run'}
          </button>
        </div>
      )}
      {status === 'running' &&
        (rollout ? (
          <RunBar rollout={rollout} maxFailureRatio={params.maxFailureRatio} asking={asking} onAsk={setAsking} />
        ) : (
          <p className="planner-note" aria-live="polite"><span className="spinner" aria-hidden="true" /> Started; waiting for its first step…</p>
        ))}
      {(status === 'editing' || status === 'starting' || status === 'running') && (
        <div className="plan-lanes-scroll">
          <PlanLanes cards={cards} lanes={lanes} window={mode === 'window'} parallelism={params.parallelism} editable={editable} live={live} now={now} onDragging={onDragging} />
        </div>
      )}
    </section>
  );
}
