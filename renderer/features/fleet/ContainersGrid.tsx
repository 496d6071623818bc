// One grid of every container across every host, grouped by group → service.
//
// An ARIA grid on the shared grid hook (components/useVirtualGrid.ts: one tab stop, the selection,
// ↑/↓ PageUp/PageDown Home/End, the headers). Virtualised with fixed-height rows, so 10,000 rows
// render ~60 DOM rows.
//
// This grid's own keys: fold (←/→) collapses/expands a section (← on a container jumps to its
// service) · Enter/Space toggle a section · Enter (or double-click) on a container opens its
// shell · the registry's selection keys (components/keybindings.ts: shell, shell as…, stats,
// logs, start, stop, restart) act on the selected container; logs on a service's row opens every
// replica's logs merged. The context-menu key (or Shift+F10, or a
// right-click) on a service's or a container's row opens its rollout menu (RolloutMenu.tsx); Space
// (or Ctrl+click) on a container marks it for a rollout of several (marks.ts, MarkedBar.tsx).
// Anywhere: the filter key focuses the filter; Escape in the filter clears it.
import { memo, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ContainerAction, type Host } from '../../../shared/model';
import { formatCount } from '../../components/format';
import { ariaKeys, KEYS, keyText, matches, matchIndex } from '../../components/keybindings';
import { GridHeaderRow, type HeaderColumn } from '../../components/GridHeaderRow';
import { Shape } from '../../components/Shape';
import { useVirtualGrid, virtualRowProps, type RowKeyContext } from '../../components/useVirtualGrid';
import { useFleet } from '../../stores/fleet';
import { useStats } from '../../stores/stats';
import { useUi, type SortColumn } from '../../stores/ui';
import { CpuCell, MemCell, useMemHot } from '../stats/StatsCells';
import { openContainerLogs, openServiceLogs } from '../logs/openLogs';
import { serviceMembers } from '../rolloutStart/scope';
import { askShellAs, openContainerShell } from '../terminal/openShell';
import { ActionBar } from './ActionBar';
import { HostCell, ImageCell, IpsCell, StateCell, Uptime } from './cells';
import { condition } from './containerState';
import { ACTION_BINDINGS, requestAction } from './requestAction';
import { MarkedBar } from './MarkedBar';
import { toggleMark, useMarks } from './marks';
import { opensMenu, RolloutMenu, type MenuAt } from './RolloutMenu';
import { rolloutTargetOf } from './rolloutTarget';
import { createRowDeriver, NO_GROUP, NO_SERVICE, serviceKey, type ContainerRow, type GroupRow, type Row, type ServiceRow } from './rows';
import './fleet.css';

/** This grid's overscan from before the shared hook (bench:grid's figures were measured with it). */
const OVERSCAN = 12;

type GridColumn = { id: SortColumn | 'cpu' | 'mem'; label: string; className: string; sortable: boolean };
const isSortable = (col: GridColumn | undefined): col is GridColumn & { id: SortColumn } => col?.sortable === true;

const COLUMNS: readonly GridColumn[] = [
  { id: 'name', label: 'Name', className: 'col-name', sortable: true },
  { id: 'host', label: 'Host', className: 'col-host', sortable: true },
  { id: 'group', label: 'Group', className: 'col-group', sortable: true },
  { id: 'service', label: 'Service', className: 'col-service', sortable: true },
  { id: 'image', label: 'Image', className: 'col-image', sortable: true },
  { id: 'state', label: 'State', className: 'col-state', sortable: true },
  { id: 'ips', label: 'IPs', className: 'col-ips', sortable: true },
  { id: 'uptime', label: 'Uptime', className: 'col-uptime', sortable: true },
  // Live values, sampled only for rows on screen: sort by them in the Top view.
  { id: 'cpu', label: 'CPU', className: 'col-cpu', sortable: false },
  { id: 'mem', label: 'Memory', className: 'col-mem', sortable: false },
];
const HEADER_COLUMNS: readonly HeaderColumn[] = COLUMNS.map((col) => ({
  id: col.id,
  label: col.label,
  className: col.className,
  sortKey: isSortable(col) ? col.id : undefined,
  title: col.sortable ? undefined : `Live value; sort by it in the Top view (${keyText(KEYS.top)})`,
}));

