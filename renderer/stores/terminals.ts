// Terminal sessions: what each tab is (target, status, how it ended) and which tab is active,
// plus the host-key question waiting for the user. Metadata only: terminal bytes never pass
// through here; they go from the terminalOutput stream straight into xterm
// (features/terminal/terminalInstance.ts), which reports only the end of a session back.
import { create } from 'zustand';
import type { Api } from '../../shared/contract';
import type { TerminalOpenResult, TerminalSize, TerminalTarget } from '../../shared/terminal';
import { boundStore, type Store } from './boundStore';
import { errorMessage } from './errorMessage';

export type TerminalStatus = 'opening' | 'open' | 'exited' | 'failed';

type OpenFailure = Extract<TerminalOpenResult, { ok: false }>;
export type HostKeyInfo = NonNullable<OpenFailure['hostKey']>;
/** The core's reasons, plus what the renderer adds: the user declined an unknown host key. */
export type FailureReason = OpenFailure['reason'] | 'untrusted';

export type TerminalSession = {
  /** The tab's identity; stays the same across reconnects (sessionId does not). */
  key: string;
  target: TerminalTarget;
  /** Container name (or host name) when the tab was opened, for the title. */
  name: string;
  /** Main's session while opening succeeded and it has not been replaced. */
  sessionId: string | undefined;
  /** The command main runs, e.g. "/bin/sh" or "ssh root@198.18.0.11". */
  command: string | undefined;
  status: TerminalStatus;
  /** Set when status is exited. */
  exit: { code: number | null; message: string } | undefined;
  /** Set when status is failed. */
  failure: { reason: FailureReason; message: string; hostKey: HostKeyInfo | undefined } | undefined;
  /** Bumped on every (re)open, so a late answer to an older attempt is ignored. */
  attempt: number;
  /** The size the session was opened with (the view resizes from there). */
  openedSize: TerminalSize | undefined;
  openedAt: number | undefined;
  /**
   * Characters of output main skipped (sending the session's screen instead) since the user
   * last typed into this tab: the tab's mark. It clears on a keystroke in the tab at least a
   * few seconds after the last skip (terminalInstance.ts: SKIP_MARK_MIN_MS), so Ctrl-C does not
   * hide it, and a flood in a tab nobody types into stays marked until someone looks and types.
   */
  skipped: number;
};

export type HostKeyPrompt = { key: string; host: string; hostKey: HostKeyInfo };

export const PANEL_MIN = 120;
export const DEFAULT_SIZE: TerminalSize = { cols: 120, rows: 30 };

export type TerminalsState = {
  /** In tab order. */
  sessions: readonly TerminalSession[];
  activeKey: string | null;
  /** An unknown host key waiting for "Trust and connect" or "Cancel". */
  hostKeyPrompt: HostKeyPrompt | null;
  /** Container for the "Shell as…" dialog, when open. */
  shellAs: { host: string; id: string; name: string } | null;
  /** Trust call in flight (the dialog disables its buttons). */
  trusting: boolean;
  /** Last fitted size of the visible terminal; new sessions open with it. */
  size: TerminalSize;
  panelHeight: number;
  maximized: boolean;
  /** A tab whose terminal should take keyboard focus when it can (set by open and activate). */
  focusKey: string | null;
  /** xterm's screen reader mode for every terminal (a row list and live region for assistive tech). */
  screenReader: boolean;

  /** Opens a shell in a new tab (or, with reuse, shows a live tab for the same target). Returns the tab key. */
  open(target: TerminalTarget, options?: { name?: string; reuse?: boolean }): string;
  /** Re-opens the same target in the same tab. */
  reconnect(key: string): void;
  close(key: string): void;
  activate(key: string, focus?: boolean): void;
  /** Moves to the next (+1) or previous (-1) tab, wrapping. */
  cycle(delta: 1 | -1): void;
  /** Called by the terminal view when a snapshot replaced skipped output (adds to the tab's mark). */
  outputSkipped(key: string, sessionId: string, chars: number): void;
  /** The user typed into the tab: its skipped mark clears. */
  skipSeen(key: string): void;
  /** Called by the terminal view when main says the session ended. */
  ended(key: string, sessionId: string, code: number | null, message: string): void;
  trustHostKey(): Promise<void>;
  declineHostKey(): void;
  askShellAs(container: { host: string; id: string; name: string } | null): void;
  setSize(size: TerminalSize): void;
  setPanelHeight(px: number): void;
  toggleMaximized(): void;
  focusHandled(key: string): void;
  setScreenReader(on: boolean): void;
};

