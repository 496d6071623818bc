// Find in the terminal's buffer: Enter next, Shift+Enter previous, Escape closes (and gives
// the keyboard back to the terminal). Matches are highlighted; the count is announced politely.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { TerminalInstance } from './terminalInstance';
import { SEARCH_DECORATIONS } from './terminalInstance';

type Results = { index: number; count: number } | undefined;

export function FindBar({ instance, onClose }: { instance: TerminalInstance; onClose(): void }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  const [caseSensitive, setCaseSensitive] = useState(false);
  const [results, setResults] = useState<Results>(undefined);

  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
    const sub = instance.search.onDidChangeResults((r) => setResults({ index: r.resultIndex, count: r.resultCount }));
    return () => {
      sub.dispose();
      instance.search.clearDecorations();
    };
  }, [instance]);

  const options = { caseSensitive, decorations: SEARCH_DECORATIONS };
  const find = (dir: 'next' | 'prev', incremental = false) => {
    if (!query) {
      instance.search.clearDecorations();
      setResults(undefined);
      return;
    }
    const found = dir === 'next' ? instance.search.findNext(query, { ...options, incremental }) : instance.search.findPrevious(query, options);
    if (!found) setResults({ index: -1, count: 0 });
  };

  // Search as you type (incremental keeps the current match while it still fits).
  useEffect(() => {
    if (!query) {
      instance.search.clearDecorations();
      setResults(undefined);
      return;
    }
    const found = instance.search.findNext(query, { caseSensitive, decorations: SEARCH_DECORATIONS, incremental: true });
    if (!found) setResults({ index: -1, count: 0 });
  }, [instance, query, caseSensitive]);

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      find(e.shiftKey ? 'prev' : 'next');
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
    }
  };

  const count = results === undefined ? '' : results.count === 0 ? 'No results' : results.index < 0 ? `${results.count}+ matches` : `${results.index + 1} of ${results.count}`;
  return (
    <div className="term-find" role="search" aria-label="Find in terminal">
      <input
        ref={inputRef}
        type="text"
        className="text-input mono"
        aria-label="Find in terminal"
        aria-keyshortcuts="Enter Shift+Enter Escape"
        placeholder="Find"
        spellCheck={false}
        autoComplete="off"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <span className={`term-find-count${results?.count === 0 ? ' is-none' : ''}`} aria-live="polite">{count}</span>
      <button type="button" className={`btn btn-small toggle-btn${caseSensitive ? ' is-on-neutral' : ''}`} aria-pressed={caseSensitive} title="Match case" onClick={() => setCaseSensitive((v) => !v)}>Aa</button>
      <button type="button" className="btn btn-small" aria-label="Previous match" title="Previous match (Shift+Enter)" onClick={() => find('prev')}>↑</button>
      <button type="button" className="btn btn-small" aria-label="Next match" title="Next match (Enter)" onClick={() => find('next')}>↓</button>
      <button type="button" className="btn btn-small btn-quiet" aria-label="Close find" title="Close (Escape)" onClick={onClose}>×</button>
    </div>
  );
}
