// The terminal of each tab: keeps one TerminalInstance per tab in step with the terminals store,
// outside React, so a tab's terminal and its output subscription live exactly as long as the tab,
// whatever the views mount or unmount. The store says which session a tab has; this binds the
// terminal to it.
import type { Api } from '../../../shared/contract';
import { useTerminals, type TerminalsState } from '../../stores/terminals';
import { installScreenProbe, probeRequested } from './screenProbe';
import { TerminalInstance } from './terminalInstance';

const instances = new Map<string, TerminalInstance>();
let stop: (() => void) | undefined;

/** The tab's terminal (created on first use). */
export function terminalFor(key: string): TerminalInstance {
  let inst = instances.get(key);
  if (!inst) {
    inst = new TerminalInstance(key, {
      onExit: (sessionId, code, message) => useTerminals.getState().ended(key, sessionId, code, message),
      onFit: (size) => useTerminals.getState().setSize(size),
      onSkipped: (sessionId, chars) => useTerminals.getState().outputSkipped(key, sessionId, chars),
      onInputAfterSkip: () => useTerminals.getState().skipSeen(key),
    });
    instances.set(key, inst);
  }
  return inst;
}

export function existingTerminal(key: string): TerminalInstance | undefined {
  return instances.get(key);
}

const SCREEN_READER_PREF = 'fleetdeck.terminal.screenReader';

function sync(state: TerminalsState, api: Api): void {
  for (const s of state.sessions) {
    const inst = terminalFor(s.key);
    inst.setScreenReader(state.screenReader);
    if (s.status === 'open' && s.sessionId) {
      inst.bind(api, s.sessionId, s.openedSize);
    } else if (s.status === 'opening') {
      inst.expectSession();
    } else {
      inst.noSession();
    }
  }
  if (instances.size > state.sessions.length) {
    const keep = new Set(state.sessions.map((s) => s.key));
    for (const [key, inst] of instances) {
      if (keep.has(key)) continue;
      inst.dispose();
      instances.delete(key);
    }
  }
}

/** Starts following the store (idempotent), binding terminals to `core`'s sessions. Returns a stop function. */
export function startTabTerminals(core: Api): () => void {
  if (stop) return stop;
  const unsubscribe = useTerminals.subscribe((state, prev) => {
    sync(state, core);
    if (state.screenReader !== prev.screenReader) savePref(state.screenReader);
  });
  if (loadPref()) useTerminals.getState().setScreenReader(true);
  if (probeRequested()) void installScreenProbe(core, existingTerminal);
  sync(useTerminals.getState(), core);
  stop = () => {
    unsubscribe();
    stop = undefined;
  };
  return stop;
}

function loadPref(): boolean {
  try {
    return localStorage.getItem(SCREEN_READER_PREF) === 'on';
  } catch {
    return false;
  }
}

function savePref(on: boolean): void {
  try {
    localStorage.setItem(SCREEN_READER_PREF, on ? 'on' : 'off');
  } catch {
    /* storage disabled: the choice lasts for this page only */
  }
}
