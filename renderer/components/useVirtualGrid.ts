// One virtualised role="grid" with a single tab stop, as the Containers grid, the Top view and the
// Audit view use it: the @tanstack/react-virtual virtualizer over fixed-height rows; the selection
// (the grid holds focus and points at the selected row with aria-activedescendant; a selection
// made elsewhere, e.g. by the palette, is scrolled into view); the keys every grid shares; and
// which rows are on screen.
//
// Keys (grid focused): ↑/↓ PageUp/PageDown Home/End move the selection; ↑ on the first row reaches
// the headers. On a header: Enter/Space sort, ←/→ Home/End between headers, ↓ back to rows. Any
// other key goes to the grid's own onRowKey.
import { useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, type KeyboardEvent, type MutableRefObject, type RefObject } from 'react';
import type { HeaderColumn } from './GridHeaderRow';

export type GridSort = { column: string; dir: 'asc' | 'desc' };

/** Every grid row's height in px: keep in step with --row-h (styles/base.css). */
export const GRID_ROW_HEIGHT = 28;
/** Rows rendered beyond the visible ones on each side, by default: a wheel step's worth. */
const OVERSCAN = 10;

/** What a grid's own key handler gets: the selected row (if any) and a way to move the selection. */
export interface RowKeyContext<R> {
  row: R | undefined;
  index: number | undefined;
  selectIndex(index: number): void;
}

export interface VirtualGridOptions<R> {
  /** The grid element's id; row ids derive from it (rowId). */
  id: string;
  rows: readonly R[];
  rowKey(row: R): string;
  /** Row key → index in `rows`, if the grid has one already (else made here). */
  indexOf?: ReadonlyMap<string, number>;
  selectedKey: string | null;
  onSelect(key: string): void;
  /** Rows rendered beyond the visible ones on each side (default OVERSCAN). */
  overscan?: number;
  columns: readonly HeaderColumn[];
  sort: GridSort;
  onSort(sortKey: string): void;
  /** Keys the grid does not handle itself, on the grid element; return true when handled (the default is then prevented). */
  onRowKey?(e: KeyboardEvent<HTMLDivElement>, context: RowKeyContext<R>): boolean;
  /** The rows on screen, whenever that set changes; none when the grid goes away. */
  onVisibleRows?(rows: readonly R[]): void;
}

export interface VirtualGrid<R> {
  virtualizer: Virtualizer<HTMLDivElement, Element>;
  selectedIndex: number | undefined;
  selectedRow: R | undefined;
  selectIndex(index: number): void;
  /** Gives the grid the keyboard without scrolling (after a click on a row). */
  focusGrid(): void;
  rowId(index: number): string;
  /** Spread on the role="grid" element (add aria-label, className and the rest). */
  gridProps: {
    id: string;
    ref: RefObject<HTMLDivElement | null>;
    role: 'grid';
    'aria-rowcount': number;
    'aria-colcount': number;
    'aria-activedescendant': string | undefined;
    tabIndex: 0;
    onKeyDown(e: KeyboardEvent<HTMLDivElement>): void;
  };
  /** The scrolling role="rowgroup" that holds the rows. */
  scrollRef: RefObject<HTMLDivElement | null>;
  /** Spread on GridHeaderRow. */
  headerProps: { columns: readonly HeaderColumn[]; sort: GridSort; onSort(sortKey: string): void; headerRefs: MutableRefObject<(HTMLDivElement | null)[]> };
}

/** A rendered row's place in the grid: its id, ARIA row index (the header row is 1) and offset. */
export function virtualRowProps(id: string, index: number, top: number, selected: boolean) {
  return { id, role: 'row' as const, 'aria-rowindex': index + 2, 'aria-selected': selected, style: { transform: `translateY(${top}px)` } };
}

