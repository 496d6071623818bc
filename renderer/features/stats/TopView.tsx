// The fleet "Top" view: every sampled container across every host, hottest first, sortable
// by CPU, memory % of limit, block I/O rate and network rate (click a header, or Enter on it).
// ARIA grid named "Top" on the shared grid hook (components/useVirtualGrid.ts: one tab stop,
// ↑/↓ PageUp/PageDown Home/End, the headers), virtualised. This grid's own keys: Enter or the
// registry's stats key opens the container's stats.
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { ContainerStats } from '../../../shared/stats';
import { formatBytes, formatCount, formatPercent, formatRate } from '../../components/format';
import { GridHeaderRow, type HeaderColumn } from '../../components/GridHeaderRow';
import { useVirtualGrid, virtualRowProps } from '../../components/useVirtualGrid';
import { containerKey } from '../../stores/fleet';
import { useStats } from '../../stores/stats';
import { ariaKeys, KEYS, keyText, matches } from '../../components/keybindings';
import { MemValue } from './StatsCells';
import { DEFAULT_TOP_SORT, nextTopSort, sortTop, type TopColumn, type TopSort } from './top';
import './stats.css';

/** Re-sort at most this often: rows that jump every tick cannot be read. */
const RESORT_MS = 1_000;
const GRID_ID = 'top-grid';

type Col = { id: string; label: string; className: string; sort?: TopColumn };
const COLS: readonly Col[] = [
  { id: 'rank', label: '#', className: 'top-rank' },
  { id: 'host', label: 'Host', className: 'top-host' },
  { id: 'name', label: 'Name', className: 'top-name' },
  { id: 'cpu', label: 'CPU', className: 'top-cpu', sort: 'cpu' },
  { id: 'mem', label: 'Memory (of limit)', className: 'top-mem', sort: 'mem' },
  { id: 'blkio', label: 'Block I/O (read / write)', className: 'top-blk', sort: 'blkio' },
  { id: 'net', label: 'Network (rx / tx)', className: 'top-net', sort: 'net' },
  { id: 'pids', label: 'PIDs', className: 'top-pids' },
];
const HEADER_COLUMNS: readonly HeaderColumn[] = COLS.map((col) => ({ id: col.id, label: col.label, className: col.className, sortKey: col.sort }));

export function TopView() {
  const containers = useStats((s) => s.containers);
  const fleet = useStats((s) => s.fleet);
  const [sort, setSort] = useState<TopSort>(DEFAULT_TOP_SORT);
  const [selected, setSelected] = useState<string | null>(null);

  // Sorted at most once a second, and at once when the sort changes.
  const [snapshot, setSnapshot] = useState(containers);
  const lastSort = useRef(0);
  useEffect(() => {
    const wait = RESORT_MS - (Date.now() - lastSort.current);
    if (wait <= 0) {
      lastSort.current = Date.now();
      setSnapshot(containers);
      return;
    }
    const t = setTimeout(() => { lastSort.current = Date.now(); setSnapshot(containers); }, wait);
    return () => clearTimeout(t);
  }, [containers]);
  const rows = useMemo(() => sortTop(snapshot.values(), sort), [snapshot, sort]);
  // Bars are relative to the hottest container (at least one core), so the top stands out.
  const cpuScale = useMemo(() => rows.reduce((m, r) => Math.max(m, r.cpuPercent), 100), [rows]);

  const grid = useVirtualGrid<ContainerStats>({
    id: GRID_ID,
    rows,
    rowKey: containerKey,
    selectedKey: selected,
    onSelect: setSelected,
    columns: HEADER_COLUMNS,
    sort,
    onSort: (key) => setSort((s) => nextTopSort(s, key as TopColumn)),
    onRowKey: (e, { row }) => {
      if (e.key !== 'Enter' && !matches(KEYS.stats, e)) return false;
      if (!row) return false;
      useStats.getState().openDetail(row);
      return true;
    },
    // What is on screen here is sampled at the fast rate too.
    onVisibleRows: (visible) => useStats.getState().setVisible('top', visible.map((r) => ({ host: r.host, id: r.id }))),
  });
  const { virtualizer, focusGrid } = grid;

  return (
    <section className="top" aria-label="Top containers">
      <div className="toolbar top-toolbar">
        <span className="top-title">Hottest containers across the fleet</span>
        {fleet && (
          <span className="top-fleet">
            fleet: CPU <b>{formatCores(fleet.cpuPercent)}</b> of {formatCount(fleet.ncpu)} cores · memory <b>{formatBytes(fleet.memUsage)}</b> of {formatBytes(fleet.memTotal)} · disk {formatRate(fleet.blkReadRate + fleet.blkWriteRate)} · net {formatRate(fleet.netRxRate + fleet.netTxRate)}
          </span>
        )}
        <span className="toolbar-spacer" />
        <span className="muted">{formatCount(rows.length)} sampled · Enter or {keyText(KEYS.stats)}: charts</span>
      </div>
      <div {...grid.gridProps} className="grid top-grid" aria-label="Top" aria-keyshortcuts={ariaKeys(KEYS.stats)}>
        <GridHeaderRow {...grid.headerProps} rowClassName="top-row" markSortable />
        <div ref={grid.scrollRef} className="grid-body" role="rowgroup">
          {rows.length === 0 && <p className="grid-empty">Waiting for the first samples…</p>}
          <div className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((v) => {
              const s = rows[v.index];
              if (!s) return null;
              const key = containerKey(s);
              return (
                <TopRow
                  key={key}
                  s={s}
                  id={grid.rowId(v.index)}
                  index={v.index}
                  top={v.start}
                  selected={key === selected}
                  sortColumn={sort.column}
                  cpuScale={cpuScale}
                  onPick={(k) => { setSelected(k); focusGrid(); }}
                />
              );
            })}
          </div>
        </div>
      </div>
    </section>
  );
}

