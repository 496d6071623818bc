// The IP map view: a segment at a time (the picker names its hosts and marks one with conflicts),
// its pool use, the grid of its addresses a page (/24) at a time with a legend of the kinds and
// their counts on the page, the details of the address in focus or under the mouse, a search (IP,
// MAC or container name) that jumps to the cell, and the fleet's conflicts with links to their
// cells and their containers. Pool definitions the core refused show above all.
import { useMemo, useState, type FormEvent } from 'react';
import type { IpMapSnapshot, IpSegment } from '../../../shared/ipmap';
import { formatCount } from '../../components/format';
import { Shape } from '../../components/Shape';
import { StreamLink } from '../../components/StreamLink';
import { useIpMap } from '../../stores/ipmap';
import { formatIPv4 } from '../../../shared/ip';
import { CellDetails } from './CellDetails';
import { ConflictList } from './ConflictList';
import { IpGrid } from './IpGrid';
import { CELL_LETTER, CELL_WORD, findCell, indexSegment, pageCells, posOf, segmentPages, type CellKind, type CellPos } from './ipCells';
import { PoolUse } from './PoolUse';
import './ipmap.css';

const KINDS: readonly CellKind[] = ['free', 'dynamic', 'static', 'reserved', 'host', 'conflict'];

export function IpMapView() {
  const snapshot = useIpMap((s) => s.snapshot);
  const status = useIpMap((s) => s.status);
  const error = useIpMap((s) => s.error);
  return (
    <section className="ipmap" aria-label="IP map view">
      <div className="toolbar ipmap-toolbar">
        <span className="ipmap-title">IP map</span>
        {snapshot && <SegmentPicker snapshot={snapshot} />}
        {snapshot && <SearchBox snapshot={snapshot} />}
        <span className="toolbar-spacer" />
        <StreamLink status={status} error={error} what="the IP map" className="ipmap-live" onReconnect={() => useIpMap.getState().connect()} />
      </div>
      {snapshot && snapshot.poolErrors.length > 0 && (
        <ul className="ipmap-poolerrors" role="alert">{snapshot.poolErrors.map((e) => <li key={e}><Shape kind="cross" /> {e}</li>)}</ul>
      )}
      {!snapshot ? <p className="grid-empty">Reading every host’s networks…</p> : <SegmentMap snapshot={snapshot} />}
    </section>
  );
}

function shownSegment(snapshot: IpMapSnapshot, id: string | null): IpSegment | undefined {
  return snapshot.segments.find((s) => s.id === id) ?? snapshot.segments[0];
}

function SegmentPicker({ snapshot }: { snapshot: IpMapSnapshot }) {
  const segment = useIpMap((s) => s.segment);
  const current = shownSegment(snapshot, segment);
  const withConflicts = new Set(snapshot.conflicts.map((c) => c.segment));
  return (
    <label className="ipmap-field">
      <span className="muted">Segment</span>
      <select value={current?.id ?? ''} onChange={(e) => useIpMap.getState().show(e.target.value)}>
        {snapshot.segments.map((s) => (
          <option key={s.id} value={s.id}>{withConflicts.has(s.id) ? '! ' : ''}{s.id} ({s.hosts.join(', ')})</option>
        ))}
      </select>
    </label>
  );
}

/** A search or a conflict's link: show the cell and put the keyboard on it. */
const jump = (segment: string, ip: string) => useIpMap.getState().show(segment, ip, true);

function SearchBox({ snapshot }: { snapshot: IpMapSnapshot }) {
  const [query, setQuery] = useState('');
  const [missed, setMissed] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const hit = findCell(snapshot, query);
    setMissed(!hit);
    if (hit) jump(hit.segment, hit.ip);
  };
  return (
    <form className="ipmap-search" role="search" onSubmit={submit}>
      <input
        className="text-input"
        type="search"
        aria-label="Find an IP, MAC or container"
        placeholder="Find IP, MAC or container…"
        value={query}
        onChange={(e) => { setQuery(e.target.value); setMissed(false); }}
      />
      {missed && <span className="tone-error" role="status">Not on the map</span>}
    </form>
  );
}

function SegmentMap({ snapshot }: { snapshot: IpMapSnapshot }) {
  const segmentId = useIpMap((s) => s.segment);
  const ip = useIpMap((s) => s.ip);
  const focusSeq = useIpMap((s) => s.focusSeq);
  const [hovered, setHovered] = useState<string | null>(null);
  const segment = shownSegment(snapshot, segmentId);
  const pages = useMemo(() => (segment ? segmentPages(segment) : []), [segment]);
  const index = useMemo(() => (segment ? indexSegment(snapshot, segment) : undefined), [snapshot, segment]);
  const pos: CellPos = (ip !== null ? posOf(pages, ip) : undefined) ?? { page: 0, cell: 0 };
  const page = pages[pos.page];
  const cells = useMemo(() => (index && page ? pageCells(index, page) : []), [index, page]);

  if (!segment || !index) return <p className="grid-empty">No networks with an IPv4 subnet on any host.</p>;
  const counts = new Map<CellKind, number>();
  for (const c of cells) counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
  const move = (next: CellPos) => {
    const cell = pages[next.page];
    if (!cell) return;
    useIpMap.getState().show(segment.id, formatIPv4(cell.first + next.cell), true);
  };
  const detailCell = cells.find((c) => c.ip === hovered) ?? cells[pos.cell];

  return (
    <div className="ipmap-body">
      <div className="ipmap-main">
        <div className="ipmap-segbar">
          <PoolUse segment={segment} />
          {segment.offlineHosts.length > 0 && <span className="ip-stopped">Offline, as last seen: {segment.offlineHosts.join(', ')}</span>}
        </div>
        {pages.length > 1 && page && (
          <div className="ipmap-pager" role="group" aria-label="Pages">
            <button type="button" className="btn btn-small" disabled={pos.page === 0} onClick={() => move({ page: pos.page - 1, cell: pos.cell })}>Previous</button>
            <span>Page {pos.page + 1} of {formatCount(pages.length)}: <span className="mono">{formatIPv4(page.first)} – {formatIPv4(page.first + page.count - 1)}</span></span>
            <button type="button" className="btn btn-small" disabled={pos.page === pages.length - 1} onClick={() => move({ page: pos.page + 1, cell: pos.cell })}>Next</button>
          </div>
        )}
        <div className="ipmap-legend" aria-label="Legend" role="list">
          {KINDS.map((k) => (
            <span key={k} role="listitem" className={`ipmap-legend-item kind-${k}`}>
              <span className="ipswatch" aria-hidden="true">{CELL_LETTER[k]}</span> {CELL_WORD[k]} <span className="muted">{counts.get(k) ?? 0}</span>
            </span>
          ))}
        </div>
        <IpGrid pages={pages} pos={pos} cells={cells} onMove={move} onHover={setHovered} focusSeq={focusSeq} />
      </div>
      <div className="ipmap-side">
        <CellDetails segment={segment.id} cell={detailCell} />
        <ConflictList snapshot={snapshot} onJump={jump} />
      </div>
    </div>
  );
}