export const FILTER_INPUT_ID = 'containers-filter';
const GRID_ID = 'containers-grid';

export function ContainersGrid() {
  const containers = useFleet((s) => s.containers);
  const hosts = useFleet((s) => s.hosts);
  const status = useFleet((s) => s.status);
  const { filter, problemsOnly, hostFilter, sort, collapsed, selectedKey } = useUi(
    useShallow((s) => ({
      filter: s.filter, problemsOnly: s.problemsOnly, hostFilter: s.hostFilter, sort: s.sort, collapsed: s.collapsed, selectedKey: s.selectedKey,
    })),
  );
  // Typing stays responsive: the (cheap, but not free) re-filter runs at lower priority.
  const deferredFilter = useDeferredValue(filter);
  const derive = useMemo(createRowDeriver, []);
  const { rows, indexOf, matched, total, sectionKeys } = derive({ containers, filter: deferredFilter, problemsOnly, hostFilter, sort, collapsed });

  const [menu, setMenu] = useState<MenuAt | null>(null);
  const marks = useMarks();
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const indexOfRef = useRef(indexOf);
  indexOfRef.current = indexOf;

  const grid = useVirtualGrid<Row>({
    id: GRID_ID,
    rows,
    rowKey: (row) => row.key,
    indexOf,
    selectedKey,
    onSelect: (key) => useUi.getState().select(key),
    overscan: OVERSCAN,
    columns: HEADER_COLUMNS,
    sort,
    onSort: (key) => useUi.getState().toggleSort(key as SortColumn),
    onRowKey,
    // Tell the stats store which containers are on screen (it debounces and tells main).
    onVisibleRows: (visible) => useStats.getState().setVisible('grid', visible.flatMap((row) =>
      row.kind === 'container' && row.container.state === 'running' ? [{ host: row.container.host, id: row.container.id }] : [])),
  });
  const { virtualizer, focusGrid, rowId } = grid;
  const gridRef = grid.gridProps.ref;
  const selectedContainer = grid.selectedRow?.kind === 'container' ? grid.selectedRow.container : undefined;
  const selectedService = grid.selectedRow?.kind === 'service' ? grid.selectedRow : undefined;
  const items = virtualizer.getVirtualItems();

  /** Opens the rollout menu of a row at (x, y), or under the row's name when no point is given. */
  const openMenu = useCallback((row: Row | undefined, index: number | undefined, point?: { x: number; y: number }) => {
    const target = rolloutTargetOf(row, useFleet.getState().containers.values());
    if (!target) return false;
    const box = index !== undefined ? document.getElementById(rowId(index))?.getBoundingClientRect() : undefined;
    setMenu({ target, x: point?.x ?? (box ? box.left + 24 : 0), y: point?.y ?? (box ? box.bottom : 0) });
    return true;
  }, [rowId]);

  /** The keys of this grid's rows: sections fold, containers open shells, get stats or run actions. */
  function onRowKey(e: KeyboardEvent<HTMLDivElement>, { row, index, selectIndex }: RowKeyContext<Row>): boolean {
    const container = row?.kind === 'container' ? row.container : undefined;
    if (opensMenu(e)) return openMenu(row, index);
    const fold = matchIndex(KEYS.fold, e);
    if (fold === 0) {
      if (!row) return false;
      if (row.kind === 'container') {
        const c = row.container;
        const parent = indexOf.get(serviceKey(c.group || NO_GROUP, c.service || NO_SERVICE));
        if (parent !== undefined) selectIndex(parent);
      } else if (!row.collapsed) toggleSection(row, true);
      else if (row.kind === 'service') {
        const parent = indexOf.get(`g:${row.group}`);
        if (parent !== undefined) selectIndex(parent);
      }
      return true;
    }
    if (fold === 1) {
      if (!row) return false;
      if (row.kind !== 'container' && row.collapsed) toggleSection(row, false);
      else selectIndex((index ?? -1) + 1);
      return true;
    }
    if (e.key === 'Enter' || e.key === ' ') {
      if (row && row.kind !== 'container') toggleSection(row);
      else if (e.key === ' ') {
        // Marks the container; Space never scrolls the grid.
        if (container) toggleMark(container);
      } else if (container && !e.shiftKey) openContainerShell(container);
      else return false;
      return true;
    }
    if (row?.kind === 'service' && row.service !== NO_SERVICE && matches(KEYS.logs, e)) {
      openServiceLogs(row.service, serviceMembers(useFleet.getState().containers.values(), row.service));
      return true;
    }
    if (!container) return false;
    if (matches(KEYS.stats, e)) useStats.getState().openDetail(container);
    else if (matches(KEYS.logs, e)) openContainerLogs(container);
    else if (matches(KEYS.shellAs, e)) askShellAs(container);
    else if (matches(KEYS.shell, e)) openContainerShell(container);
    else {
      const action = ContainerAction.options.find((a) => matches(ACTION_BINDINGS[a], e));
      if (!action) return false;
      requestAction(container, action);
    }
    return true;
  }

  // Stable handlers, so memoised rows do not re-render while scrolling.
  const onRowClick = useCallback((row: Row, e?: { ctrlKey: boolean; metaKey: boolean }) => {
    if (row.kind === 'container' && (e?.ctrlKey || e?.metaKey)) toggleMark(row.container);
    useUi.getState().select(row.key);
    if (row.kind !== 'container') toggleSection(row);
    focusGrid();
  }, [focusGrid]);
  const onRowDoubleClick = useCallback((row: ContainerRow) => openContainerShell(row.container), []);
  const onRowMenu = useCallback((row: Row, index: number, point: { x: number; y: number }) => {
    useUi.getState().select(row.key);
    return openMenu(row, index, point);
  }, [openMenu]);
  const closeMenu = useCallback(() => {
    setMenu(null);
    focusGrid();
  }, [focusGrid]);
  const onFilterExit = useCallback(() => {
    gridRef.current?.focus();
    const ui = useUi.getState();
    if (ui.selectedKey === null || !indexOfRef.current.has(ui.selectedKey)) {
      const first = rowsRef.current[0];
      if (first) ui.select(first.key);
      virtualizer.scrollToIndex(0);
    }
  }, [virtualizer, gridRef]);

  return (
    <div className="containers">
      <Toolbar
        matched={matched}
        total={total}
        hostFilter={hostFilter}
        problemsOnly={problemsOnly}
        sectionKeys={sectionKeys}
        anyCollapsed={collapsed.size > 0}
        onFilterArrowDown={onFilterExit}
      />
      <ActionBar container={selectedContainer} host={selectedContainer ? hosts.get(selectedContainer.host) : undefined} service={selectedService} />
      <MarkedBar />
      {menu && <RolloutMenu at={menu} onClose={closeMenu} />}
      <div {...grid.gridProps} className="grid" aria-label="Containers" aria-multiselectable="false">
        <GridHeaderRow {...grid.headerProps} />
        <div ref={grid.scrollRef} className="grid-body" role="rowgroup">
          {rows.length === 0 && (
            <p className="grid-empty">
              {status !== 'live' && status !== 'reconnecting' ? 'Waiting for the fleet…' : total === 0 ? 'No containers in this fleet.' : 'No containers match the filter.'}
            </p>
          )}
          <div className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((v) => {
              const row = rows[v.index];
              if (!row) return null;
              const selected = row.key === selectedKey;
              const common = { id: grid.rowId(v.index), index: v.index, top: v.start, selected, onClick: onRowClick, onMenu: onRowMenu };
              if (row.kind === 'container') {
                return <ContainerRowView key={row.key} row={row} host={hosts.get(row.container.host)} marked={marks.has(row.key)} onDoubleClick={onRowDoubleClick} {...common} />;
              }
              return <SectionRowView key={row.key} row={row} {...common} />;
            })}
          </div>
        </div>
      </div>
    </div>
  );
}

