// The Audit view: every action the audit log records (from this console and from the CLI), live,
// newest first: when, who, from where, what, to which target, how it ended, and the error. Filters
// by user, action, host and result. A failed action reads at a glance: red row, a crossed square
// and the word; an action without an end (cut off, or still running) gets a dashed ring and
// "unknown".
//
// ARIA grid named "Audit" on the shared grid hook (components/useVirtualGrid.ts: one tab stop,
// ↑/↓ PageUp/PageDown Home/End, the headers; Enter on the Time header flips the order).
import { memo, useId, useMemo, useState } from 'react';
import type { AuditEntry } from '../../../shared/audit';
import { formatCount } from '../../components/format';
import { GridHeaderRow, type HeaderColumn } from '../../components/GridHeaderRow';
import { Shape, type ShapeKind } from '../../components/Shape';
import { StreamLink } from '../../components/StreamLink';
import { useVirtualGrid, virtualRowProps } from '../../components/useVirtualGrid';
import { useAudit, type AuditResult } from '../../stores/audit';
import { auditFacets, auditRows, formatAuditTime, formatTook, resultCounts, targetText, type TimeOrder } from './auditRows';
import './audit.css';

const GRID_ID = 'audit-grid';

const entryId = (e: AuditEntry) => e.id;

const HEADER_COLUMNS: readonly HeaderColumn[] = [
  { id: 'time', label: 'Time', className: 'audit-time', sortKey: 'time', title: 'Newest or oldest first' },
  { id: 'user', label: 'User', className: 'audit-user' },
  { id: 'source', label: 'Source', className: 'audit-source' },
  { id: 'action', label: 'Action', className: 'audit-action' },
  { id: 'target', label: 'Target', className: 'audit-target' },
  { id: 'result', label: 'Result', className: 'audit-result' },
  { id: 'error', label: 'Error', className: 'audit-error' },
];

const RESULT_SHAPE: Record<AuditResult, ShapeKind> = { ok: 'dot', failed: 'cross', unknown: 'ring' };
const RESULT_TITLE: Record<AuditResult, string> = {
  ok: 'The action ended well',
  failed: 'The action failed',
  unknown: 'Started and never ended: cut off (the process died), or still running',
};

export function AuditView() {
  const entries = useAudit((s) => s.entries);
  const status = useAudit((s) => s.status);
  const error = useAudit((s) => s.error);
  const filter = useAudit((s) => s.filter);
  const [order, setOrder] = useState<TimeOrder>('desc');
  const [selected, setSelected] = useState<string | null>(null);

  const rows = useMemo(() => auditRows(entries, filter, order), [entries, filter, order]);
  const facets = useMemo(() => auditFacets(entries), [entries]);
  const counts = useMemo(() => resultCounts(rows), [rows]);

  const grid = useVirtualGrid<AuditEntry>({
    id: GRID_ID,
    rows,
    rowKey: entryId,
    selectedKey: selected,
    onSelect: setSelected,
    columns: HEADER_COLUMNS,
    sort: { column: 'time', dir: order },
    onSort: () => setOrder((o) => (o === 'desc' ? 'asc' : 'desc')),
  });
  const { virtualizer, focusGrid } = grid;
  const filtered = Object.values(filter).some((v) => v !== null);

  return (
    <section className="audit" aria-label="Audit log">
      <div className="toolbar audit-toolbar">
        <span className="audit-title">Who did what</span>
        <FilterSelect label="User" value={filter.user} options={facets.users} onChange={(user) => useAudit.getState().setFilter({ user })} />
        <FilterSelect label="Action" value={filter.action} options={facets.actions} onChange={(action) => useAudit.getState().setFilter({ action })} />
        <FilterSelect label="Host" value={filter.host} options={facets.hosts} onChange={(host) => useAudit.getState().setFilter({ host })} />
        <FilterSelect
          label="Result"
          value={filter.result}
          options={['ok', 'failed', 'unknown']}
          onChange={(result) => useAudit.getState().setFilter({ result: result as AuditResult | null })}
        />
        {filtered && <button type="button" className="btn btn-quiet btn-small" onClick={() => useAudit.getState().clearFilter()}>Clear filters</button>}
        <span className="toolbar-spacer" />
        <span className="audit-counts" aria-live="polite">
          {filtered ? `${formatCount(rows.length)} of ${formatCount(entries.size)} actions` : `${formatCount(rows.length)} actions`}
          {counts.failed > 0 && <span className="audit-count result-failed"><Shape kind="cross" /> {formatCount(counts.failed)} failed</span>}
          {counts.unknown > 0 && <span className="audit-count result-unknown"><Shape kind="ring" /> {formatCount(counts.unknown)} unknown</span>}
        </span>
        <StreamLink status={status} error={error} what="the log" className="audit-live" onReconnect={() => useAudit.getState().connect()} />
      </div>
      <div {...grid.gridProps} className="grid audit-grid" aria-label="Audit">
        <GridHeaderRow {...grid.headerProps} rowClassName="audit-row" markSortable />
        <div ref={grid.scrollRef} className="grid-body" role="rowgroup">
          {rows.length === 0 && (
            <p className="grid-empty">
              {status === 'connecting' || status === 'idle'
                ? 'Reading the audit log…'
                : entries.size === 0
                  ? 'No actions recorded yet. Starts, stops and restarts from this console or the fleetdeck CLI show here as they happen.'
                  : 'No actions match the filters.'}
            </p>
          )}
          <div className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((v) => {
              const e = rows[v.index];
              if (!e) return null;
              return (
                <AuditRow
                  key={e.id}
                  entry={e}
                  id={grid.rowId(v.index)}
                  index={v.index}
                  top={v.start}
                  selected={e.id === selected}
                  onPick={(id) => { setSelected(id); focusGrid(); }}
                />
              );
            })}
          </div>
        </div>
      </div>
    </section>
  );
}

