// The details of the address under the mouse (else the one in focus): what it is, who holds it
// (container, host, network, MAC, static or dynamic, state, since when), the conflicts on it, and
// what can be done from it: Create container here on a free address, Clone on a holder (the
// create/clone dialog, features/ipCreate, through its store).
import { useNow } from '../../components/useNow';
import { formatDuration } from '../../components/format';
import { Shape } from '../../components/Shape';
import { useIpCreate } from '../../stores/ipCreate';
import { formatAuditTime } from '../audit/auditRows';
import { CELL_LETTER, CELL_WORD, CONFLICT_WORD, type IpCell } from './ipCells';

export function CellDetails({ segment, cell }: { segment: string; cell: IpCell | undefined }) {
  const now = useNow();
  if (!cell) return <aside className="ipdetails" aria-label="Address details"><p className="muted">No address.</p></aside>;
  return (
    <aside className="ipdetails" aria-label="Address details">
      <h3 className="ipdetails-ip mono">{cell.ip}</h3>
      <p className={`ipdetails-kind kind-${cell.kind}`}>
        <span className="ipswatch" aria-hidden="true">{CELL_LETTER[cell.kind]}</span> {CELL_WORD[cell.kind]}
        {cell.reserved && <span className="muted"> · {cell.reserved}</span>}
      </p>
      {cell.kind === 'free' && (
        <button type="button" className="btn btn-small" onClick={() => useIpCreate.getState().open({ kind: 'create', segment, ip: cell.ip })}>Create container here…</button>
      )}
      {cell.hosts.map((h) => <p key={h}>Held by host <b>{h}</b> (its address on the segment)</p>)}
      {cell.endpoints.length > 0 && (
        <dl className="ipdetails-holders">
          {cell.endpoints.map((e) => (
            <div key={`${e.host}/${e.containerId}/${e.network}`} className="ipdetails-holder">
              <dt><b>{e.container}</b> <span className="muted">on</span> {e.host}</dt>
              <dd>
                <span className="mono">{e.mac ?? 'no MAC'}</span> · {e.static ? 'static' : 'dynamic'} · {e.network} ·{' '}
                <span className={e.state === 'running' ? 'ip-ok' : 'ip-stopped'}>{e.state}</span>
                {e.stale && <span className="muted"> · as last seen (host offline)</span>}
              </dd>
              {e.since && <dd className="muted">since {formatAuditTime(e.since, now)} ({formatDuration(now - Date.parse(e.since))} ago)</dd>}
              <dd>
                <button type="button" className="btn btn-small" title={`A copy of ${e.container} with its settings, on the pool's next address`} onClick={() => useIpCreate.getState().open({ kind: 'clone', host: e.host, container: e.container })}>Clone…</button>
              </dd>
            </div>
          ))}
        </dl>
      )}
      {cell.conflicts.map((c, i) => (
        <p key={i} className="ipdetails-conflict">
          <Shape kind="triangle" /> {c.latent ? 'latent ' : ''}{CONFLICT_WORD[c.kind]}: {c.detail}
        </p>
      ))}
    </aside>
  );
}
