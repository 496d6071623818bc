// A container's stats in charts: CPU %, memory against its limit, block I/O and network
// rates. Fed by statsHistory once (≤ 300 points), then by ticks (see stores/stats.ts).
// A modal dialog: Escape or the Close button goes back to where it was opened from.
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactElement, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { Area, AreaChart, CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatBytes, formatClock, formatPercent, formatRate, shortId } from '../../components/format';
import { Shape } from '../../components/Shape';
import { trapTab } from '../../components/focusTrap';
import { containerKey, findContainer, useFleet } from '../../stores/fleet';
import { useStats } from '../../stores/stats';
import type { StatsPoint } from './series';
import { isMemHot, memShare } from './top';

const EMPTY: readonly StatsPoint[] = [];
const CHART_H = 150;
const C = { cpu: '#4c9aff', mem: '#c297ff', limit: '#ff6b63', read: '#3fb950', write: '#e9b949', rx: '#6cb6ff', tx: '#f0883e', grid: '#242d3a', axis: '#8d99aa' };
const axisProps = { stroke: C.axis, tick: { fill: C.axis, fontSize: 11 }, tickLine: false } as const;

export function StatsDetail() {
  const detail = useStats((s) => s.detail);
  if (!detail) return null;
  return <StatsDialog key={containerKey(detail)} host={detail.host} id={detail.id} />;
}

function StatsDialog({ host, id }: { host: string; id: string }) {
  const key = containerKey({ host, id });
  const points = useStats((s) => s.series.get(key) ?? EMPTY);
  const history = useStats((s) => s.historyState.get(key));
  const latest = useStats((s) => s.containers.get(key));
  const container = useFleet((s) => findContainer(s.containers, { host, id }));
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const [opener] = useState(() => document.activeElement as HTMLElement | null);
  const close = () => useStats.getState().closeDetail();

  useEffect(() => {
    closeRef.current?.focus();
    return () => queueMicrotask(() => opener?.isConnected && opener.focus({ preventScroll: true }));
  }, [opener]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close();
    } else if (e.key === 'Tab') trapTab(e, ref.current, 'button:not([disabled]), [tabindex="0"]');
  };

  const name = container?.name ?? latest?.name ?? shortId(id);
  const last = points[points.length - 1];
  const limit = last?.memLimit ?? latest?.memLimit ?? 0;
  const maxMem = points.reduce((m, p) => Math.max(m, p.memUsage), 0);
  const maxCpu = points.reduce((m, p) => Math.max(m, p.cpuPercent), 0);
  // Memory's scale shows the limit with a little headroom, in quarters of it.
  const memTop = Math.max(limit, maxMem) * 1.1 || 1;
  const memTicks = limit > 0 && maxMem <= limit ? [0, limit / 4, limit / 2, (limit * 3) / 4, limit] : undefined;
  const span = points.length > 1 ? points[points.length - 1]!.at - points[0]!.at : 0;
  const running = container ? container.state === 'running' : true;

  return createPortal(
    <div className="modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) close(); }}>
      <div ref={ref} className="modal stats-modal" role="dialog" aria-modal="true" aria-labelledby={titleId} onKeyDown={onKeyDown}>
        <header className="stats-head">
          <h2 id={titleId} className="modal-title">
            Stats: <span className="mono">{name}</span> <span className="muted">on</span> {host}
          </h2>
          <span className="muted stats-span">{span > 0 ? `last ${formatSpan(span)} · ${points.length} points` : ''}</span>
          <button ref={closeRef} type="button" className="btn" aria-label="Close" onClick={close}>Close <kbd aria-hidden="true">Esc</kbd></button>
        </header>
        {latest && (
          <dl className="stats-now" aria-label="Now">
            <div><dt>CPU</dt><dd>{formatPercent(latest.cpuPercent)}</dd></div>
            <div className={isMemHot(latest) ? 'is-hot' : ''}>
              <dt>Memory</dt>
              <dd>
                {isMemHot(latest) && <Shape kind="triangle" />}
                {formatBytes(latest.memUsage)}
                {latest.memLimit > 0 && <span className="muted"> / {formatBytes(latest.memLimit)} · {formatPercent(memShare(latest))}</span>}
              </dd>
            </div>
            <div><dt>Block I/O</dt><dd>read {formatRate(latest.blkReadRate)} · write {formatRate(latest.blkWriteRate)}</dd></div>
            <div><dt>Network</dt><dd>rx {formatRate(latest.netRxRate)} · tx {formatRate(latest.netTxRate)}</dd></div>
            <div><dt>PIDs</dt><dd>{latest.pids}</dd></div>
          </dl>
        )}
        {!running && <p className="stats-note"><Shape kind="square" /> {name} is {container?.state}: no new samples.</p>}
        {history === 'loading' && points.length === 0 && <p className="stats-note muted">Loading history…</p>}
        {history !== undefined && history !== 'loading' && history !== 'ready' && <p className="stats-note tone-error">History unavailable: {history}</p>}
        <div className="stats-charts">
          <Chart title="CPU" legend={<Legend items={[[C.cpu, '% of one core']]} />}>
            <AreaChart data={points as StatsPoint[]} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
              <CartesianGrid stroke={C.grid} vertical={false} />
              <TimeAxis />
              <YAxis {...axisProps} width={58} domain={[0, Math.max(100, Math.ceil(maxCpu / 50) * 50)]} tickFormatter={(v: number) => `${v} %`} />
              <Tooltip content={<Tip rows={(p) => [['CPU', formatPercent(p.cpuPercent)]]} />} isAnimationActive={false} />
              <Area dataKey="cpuPercent" name="CPU" stroke={C.cpu} fill={C.cpu} fillOpacity={0.25} strokeWidth={1.5} dot={false} isAnimationActive={false} type="linear" />
            </AreaChart>
          </Chart>
          <Chart title="Memory" legend={<Legend items={limit > 0 ? [[C.mem, 'usage (without page cache)'], [C.limit, `limit ${formatBytes(limit)}`, true]] : [[C.mem, 'usage (no limit)']]} />}>
            <AreaChart data={points as StatsPoint[]} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
              <CartesianGrid stroke={C.grid} vertical={false} />
              <TimeAxis />
              <YAxis {...axisProps} width={64} domain={[0, memTop]} ticks={memTicks} tickFormatter={(v: number) => formatBytes(v)} />
              <Tooltip content={<Tip rows={(p) => [['Memory', formatBytes(p.memUsage)], ...(p.memLimit > 0 ? [['of limit', `${formatBytes(p.memLimit)} (${formatPercent((p.memUsage / p.memLimit) * 100)})`] as [string, string]] : [])]} />} isAnimationActive={false} />
              {limit > 0 && <ReferenceLine y={limit} stroke={C.limit} strokeDasharray="6 4" strokeWidth={1.5} ifOverflow="extendDomain" label={{ value: `limit ${formatBytes(limit)}`, fill: C.limit, fontSize: 11, position: 'insideTopLeft' }} />}
              {limit > 0 && <ReferenceLine y={limit * 0.9} stroke={C.limit} strokeOpacity={0.35} strokeDasharray="2 4" />}
              <Area dataKey="memUsage" name="Memory" stroke={C.mem} fill={C.mem} fillOpacity={0.25} strokeWidth={1.5} dot={false} isAnimationActive={false} type="linear" />
            </AreaChart>
          </Chart>
          <Chart title="Block I/O" legend={<Legend items={[[C.read, 'read'], [C.write, 'write']]} />}>
            <LineChart data={points as StatsPoint[]} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
              <CartesianGrid stroke={C.grid} vertical={false} />
              <TimeAxis />
              <YAxis {...axisProps} width={70} tickFormatter={(v: number) => formatRate(v)} />
              <Tooltip content={<Tip rows={(p) => [['read', formatRate(p.blkReadRate)], ['write', formatRate(p.blkWriteRate)]]} />} isAnimationActive={false} />
              <Line dataKey="blkReadRate" name="read" stroke={C.read} strokeWidth={1.5} dot={false} isAnimationActive={false} type="linear" />
              <Line dataKey="blkWriteRate" name="write" stroke={C.write} strokeWidth={1.5} strokeDasharray="5 3" dot={false} isAnimationActive={false} type="linear" />
            </LineChart>
          </Chart>
          <Chart title="Network" legend={<Legend items={[[C.rx, 'rx'], [C.tx, 'tx']]} />}>
            <LineChart data={points as StatsPoint[]} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
              <CartesianGrid stroke={C.grid} vertical={false} />
              <TimeAxis />
              <YAxis {...axisProps} width={70} tickFormatter={(v: number) => formatRate(v)} />
              <Tooltip content={<Tip rows={(p) => [['rx', formatRate(p.netRxRate)], ['tx', formatRate(p.netTxRate)]]} />} isAnimationActive={false} />
              <Line dataKey="netRxRate" name="rx" stroke={C.rx} strokeWidth={1.5} dot={false} isAnimationActive={false} type="linear" />
              <Line dataKey="netTxRate" name="tx" stroke={C.tx} strokeWidth={1.5} strokeDasharray="5 3" dot={false} isAnimationActive={false} type="linear" />
            </LineChart>
          </Chart>
        </div>
      </div>
    </div>,
    document.body,
  );
}

