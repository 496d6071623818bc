// Copying a digest to the clipboard, and which one was copied last (shown for COPIED_MS).
import { useCallback, useEffect, useRef, useState } from 'react';

/** How long "copied" shows after a copy. */
const COPIED_MS = 1_500;

export function useCopy(): { copied: string | null; copy(text: string): void } {
  const [copied, setCopied] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const copy = useCallback((text: string) => {
    void navigator.clipboard?.writeText(text).then(() => {
      setCopied(text);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => setCopied(null), COPIED_MS);
    }, () => setCopied(null));
  }, []);
  return { copied, copy };
}
