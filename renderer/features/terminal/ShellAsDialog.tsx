// "Shell as…": run a chosen command as a chosen user in the selected container, in a new tab.
// A modal dialog like the confirm dialog (portal, focus trapped, Escape cancels, focus restored).
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import { trapTab } from '../../components/focusTrap';
import type { TerminalTarget } from '../../../shared/terminal';
import { useTerminals } from '../../stores/terminals';
import { checkUser, splitCommand } from './commandLine';

export function ShellAsDialog() {
  const request = useTerminals((s) => s.shellAs);
  if (!request) return null;
  return <ShellAsForm key={`${request.host}/${request.id}`} {...request} />;
}

/** Remembered between openings, so a repeated "as root" needs no retyping. */
let lastCommand = '';
let lastUser = '';

function ShellAsForm({ host, id, name }: { host: string; id: string; name: string }) {
  const titleId = useId();
  const cmdErrId = useId();
  const userErrId = useId();
  const ref = useRef<HTMLFormElement>(null);
  const cmdRef = useRef<HTMLInputElement>(null);
  const [command, setCommand] = useState(lastCommand);
  const [user, setUser] = useState(lastUser);
  const [submitted, setSubmitted] = useState(false);
  const [opener] = useState(() => document.activeElement as HTMLElement | null);

  useEffect(() => {
    cmdRef.current?.focus();
    cmdRef.current?.select();
    return () => {
      queueMicrotask(() => opener?.isConnected && !useTerminals.getState().focusKey && opener.focus({ preventScroll: true }));
    };
  }, [opener]);

  const split = splitCommand(command);
  const cmdError = split.ok ? undefined : split.error;
  const userError = checkUser(user.trim());
  const cancel = () => useTerminals.getState().askShellAs(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!split.ok || userError) return;
    lastCommand = command;
    lastUser = user.trim();
    const target: TerminalTarget = {
      kind: 'container', host, id,
      ...(split.argv.length > 0 ? { command: split.argv } : {}),
      ...(user.trim() ? { user: user.trim() } : {}),
    };
    const store = useTerminals.getState();
    store.askShellAs(null);
    store.open(target, { name });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      cancel();
    } else if (e.key === 'Tab') {
      trapTab(e, ref.current, 'input, button:not([disabled])');
    }
  };

  const showCmdError = cmdError && (submitted || command.length > 0);
  const showUserError = userError && (submitted || user.length > 0);
  return createPortal(
    <div className="modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) cancel(); }}>
      <form ref={ref} className="modal" role="dialog" aria-modal="true" aria-labelledby={titleId} onKeyDown={onKeyDown} onSubmit={submit} noValidate>
        <h2 id={titleId} className="modal-title">Shell in <span className="mono">{name}</span> on <span className="mono">{host}</span></h2>
        <div className="modal-body form-grid">
          <label htmlFor={`${titleId}-cmd`}>Command</label>
          <div>
            <input
              ref={cmdRef}
              id={`${titleId}-cmd`}
              className="text-input mono"
              value={command}
              placeholder="default: /bin/bash, else /bin/sh"
              spellCheck={false}
              autoComplete="off"
              aria-invalid={showCmdError ? true : undefined}
              aria-describedby={showCmdError ? cmdErrId : undefined}
              onChange={(e) => setCommand(e.target.value)}
            />
            {showCmdError && <div id={cmdErrId} className="field-error">{cmdError}</div>}
            <div className="field-hint">Split on spaces; quote to keep words together: <span className="mono">sh -c "ls /tmp"</span></div>
          </div>
          <label htmlFor={`${titleId}-user`}>User</label>
          <div>
            <input
              id={`${titleId}-user`}
              className="text-input mono"
              value={user}
              placeholder="image default (e.g. root, 1000:1000)"
              spellCheck={false}
              autoComplete="off"
              aria-invalid={showUserError ? true : undefined}
              aria-describedby={showUserError ? userErrId : undefined}
              onChange={(e) => setUser(e.target.value)}
            />
            {showUserError && <div id={userErrId} className="field-error">{userError}</div>}
          </div>
        </div>
        <div className="modal-actions">
          <button type="button" className="btn" onClick={cancel}>Cancel <kbd aria-hidden="true">Esc</kbd></button>
          <button type="submit" className="btn btn-primary">Open shell <kbd aria-hidden="true">Enter</kbd></button>
        </div>
      </form>
    </div>,
    document.body,
  );
}