function toggleSection(row: GroupRow | ServiceRow, collapse = !row.collapsed): void {
  useUi.getState().setCollapsed(row.key, collapse);
}

type RowCommon = {
  id: string;
  index: number;
  top: number;
  selected: boolean;
  /** The click's modifiers: Ctrl (or ⌘) marks a container. */
  onClick(row: Row, e?: { ctrlKey: boolean; metaKey: boolean }): void;
  /** A right-click: true when the row has a rollout menu (the browser's own then stays shut). */
  onMenu(row: Row, index: number, point: { x: number; y: number }): boolean;
};

const ContainerRowView = memo(function ContainerRowView({ row, host, marked, id, index, top, selected, onClick, onMenu, onDoubleClick }: RowCommon & { row: ContainerRow; host: Host | undefined; marked: boolean; onDoubleClick(row: ContainerRow): void }) {
  const c = row.container;
  const hostDown = host?.state !== 'online';
  const memHot = useMemHot(c) && c.state === 'running';
  return (
    <div
      {...virtualRowProps(id, index, top, selected)}
      className={`grid-row row-container cond-${condition(c)}${memHot ? ' mem-hot' : ''}${selected ? ' is-selected' : ''}${hostDown ? ' host-down' : ''}${marked ? ' is-marked' : ''}`}
      onClick={(e) => onClick(row, e)}
      onContextMenu={(e) => onMenu(row, index, { x: e.clientX, y: e.clientY }) && e.preventDefault()}
      onDoubleClick={() => onDoubleClick(row)}
    >
      <div role="gridcell" className="cell col-name" title={`${c.name}\n${c.id.slice(0, 12)}`}>{c.name}{marked && <span className="visually-hidden"> (marked)</span>}</div>
      <div role="gridcell" className="cell col-host"><HostCell name={c.host} host={host} /></div>
      <div role="gridcell" className="cell col-group">{c.group ?? <span className="muted">—</span>}</div>
      <div role="gridcell" className="cell col-service">{c.service ?? <span className="muted">—</span>}</div>
      <div role="gridcell" className="cell col-image mono"><ImageCell c={c} /></div>
      <div role="gridcell" className="cell col-state"><StateCell c={c} /></div>
      <div role="gridcell" className="cell col-ips mono"><IpsCell c={c} /></div>
      <div role="gridcell" className="cell col-uptime mono"><Uptime c={c} /></div>
      <div role="gridcell" className="cell col-cpu mono"><CpuCell c={c} /></div>
      <div role="gridcell" className="cell col-mem mono"><MemCell c={c} /></div>
    </div>
  );
});

