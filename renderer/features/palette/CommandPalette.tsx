// The command palette: Ctrl+K or Ctrl+Shift+P from anywhere (in a focused terminal only
// Ctrl+Shift+P: Ctrl+K is the shell's kill-line there), a fuzzy search over commands, every
// service's rollouts ("Deploy SERVICE…": rolloutEntries.ts) and every container and host by
// name. A dialog named "Command palette" holding a combobox
// and a listbox of options: ↑/↓ (PageUp/PageDown) move, Enter runs, Escape closes and gives
// the keyboard back to where it was; a command runs once the keyboard is back there, so a
// confirm dialog it opens returns focus to the right place too.
import { useDeferredValue, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import { useShallow } from 'zustand/react/shallow';
import { KEYS, matchIndex } from '../../components/keybindings';
import { KeyCaps } from '../../components/keybindingsCaps';
import { formatCount } from '../../components/format';
import { useAlerts } from '../../stores/alerts';
import { containerKey, findContainer, useFleet } from '../../stores/fleet';
import { useUi } from '../../stores/ui';
import { MAIN_VIEWS } from '../stats/ViewTabs';
import { buildCommands, goToEntry, goToTargets, goToText, isEntry, type EntryKind, type GoToTarget, type PaletteEntry } from './entries';
import { rankFuzzy, type FuzzyMatch } from './fuzzy';
import { commandActions, goToActions, rolloutActions } from './paletteActions';
import { rolloutEntries, serviceRolloutEntries } from './rolloutEntries';
import { fleetServices } from '../rolloutStart/scope';
import { closePalette, isPaletteOpen, openPalette, usePaletteOpen } from './paletteOpen';
import './palette.css';

/**
 * Results drawn at most. Ranking 10,000 containers takes 2-4 ms a keystroke (Node on the
 * dev machine); drawing them all would not, and nobody reads past a screenful.
 */
const RESULT_LIMIT = 50;
/** Options a PageUp/PageDown moves (about what the list shows). */
const PAGE = 8;


const KIND_LABEL: Record<EntryKind, string> = {
  view: 'view',
  'container action': 'action',
  'host action': 'action',
  rollout: 'rollout',
  filter: 'filter',
  alerts: 'alerts',
  container: 'container',
  host: 'host',
};

const inTerminal = (target: EventTarget | null) => target instanceof Element && target.closest('.xterm') !== null;

export function CommandPalette() {
  const open = usePaletteOpen();

  // Capture phase: before xterm or a grid sees the keys.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      const chord = matchIndex(KEYS.palette, e);
      if (chord < 0) return;
      if (isPaletteOpen()) {
        e.preventDefault();
        return;
      }
      // The first chord, Ctrl+K, belongs to a focused terminal's shell.
      if (chord === 0 && inTerminal(e.target)) return;
      if (document.querySelector('[aria-modal="true"]')) return;
      e.preventDefault();
      e.stopPropagation();
      openPalette();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  return open ? <PaletteDialog /> : null;
}

type Result = { item: PaletteEntry; match: FuzzyMatch };

function useEntries(): { commands: PaletteEntry[]; rollouts: PaletteEntry[]; targets: GoToTarget[] } {
  const { hosts, containers, pendingMap } = useFleet(useShallow((s) => ({ hosts: s.hosts, containers: s.containers, pendingMap: s.pending })));
  const { view, selectedKey, selectedHost, problemsOnly } = useUi(
    useShallow((s) => ({ view: s.view, selectedKey: s.selectedKey, selectedHost: s.selectedHost, problemsOnly: s.problemsOnly })),
  );
  const unackedAlerts = useAlerts((s) => s.unacked);
  const services = useMemo(() => fleetServices(containers.values()), [containers]);
  const rollouts = useMemo(() => rolloutEntries(services, rolloutActions), [services]);
  const commands = useMemo(() => {
    const ref = selectedKey?.startsWith('c:') ? selectedKey.slice(2) : undefined;
    const slash = ref?.lastIndexOf('/') ?? -1;
    const container = ref && slash > 0 ? findContainer(containers, { host: ref.slice(0, slash), id: ref.slice(slash + 1) }) : undefined;
    const containerHost = container ? hosts.get(container.host) : undefined;
    const service = container?.service;
    // The selected container's service: its rollouts are offered before anything is typed.
    const ofService = service ? serviceRolloutEntries(service, services.get(service) ?? [], rolloutActions) : [];
    return [...buildCommands(
      {
        views: MAIN_VIEWS,
        currentView: view,
        container,
        containerHost,
        host: (selectedHost !== null ? hosts.get(selectedHost) : undefined) ?? containerHost,
        pending: container ? pendingMap.get(containerKey(container)) : undefined,
        problemsOnly,
        unackedAlerts,
      },
      commandActions,
    ), ...ofService];
  }, [hosts, containers, services, pendingMap, view, selectedKey, selectedHost, problemsOnly, unackedAlerts]);
  const targets = useMemo(() => goToTargets(hosts.values(), containers.values()), [hosts, containers]);
  return { commands, rollouts, targets };
}

function PaletteDialog() {
  // Captured during the first render: by the time effects run the app behind is inert.
  const [opener] = useState(() => document.activeElement as HTMLElement | null);
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query.trim());
  const [active, setActive] = useState(0);
  const chosen = useRef<PaletteEntry | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const optionRefs = useRef<(HTMLLIElement | null)[]>([]);
  const listId = useId();
  const optionId = (i: number) => `${listId}-option-${i}`;

  const { commands, rollouts, targets } = useEntries();
  const results: Result[] = useMemo(() => {
    if (deferred === '') return commands.map((item) => ({ item, match: { score: 0, positions: [] } }));
    // Every service's rollouts are searched (the selected one's are among them already).
    const searched = [...commands.filter((e) => e.kind !== 'rollout'), ...rollouts, ...targets];
    const ranked = rankFuzzy<PaletteEntry | GoToTarget>(deferred, searched, (x) => (isEntry(x) ? x.target : goToText(x)), RESULT_LIMIT);
    return ranked.map(({ item, match }) => ({ item: isEntry(item) ? item : goToEntry(item, goToActions), match }));
  }, [deferred, commands, rollouts, targets]);
  const current = Math.min(active, results.length - 1);

  useEffect(() => {
    setActive(0);
  }, [deferred]);
  // Braces: Chromium's scrollIntoView returns a promise, which React would take for a cleanup.
  useEffect(() => {
    optionRefs.current[current]?.scrollIntoView({ block: 'nearest' });
  }, [current]);

  useEffect(() => {
    inputRef.current?.focus();
    return () => {
      const entry = chosen.current;
      chosen.current = null;
      // After the commit that makes the app live again (React StrictMode's test unmount leaves it open).
      queueMicrotask(() => {
        if (isPaletteOpen()) return;
        if (opener?.isConnected) opener.focus({ preventScroll: true });
        entry?.run();
      });
    };
  }, [opener]);

  const choose = (i: number) => {
    const entry = results[i]?.item;
    if (!entry || entry.unavailable) return;
    chosen.current = entry;
    closePalette();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const n = results.length;
    let next: number | undefined;
    switch (e.key) {
      case 'ArrowDown': next = n === 0 ? 0 : (current + 1) % n; break;
      case 'ArrowUp': next = n === 0 ? 0 : (current - 1 + n) % n; break;
      case 'PageDown': next = Math.min(n - 1, current + PAGE); break;
      case 'PageUp': next = Math.max(0, current - PAGE); break;
      case 'Enter': choose(current); break;
      case 'Escape': closePalette(); break;
      // The input is the dialog's one stop.
      case 'Tab': break;
      default: return;
    }
    e.preventDefault();
    e.stopPropagation();
    if (next !== undefined) setActive(Math.max(0, next));
  };

  const shown = results.length;
  return createPortal(
    <div className="modal-backdrop palette-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) closePalette(); }}>
      <div className="modal palette" role="dialog" aria-modal="true" aria-label="Command palette">
        <div className="palette-field">
          <svg className="palette-icon" viewBox="0 0 16 16" width="15" height="15" aria-hidden="true">
            <path d="M3 4.5 L6.5 8 L3 11.5 M8 12 H13" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          <input
            ref={inputRef}
            className="palette-input"
            type="text"
            role="combobox"
            aria-label="Command, container or host"
            aria-expanded={shown > 0}
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={shown > 0 ? optionId(current) : undefined}
            placeholder="Type a command, or a container or host to go to"
            spellCheck={false}
            autoComplete="off"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={onKeyDown}
          />
        </div>
        <ul id={listId} className="palette-list" role="listbox" aria-label="Results">
          {results.map((r, i) => (
            <Option
              key={r.item.id}
              id={optionId(i)}
              entry={r.item}
              positions={r.match.positions}
              active={i === current}
              optionRef={(el) => { optionRefs.current[i] = el; }}
              onPoint={() => setActive(i)}
              onChoose={() => choose(i)}
            />
          ))}
          {shown === 0 && <li className="palette-empty" role="presentation">Nothing matches “{deferred}”.</li>}
        </ul>
        <div className="palette-foot muted" aria-hidden="true">
          <span><kbd>↑</kbd><kbd>↓</kbd> move</span>
          <span><kbd>Enter</kbd> run</span>
          <span><kbd>Esc</kbd> close</span>
          <span className="palette-count">
            {deferred === '' ? `type to go to any of ${formatCount(targets.length)} containers and hosts` : `${formatCount(shown)}${shown === RESULT_LIMIT ? '+' : ''} found`}
          </span>
        </div>
      </div>
    </div>,
    document.body,
  );
}

