// The Alerts view: everything the console raised (from this console, or another process on the
// same data directory), live, newest first: when, what kind, on which host, container and
// service, the exit code, and what happened. Ack one (its button, or a) or all of them (Ack all,
// or Shift+A); acked rows are dimmed and say who acked them and when, and "Unacknowledged only"
// hides them. Enter on a row shows its container in the Containers view. The "Desktop
// notifications" button asks for the browser's permission (only ever on that click).
//
// ARIA grid named "Alerts" on the shared grid hook (components/useVirtualGrid.ts: one tab stop,
// ↑/↓ PageUp/PageDown Home/End, the headers; Enter on the Time header flips the order).
import { memo, useMemo, useState, type KeyboardEvent } from 'react';
import type { Alert } from '../../../shared/alerts';
import { formatCount } from '../../components/format';
import { GridHeaderRow, type HeaderColumn } from '../../components/GridHeaderRow';
import { ariaKeys, KEYS, keyText, matches } from '../../components/keybindings';
import { Shape } from '../../components/Shape';
import { StreamLink } from '../../components/StreamLink';
import { useVirtualGrid, virtualRowProps, type RowKeyContext } from '../../components/useVirtualGrid';
import { useAlerts } from '../../stores/alerts';
import { formatAuditTime, type TimeOrder } from '../audit/auditRows';
import { alertRows, KIND_LOOK } from './alertRows';
import { NotificationsButton } from './NotificationsButton';
import { revealAlert } from './revealAlert';
import './alerts.css';

export const ALERTS_GRID_ID = 'alerts-grid';

const alertId = (a: Alert) => a.id;

const HEADER_COLUMNS: readonly HeaderColumn[] = [
  { id: 'time', label: 'Time', className: 'alert-time', sortKey: 'time', title: 'Newest or oldest first' },
  { id: 'kind', label: 'Kind', className: 'alert-kind' },
  { id: 'host', label: 'Host', className: 'alert-host' },
  { id: 'container', label: 'Container', className: 'alert-container' },
  { id: 'service', label: 'Service', className: 'alert-service' },
  { id: 'exit', label: 'Exit', className: 'alert-exit', title: 'Exit code' },
  { id: 'message', label: 'Message', className: 'alert-message' },
  { id: 'ack', label: 'Ack', className: 'alert-ack', title: `Acknowledge: a on a row, ${keyText(KEYS.ackAll)} for all` },
];

const ack = (ids: string[]) => void useAlerts.getState().ack(ids);
const ackAll = () => void useAlerts.getState().ackAll();

function onRowKey(e: KeyboardEvent<HTMLDivElement>, { row }: RowKeyContext<Alert>): boolean {
  if (matches(KEYS.ackAll, e)) {
    ackAll();
    return true;
  }
  if (!row) return false;
  if (matches(KEYS.ack, e)) {
    ack([row.id]);
    return true;
  }
  if (e.key === 'Enter') {
    revealAlert(row);
    return true;
  }
  return false;
}

