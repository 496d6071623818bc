// A host's CPU (its containers summed, against ncpu × 100 %) and memory (against the host's
// total): main's last 15 minutes when the host detail opens, then ticks. Small: it lives in the
// hosts panel.
import { useEffect } from 'react';
import { Area, AreaChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatBytes, formatClock, formatPercent } from '../../components/format';
import { useStats, type HostPoint } from '../../stores/stats';

const EMPTY: readonly HostPoint[] = [];
const H = 64;

export function HostCharts({ host }: { host: string }) {
  const points = useStats((s) => s.hostSeries.get(host) ?? EMPTY);
  const now = useStats((s) => s.hosts.get(host));
  useEffect(() => useStats.getState().watchHost(host), [host]);
  if (!now) return null;
  const cpuCap = now.ncpu * 100;
  const data = points as HostPoint[];
  return (
    <div className="host-charts" aria-label={`${host} load`} role="group" data-points={data.length}>
      <figure className="host-chart" aria-label={`${host} CPU`}>
        <figcaption>CPU <span><b>{formatPercent(now.cpuPercent)}</b> of {now.ncpu * 100} %</span></figcaption>
        <ResponsiveContainer width="100%" height={H}>
          <AreaChart data={data} margin={{ top: 2, right: 2, bottom: 0, left: 0 }}>
            <XAxis dataKey="at" type="number" scale="time" domain={['dataMin', 'dataMax']} hide />
            <YAxis domain={[0, cpuCap]} hide />
            <ReferenceLine y={cpuCap} stroke="#ff6b63" strokeDasharray="4 3" />
            <Tooltip isAnimationActive={false} labelFormatter={(v) => formatClock(Number(v))} formatter={(v) => [formatPercent(Number(v)), 'CPU']} contentStyle={{ background: 'var(--panel-3)', border: '1px solid var(--line-2)', fontSize: 12 }} />
            <Area dataKey="cpuPercent" stroke="#4c9aff" fill="#4c9aff" fillOpacity={0.25} dot={false} isAnimationActive={false} type="linear" />
          </AreaChart>
        </ResponsiveContainer>
      </figure>
      <figure className="host-chart" aria-label={`${host} memory`}>
        <figcaption>Memory <span><b>{formatBytes(now.memUsage)}</b> of {formatBytes(now.memTotal)}</span></figcaption>
        <ResponsiveContainer width="100%" height={H}>
          <AreaChart data={data} margin={{ top: 2, right: 2, bottom: 0, left: 0 }}>
            <XAxis dataKey="at" type="number" scale="time" domain={['dataMin', 'dataMax']} hide />
            <YAxis domain={[0, now.memTotal || 1]} hide />
            <ReferenceLine y={now.memTotal} stroke="#ff6b63" strokeDasharray="4 3" />
            <Tooltip isAnimationActive={false} labelFormatter={(v) => formatClock(Number(v))} formatter={(v) => [formatBytes(Number(v)), 'memory']} contentStyle={{ background: 'var(--panel-3)', border: '1px solid var(--line-2)', fontSize: 12 }} />
            <Area dataKey="memUsage" stroke="#c297ff" fill="#c297ff" fillOpacity={0.25} dot={false} isAnimationActive={false} type="linear" />
          </AreaChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}
