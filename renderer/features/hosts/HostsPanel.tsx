// The hosts panel: every host, trouble first, each with state (glyph + colour + words),
// reason and retry countdown, engine, CPUs, memory and running/total containers.
// Virtualised: a thousand hosts cost the same as thirty. Selecting a host (click, or
// Enter/Space on the focused list) narrows the containers grid to that host; e (or the
// "SSH shell" button in the detail below) opens a shell on the active host.
import { useVirtualizer } from '@tanstack/react-virtual';
import { lazy, memo, Suspense, useCallback, useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import type { Container, Host } from '../../../shared/model';
import { formatClock, formatCount, formatGiB, formatIn } from '../../components/format';
import { ariaKeys, KEYS, keyText, matches } from '../../components/keybindings';
import { KeyCaps } from '../../components/keybindingsCaps';
import { Shape } from '../../components/Shape';
import { useNow } from '../../components/useNow';
import { useFleet } from '../../stores/fleet';
import { useUi } from '../../stores/ui';
import { HOST_SHAPE, orderHosts, problemText, REASON_LABEL } from './hostView';
import { openHostShell } from '../terminal/openShell';
import './hosts.css';
import { useShallow } from 'zustand/react/shallow';

// Charts (recharts) load with the first host detail opened, not with the app.
const HostCharts = lazy(() => import('../stats/HostCharts').then((m) => ({ default: m.HostCharts })));

const ROW_H = 38;
const ROW_H_PROBLEM = 55;

const runningCounts = new WeakMap<readonly Container[], number>();
function containerCounts(host: Host, list: readonly Container[] | undefined): { running: number; total: number } | undefined {
  if (host.containersTotal !== undefined) return { running: host.containersRunning ?? 0, total: host.containersTotal };
  // A host we never reached has no list; an empty one would read as "0/0", which is wrong.
  if (!list || (list.length === 0 && host.state !== 'online')) return undefined;
  let running = runningCounts.get(list);
  if (running === undefined) {
    running = list.reduce((n, c) => n + (c.state === 'running' ? 1 : 0), 0);
    runningCounts.set(list, running);
  }
  return { running, total: list.length };
}

/** The host list (a listbox): the palette's "go to host" puts the keyboard here. */
export const HOSTS_LIST_ID = 'hosts-list';

const optionId = (name: string) => `host-opt-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;

export function HostsPanel() {
  const { hosts, containers, status } = useFleet(useShallow((s) => ({ hosts: s.hosts, containers: s.containers, status: s.status })));
  const { hostFilter, active } = useUi(useShallow((s) => ({ hostFilter: s.hostFilter, active: s.selectedHost })));

  const ordered = useMemo(() => orderHosts(hosts.values()), [hosts]);
  const summary = useMemo(() => {
    const n = { online: 0, offline: 0, error: 0, connecting: 0 };
    for (const h of ordered) n[h.state]++;
    return n;
  }, [ordered]);
  const indexOf = useMemo(() => new Map(ordered.map((h, i) => [h.name, i])), [ordered]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: ordered.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => (ordered[i]?.state === 'online' ? ROW_H : ROW_H_PROBLEM),
    getItemKey: (i) => ordered[i]?.name ?? i,
    overscan: 8,
  });

  const toggleFilter = useCallback((name: string) => {
    const ui = useUi.getState();
    ui.selectHost(name);
    ui.setHostFilter(ui.hostFilter === name ? null : name);
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (ordered.length === 0 || e.altKey || e.ctrlKey || e.metaKey) return;
    const current = active !== null ? (indexOf.get(active) ?? -1) : -1;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_H) - 1);
    let next: number | undefined;
    switch (e.key) {
      case 'ArrowDown': next = current + 1; break;
      case 'ArrowUp': next = current - 1; break;
      case 'PageDown': next = current + page; break;
      case 'PageUp': next = current - page; break;
      case 'Home': next = 0; break;
      case 'End': next = ordered.length - 1; break;
      case 'Enter':
      case ' ': {
        const h = ordered[current];
        if (h) toggleFilter(h.name);
        e.preventDefault();
        return;
      }
      case 'Escape':
        if (useUi.getState().hostFilter !== null) {
          useUi.getState().setHostFilter(null);
          e.preventDefault();
        }
        return;
      default: {
        if (!matches(KEYS.shell, e)) return;
        const h = ordered[current];
        if (h) openHostShell(h.name);
        e.preventDefault();
        return;
      }
    }
    e.preventDefault();
    next = Math.max(0, Math.min(ordered.length - 1, next));
    const h = ordered[next];
    if (h) {
      useUi.getState().selectHost(h.name);
      virtualizer.scrollToIndex(next, { align: 'auto' });
    }
  };

  const activeIndex = active !== null ? indexOf.get(active) : undefined;
  // A host selected from elsewhere (the palette's "go to") scrolls into view.
  const activeKnown = activeIndex !== undefined;
  useEffect(() => {
    if (activeIndex !== undefined) virtualizer.scrollToIndex(activeIndex, { align: 'auto' });
    // Only when the selection changes (or first appears), not when the list re-orders under it.
  }, [active, activeKnown, virtualizer]);
  const activeRendered = activeIndex !== undefined && virtualizer.getVirtualItems().some((v) => v.index === activeIndex);

  return (
    <section className="hosts" aria-label="Hosts">
      <header className="panel-head">
        <h2 className="panel-title">Hosts</h2>
        <span className="panel-sub">
          {formatCount(summary.online)}/{formatCount(ordered.length)} online
        </span>
        <div className="host-summary">
          {summary.error > 0 && <span className="chip tone-error"><Shape kind="triangle" /> {summary.error} error</span>}
          {summary.offline > 0 && <span className="chip tone-offline"><Shape kind="square" /> {summary.offline} offline</span>}
          {summary.connecting > 0 && <span className="chip tone-info"><Shape kind="ring" /> {summary.connecting} connecting</span>}
        </div>
      </header>
      <div
        ref={scrollRef}
        id={HOSTS_LIST_ID}
        className="hosts-scroll"
        role="listbox"
        aria-label="Host list: select a host to show only its containers"
        aria-keyshortcuts={ariaKeys(KEYS.shell)}
        tabIndex={0}
        aria-activedescendant={activeRendered && active !== null ? optionId(active) : undefined}
        onKeyDown={onKeyDown}
      >
        {ordered.length === 0 && (
          <p className="empty">{status === 'live' || status === 'reconnecting' ? 'No hosts in this fleet.' : 'Waiting for the fleet…'}</p>
        )}
        <div className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((v) => {
            const host = ordered[v.index];
            if (!host) return null;
            return (
              <HostRow
                key={v.key}
                host={host}
                counts={containerCounts(host, containers.get(host.name))}
                top={v.start}
                height={v.size}
                active={host.name === active}
                filtered={host.name === hostFilter}
                onPick={toggleFilter}
              />
            );
          })}
        </div>
      </div>
      {active !== null && hosts.get(active) && <HostDetail host={hosts.get(active)!} counts={containerCounts(hosts.get(active)!, containers.get(active))} />}
    </section>
  );
}

/** The active host in full: the whole problem message, engine, OS, labels. */
function HostDetail({ host, counts }: { host: Host; counts: { running: number; total: number } | undefined }) {
  const e = host.engine;
  const labels = Object.entries(host.labels);
  return (
    <div className={`host-detail state-${host.state}`}>
      <div className="hd-title">
        <Shape kind={HOST_SHAPE[host.state]} />
        <span className="hd-name">{host.name}</span>
        <span className="hd-state">{host.state}</span>
        <span className="hd-since">since {formatClock(host.since)}</span>
        <button
          type="button"
          className="btn btn-small hd-shell"
          aria-label={`SSH shell on ${host.name}`}
          aria-keyshortcuts={ariaKeys(KEYS.shell)}
          title={`Open an SSH shell on ${host.name} (${keyText(KEYS.shell)} in the host list)`}
          onClick={() => openHostShell(host.name)}
        >
          <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true"><path d="M2.5 4 L6.5 8 L2.5 12 M8 12.5 H13.5" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" /></svg>
          SSH shell <KeyCaps binding={KEYS.shell} />
        </button>
      </div>
      {host.problem && (
        <div className="hd-problem">
          {REASON_LABEL[host.problem.reason] ?? host.problem.reason}: <span className="mono">{host.problem.message}</span>
          {host.retryAt !== undefined && <RetryIn at={host.retryAt} />}
        </div>
      )}
      <dl className="hd-grid">
        <dt>address</dt>
        <dd className="mono">{host.address} <span className="muted">({host.transport})</span></dd>
        {e && (
          <>
            <dt>engine</dt>
            <dd>Docker {e.version} · API {e.apiVersion}</dd>
            <dt>system</dt>
            <dd>{e.os} · {e.kernel}</dd>
            <dt>capacity</dt>
            <dd>{e.ncpu} CPU · {formatGiB(e.memTotal)}</dd>
          </>
        )}
        <dt>containers</dt>
        <dd>{counts ? `${formatCount(counts.running)} running of ${formatCount(counts.total)}` : 'unknown'}</dd>
        {labels.length > 0 && (
          <>
            <dt>labels</dt>
            <dd className="mono">{labels.map(([k, v]) => `${k}=${v}`).join('  ')}</dd>
          </>
        )}
      </dl>
      {host.state === 'online' && (
        <Suspense fallback={null}>
          <HostCharts host={host.name} />
        </Suspense>
      )}
    </div>
  );
}

type HostRowProps = {
  host: Host;
  counts: { running: number; total: number } | undefined;
  top: number;
  height: number;
  active: boolean;
  filtered: boolean;
  onPick(name: string): void;
};

const HostRow = memo(function HostRow({ host, counts, top, height, active, filtered, onPick }: HostRowProps) {
  const e = host.engine;
  const { reason, detail } = problemText(host);
  const down = host.state !== 'online';
  return (
    <div
      id={optionId(host.name)}
      role="option"
      aria-selected={filtered}
      className={`host state-${host.state}${active ? ' is-active' : ''}${filtered ? ' is-filtered' : ''}`}
      style={{ transform: `translateY(${top}px)`, height }}
      onClick={() => onPick(host.name)}
    >
      <div className="host-line">
        <Shape kind={HOST_SHAPE[host.state]} className="host-shape" />
        <span className="host-name">{host.name}</span>
        {!down && <span className="host-state">{host.state}</span>}
        <span className={`host-count${counts && counts.running < counts.total ? ' has-stopped' : ''}`} title="running / total containers">
          {counts ? <><b>{formatCount(counts.running)}</b>/{formatCount(counts.total)} running</> : '—'}
        </span>
      </div>
      <div className="host-line host-meta">
        <span className="mono host-addr">{host.address}</span>
        {e && (
          <span className="host-specs" title={`Docker ${e.version} (API ${e.apiVersion}) · ${e.os} · ${e.kernel}`}>
            {e.ncpu} CPU · {formatGiB(e.memTotal)} · {e.version}
          </span>
        )}
      </div>
      {down && (
        <div className="host-line host-problem">
          {/* The countdown must stay visible: after a long error message it sits outside the
              ellipsis; for offline hosts it follows the short reason, before the detail. */}
          <span className="host-problem-text" title={host.problem ? `${host.problem.reason}: ${host.problem.message}` : undefined}>
            <span className="host-state">{host.state}</span>
            {reason && ` · ${reason}`}
            {detail !== undefined && host.retryAt !== undefined && <RetryIn at={host.retryAt} />}
            {detail && <span className="host-problem-detail"> — {detail}</span>}
          </span>
          {detail === undefined && host.retryAt !== undefined && <RetryIn at={host.retryAt} className="host-retry" />}
        </div>
      )}
    </div>
  );
});

function RetryIn({ at, className }: { at: number; className?: string }) {
  const now = useNow();
  return <span className={className}>{at > now ? `, retry in ${formatIn(at, now)}` : ', retrying…'}</span>;
}
