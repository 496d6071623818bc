// The selected container, in full (every network's IP and MAC, status, image, id, the image's
// digest and whether its tag has moved on), and the actions that make sense for it. Stop and restart go through the confirm dialog.
// A selected service (its group row) shows its containers' spread and starts a rollout of it; a
// container starts one of itself (RolloutButtons.tsx).
import { memo, type ReactNode } from 'react';
import type { Container, ContainerAction, Host } from '../../../shared/model';
import { shortId } from '../../components/format';
import { containerKey, useFleet } from '../../stores/fleet';
import { HostCell, StateCell } from './cells';
import { ImageDigestLine } from './ImageDigest';
import { canRun, condition } from './containerState';
import { ACTION_BINDINGS, requestAction } from './requestAction';
import { askShellAs, openContainerShell } from '../terminal/openShell';
import { openContainerLogs } from '../logs/openLogs';
import { ariaKeys, KEYS, keyText, type Binding } from '../../components/keybindings';
import { KeyCaps } from '../../components/keybindingsCaps';
import { useStats } from '../../stores/stats';
import { RolloutButtons } from './RolloutButtons';
import { ServiceBar } from './ServiceBar';
import type { ServiceRow } from './rows';

const LABEL: Record<ContainerAction, string> = { start: 'Start', stop: 'Stop', restart: 'Restart' };
export const PROGRESSIVE: Record<ContainerAction, string> = { start: 'Starting', stop: 'Stopping', restart: 'Restarting' };

export const ActionBar = memo(function ActionBar({ container: c, host, service }: { container: Container | undefined; host: Host | undefined; service?: ServiceRow }) {
  const pending = useFleet((s) => (c ? s.pending.get(containerKey(c)) : undefined));

  if (!c && service) return <ServiceBar row={service} />;
  if (!c) {
    return (
      <section className="action-bar is-empty" aria-label="Selected container">
        <span className="muted">Select a container (click, or ↑/↓ in the grid) to see its addresses, open a shell in it, or start, stop or restart it; select a service's row to roll it out.</span>
      </section>
    );
  }

  const hostDown = host?.state !== 'online';
  return (
    <section className={`action-bar cond-${condition(c)}`} aria-label="Selected container">
      <div className="ab-main">
        <div className="ab-title">
          <span className="ab-name">{c.name}</span>
          <span className="ab-on">on</span>
          <HostCell name={c.host} host={host} />
          <StateCell c={c} />
          <span className="ab-status muted">{c.status}</span>
        </div>
        <div className="ab-meta mono">
          {c.ips.length === 0 && <span className="muted">no network address</span>}
          {c.ips.map((n) => (
            <span key={n.network} className="ab-net">
              <span className="ab-net-name">{n.network}</span> <span className="ip">{n.ip || '—'}</span> <span className="mac">{n.mac}</span>
            </span>
          ))}
          <span className="ab-image" title={c.image}>{c.image}</span>
          <span className="muted">{shortId(c.id)}</span>
        </div>
        <ImageDigestLine c={c} />
      </div>
      <div className="ab-side">
        <div className="ab-actions">
          {pending && (
            <span className="ab-pending">
              <span className="spinner" aria-hidden="true" /> {PROGRESSIVE[pending]}…
            </span>
          )}
          {!pending && hostDown && <span className="ab-pending muted">host {host?.state ?? 'unknown'}</span>}
          <KeyedButton
            binding={KEYS.shell}
            className="action-shell"
            label="Shell"
            extraKeys="Enter"
            title={`Open a shell in ${c.name} (${keyText(KEYS.shell)} or Enter, or double-click the row)`}
            onClick={() => openContainerShell(c)}
          >
            <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true"><path d="M2.5 4 L6.5 8 L2.5 12 M8 12.5 H13.5" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" /></svg>
            Shell
          </KeyedButton>
          <KeyedButton
            binding={KEYS.shellAs}
            className="btn-quiet"
            label="Shell as…"
            title={`Run a chosen command as a chosen user in ${c.name} (${keyText(KEYS.shellAs)})`}
            onClick={() => askShellAs(c)}
          >
            as…
          </KeyedButton>
          <KeyedButton
            binding={KEYS.stats}
            className="action-stats"
            label="Stats"
            title={`CPU, memory, block I/O and network charts of ${c.name} (${keyText(KEYS.stats)})`}
            onClick={() => useStats.getState().openDetail(c)}
          >
            <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true"><path d="M1.5 13.5 L5.5 8 L8.5 10.5 L14.5 3" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" /></svg>
            Stats
          </KeyedButton>
          <KeyedButton
            binding={KEYS.logs}
            className="action-logs"
            label="Logs"
            title={`Follow and search the logs of ${c.name} (${keyText(KEYS.logs)})`}
            onClick={() => openContainerLogs(c)}
          >
            Logs
          </KeyedButton>
          <span className="ab-sep" aria-hidden="true" />
          {(['start', 'stop', 'restart'] as const).map((a) => (
            <KeyedButton
              key={a}
              binding={ACTION_BINDINGS[a]}
              className={`action-${a}`}
              label={LABEL[a]}
              title={`${LABEL[a]} (${keyText(ACTION_BINDINGS[a])})`}
              disabled={pending !== undefined || !canRun(a, c, host)}
              onClick={() => requestAction(c, a)}
            >
              {LABEL[a]}
            </KeyedButton>
          ))}
        </div>
        <RolloutButtons target={{ containers: [c] }} />
      </div>
    </section>
  );
});

/** An action button named for assistive tech, with its shortcut from the keybinding registry shown and announced. */
function KeyedButton({ binding, label, title, className, extraKeys, disabled, onClick, children }: {
  binding: Binding;
  label: string;
  title: string;
  className: string;
  /** Other keys that do the same (announced only). */
  extraKeys?: string;
  disabled?: boolean;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className={`btn btn-action ${className}`}
      aria-label={label}
      aria-keyshortcuts={extraKeys ? `${ariaKeys(binding)} ${extraKeys}` : ariaKeys(binding)}
      title={title}
      disabled={disabled}
      onClick={onClick}
    >
      {children} <KeyCaps binding={binding} />
    </button>
  );
}
