// The fleet's IP conflicts, one line each: its kind (latent when it fires only once a stopped
// holder starts), the IP or MAC (a link to its cell on the map) and its holders, each a link to
// its container in the Containers grid.
import type { IpConflict, IpMapSnapshot } from '../../../shared/ipmap';
import { Shape } from '../../components/Shape';
import { CONFLICT_WORD } from './ipCells';
import { showHolder } from './showHolder';

/** Where a conflict sits on the map: its IP, else the first address of a holder with its MAC. */
function conflictIp(snapshot: IpMapSnapshot, c: IpConflict): string | undefined {
  if (c.ip) return c.ip;
  return snapshot.endpoints.find((e) => e.segment === c.segment && c.holders.some((h) => h.host === e.host && h.container === e.container) && (!c.mac || e.mac === c.mac))?.ip;
}

export function ConflictList({ snapshot, onJump }: { snapshot: IpMapSnapshot; onJump(segment: string, ip: string): void }) {
  const { conflicts } = snapshot;
  return (
    <section className="ipconflicts" aria-label="Conflicts">
      <h3 className="ipconflicts-title">
        {conflicts.length === 0 ? <><Shape kind="dot" className="ip-ok" /> No conflicts</> : <><Shape kind="triangle" className="tone-error" /> {conflicts.length} conflict{conflicts.length === 1 ? '' : 's'}</>}
      </h3>
      <ul className="ipconflicts-list">
        {conflicts.map((c) => {
          const at = conflictIp(snapshot, c);
          const what = c.ip && c.mac ? `${c.ip} ${c.mac}` : (c.ip ?? c.mac ?? '');
          return (
            <li key={`${c.kind}/${c.segment}/${c.ip ?? ''}/${c.mac ?? ''}`} className={`ipconflict${c.latent ? ' is-latent' : ''}`} title={c.detail}>
              <span className="ipconflict-kind">{c.latent ? 'latent ' : ''}{CONFLICT_WORD[c.kind]}</span>{' '}
              {at ? <button type="button" className="btn btn-quiet btn-small mono" onClick={() => onJump(c.segment, at)}>{what}</button> : <span className="mono">{what}</span>}
              <span className="muted"> held by </span>
              {c.holders.map((h, i) => (
                <span key={`${h.host}/${h.container}`}>
                  {i > 0 && <span className="muted">, </span>}
                  <button type="button" className="btn btn-quiet btn-small ipconflict-holder" onClick={() => showHolder(h)}>{h.container} on {h.host}</button>
                  {h.state !== 'running' && <span className="muted"> ({h.state})</span>}
                </span>
              ))}
              {c.detail && <span className="ipconflict-detail muted"> · {c.detail}</span>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