export function AlertsView() {
  const alerts = useAlerts((s) => s.alerts);
  const unacked = useAlerts((s) => s.unacked);
  const unackedOnly = useAlerts((s) => s.unackedOnly);
  const status = useAlerts((s) => s.status);
  const error = useAlerts((s) => s.error);
  const ackError = useAlerts((s) => s.ackError);
  const [order, setOrder] = useState<TimeOrder>('desc');
  const [selected, setSelected] = useState<string | null>(null);

  const rows = useMemo(() => alertRows(alerts, unackedOnly, order), [alerts, unackedOnly, order]);

  const grid = useVirtualGrid<Alert>({
    id: ALERTS_GRID_ID,
    rows,
    rowKey: alertId,
    selectedKey: selected,
    onSelect: setSelected,
    columns: HEADER_COLUMNS,
    sort: { column: 'time', dir: order },
    onSort: () => setOrder((o) => (o === 'desc' ? 'asc' : 'desc')),
    onRowKey,
  });
  const { virtualizer, focusGrid } = grid;
  const now = Date.now();

  return (
    <section className="alerts" aria-label="Alerts view">
      <div className="toolbar alerts-toolbar">
        <span className="alerts-title">What fired</span>
        <span className="alerts-counts" aria-live="polite">
          {unackedOnly ? `${formatCount(rows.length)} unacknowledged` : `${formatCount(alerts.size)} ${alerts.size === 1 ? 'alert' : 'alerts'}`}
          {unacked > 0 && !unackedOnly && <span className="alerts-unacked"><Shape kind="triangle" /> {formatCount(unacked)} unacknowledged</span>}
        </span>
        <button
          type="button"
          className={`btn btn-small toggle-btn${unackedOnly ? ' is-on' : ''}`}
          aria-pressed={unackedOnly}
          onClick={() => useAlerts.getState().setUnackedOnly(!unackedOnly)}
        >
          Unacknowledged only
        </button>
        <button type="button" className="btn btn-small" disabled={unacked === 0} aria-keyshortcuts={ariaKeys(KEYS.ackAll)} title={`Acknowledge every alert (${keyText(KEYS.ackAll)})`} onClick={ackAll}>
          Ack all
        </button>
        {ackError && <span className="alerts-ack-error" role="alert"><Shape kind="triangle" /> Could not ack: {ackError}</span>}
        <span className="toolbar-spacer" />
        <NotificationsButton />
        <StreamLink status={status} error={error} what="the alerts" className="alerts-live" onReconnect={() => useAlerts.getState().connect()} />
      </div>
      <div {...grid.gridProps} className="grid alerts-grid" aria-label="Alerts">
        <GridHeaderRow {...grid.headerProps} rowClassName="alert-row" markSortable />
        <div ref={grid.scrollRef} className="grid-body" role="rowgroup">
          {rows.length === 0 && (
            <p className="grid-empty">
              {status === 'connecting' || status === 'idle'
                ? 'Reading the alerts…'
                : alerts.size === 0
                  ? 'No alerts. A container that dies, runs out of memory, turns unhealthy or restarts in a loop, and a host that goes offline, show here as they happen.'
                  : 'Every alert is acknowledged.'}
            </p>
          )}
          <div className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((v) => {
              const a = rows[v.index];
              if (!a) return null;
              return (
                <AlertRow
                  key={a.id}
                  alert={a}
                  now={now}
                  id={grid.rowId(v.index)}
                  index={v.index}
                  top={v.start}
                  selected={a.id === selected}
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

const AlertRow = memo(function AlertRow({ alert: a, now, id, index, top, selected, onPick }: { alert: Alert; now: number; id: string; index: number; top: number; selected: boolean; onPick(id: string): void }) {
  const look = KIND_LOOK[a.kind];
  const acked = a.ackedAt !== undefined;
  return (
    <div
      {...virtualRowProps(id, index, top, selected)}
      className={`grid-row alert-row alert-tone-${look.tone}${acked ? ' is-acked' : ''}${selected ? ' is-selected' : ''}`}
      onClick={() => onPick(a.id)}
      onDoubleClick={() => revealAlert(a)}
    >
      <div role="gridcell" className="cell alert-time mono" title={`${a.time} (UTC)`}>{formatAuditTime(a.time, now)}</div>
      <div role="gridcell" className="cell alert-kind" title={look.title}><span className="alert-kind-word"><Shape kind={look.shape} /> {look.word}</span></div>
      <div role="gridcell" className="cell alert-host">{a.host}</div>
      <div role="gridcell" className="cell alert-container" title={a.container ? `${a.container}${a.containerId ? ` (${a.containerId.slice(0, 12)})` : ''}` : undefined}>{a.container ?? ''}</div>
      <div role="gridcell" className="cell alert-service">{a.service ?? ''}</div>
      <div role="gridcell" className="cell alert-exit mono">{a.exitCode ?? ''}</div>
      <div role="gridcell" className="cell alert-message" title={a.message}>{a.message}</div>
      <div role="gridcell" className="cell alert-ack">
        {acked ? (
          <span className="muted" title={`Acknowledged ${a.ackedAt}${a.ackedBy ? ` by ${a.ackedBy}` : ''} (UTC)`}>
            acked {formatAuditTime(a.ackedAt!, now)}{a.ackedBy ? ` · ${a.ackedBy}` : ''}
          </span>
        ) : (
          // The grid keeps the one tab stop: the keyboard acks with a on the row.
          <button type="button" className="btn btn-small btn-quiet alert-ack-btn" tabIndex={-1} aria-keyshortcuts={ariaKeys(KEYS.ack)} title={`Acknowledge (${keyText(KEYS.ack)})`} onClick={(e) => { e.stopPropagation(); ack([a.id]); }}>
            Ack
          </button>
        )}
      </div>
    </div>
  );
});