const SectionRowView = memo(function SectionRowView({ row, id, index, top, selected, onClick, onMenu }: RowCommon & { row: GroupRow | ServiceRow }) {
  const n = row.counts;
  const isGroup = row.kind === 'group';
  const label = isGroup ? row.group : row.service;
  return (
    <div
      {...virtualRowProps(id, index, top, selected)}
      aria-expanded={!row.collapsed}
      aria-level={isGroup ? 1 : 2}
      data-group-row={isGroup ? 'group' : 'service'}
      className={`grid-row row-section ${isGroup ? 'row-group' : 'row-service'}${selected ? ' is-selected' : ''}${n.unhealthy + n.stopped + n.restarting > 0 ? ' has-trouble' : ''}`}
      onClick={() => onClick(row)}
      onContextMenu={(e) => onMenu(row, index, { x: e.clientX, y: e.clientY }) && e.preventDefault()}
    >
      {/* data-group-row on the row and on its cell: page objects filter rows by either. */}
      <div role="gridcell" className="cell cell-span" aria-colspan={COLUMNS.length} data-group-row={isGroup ? 'group' : 'service'}>
        <span className="toggle" aria-hidden="true">{row.collapsed ? '▸' : '▾'}</span>
        <span className="section-name">{label}</span>
        <span className="section-counts">
          {isGroup && `${row.services} ${row.services === 1 ? 'service' : 'services'} · `}
          {formatCount(n.total)} {n.total === 1 ? 'container' : 'containers'} · {formatCount(n.running)} running
        </span>
        {n.unhealthy > 0 && <span className="tag cond-unhealthy"><Shape kind="triangle" />{formatCount(n.unhealthy)} unhealthy</span>}
        {n.restarting > 0 && <span className="tag cond-restarting"><Shape kind="cycle" />{formatCount(n.restarting)} restarting</span>}
        {n.stopped > 0 && <span className="tag cond-exited"><Shape kind="square" />{formatCount(n.stopped)} stopped</span>}
      </div>
    </div>
  );
});

