// The plan's settings while editing: the mode (batches or a window), the presets that re-lay the
// lanes ("One host at a time", "One business line at a time", "N at a time" with its "Containers
// per batch", "All at once"), and the parameters (delay, monitor, on failure, max failure ratio,
// order; the window's size in window mode), each field checked as typed with why it is refused.
// A refused field keeps its text, tells the planner (Run waits) and leaves the store as it was.
import { useEffect, useId, useRef, useState } from 'react';
import { usePlanner } from '../../stores/planner';
import { parseCount, parsePercent, parseSeconds, percentText, secondsText, type FieldCheck } from './paramFields';
import type { PlanParams } from './planModel';

type Validity = (field: string, ok: boolean) => void;

/** The window's size: 0 is all at once (the engine's parallelism 0). */
const parseWindow = (text: string) => parseCount(text, 0);

export function PlanSettings({ onValidity }: { onValidity: Validity }) {
  const mode = usePlanner((s) => s.mode);
  const params = usePlanner((s) => s.params);
  const [perBatch, setPerBatch] = useState('2');
  const perBatchCheck = parseCount(perBatch);
  const set = (p: Partial<PlanParams>) => usePlanner.getState().setParams(p);
  const preset = usePlanner.getState().applyPreset;

  return (
    <div className="plan-settings">
      <div className="plan-settings-row">
        <div role="group" aria-label="Mode" className="plan-mode">
          <button type="button" className="btn btn-small" aria-pressed={mode === 'batches'} onClick={() => usePlanner.getState().setMode('batches')} title="Batches run one after another; a batch's containers at once">
            Batches
          </button>
          <button type="button" className="btn btn-small" aria-pressed={mode === 'window'} onClick={() => usePlanner.getState().setMode('window')} title="One order; a window of N walks it, the next starting as one ends">
            Window
          </button>
        </div>
        <div role="group" aria-label="Presets" className="plan-presets">
          <span className="plan-label">Lay out</span>
          <button type="button" className="btn btn-small" onClick={() => preset({ kind: 'host' })}>One host at a time</button>
          <button type="button" className="btn btn-small" onClick={() => preset({ kind: 'group' })}>One business line at a time</button>
          <span className="plan-preset-n">
            <button type="button" className="btn btn-small" disabled={!perBatchCheck.ok} onClick={() => perBatchCheck.ok && preset({ kind: 'n', n: perBatchCheck.value })}>
              N at a time
            </button>
            <Field label="Containers per batch" text={perBatch} check={perBatchCheck} onText={setPerBatch} narrow />
          </span>
          <button type="button" className="btn btn-small" onClick={() => preset({ kind: 'all' })}>All at once</button>
        </div>
      </div>
      <div className="plan-settings-row plan-params" role="group" aria-label="Parameters">
        {mode === 'window' && (
          <ParamField field="parallelism" label="Window" unit="at once" value={params.parallelism} text={String} parse={parseWindow} onValue={(parallelism) => set({ parallelism })} onValidity={onValidity} title="Containers updated at once; 0: all of them" />
        )}
        <ParamField field="delay" label="Delay" unit="s" value={params.delayMs} text={secondsText} parse={parseSeconds} onValue={(delayMs) => set({ delayMs })} onValidity={onValidity} title="Wait between one batch (or container) and the next" />
        <ParamField field="monitor" label="Monitor" unit="s" value={params.monitorMs} text={secondsText} parse={parseSeconds} onValue={(monitorMs) => set({ monitorMs })} onValidity={onValidity} title="How long a new container must stay up (and healthy) to count as done" />
        <label className="plan-field">
          <span className="plan-label">On failure</span>
          <select className="text-input" value={params.failureAction} onChange={(e) => set({ failureAction: e.target.value as PlanParams['failureAction'] })}>
            <option value="pause">pause</option>
            <option value="rollback">roll back</option>
            <option value="continue">continue</option>
          </select>
        </label>
        <ParamField field="ratio" label="Max failure ratio" unit="%" value={params.maxFailureRatio} text={percentText} parse={parsePercent} onValue={(maxFailureRatio) => set({ maxFailureRatio })} onValidity={onValidity} title="Failures tolerated, of all containers, before the failure action" />
        <label className="plan-field">
          <span className="plan-label">Order</span>
          <select className="text-input" value={params.order} onChange={(e) => set({ order: e.target.value as PlanParams['order'] })} title="stop-first: the old one stops, then the new one starts; start-first: the new one starts first (not for a static address)">
            <option value="stop-first">stop-first</option>
            <option value="start-first">start-first</option>
          </select>
        </label>
      </div>
    </div>
  );
}

type ParamProps = {
  field: string;
  label: string;
  unit: string;
  title?: string;
  /** The store's value, and how it reads in the field. */
  value: number;
  text(value: number): string;
  parse(text: string): FieldCheck;
  onValue(value: number): void;
  onValidity: Validity;
};

/** A parameter field: sends each value it takes; the store's value replaces its text only when it changed elsewhere (a preset). */
function ParamField({ field, label, unit, title, value, text, parse, onValue, onValidity }: ParamProps) {
  const [draft, setDraft] = useState(() => text(value));
  const sent = useRef(value);
  useEffect(() => {
    if (value === sent.current) return;
    sent.current = value;
    setDraft(text(value));
    onValidity(field, true);
  }, [value, text, field, onValidity]);
  useEffect(() => () => onValidity(field, true), [field, onValidity]);
  const check = parse(draft);
  return (
    <Field
      label={label}
      unit={unit}
      title={title}
      text={draft}
      check={check}
      onText={(t) => {
        setDraft(t);
        const c = parse(t);
        onValidity(field, c.ok);
        if (c.ok && c.value !== sent.current) {
          sent.current = c.value;
          onValue(c.value);
        }
      }}
    />
  );
}

function Field({ label, unit, title, text, check, onText, narrow }: { label: string; unit?: string; title?: string; text: string; check: FieldCheck; onText(t: string): void; narrow?: boolean }) {
  const errorId = useId();
  return (
    <label className={`plan-field${check.ok ? '' : ' is-invalid'}`} title={title}>
      <span className="plan-label">{label}</span>
      <input
        className={`text-input plan-number${narrow ? ' is-narrow' : ''}`}
        inputMode="decimal"
        aria-label={label}
        value={text}
        aria-invalid={!check.ok}
        aria-describedby={check.ok ? undefined : errorId}
        onChange={(e) => onText(e.target.value)}
      />
      {unit && <span className="plan-unit">{unit}</span>}
      {!check.ok && <span id={errorId} className="field-error plan-field-error">{check.message}</span>}
    </label>
  );
}