type OptionProps = {
  id: string;
  entry: PaletteEntry;
  positions: readonly number[];
  active: boolean;
  optionRef(el: HTMLLIElement | null): void;
  onPoint(): void;
  onChoose(): void;
};

function Option({ id, entry, positions, active, optionRef, onPoint, onChoose }: OptionProps) {
  const detailStart = entry.title.length + 1;
  return (
    <li
      ref={optionRef}
      id={id}
      role="option"
      aria-selected={active}
      aria-disabled={entry.unavailable ? true : undefined}
      className={`palette-option kind-${entry.kind.replace(' ', '-')}${active ? ' is-active' : ''}${entry.unavailable ? ' is-unavailable' : ''}`}
      onMouseMove={active ? undefined : onPoint}
      onClick={onChoose}
    >
      <span className="palette-kind">{KIND_LABEL[entry.kind]}</span>
      <span className="palette-title"><Marked text={entry.title} positions={positions} offset={0} /></span>
      {entry.detail && <span className="palette-detail"><Marked text={entry.detail} positions={positions} offset={detailStart} /></span>}
      {entry.note && <span className="palette-note">{entry.note}</span>}
      <span className="palette-end">
        {entry.unavailable ? <span className="palette-why">{entry.unavailable}</span> : entry.binding && <KeyCaps binding={entry.binding} />}
      </span>
    </li>
  );
}

/** The text with the matched characters marked, in as few nodes as runs of them. */
function Marked({ text, positions, offset }: { text: string; positions: readonly number[]; offset: number }) {
  const hit = new Set<number>();
  for (const p of positions) if (p >= offset && p < offset + text.length) hit.add(p - offset);
  if (hit.size === 0) return <>{text}</>;
  const runs: { text: string; marked: boolean }[] = [];
  for (let i = 0; i < text.length; i++) {
    const marked = hit.has(i);
    const last = runs[runs.length - 1];
    if (last && last.marked === marked) last.text += text[i];
    else runs.push({ text: text[i]!, marked });
  }
  return <>{runs.map((r, i) => (r.marked ? <mark key={i}>{r.text}</mark> : <span key={i}>{r.text}</span>))}</>;
}
