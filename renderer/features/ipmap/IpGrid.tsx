// The IP map's grid for one page of a segment: 16 rows of 16 addresses, each cell coloured AND
// lettered by what holds it (ipCells.ts). ARIA grid "IP map" with one tab stop (the cell in focus):
// arrows move by cell and row, Home/End to the row's ends (Ctrl: the page's), PageUp/PageDown to
// the next or previous page. Hover or focus tells the details panel which address to show.
import { memo, useEffect, useRef, type KeyboardEvent } from 'react';
import { CELL_LETTER, cellName, moveCell, ROW_CELLS, type CellPos, type IpCell, type IpPage } from './ipCells';

export const IPMAP_GRID_ID = 'ipmap-grid';
export const cellId = (ip: string) => `ipcell-${ip.replaceAll('.', '-')}`;

export function IpGrid({ pages, pos, cells, onMove, onHover, focusSeq }: {
  pages: readonly IpPage[];
  pos: CellPos;
  cells: readonly IpCell[];
  onMove(pos: CellPos): void;
  onHover(ip: string | null): void;
  /** Bumped when the cell in focus must take the keyboard (a search, a conflict's link, a key). */
  focusSeq: number;
}) {
  const gridRef = useRef<HTMLDivElement>(null);
  const active = cells[pos.cell];
  const activeIp = active?.ip;

  useEffect(() => {
    if (focusSeq > 0 && activeIp) document.getElementById(cellId(activeIp))?.focus();
  }, [focusSeq, activeIp]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const next = moveCell(pos, e.key, e.ctrlKey || e.metaKey, pages);
    if (!next) return;
    e.preventDefault();
    onMove(next);
  };

  const rows: IpCell[][] = [];
  for (let i = 0; i < cells.length; i += ROW_CELLS) rows.push(cells.slice(i, i + ROW_CELLS));

  return (
    <div
      ref={gridRef}
      id={IPMAP_GRID_ID}
      role="grid"
      aria-label="IP map"
      aria-rowcount={rows.length}
      aria-colcount={ROW_CELLS + 1}
      className="ipgrid"
      tabIndex={-1}
      // The view tabs focus the grid itself: hand the keyboard to its cell in focus.
      onFocus={(e) => { if (e.target === gridRef.current && active) document.getElementById(cellId(active.ip))?.focus(); }}
      onKeyDown={onKeyDown}
      onMouseLeave={() => onHover(null)}
    >
      {rows.map((row, r) => (
        <div role="row" key={row[0]!.ip} aria-rowindex={r + 1} className="ipgrid-row">
          <div role="rowheader" className="ipgrid-rowhead mono" aria-label={`${row[0]!.ip} to ${row[row.length - 1]!.ip}`}>.{row[0]!.ip.split('.')[3]}</div>
          {row.map((cell, c) => (
            <Cell
              key={cell.ip}
              cell={cell}
              col={c + 2}
              active={r * ROW_CELLS + c === pos.cell}
              onPick={() => onMove({ page: pos.page, cell: r * ROW_CELLS + c })}
              onHover={onHover}
            />
          ))}
        </div>
      ))}
    </div>
  );
}

const Cell = memo(function Cell({ cell, col, active, onPick, onHover }: { cell: IpCell; col: number; active: boolean; onPick(): void; onHover(ip: string | null): void }) {
  const latent = cell.kind === 'conflict' && cell.conflicts.every((c) => c.latent);
  return (
    <div
      role="gridcell"
      id={cellId(cell.ip)}
      aria-colindex={col}
      aria-label={cellName(cell)}
      aria-selected={active}
      tabIndex={active ? 0 : -1}
      className={`ipcell kind-${cell.kind}${latent ? ' is-latent' : ''}${active ? ' is-active' : ''}`}
      onClick={onPick}
      onFocus={() => onHover(null)}
      onMouseEnter={() => onHover(cell.ip)}
    >
      <span aria-hidden="true">{CELL_LETTER[cell.kind]}</span>
    </div>
  );
});