const sameTarget = (a: TerminalTarget, b: TerminalTarget): boolean => JSON.stringify(a) === JSON.stringify(b);

/** What the terminals store needs from the core (terminal bytes go to xterm, not through here). */
export type TerminalsApi = Pick<Api, 'terminalOpen' | 'terminalClose' | 'trustHostKey'>;

export function createTerminalsStore(api: TerminalsApi): Store<TerminalsState> {
  let seq = 0;
  return create<TerminalsState>()((set, get) => {
    const patch = (key: string, p: Partial<TerminalSession>) =>
      set((s) => ({ sessions: s.sessions.map((t) => (t.key === key ? { ...t, ...p } : t)) }));
    const find = (key: string) => get().sessions.find((t) => t.key === key);

    /** One open attempt for a tab; the answer lands only if the tab still waits for that attempt. */
    const start = async (key: string) => {
      const session = find(key);
      if (!session) return;
      const attempt = session.attempt + 1;
      const size = get().size;
      // The ended session main still holds for this tab goes before the new one comes.
      const previous = session.status === 'exited' ? session.sessionId : undefined;
      if (previous) void api.terminalClose({ sessionId: previous }).catch(() => {});
      patch(key, { status: 'opening', attempt, sessionId: undefined, exit: undefined, failure: undefined, openedSize: size, command: undefined, skipped: 0 });
      let result: TerminalOpenResult;
      try {
        result = await api.terminalOpen({ target: session.target, size });
      } catch (err) {
        result = { ok: false, reason: 'error', message: errorMessage(err) };
      }
      const now = find(key);
      if (!now || now.attempt !== attempt) {
        // Closed (or re-opened) while we waited: do not leave an orphan session in main.
        if (result.ok) void api.terminalClose({ sessionId: result.sessionId }).catch(() => {});
        return;
      }
      if (result.ok) {
        patch(key, { status: 'open', sessionId: result.sessionId, command: result.command, openedAt: Date.now() });
        return;
      }
      patch(key, { status: 'failed', failure: { reason: result.reason, message: result.message, hostKey: result.hostKey } });
      if (result.reason === 'unknown-host-key' && result.hostKey) {
        set({ hostKeyPrompt: { key, host: session.target.host, hostKey: result.hostKey } });
      }
    };

    return {
      sessions: [],
      activeKey: null,
      hostKeyPrompt: null,
      shellAs: null,
      trusting: false,
      size: DEFAULT_SIZE,
      panelHeight: 340,
      maximized: false,
      focusKey: null,
      screenReader: false,

      open(target, options = {}) {
        if (options.reuse) {
          const live = get().sessions.find((t) => (t.status === 'open' || t.status === 'opening') && sameTarget(t.target, target));
          if (live) {
            get().activate(live.key, true);
            return live.key;
          }
        }
        const key = `tab${++seq}`;
        const session: TerminalSession = {
          key, target, name: options.name ?? target.host, sessionId: undefined, command: undefined, status: 'opening',
          exit: undefined, failure: undefined, attempt: 0, openedSize: undefined, openedAt: undefined, skipped: 0,
        };
        set((s) => ({ sessions: [...s.sessions, session], activeKey: key, focusKey: key }));
        void start(key);
        return key;
      },

      reconnect(key) {
        const t = find(key);
        if (!t || t.status === 'opening' || t.status === 'open') return;
        set({ focusKey: key });
        void start(key);
      },

      close(key) {
        const s = get();
        const i = s.sessions.findIndex((t) => t.key === key);
        const t = s.sessions[i];
        if (!t) return;
        const sessions = s.sessions.filter((x) => x.key !== key);
        const neighbour = sessions[Math.min(i, sessions.length - 1)];
        set({
          sessions,
          activeKey: s.activeKey === key ? (neighbour?.key ?? null) : s.activeKey,
          hostKeyPrompt: s.hostKeyPrompt?.key === key ? null : s.hostKeyPrompt,
          maximized: sessions.length === 0 ? false : s.maximized,
        });
        // Also for exited sessions: closing twice is harmless, a leaked session in main is not.
        if (t.sessionId && (t.status === 'open' || t.status === 'exited')) {
          const id = t.sessionId;
          void api.terminalClose({ sessionId: id }).catch(() => {});
        }
      },

      activate(key, focus = false) {
        if (!find(key)) return;
        set({ activeKey: key, ...(focus ? { focusKey: key } : {}) });
      },

      cycle(delta) {
        const { sessions, activeKey } = get();
        if (sessions.length === 0) return;
        const i = sessions.findIndex((t) => t.key === activeKey);
        const next = sessions[(i + delta + sessions.length) % sessions.length]!;
        set({ activeKey: next.key, focusKey: next.key });
      },

      outputSkipped(key, sessionId, chars) {
        const t = find(key);
        if (!t || t.sessionId !== sessionId || chars <= 0) return;
        patch(key, { skipped: t.skipped + chars });
      },

      skipSeen(key) {
        if (find(key)?.skipped) patch(key, { skipped: 0 });
      },

      ended(key, sessionId, code, message) {
        const t = find(key);
        if (!t || t.sessionId !== sessionId || t.status !== 'open') return;
        patch(key, { status: 'exited', exit: { code, message } });
      },

      async trustHostKey() {
        const prompt = get().hostKeyPrompt;
        if (!prompt || get().trusting) return;
        set({ trusting: true });
        let outcome: { ok: boolean; message: string };
        try {
          outcome = await api.trustHostKey({ host: prompt.host, fingerprint: prompt.hostKey.fingerprint });
        } catch (err) {
          outcome = { ok: false, message: errorMessage(err) };
        }
        set({ trusting: false, hostKeyPrompt: null });
        if (!find(prompt.key)) return;
        if (outcome.ok) {
          set({ focusKey: prompt.key });
          void start(prompt.key);
        } else {
          patch(prompt.key, { status: 'failed', failure: { reason: 'error', message: `Could not trust the host key: ${outcome.message}`, hostKey: prompt.hostKey } });
        }
      },

      declineHostKey() {
        const prompt = get().hostKeyPrompt;
        if (!prompt) return;
        set({ hostKeyPrompt: null });
        patch(prompt.key, {
          status: 'failed',
          failure: { reason: 'untrusted', message: `The host key of ${prompt.host} was not trusted; no connection was made.`, hostKey: prompt.hostKey },
        });
      },

      askShellAs(container) {
        set({ shellAs: container });
      },

      setSize(size) {
        const cur = get().size;
        if (cur.cols !== size.cols || cur.rows !== size.rows) set({ size });
      },

      setPanelHeight(px) {
        set({ panelHeight: Math.max(PANEL_MIN, Math.round(px)) });
      },

      toggleMaximized() {
        set((s) => ({ maximized: !s.maximized && s.sessions.length > 0 }));
      },

      focusHandled(key) {
        if (get().focusKey === key) set({ focusKey: null });
      },

      setScreenReader(on) {
        set({ screenReader: on });
      },
    };
  });
}

/** The app's terminals store (bound at boot). */
export const useTerminals = boundStore<TerminalsState>('terminals');
