// The Rollouts view: every rollout on record (this console's and the CLI's), live, newest first:
// id, action, service, state (shape and word), when it started, who started it and from where,
// and how many of its containers are done. The selected one shows below: its containers with
// their steps (how long in it, while it runs), images old → new and errors, and its orders.
//
// ARIA grid named "Rollouts" on the shared grid hook (components/useVirtualGrid.ts: one tab stop,
// ↑/↓ PageUp/PageDown Home/End; Enter on the Started header flips the order).
//
// While a plan is open (the planner store's status is not 'closed') the tab shows the planner
// region "Rollout plan" instead (features/planner/PlannerView.tsx); while a service's history is
// asked for, that (features/history/ServiceHistory.tsx).
import { memo, useMemo, useState } from 'react';
import type { PlanTarget, RolloutContainer, RolloutSummary } from '../../../shared/rollout';
import { formatCount, formatDuration } from '../../components/format';
import { GridHeaderRow, type HeaderColumn } from '../../components/GridHeaderRow';
import { Shape } from '../../components/Shape';
import { StreamLink } from '../../components/StreamLink';
import { useNow } from '../../components/useNow';
import { useVirtualGrid, virtualRowProps } from '../../components/useVirtualGrid';
import { usePlanner } from '../../stores/planner';
import { useRollouts } from '../../stores/rollouts';
import { formatAuditTime } from '../audit/auditRows';
import { HistoryButton } from '../history/HistoryButton';
import { useHistoryService } from '../history/historyView';
import { ServiceHistory } from '../history/ServiceHistory';
import { PlannerView } from '../planner/PlannerView';
import { RolloutOrders } from './RolloutOrders';
import { containerKey, progress, rolloutRows, rolloutTitle, STATE_LOOK, STEP_LOOK, stepWord } from './rolloutRows';
import './rollouts.css';

const GRID_ID = 'rollouts-grid';

const HEADER_COLUMNS: readonly HeaderColumn[] = [
  { id: 'id', label: 'ID', className: 'ro-id' },
  { id: 'action', label: 'Action', className: 'ro-action' },
  { id: 'service', label: 'Service', className: 'ro-service' },
  { id: 'state', label: 'State', className: 'ro-state' },
  { id: 'started', label: 'Started', className: 'ro-started', sortKey: 'started', title: 'Newest or oldest first' },
  { id: 'by', label: 'By', className: 'ro-by' },
  { id: 'containers', label: 'Containers', className: 'ro-containers', title: 'Done of all' },
];

const rolloutId = (r: RolloutSummary) => r.id;

export function RolloutsView() {
  const planning = usePlanner((s) => s.status !== 'closed');
  const historyOf = useHistoryService();
  return planning ? <PlannerView /> : historyOf !== null ? <ServiceHistory service={historyOf} /> : <RolloutsList />;
}

function RolloutsList() {
  const rollouts = useRollouts((s) => s.rollouts);
  const status = useRollouts((s) => s.status);
  const error = useRollouts((s) => s.error);
  const selected = useRollouts((s) => s.selected);
  const [order, setOrder] = useState<'desc' | 'asc'>('desc');

  const rows = useMemo(() => {
    const newest = rolloutRows(rollouts);
    return order === 'desc' ? newest : newest.reverse();
  }, [rollouts, order]);
  const running = rows.filter((r) => r.state === 'running').length;

  const grid = useVirtualGrid<RolloutSummary>({
    id: GRID_ID,
    rows,
    rowKey: rolloutId,
    selectedKey: selected,
    onSelect: (id) => useRollouts.getState().select(id),
    columns: HEADER_COLUMNS,
    sort: { column: 'started', dir: order },
    onSort: () => setOrder((o) => (o === 'desc' ? 'asc' : 'desc')),
  });
  const { virtualizer, focusGrid } = grid;
  const current = selected !== null ? rollouts.get(selected) : undefined;

  return (
    <section className="rollouts">
      <div className="toolbar rollouts-toolbar">
        <span className="rollouts-title">Rollouts</span>
        <span className="muted" aria-live="polite">
          {formatCount(rows.length)} on record{running > 0 ? `, ${formatCount(running)} running` : ''}
        </span>
        <span className="toolbar-spacer" />
        <HistoryButton selected={current} rows={rows} />
        <StreamLink status={status} error={error} what="the journal" className="rollouts-live" onReconnect={() => useRollouts.getState().connect()} />
      </div>
      <div {...grid.gridProps} className="grid rollouts-grid" aria-label="Rollouts">
        <GridHeaderRow {...grid.headerProps} rowClassName="ro-row" markSortable />
        <div ref={grid.scrollRef} className="grid-body" role="rowgroup">
          {rows.length === 0 && (
            <p className="grid-empty">
              {status === 'connecting' || status === 'idle'
                ? 'Reading the rollout journal…'
                : 'No rollouts on record yet. Deploys, rolling restarts and rollbacks from this console or the fleetdeck CLI show here as they run.'}
            </p>
          )}
          <div className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((v) => {
              const r = rows[v.index];
              if (!r) return null;
              return (
                <RolloutRow
                  key={r.id}
                  rollout={r}
                  id={grid.rowId(v.index)}
                  index={v.index}
                  top={v.start}
                  selected={r.id === selected}
                  onPick={(id) => {
                    useRollouts.getState().select(id);
                    focusGrid();
                  }}
                />
              );
            })}
          </div>
        </div>
      </div>
      {current ? <RolloutDetail rollout={current} /> : rows.length > 0 && <p className="rollout-detail-empty muted">Select a rollout to see its containers and their steps.</p>}
    </section>
  );
}

