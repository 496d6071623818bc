// Keeps one TerminalInstance per tab in step with the terminals store, outside React: a tab's
// terminal and its output subscription live exactly as long as the tab, whatever the views
// mount or unmount. The store says which session a tab has; this binds the terminal to it.
import type { Api } from '../../../shared/contract';
import { getApi } from '../../bridge';
import { useTerminals, type TerminalsState } from '../../stores/terminals';
import { TerminalInstance } from './terminalInstance';

const instances = new Map<string, TerminalInstance>();
let api: Api | undefined;
let stop: (() => void) | undefined;

/** The tab's terminal (created on first use). */
export function terminalFor(key: string): TerminalInstance {
  let inst = instances.get(key);
  if (!inst) {
    inst = new TerminalInstance(key, {
      onExit: (sessionId, code, message) => useTerminals.getState().ended(key, sessionId, code, message),
      onFit: (size) => useTerminals.getState().setSize(size),
    });
    instances.set(key, inst);
  }
  return inst;
}

export function existingTerminal(key: string): TerminalInstance | undefined {
  return instances.get(key);
}

const SCREEN_READER_PREF = 'fleetdeck.terminal.screenReader';

function sync(state: TerminalsState): void {
  for (const s of state.sessions) {
    const inst = terminalFor(s.key);
    inst.setScreenReader(state.screenReader);
    if (s.status === 'open' && s.sessionId) {
      if (api) inst.bind(api, s.sessionId, s.openedSize);
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

/** Starts following the store (idempotent). Returns a stop function for tests and hot reload. */
export function startTerminalRegistry(): () => void {
  if (stop) return stop;
  const unsubscribe = useTerminals.subscribe((state, prev) => {
    sync(state);
    if (state.screenReader !== prev.screenReader) savePref(state.screenReader);
  });
  if (loadPref()) useTerminals.getState().setScreenReader(true);
  void getApi().then((a) => {
    api = a;
    sync(useTerminals.getState());
  });
  sync(useTerminals.getState());
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