export function useVirtualGrid<R>(o: VirtualGridOptions<R>): VirtualGrid<R> {
  const { id, rows, rowKey, selectedKey, columns, sort } = o;
  const rowHeight = GRID_ROW_HEIGHT;
  const indexOf = useMemo(() => o.indexOf ?? new Map(rows.map((r, i) => [rowKey(r), i])), [o.indexOf, rows, rowKey]);
  const gridRef = useRef<HTMLDivElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const headerRefs = useRef<(HTMLDivElement | null)[]>([]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: o.overscan ?? OVERSCAN,
  });
  // Effects and stable callbacks read the latest options through these.
  const latest = useRef(o);
  latest.current = o;
  const indexOfRef = useRef(indexOf);
  indexOfRef.current = indexOf;

  const items = virtualizer.getVirtualItems();
  const selectedIndex = selectedKey !== null ? indexOf.get(selectedKey) : undefined;
  const selectedRow = selectedIndex !== undefined ? rows[selectedIndex] : undefined;
  const selectedRendered = selectedIndex !== undefined && items.some((v) => v.index === selectedIndex);
  const rowId = useCallback((index: number) => `${id}-row-${index}`, [id]);

  const visibleSig = items.map((v) => (rows[v.index] === undefined ? '' : rowKey(rows[v.index]!))).join('|');
  useEffect(() => {
    const { rows: current, onVisibleRows } = latest.current;
    onVisibleRows?.(virtualizer.getVirtualItems().flatMap((v) => (current[v.index] === undefined ? [] : [current[v.index]!])));
  }, [visibleSig, virtualizer]);
  useEffect(() => () => latest.current.onVisibleRows?.([]), []);

  // A selection made elsewhere (the palette, another view) is scrolled to; 'auto' leaves a visible row where it is.
  // Also when its row appears later (the palette cleared a filter: the grid filters at deferred priority).
  const selectedListed = selectedIndex !== undefined;
  useEffect(() => {
    const index = selectedKey !== null ? indexOfRef.current.get(selectedKey) : undefined;
    if (index !== undefined) virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [selectedKey, selectedListed, virtualizer]);

  const selectIndex = (index: number) => {
    const i = Math.max(0, Math.min(rows.length - 1, index));
    const row = rows[i];
    if (row === undefined) return;
    o.onSelect(rowKey(row));
    virtualizer.scrollToIndex(i, { align: 'auto' });
  };
  const focusHeader = (i: number) => headerRefs.current[Math.max(0, Math.min(columns.length - 1, i))]?.focus();
  const focusGrid = useCallback(() => gridRef.current?.focus({ preventScroll: true }), []);

  const onHeaderKey = (e: KeyboardEvent<HTMLDivElement>, i: number): boolean => {
    const sortKey = columns[i]?.sortKey;
    switch (e.key) {
      case 'Enter':
      case ' ':
        if (sortKey !== undefined) o.onSort(sortKey);
        return true;
      case 'ArrowLeft': focusHeader(i - 1); return true;
      case 'ArrowRight': focusHeader(i + 1); return true;
      case 'Home': focusHeader(0); return true;
      case 'End': focusHeader(columns.length - 1); return true;
      case 'ArrowDown':
        gridRef.current?.focus();
        if (selectedIndex === undefined) selectIndex(0);
        return true;
      default:
        return false;
    }
  };

  const onRowsKey = (e: KeyboardEvent<HTMLDivElement>): boolean => {
    const current = selectedIndex ?? -1;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / rowHeight) - 1);
    switch (e.key) {
      case 'ArrowDown': selectIndex(current + 1); return true;
      case 'ArrowUp':
        // Up from the first row: the header of the sorted column.
        if (current <= 0) focusHeader(Math.max(0, columns.findIndex((c) => c.sortKey !== undefined && c.sortKey === sort.column)));
        else selectIndex(current - 1);
        return true;
      case 'PageDown': selectIndex(current + page); return true;
      case 'PageUp': selectIndex(Math.max(0, current - page)); return true;
      case 'Home': selectIndex(0); return true;
      case 'End': selectIndex(rows.length - 1); return true;
      default:
        return o.onRowKey?.(e, { row: selectedRow, index: selectedIndex, selectIndex }) ?? false;
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const header = headerRefs.current.findIndex((h) => h === e.target);
    const handled = header >= 0 ? onHeaderKey(e, header) : e.target === gridRef.current && onRowsKey(e);
    if (handled) e.preventDefault();
  };

  return {
    virtualizer,
    selectedIndex,
    selectedRow,
    selectIndex,
    focusGrid,
    rowId,
    gridProps: {
      id,
      ref: gridRef,
      role: 'grid',
      'aria-rowcount': rows.length + 1,
      'aria-colcount': columns.length,
      'aria-activedescendant': selectedRendered && selectedIndex !== undefined ? rowId(selectedIndex) : undefined,
      tabIndex: 0,
      onKeyDown,
    },
    scrollRef,
    headerProps: { columns, sort, onSort: o.onSort, headerRefs },
  };
}
