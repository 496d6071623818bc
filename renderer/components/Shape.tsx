// Small state glyphs. Shape carries meaning alongside colour (never colour alone);
// colour comes from the surrounding CSS via currentColor. Always paired with text.
export type ShapeKind = 'dot' | 'ring' | 'triangle' | 'square' | 'cross' | 'cycle' | 'pause' | 'half' | 'up';

export function Shape({ kind, className }: { kind: ShapeKind; className?: string }) {
  return (
    <svg className={`shape${className ? ` ${className}` : ''}`} viewBox="0 0 12 12" width="12" height="12" aria-hidden="true" focusable="false">
      {kind === 'dot' && <circle cx="6" cy="6" r="4.5" fill="currentColor" />}
      {kind === 'ring' && <circle cx="6" cy="6" r="4" fill="none" stroke="currentColor" strokeWidth="1.6" strokeDasharray="3 2" />}
      {kind === 'half' && (
        <>
          <circle cx="6" cy="6" r="4.3" fill="none" stroke="currentColor" strokeWidth="1.4" />
          <path d="M6 1.7 A4.3 4.3 0 0 1 6 10.3 Z" fill="currentColor" />
        </>
      )}
      {kind === 'triangle' && (
        <>
          <path d="M6 0.8 L11.6 11 H0.4 Z" fill="currentColor" />
          <path d="M6 4.2 V7.4 M6 8.8 V9.6" stroke="var(--shape-ink, #000)" strokeWidth="1.4" strokeLinecap="round" />
        </>
      )}
      {/* A newer one is out (an outdated image). */}
      {kind === 'up' && <path d="M6 0.8 L11 6.2 H7.8 V11.2 H4.2 V6.2 H1 Z" fill="currentColor" />}
      {kind === 'square' && <rect x="1.5" y="1.5" width="9" height="9" rx="1" fill="currentColor" />}
      {kind === 'cross' && (
        <>
          <rect x="0.8" y="0.8" width="10.4" height="10.4" rx="1.5" fill="currentColor" />
          <path d="M3.6 3.6 L8.4 8.4 M8.4 3.6 L3.6 8.4" stroke="var(--shape-ink, #000)" strokeWidth="1.6" strokeLinecap="round" />
        </>
      )}
      {kind === 'cycle' && (
        <>
          <path d="M10 6 A4 4 0 1 1 8.2 2.7" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" />
          <path d="M7 0.6 L10.4 2.4 L7.6 4.9 Z" fill="currentColor" />
        </>
      )}
      {kind === 'pause' && (
        <>
          <rect x="2" y="1.5" width="3" height="9" rx="0.6" fill="currentColor" />
          <rect x="7" y="1.5" width="3" height="9" rx="0.6" fill="currentColor" />
        </>
      )}
    </svg>
  );
}
