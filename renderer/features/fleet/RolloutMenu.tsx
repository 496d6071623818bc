// The Containers grid's rollout menu: the context-menu key (or Shift+F10, or a right-click) on a
// service's row or a container's opens "Rolling restart…", "Deploy…" and "Roll back…" for it, as
// the action bar's buttons do. An ARIA menu: ↑/↓ Home/End move, Enter or Space runs, Escape or Tab
// closes it and gives the keyboard back to the grid. One that cannot start is disabled with why.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { START_LABEL, startProblem, targetText, type StartTarget } from '../rolloutStart/scope';
import { startRollout } from '../rolloutStart/startRollout';
import { START_ACTIONS } from './RolloutButtons';

export type MenuAt = { target: StartTarget; x: number; y: number };

/** Whether a key opens the menu (the context-menu key, or Shift+F10 as Windows and GTK have it). */
export const opensMenu = (e: { key: string; shiftKey: boolean }): boolean => e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10');

export function RolloutMenu({ at, onClose }: { at: MenuAt; onClose(): void }) {
  const [active, setActive] = useState(0);
  const items = useRef<(HTMLLIElement | null)[]>([]);
  const what = targetText(at.target);

  useEffect(() => {
    items.current[active]?.focus();
  }, [active]);

  const choose = (i: number) => {
    const a = START_ACTIONS[i];
    if (!a || startProblem(a, at.target) !== undefined) return;
    onClose();
    startRollout(a, at.target);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    const n = START_ACTIONS.length;
    switch (e.key) {
      case 'ArrowDown': setActive((i) => (i + 1) % n); break;
      case 'ArrowUp': setActive((i) => (i - 1 + n) % n); break;
      case 'Home': setActive(0); break;
      case 'End': setActive(n - 1); break;
      case 'Enter':
      case ' ': choose(active); break;
      case 'Escape':
      case 'Tab': onClose(); break;
      default: return;
    }
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <ul
      className="rollout-menu"
      role="menu"
      aria-label={`Rollout of ${what}`}
      style={{ left: at.x, top: at.y }}
      onKeyDown={onKeyDown}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) onClose();
      }}
    >
      <li className="rollout-menu-head muted" role="presentation">{what}</li>
      {START_ACTIONS.map((a, i) => {
        const problem = startProblem(a, at.target);
        return (
          <li
            key={a}
            ref={(el) => { items.current[i] = el; }}
            role="menuitem"
            tabIndex={i === active ? 0 : -1}
            aria-disabled={problem !== undefined || undefined}
            className={`rollout-menu-item${i === active ? ' is-active' : ''}${problem ? ' is-unavailable' : ''}`}
            onMouseMove={() => setActive(i)}
            onClick={() => choose(i)}
          >
            <span>{START_LABEL[a]}</span>
            {problem && <span className="rollout-menu-why">{problem}</span>}
          </li>
        );
      })}
    </ul>
  );
}
