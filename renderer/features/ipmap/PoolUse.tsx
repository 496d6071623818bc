// A segment's pool use: used, free and reserved of its range (a meter and the numbers), or that
// the segment has no pool.
import type { IpSegment } from '../../../shared/ipmap';
import { formatCount } from '../../components/format';

export function PoolUse({ segment }: { segment: IpSegment }) {
  const pool = segment.pool;
  if (!pool) return <span className="ippool muted">No pool for this segment (fleet file ipPools)</span>;
  const pct = (n: number) => `${pool.size === 0 ? 0 : (100 * n) / pool.size}%`;
  return (
    <span className="ippool" role="group" aria-label="Pool use">
      <span className="muted">Pool</span> <span className="mono">{pool.range}</span>{pool.byName && <span className="muted"> (by name)</span>}
      <span className="ippool-meter" aria-hidden="true">
        <span className="ippool-used" style={{ width: pct(pool.used) }} />
        <span className="ippool-reserved" style={{ width: pct(pool.reserved) }} />
      </span>
      <span><b>{formatCount(pool.used)}</b> used · <b>{formatCount(pool.free)}</b> free · <b>{formatCount(pool.reserved)}</b> reserved <span className="muted">of {formatCount(pool.size)}</span></span>
    </span>
  );
}