function FilterSelect({ label, value, options, onChange }: { label: string; value: string | null; options: readonly string[]; onChange(value: string | null): void }) {
  const id = useId();
  return (
    <span className={`audit-filter${value !== null ? ' is-set' : ''}`}>
      <label htmlFor={id} className="audit-filter-label">{label}</label>
      <select id={id} value={value ?? ''} onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)}>
        <option value="">any</option>
        {/* A value chosen earlier stays offered even when no entry has it any more. */}
        {(value !== null && !options.includes(value) ? [value, ...options] : options).map((o) => <option key={o} value={o}>{o}</option>)}
      </select>
    </span>
  );
}

const AuditRow = memo(function AuditRow({ entry: e, id, index, top, selected, onPick }: { entry: AuditEntry; id: string; index: number; top: number; selected: boolean; onPick(id: string): void }) {
  const took = formatTook(e);
  return (
    <div
      {...virtualRowProps(id, index, top, selected)}
      className={`grid-row audit-row result-${e.result}${selected ? ' is-selected' : ''}`}
      onClick={() => onPick(e.id)}
    >
      <div role="gridcell" className="cell audit-time mono" title={`${e.time}${e.endTime ? ` → ${e.endTime}` : ''} (UTC)`}>{formatAuditTime(e.time, Date.now())}</div>
      <div role="gridcell" className="cell audit-user">{e.user}</div>
      <div role="gridcell" className="cell audit-source"><span className={`audit-tag source-${e.source}`}>{e.source}</span></div>
      <div role="gridcell" className="cell audit-action">{e.action}</div>
      <div role="gridcell" className="cell audit-target" title={targetText(e.target)}>
        <span className="audit-host">{e.target.host}</span>
        {e.target.container && <> <span className="muted" aria-hidden="true">/</span> <span className="audit-container">{e.target.container}</span></>}
        {e.target.service && <span className="audit-service"> ({e.target.service})</span>}
      </div>
      <div role="gridcell" className="cell audit-result" title={RESULT_TITLE[e.result]}>
        <span className="audit-result-word"><Shape kind={RESULT_SHAPE[e.result]} /> {e.result}</span>
        {took && <span className="audit-took muted"> · {took}</span>}
      </div>
      <div role="gridcell" className="cell audit-error" title={e.error}>{e.error ?? ''}</div>
    </div>
  );
});