type ToolbarProps = {
  matched: number;
  total: number;
  hostFilter: string | null;
  problemsOnly: boolean;
  sectionKeys: readonly string[];
  anyCollapsed: boolean;
  onFilterArrowDown(): void;
};

const Toolbar = memo(function Toolbar({ matched, total, hostFilter, problemsOnly, sectionKeys, anyCollapsed, onFilterArrowDown }: ToolbarProps) {
  const filter = useUi((s) => s.filter);
  const inputRef = useRef<HTMLInputElement>(null);

  // "/" focuses the filter from anywhere that is not itself a text field.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (!matches(KEYS.filter, e) || e.defaultPrevented) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      if (useUi.getState().confirm) return;
      e.preventDefault();
      inputRef.current?.focus();
      inputRef.current?.select();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      if (filter !== '') useUi.getState().setFilter('');
      else onFilterArrowDown();
    } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
      e.preventDefault();
      onFilterArrowDown();
    }
  };

  const ui = useUi.getState();
  return (
    <div className="toolbar">
      <div className="filter">
        <svg className="filter-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <circle cx="6.5" cy="6.5" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
          <path d="M10 10 L14 14" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
        </svg>
        <input
          ref={inputRef}
          id={FILTER_INPUT_ID}
          type="text"
          aria-label="Filter"
          aria-controls={GRID_ID}
          aria-keyshortcuts={ariaKeys(KEYS.filter)}
          placeholder="Filter by name, host, image, IP, service"
          spellCheck={false}
          autoComplete="off"
          value={filter}
          onChange={(e) => ui.setFilter(e.target.value)}
          onKeyDown={onKeyDown}
        />
        {filter === '' ? <kbd className="filter-hint" aria-hidden="true">{keyText(KEYS.filter)}</kbd> : (
          <button type="button" className="filter-clear" aria-label="Clear filter" onClick={() => { ui.setFilter(''); inputRef.current?.focus(); }}>×</button>
        )}
      </div>
      <button type="button" className={`btn toggle-btn${problemsOnly ? ' is-on' : ''}`} aria-pressed={problemsOnly} onClick={ui.toggleProblemsOnly}>
        <Shape kind="triangle" /> Problems only
      </button>
      {hostFilter !== null && (
        <button type="button" className="chip chip-host" onClick={() => ui.setHostFilter(null)} aria-label={`Showing host ${hostFilter} only; show all hosts`}>
          host: <b>{hostFilter}</b> <span aria-hidden="true">×</span>
        </button>
      )}
      <span className="match-count" aria-live="polite">
        {matched === total ? `${formatCount(total)} containers` : `${formatCount(matched)} of ${formatCount(total)} containers`}
      </span>
      <span className="toolbar-spacer" />
      <button type="button" className="btn btn-quiet" onClick={() => ui.setAllCollapsed(anyCollapsed ? [] : sectionKeys.filter((k) => k.startsWith('g:')))}>
        {anyCollapsed ? 'Expand all' : 'Collapse all'}
      </button>
    </div>
  );
});
