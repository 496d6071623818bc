// How a view that follows a stream says where it stands: live, reconnecting, not following (with
// why, and Reconnect), or still reading. The view names what it follows and styles it (its class,
// plus is-live while live).
import type { StreamStatus } from '../stores/fleet';
import { Shape } from './Shape';

export function StreamLink({ status, error, what, className, onReconnect }: { status: StreamStatus; error: string | undefined; what: string; className: string; onReconnect(): void }) {
  return (
    <span className={`${className}${status === 'live' ? ' is-live' : ''}`}>
      {status === 'live' ? (
        <><Shape kind="dot" /> live</>
      ) : status === 'reconnecting' ? (
        'reconnecting…'
      ) : status === 'failed' ? (
        <>
          <Shape kind="triangle" /> not following {what}: {error}
          <button type="button" className="btn btn-quiet" onClick={onReconnect}>Reconnect</button>
        </>
      ) : (
        `reading ${what}…`
      )}
    </span>
  );
}
