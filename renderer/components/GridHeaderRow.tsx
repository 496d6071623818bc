// The header row of a role="grid": column headers with aria-sort and a sort mark. Headers are
// reached with the keyboard through `headerRefs` (roving focus handled by the grid).
import type { MutableRefObject } from 'react';

export interface HeaderColumn {
  id: string;
  label: string;
  className: string;
  /** The sort key this header toggles; none for a column that cannot be sorted here. */
  sortKey?: string | undefined;
  title?: string | undefined;
}

export function GridHeaderRow({ columns, sort, onSort, headerRefs, rowClassName = '', markSortable = false }: {
  columns: readonly HeaderColumn[];
  sort: { column: string; dir: 'asc' | 'desc' };
  onSort(sortKey: string): void;
  headerRefs: MutableRefObject<(HTMLDivElement | null)[]>;
  rowClassName?: string;
  /** Adds `is-sortable` to sortable headers (styles that show they can be clicked). */
  markSortable?: boolean;
}) {
  return (
    <div className="grid-head" role="rowgroup">
      <div className={`grid-row grid-header-row${rowClassName ? ` ${rowClassName}` : ''}`} role="row" aria-rowindex={1}>
        {columns.map((col, i) => {
          const active = col.sortKey !== undefined && sort.column === col.sortKey;
          return (
            <div
              key={col.id}
              ref={(el) => { headerRefs.current[i] = el; }}
              role="columnheader"
              aria-colindex={i + 1}
              aria-sort={col.sortKey === undefined ? undefined : active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
              tabIndex={-1}
              className={`cell header ${col.className}${active ? ' is-sorted' : ''}${markSortable && col.sortKey ? ' is-sortable' : ''}`}
              title={col.title}
              onClick={() => col.sortKey !== undefined && onSort(col.sortKey)}
            >
              {col.label}
              <span className="sort-mark" aria-hidden="true">{active ? (sort.dir === 'asc' ? '▲' : '▼') : ''}</span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
