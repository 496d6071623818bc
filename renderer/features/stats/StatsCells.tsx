// Grid cells for a container's live CPU and memory. Each cell subscribes to its own sample,
// so a tick re-renders only the cells on screen, never the grid.
import type { ContainerStats } from '../../../shared/stats';
import { formatBytes, formatBytesShort, formatPercent } from '../../components/format';
import { Shape } from '../../components/Shape';
import { containerKey } from '../../stores/fleet';
import { useStats } from '../../stores/stats';
import { isMemHot, memShare } from './top';

const useSample = (ref: { host: string; id: string }): ContainerStats | undefined => useStats((s) => s.containers.get(containerKey(ref)));

export function CpuCell({ c }: { c: { host: string; id: string; state: string } }) {
  const s = useSample(c);
  if (!s || c.state !== 'running') return <span className="muted">—</span>;
  return <span className="stat-cpu">{formatPercent(s.cpuPercent)}</span>;
}

/** Grid cell, narrow: "34 % 87M / 256M"; hot: red, bold, warning shape. Full figures in the title. */
export function MemCell({ c }: { c: { host: string; id: string; state: string } }) {
  const s = useSample(c);
  if (!s || c.state !== 'running') return <span className="muted">—</span>;
  const hot = isMemHot(s);
  const limited = s.memLimit > 0;
  return (
    <span className={`stat-mem stat-mem--short${hot ? ' is-hot' : ''}`} title={memTitle(s)}>
      {hot && <Shape kind="triangle" />}
      {limited && <span className="mem-pct">{formatPercent(memShare(s))}</span>}
      <span className="mem-usage">{formatBytesShort(s.memUsage)}</span>
      {limited && <span className="mem-limit">/{formatBytesShort(s.memLimit)}</span>}
    </span>
  );
}

/** Whether the container's memory is at 90 % of its limit or more (rows subscribe to this only). */
export const useMemHot = (ref: { host: string; id: string }): boolean => useStats((st) => {
  const s = st.containers.get(containerKey(ref));
  return s !== undefined && isMemHot(s);
});

const memTitle = (s: ContainerStats): string =>
  `memory ${formatBytes(s.memUsage)}${s.memLimit > 0 ? ` of ${formatBytes(s.memLimit)} limit (${formatPercent(memShare(s))})` : ', no limit'}${isMemHot(s) ? ' — near its limit' : ''}`;

/** "87.4 MiB / 256 MiB 34 %"; at ≥ 90 % of the limit: red, bold, with a warning shape. */
export function MemValue({ s }: { s: ContainerStats }) {
  const hot = isMemHot(s);
  const limited = s.memLimit > 0;
  return (
    <span
      className={`stat-mem${hot ? ' is-hot' : ''}`}
      title={memTitle(s)}
    >
      {hot && <Shape kind="triangle" />}
      <span className="mem-usage">{formatBytes(s.memUsage)}</span>
      {limited && <span className="mem-limit"> / {formatBytes(s.memLimit)}</span>}
      {limited && <span className="mem-pct">{formatPercent(memShare(s))}</span>}
    </span>
  );
}
