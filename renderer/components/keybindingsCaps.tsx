// A binding's keys as keycaps (<kbd>), drawn from the keybinding registry. Decorative: the
// control that owns the shortcut says it in aria-keyshortcuts.
import { keyCaps, type Binding } from './keybindings';

export function KeyCaps({ binding }: { binding: Binding }) {
  return (
    <>
      {keyCaps(binding).map((cap, i) => <kbd key={i} aria-hidden="true">{cap}</kbd>)}
    </>
  );
}
