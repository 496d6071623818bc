// The fleet "Top" view: every sampled container across every host, hottest first, sortable
// by CPU, memory % of limit, block I/O rate and network rate (click a header, or Enter on it).
// ARIA grid named "Top", one tab stop, virtualised.
//
// Keys (grid focused): ↑/↓ PageUp/PageDown Home/End move the selection · Enter or i opens the
// container's stats · ↑ on the first row reaches the headers (←/→ between them, Enter sorts,
// ↓ back to rows).
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ContainerStats } from '../../../shared/stats';
import { formatBytes, formatCount, formatPercent, formatRate } from '../../components/format';
import { containerKey } from '../../stores/fleet';
import { useStats } from '../../stores/stats';
import { STATS_KEY } from './keys';
import { MemValue } from './StatsCells';
import { DEFAULT_TOP_SORT, nextTopSort, sortTop, type TopColumn, type TopSort } from './top';
import { GridHeaderRow, type HeaderColumn } from '../../components/GridHeaderRow';
import './stats.css';

const ROW_H = 28;
/** Re-sort at most this often: rows that jump every tick cannot be read. */
const RESORT_MS = 1_000;
const GRID_ID = 'top-grid';
const rowId = (i: number) => `${GRID_ID}-row-${i}`;

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
  const indexOf = useMemo(() => new Map(rows.map((r, i) => [containerKey(r), i])), [rows]);

  const gridRef = useRef<HTMLDivElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const headerRefs = useRef<(HTMLDivElement | null)[]>([]);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_H, overscan: 10 });
  const items = virtualizer.getVirtualItems();

  // What is on screen here is sampled at the fast rate too.
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const visibleSig = items.map((v) => (rows[v.index] ? containerKey(rows[v.index]!) : '')).join('|');
  useEffect(() => {
    const refs = virtualizer.getVirtualItems().flatMap((v) => {
      const r = rowsRef.current[v.index];
      return r ? [{ host: r.host, id: r.id }] : [];
    });
    useStats.getState().setVisible('top', refs);
  }, [visibleSig, virtualizer]);
  useEffect(() => () => useStats.getState().setVisible('top', []), []);

  const selectedIndex = selected !== null ? indexOf.get(selected) : undefined;
  const selectedRow = selectedIndex !== undefined ? rows[selectedIndex] : undefined;
  const selectedRendered = selectedIndex !== undefined && items.some((v) => v.index === selectedIndex);
  const sortable = COLS.map((c, i) => [c, i] as const).filter(([c]) => c.sort);

  const selectIndex = (i: number) => {
    const r = rows[Math.max(0, Math.min(rows.length - 1, i))];
    if (!r) return;
    setSelected(containerKey(r));
    virtualizer.scrollToIndex(indexOf.get(containerKey(r)) ?? 0, { align: 'auto' });
  };
  const applySort = (col: TopColumn) => setSort((s) => nextTopSort(s, col));
  const focusHeader = (i: number) => headerRefs.current[Math.max(0, Math.min(COLS.length - 1, i))]?.focus();

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const h = headerRefs.current.findIndex((x) => x === e.target);
    if (h >= 0) {
      const col = COLS[h];
      switch (e.key) {
        case 'Enter': case ' ': if (col?.sort) applySort(col.sort); break;
        case 'ArrowLeft': focusHeader(h - 1); break;
        case 'ArrowRight': focusHeader(h + 1); break;
        case 'ArrowDown': gridRef.current?.focus(); if (selectedIndex === undefined) selectIndex(0); break;
        default: return;
      }
      e.preventDefault();
      return;
    }
    if (e.target !== gridRef.current) return;
    const cur = selectedIndex ?? -1;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_H) - 1);
    switch (e.key) {
      case 'ArrowDown': selectIndex(cur + 1); break;
      case 'ArrowUp': if (cur <= 0) focusHeader(sortable.find(([c]) => c.sort === sort.column)?.[1] ?? 0); else selectIndex(cur - 1); break;
      case 'PageDown': selectIndex(cur + page); break;
      case 'PageUp': selectIndex(Math.max(0, cur - page)); break;
      case 'Home': selectIndex(0); break;
      case 'End': selectIndex(rows.length - 1); break;
      case 'Enter': case STATS_KEY:
        if (!selectedRow) return;
        useStats.getState().openDetail(selectedRow);
        break;
      default: return;
    }
    e.preventDefault();
  };

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
        <span className="muted">{formatCount(rows.length)} sampled · Enter or {STATS_KEY}: charts</span>
      </div>
      <div
        id={GRID_ID}
        ref={gridRef}
        className="grid top-grid"
        role="grid"
        aria-label="Top"
        aria-rowcount={rows.length + 1}
        aria-colcount={COLS.length}
        aria-activedescendant={selectedRendered && selectedIndex !== undefined ? rowId(selectedIndex) : undefined}
        aria-keyshortcuts={STATS_KEY}
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <GridHeaderRow
          columns={HEADER_COLUMNS}
          sort={sort}
          onSort={(key) => applySort(key as TopColumn)}
          headerRefs={headerRefs}
          rowClassName="top-row"
          markSortable
        />
        <div ref={scrollRef} className="grid-body" role="rowgroup">
          {rows.length === 0 && <p className="grid-empty">Waiting for the first samples…</p>}
          <div className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((v) => {
              const s = rows[v.index];
              if (!s) return null;
              const key = containerKey(s);
              return (
                <TopRow
                  key={key}
                  s={s}
                  index={v.index}
                  top={v.start}
                  selected={key === selected}
                  sortColumn={sort.column}
                  cpuScale={cpuScale}
                  onPick={(k) => { setSelected(k); gridRef.current?.focus({ preventScroll: true }); }}
                />
              );
            })}
          </div>
        </div>
      </div>
    </section>
  );
}

const TopRow = memo(function TopRow({ s, index, top, selected, sortColumn, cpuScale, onPick }: { s: ContainerStats; index: number; top: number; selected: boolean; sortColumn: TopColumn; cpuScale: number; onPick(key: string): void }) {
  const key = containerKey(s);
  return (
    <div
      id={rowId(index)}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`grid-row top-row${selected ? ' is-selected' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
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