function TimeAxis() {
  return <XAxis {...axisProps} dataKey="at" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={(v: number) => formatClock(v)} minTickGap={40} />;
}

function Chart({ title, legend, children }: { title: string; legend: ReactNode; children: ReactNode }) {
  return (
    <figure className="stats-chart" aria-label={`${title} chart`}>
      <figcaption><b>{title}</b>{legend}</figcaption>
      <ResponsiveContainer width="100%" height={CHART_H}>{children as ReactElement}</ResponsiveContainer>
    </figure>
  );
}

function Legend({ items }: { items: readonly (readonly [string, string, boolean?])[] }) {
  return (
    <span className="stats-legend">
      {items.map(([color, label, dashed]) => (
        <span key={label}><i style={{ borderColor: color, borderTopStyle: dashed ? 'dashed' : 'solid' }} aria-hidden="true" />{label}</span>
      ))}
    </span>
  );
}

type TipProps = { active?: boolean; payload?: readonly { payload?: StatsPoint }[]; rows(p: StatsPoint): [string, string][] };
function Tip({ active, payload, rows }: TipProps) {
  const p = payload?.[0]?.payload;
  if (!active || !p) return null;
  return (
    <div className="stats-tip">
      <div className="muted">{formatClock(p.at)}</div>
      {rows(p).map(([k, v]) => <div key={k}>{k} <b>{v}</b></div>)}
    </div>
  );
}

function formatSpan(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : `${Math.round(s / 60)} min`;
}
