// Grid cell renderers for one container. Formatting lives here, not in the stores.
import type { Container, Host } from '../../../shared/model';
import { formatDuration, uptimeFromStatus } from '../../components/format';
import { Shape, type ShapeKind } from '../../components/Shape';
import { useNow } from '../../components/useNow';
import { condition, type Condition } from './containerState';
import { OutdatedMark } from './ImageDigest';

export const CONDITION_SHAPE: Record<Condition, ShapeKind> = {
  ok: 'dot',
  starting: 'half',
  unhealthy: 'triangle',
  restarting: 'cycle',
  exited: 'square',
  dead: 'cross',
  paused: 'pause',
  created: 'ring',
  removing: 'ring',
};

/** "exited (137)" from Docker's status text "Exited (137) 3 minutes ago". */
export function exitCode(c: Container): string | undefined {
  return /\((-?\d+)\)/.exec(c.status)?.[1];
}

/** "running · healthy", "running · unhealthy", "exited (137)", "restarting". */
export function stateText(c: Container): string {
  if (c.state === 'exited') {
    const code = exitCode(c);
    return code !== undefined ? `exited (${code})` : 'exited';
  }
  return c.health ? `${c.state} · ${c.health}` : c.state;
}

export function StateCell({ c }: { c: Container }) {
  const k = condition(c);
  return (
    <span className={`state cond-${k}`} title={c.status}>
      <Shape kind={CONDITION_SHAPE[k]} />
      <span className="state-text">{stateText(c)}</span>
    </span>
  );
}

export function IpsCell({ c }: { c: Container }) {
  const first = c.ips[0];
  if (!first) return <span className="muted">—</span>;
  const all = c.ips.map((n) => `${n.network}: ${n.ip}  ${n.mac}`).join('\n');
  return (
    <span className="ips" title={all}>
      <span className="ip">{first.ip || '—'}</span>
      {c.ips.length > 1 && <span className="more">+{c.ips.length - 1}</span>}
      <span className="mac">{first.mac}</span>
    </span>
  );
}

export function HostCell({ name, host }: { name: string; host: Host | undefined }) {
  const state = host?.state ?? 'offline';
  if (state === 'online') return <span className="host-ref">{name}</span>;
  return (
    <span className={`host-ref host-ref--down state-${state}`} title={`Host ${state}: this row may be stale`}>
      <Shape kind={state === 'error' ? 'triangle' : state === 'connecting' ? 'ring' : 'square'} />
      {name}
    </span>
  );
}

export function Uptime({ c }: { c: Container }) {
  if (c.state !== 'running') return <span className="muted">—</span>;
  if (c.startedAt === undefined) return <span className="muted">{uptimeFromStatus(c.status) ?? '—'}</span>;
  return <TickingUptime startedAt={c.startedAt} />;
}

function TickingUptime({ startedAt }: { startedAt: number }) {
  const now = useNow();
  return <span className="uptime">{formatDuration(now - startedAt)}</span>;
}

/**
 * "registry.internal:5000/payments/ledger:2024.11.3" → registry "registry.internal:5000/",
 * rest "payments/ledger:2024.11.3". The rest (repository and tag) is what tells images apart.
 */
export function splitImage(image: string): { registry: string; rest: string } {
  const slash = image.indexOf('/');
  if (slash < 0) return { registry: '', rest: image };
  const head = image.slice(0, slash);
  if (head.includes('.') || head.includes(':') || head === 'localhost') return { registry: `${head}/`, rest: image.slice(slash + 1) };
  return { registry: '', rest: image };
}

export function ImageCell({ c }: { c: Container }) {
  const { rest } = splitImage(c.image);
  return (
    <>
      <OutdatedMark c={c} />
      <span title={c.image}>{rest}</span>
    </>
  );
}
