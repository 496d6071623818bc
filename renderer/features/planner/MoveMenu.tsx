// A card's "Move to batch…" menu: the drag's equivalent without dragging. A menu button (the
// ARIA menu-button pattern: Enter, Space or ↓ opens it on its first item; ↑/↓ Home/End move;
// Enter picks; Escape or Tab closes, focus back on the button) listing every other batch and
// a new one at the end; the card goes to the end of the batch picked.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { usePlanner } from '../../stores/planner';

export function MoveMenu({ cardKey, name, lane, lanes }: { cardKey: string; name: string; lane: number; lanes: number }) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLUListElement>(null);
  // Every batch but its own, then a new one (index lanes: planModel.moveCard makes it).
  const targets = [...Array.from({ length: lanes }, (_, i) => i).filter((i) => i !== lane), lanes];

  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLElement>('[role=menuitem]')?.focus();
    const away = (e: PointerEvent) => {
      if (!menuRef.current?.contains(e.target as Node) && e.target !== buttonRef.current) setOpen(false);
    };
    document.addEventListener('pointerdown', away);
    return () => document.removeEventListener('pointerdown', away);
  }, [open]);

  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };
  const pick = (to: number) => {
    const s = usePlanner.getState();
    setOpen(false);
    s.moveCard(cardKey, to, to < s.lanes.length ? (s.lanes[to]?.length ?? 0) : 0);
  };
  const onMenuKey = (e: KeyboardEvent<HTMLUListElement>) => {
    // Nothing in the menu reaches the card (Space there would pick it up) or the planner (Escape would close it).
    e.stopPropagation();
    const items = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role=menuitem]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const focus = (i: number) => items[(i + items.length) % items.length]?.focus();
    if (e.key === 'ArrowDown') focus(at + 1);
    else if (e.key === 'ArrowUp') focus(at - 1);
    else if (e.key === 'Home') focus(0);
    else if (e.key === 'End') focus(items.length - 1);
    else if (e.key === 'Escape') close();
    else if (e.key === 'Tab') setOpen(false);
    else return;
    if (e.key !== 'Tab') e.preventDefault();
  };

  return (
    <span className="pc-menu">
      <button
        ref={buttonRef}
        type="button"
        className="pc-menu-button"
        aria-label="Move to batch…"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        title={`Move ${name} to another batch`}
        // Neither a drag (pointer) nor a pick-up (Space) of the card starts on its menu button.
        onPointerDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
          }
        }}
        onClick={() => setOpen((o) => !o)}
      >
        ⋯
      </button>
      {open && (
        <ul ref={menuRef} id={menuId} role="menu" aria-label={`Move ${name} to`} className="pc-menu-list" onKeyDown={onMenuKey} onPointerDown={(e) => e.stopPropagation()}>
          {targets.map((to) => (
            <li key={to} role="menuitem" tabIndex={-1} onClick={() => pick(to)} onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), pick(to))}>
              {to === lanes ? 'New batch' : `Batch ${to + 1}`}
            </li>
          ))}
        </ul>
      )}
    </span>
  );
}
