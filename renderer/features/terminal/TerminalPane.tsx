// One tab's pane: its terminal (moved into the DOM here, never re-created), the find bar, and
// what the tab has to say when there is no live session: connecting, ended (exit code and
// Reconnect), or could not open (why, in words, and what to do).
import { memo, useEffect, useLayoutEffect, useRef, type ReactNode } from 'react';
import { Shape } from '../../components/Shape';
import { findContainer, useFleet } from '../../stores/fleet';
import { useTerminals, type TerminalSession } from '../../stores/terminals';
import { FindBar } from './FindBar';
import { terminalFor } from './tabTerminals';
import { exitWording, failureWording, tabTitle } from './sessionText';

export const paneId = (key: string) => `term-pane-${key}`;
export const tabId = (key: string) => `term-tab-${key}`;

type Props = {
  session: TerminalSession;
  active: boolean;
  findOpen: boolean;
  onCloseFind(): void;
  /** A transient note from a pane action (copy/paste), shown over the terminal. */
  note: string | undefined;
};

export const TerminalPane = memo(function TerminalPane({ session, active, findOpen, onCloseFind, note }: Props) {
  const { key, status, target } = session;
  const hostRef = useRef<HTMLDivElement>(null);
  const actionRef = useRef<HTMLButtonElement>(null);
  const instance = terminalFor(key);
  const focusKey = useTerminals((s) => s.focusKey);
  const promptHere = useTerminals((s) => s.hostKeyPrompt?.key === session.key);
  const containerState = useFleet((s) => (target.kind === 'container' ? findContainer(s.containers, target)?.state : undefined));

  // Put the terminal into this pane. Layout effect: before paint, so it never flashes empty.
  useLayoutEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    instance.attach(host);
    return () => instance.detach();
  }, [instance]);

  useLayoutEffect(() => {
    instance.setVisible(active);
  }, [instance, active]);

  // Take the keyboard when asked (opened, reconnected, switched to with the keyboard).
  useEffect(() => {
    if (!active || focusKey !== key) return;
    if (status === 'open' || status === 'opening') instance.focus();
    else actionRef.current?.focus();
    useTerminals.getState().focusHandled(key);
  }, [active, focusKey, key, status, instance]);

  // A session that ends under the user's fingers hands the keyboard to Reconnect, so Enter reconnects.
  useEffect(() => {
    if ((status === 'exited' || status === 'failed') && instance.hasFocus()) actionRef.current?.focus();
  }, [status, instance]);

  // The banner or find bar changes the terminal's room: refit.
  useEffect(() => {
    if (active) instance.fitNow();
  }, [active, status, findOpen, instance]);

  const name = session.name;
  const title = tabTitle(target, name);
  const store = useTerminals.getState();
  const everOpened = session.openedAt !== undefined;

  let message: ReactNode = null;
  if (status === 'opening') {
    message = (
      <div className="term-connecting" role="status">
        <span className="spinner" aria-hidden="true" /> {session.attempt > 1 ? 'Reconnecting to' : 'Connecting to'} {title}…
      </div>
    );
  } else if (status === 'exited' && session.exit) {
    const w = exitWording(session.exit.code, session.exit.message);
    message = (
      <div className={`term-banner ${session.exit.code === 0 ? 'tone-neutral' : 'tone-warn'}`} role="status">
        <Shape kind="square" />
        <span className="term-banner-text">
          <b>{w.headline}</b>
          {w.detail && <span className="muted"> · {w.detail}</span>}
        </span>
        <button ref={actionRef} type="button" className="btn btn-primary" onClick={() => store.reconnect(key)}>
          Reconnect <kbd aria-hidden="true">Enter</kbd>
        </button>
        <button type="button" className="btn btn-quiet" onClick={() => store.close(key)}>Close tab</button>
      </div>
    );
  } else if (status === 'failed' && session.failure) {
    const f = session.failure;
    const w = failureWording(f.reason, f.message, target, name, containerState);
    // While the dialog asks about this tab's key there is nothing to press here; a question
    // that went away (another tab asked since) can be asked again with Reconnect.
    const waitingForUser = f.reason === 'unknown-host-key' && promptHere;
    message = (
      <div className={`term-failure tone-${w.tone}${everOpened ? ' is-banner' : ''}`} role={w.tone === 'info' ? 'status' : 'alert'}>
        <div className="term-failure-head">
          <Shape kind={w.tone === 'info' ? 'ring' : 'triangle'} />
          <b>{w.headline}</b>
        </div>
        {w.detail && <p className="term-failure-detail">{w.detail}</p>}
        {f.hostKey && f.reason === 'changed-host-key' && (
          <dl className="hostkey">
            <dt>Host</dt>
            <dd className="mono">{f.hostKey.host} ({f.hostKey.address})</dd>
            <dt>Offered key</dt>
            <dd className="mono">{f.hostKey.keyType} <span className="hostkey-fp">{f.hostKey.fingerprint}</span></dd>
          </dl>
        )}
        {f.reason === 'changed-host-key' && f.message && <p className="term-failure-detail mono small">{f.message}</p>}
        {!waitingForUser && (
          <div className="term-failure-actions">
            <button ref={actionRef} type="button" className="btn" onClick={() => store.reconnect(key)}>
              {f.reason === 'untrusted' || f.reason === 'unknown-host-key' ? 'Reconnect' : 'Try again'}
            </button>
            <button type="button" className="btn btn-quiet" onClick={() => store.close(key)}>Close tab</button>
          </div>
        )}
      </div>
    );
  }

  return (
    <div
      id={paneId(key)}
      role="tabpanel"
      aria-labelledby={tabId(key)}
      className={`term-pane status-${status}${everOpened ? '' : ' never-opened'}`}
      data-status={status}
      hidden={!active}
    >
      {findOpen && active && <FindBar instance={instance} onClose={onCloseFind} />}
      <div className="term-stage">
        <div ref={hostRef} className="term-host" />
        {status === 'opening' && message}
        {status === 'failed' && !everOpened && message}
        {note && <div className="term-note" role="status">{note}</div>}
      </div>
      {status === 'exited' && message}
      {status === 'failed' && everOpened && message}
    </div>
  );
});