const TopRow = memo(function TopRow({ s, id, index, top, selected, sortColumn, cpuScale, onPick }: { s: ContainerStats; id: string; index: number; top: number; selected: boolean; sortColumn: TopColumn; cpuScale: number; onPick(key: string): void }) {
  const key = containerKey(s);
  return (
    <div
      {...virtualRowProps(id, index, top, selected)}
      className={`grid-row top-row${selected ? ' is-selected' : ''}`}
      onClick={() => onPick(key)}
      onDoubleClick={() => useStats.getState().openDetail(s)}
    >
      <div role="gridcell" className="cell top-rank mono muted">{index + 1}</div>
      <div role="gridcell" className="cell top-host">{s.host}</div>
      <div role="gridcell" className="cell top-name" title={`${s.name}\n${s.id.slice(0, 12)}`}>{s.name}</div>
      <div role="gridcell" className={`cell top-cpu mono${sortColumn === 'cpu' ? ' is-key' : ''}`}>
        <span className="stat-cpu">{formatPercent(s.cpuPercent)}</span>
        <Bar value={s.cpuPercent / cpuScale} />
      </div>
      <div role="gridcell" className={`cell top-mem mono${sortColumn === 'mem' ? ' is-key' : ''}`}><MemValue s={s} /></div>
      <div role="gridcell" className={`cell top-blk mono${sortColumn === 'blkio' ? ' is-key' : ''}`}>{formatRate(s.blkReadRate)} / {formatRate(s.blkWriteRate)}</div>
      <div role="gridcell" className={`cell top-net mono${sortColumn === 'net' ? ' is-key' : ''}`}>{formatRate(s.netRxRate)} / {formatRate(s.netTxRate)}</div>
      <div role="gridcell" className="cell top-pids mono">{s.pids}</div>
    </div>
  );
});

/** "0.54", "12.3", "412": CPU % as cores (100 % = one core). */
function formatCores(cpuPercent: number): string {
  const cores = Math.max(0, cpuPercent) / 100;
  return cores < 10 ? cores.toFixed(2) : cores < 100 ? cores.toFixed(1) : String(Math.round(cores));
}

/** A small bar, relative to the hottest row. */
function Bar({ value }: { value: number }) {
  return <span className="top-bar" aria-hidden="true"><i style={{ width: `${Math.min(1, Math.max(0, value)) * 100}%` }} /></span>;
}