const RolloutRow = memo(function RolloutRow({ rollout: r, id, index, top, selected, onPick }: { rollout: RolloutSummary; id: string; index: number; top: number; selected: boolean; onPick(id: string): void }) {
  const look = STATE_LOOK[r.state];
  const { done, total } = progress(r);
  return (
    <div {...virtualRowProps(id, index, top, selected)} className={`grid-row ro-row state-${r.state}${selected ? ' is-selected' : ''}`} onClick={() => onPick(r.id)}>
      <div role="gridcell" className="cell ro-id mono" title={r.id}>{r.id}</div>
      <div role="gridcell" className="cell ro-action">{r.action}</div>
      <div role="gridcell" className="cell ro-service">{r.service ?? <span className="muted">listed containers</span>}</div>
      <div role="gridcell" className={`cell ro-state ro-tone-${look.tone}`} title={r.reason ? `${look.title}. ${r.reason}` : look.title}>
        <span className="rollout-state"><Shape kind={look.shape} /> {r.state}</span>
      </div>
      <div role="gridcell" className="cell ro-started mono" title={`${r.startedAt}${r.endedAt ? ` → ${r.endedAt}` : ''} (UTC)`}>{formatAuditTime(r.startedAt, Date.now())}</div>
      <div role="gridcell" className="cell ro-by">
        {r.startedBy.user} <span className={`ro-source source-${r.startedBy.source}`}>{r.startedBy.source}</span>
      </div>
      <div role="gridcell" className="cell ro-containers" aria-label={`${done} of ${total} done`}>
        <span className="ro-progress" aria-hidden="true"><span style={{ width: `${total ? (100 * done) / total : 0}%` }} /></span>
        <span className="mono">{done}/{total}</span>
      </div>
    </div>
  );
});

function RolloutDetail({ rollout: r }: { rollout: RolloutSummary }) {
  const history = useRollouts((s) => (s.history?.id === r.id ? s.history : undefined));
  const now = useNow();
  const targets = useMemo(() => {
    const plan = history && 'value' in history ? history.value?.plan : undefined;
    return new Map((plan?.targets ?? []).map((t) => [containerKey(t), t]));
  }, [history]);
  const look = STATE_LOOK[r.state];

  return (
    <section className="rollout-detail" aria-label={`Rollout ${r.id}`}>
      <div className="rollout-detail-head">
        <span className={`rollout-state ro-tone-${look.tone}`} title={look.title}><Shape kind={look.shape} /> {r.state}</span>
        <span className="interrupted-title">{rolloutTitle(r)}</span>
        <span className="muted mono">{r.id}</span>
        {r.reason && <span className="rollout-reason">{r.reason}</span>}
        {history?.status === 'error' && <span className="rollout-refused">history: {history.error}</span>}
        <span className="toolbar-spacer" />
        <RolloutOrders rollout={r} />
      </div>
      <div className="rollout-containers-scroll">
        <table className="rollout-containers">
          <caption className="visually-hidden">Containers of rollout {r.id}</caption>
          <thead>
            <tr><th scope="col">Host</th><th scope="col">Container</th><th scope="col">Step</th><th scope="col">Since</th><th scope="col">Image</th><th scope="col">Error</th></tr>
          </thead>
          <tbody>
            {r.containers.map((c) => <ContainerLine key={containerKey(c)} container={c} target={targets.get(containerKey(c))} now={now} live={r.state === 'running'} />)}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function ContainerLine({ container: c, target, now, live }: { container: RolloutContainer; target: PlanTarget | undefined; now: number; live: boolean }) {
  const step = STEP_LOOK[c.step];
  const since = Date.parse(c.time);
  const inFlight = live && c.step !== 'done' && c.step !== 'failed' && c.step !== 'rolled-back' && c.step !== 'queued';
  return (
    <tr className={`step-${c.step}`}>
      <td className="mono">{c.host}</td>
      <td className="rollout-container-name">{c.name}</td>
      <td className={`ro-tone-${step.tone}`}><span className="rollout-state"><Shape kind={step.shape} /> {stepWord(c.step)}</span></td>
      <td className="mono muted" title={`${c.time} (UTC)`}>{c.step === 'queued' ? '' : inFlight && Number.isFinite(since) ? `${formatDuration(now - since)} in step` : formatAuditTime(c.time, now)}</td>
      <td className="mono rollout-image">
        {target ? (target.from.image === target.to.image && target.from.digest === target.to.digest ? target.to.image : <>{target.from.image} <span className="muted">→</span> {target.to.image}</>) : ''}
      </td>
      <td className="rollout-error" title={c.error}>{c.error ?? ''}</td>
    </tr>
  );
}
