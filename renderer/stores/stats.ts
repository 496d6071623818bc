// Stats store: the latest sample per container, host and fleet aggregates (one statsTicks
// subscription), chart series for pinned containers and watched hosts, and what the user
// sees, reported to main so it samples those containers at the fast rate. Never formats.
import { create } from 'zustand';
import type { Api } from '../../shared/contract';
import type { ContainerStats, HostStats, StatsTick } from '../../shared/stats';
import { HOST_POINT_MS, STATS_DEFAULTS } from '../../shared/stats';
import { downsample, mergePoints, toPoint, type StatsPoint } from '../features/stats/series';
import { boundStore, type Store } from './boundStore';
import { follow, NEVER_DROPS, type ConnectionWatch } from './connection';
import { containerKey } from './fleet';

/** The grid reports its rows on every scroll; main hears about it at most this often. */
export const FOCUS_DEBOUNCE_MS = 250;
/**
 * A container with no sample for this long is gone (removed, stopped, host down): slow-rate
 * containers are sampled every 10 s, so three missed rounds.
 */
export const STALE_MS = STATS_DEFAULTS.slowIntervalMs * 3 + 5_000;
/** Points kept per watched host series. */
const HOST_POINTS = STATS_DEFAULTS.maxChartPoints;
const MAX_VISIBLE = 2_000;
const MAX_PINNED = 200;

export type StatsRefKey = { host: string; id: string };
export type FleetStats = StatsTick['fleet'];
export type HostPoint = Pick<HostStats, 'at' | 'cpuPercent' | 'ncpu' | 'memUsage' | 'memTotal'>;

export type StatsState = {
  /** Latest sample per container, keyed host/id. */
  containers: ReadonlyMap<string, ContainerStats>;
  hosts: ReadonlyMap<string, HostStats>;
  fleet: FleetStats | undefined;
  /** Epoch ms of the last tick. */
  at: number | undefined;
  /** Chart series of pinned containers (detail open), keyed host/id. */
  series: ReadonlyMap<string, readonly StatsPoint[]>;
  /** Whether a pinned container's history is still loading, or failed (message). */
  historyState: ReadonlyMap<string, 'loading' | 'ready' | string>;
  /** Series of hosts whose charts are on screen. */
  hostSeries: ReadonlyMap<string, readonly HostPoint[]>;
  /** The container whose detail (charts) is open. */
  detail: StatsRefKey | null;

  connect(): void;
  disconnect(): void;
  /** Container rows on screen in the grid (debounced to main). */
  setVisible(source: string, refs: readonly StatsRefKey[]): void;
  openDetail(ref: StatsRefKey): void;
  closeDetail(): void;
  watchHost(host: string): () => void;
};

/**
 * Apply one tick: newer samples replace older ones; containers without a sample for
 * STALE_MS are dropped, so the map never outgrows the fleet. Returns the same map when
 * nothing changed.
 */
export function mergeTick(prev: ReadonlyMap<string, ContainerStats>, tick: Pick<StatsTick, 'at' | 'containers'>, staleMs = STALE_MS): Map<string, ContainerStats> {
  const next = new Map(prev);
  for (const s of tick.containers) {
    const key = containerKey(s);
    const old = next.get(key);
    if (!old || old.at <= s.at) next.set(key, s);
  }
  for (const [key, s] of next) if (tick.at - s.at > staleMs) next.delete(key);
  return next;
}

/** What the stats store needs from the core. */
export type StatsApi = Pick<Api, 'statsTicks' | 'statsFocus' | 'statsHistory' | 'statsHostHistory'>;

export function createStatsStore(api: StatsApi, connection: ConnectionWatch = NEVER_DROPS): Store<StatsState> {
  let stop: (() => void) | undefined;
  const visibleBySource = new Map<string, readonly StatsRefKey[]>();
  let focusTimer: ReturnType<typeof setTimeout> | undefined;
  let lastFocusSig = '';
  const hostWatchers = new Map<string, number>();

  return create<StatsState>()((set, get) => {
    const sendFocus = () => {
      focusTimer = undefined;
      const seen = new Set<string>();
      const visible: StatsRefKey[] = [];
      for (const refs of visibleBySource.values()) {
        for (const r of refs) {
          const k = containerKey(r);
          if (seen.has(k) || visible.length >= MAX_VISIBLE) continue;
          seen.add(k);
          visible.push({ host: r.host, id: r.id });
        }
      }
      const pinned = [...get().series.keys()].slice(0, MAX_PINNED).map(splitKey);
      const sig = `${visible.map(containerKey).join(',')}|${pinned.map(containerKey).join(',')}`;
      if (sig === lastFocusSig) return;
      lastFocusSig = sig;
      api.statsFocus({ visible, pinned }).catch(() => { lastFocusSig = ''; });
    };
    const scheduleFocus = () => {
      focusTimer ??= setTimeout(sendFocus, FOCUS_DEBOUNCE_MS);
    };

    const onTick = (tick: StatsTick) => {
      set((s) => {
        const containers = mergeTick(s.containers, tick);
        const hosts = new Map(tick.hosts.map((h) => [h.host, h]));
        let series = s.series;
        if (series.size > 0) {
          const bumped = new Map(series);
          for (const c of tick.containers) {
            const key = containerKey(c);
            const old = bumped.get(key);
            if (old) bumped.set(key, mergePoints(old, [toPoint(c)]));
          }
          series = bumped;
        }
        let hostSeries = s.hostSeries;
        if (hostWatchers.size > 0) {
          const next = new Map(hostSeries);
          for (const name of hostWatchers.keys()) {
            const h = hosts.get(name);
            if (!h) continue;
            const old = next.get(name) ?? [];
            const p: HostPoint = { at: h.at, cpuPercent: h.cpuPercent, ncpu: h.ncpu, memUsage: h.memUsage, memTotal: h.memTotal };
            const last = old[old.length - 1];
            // Main keeps a point every HOST_POINT_MS; so does the live end, so 300 points stay 15 minutes.
            if (last && p.at - last.at < HOST_POINT_MS - 500) continue;
            next.set(name, mergePoints(old, [p], HOST_POINTS));
          }
          hostSeries = next;
        }
        return { containers, hosts, fleet: tick.fleet, at: tick.at, series, hostSeries };
      });
    };

    return {
      containers: new Map(),
      hosts: new Map(),
      fleet: undefined,
      at: undefined,
      series: new Map(),
      historyState: new Map(),
      hostSeries: new Map(),
      detail: null,

      connect() {
        if (stop) return;
        stop = follow((onEnd) => api.statsTicks({}, onTick, onEnd), connection, (up) => {
          // A renewed subscription on the core side starts with no focus: say it again.
          if (!up) return;
          lastFocusSig = '';
          scheduleFocus();
        }, (error) => {
          // Charts and cells keep their last values; the fleet stream's state is what the top bar shows.
          console.error(`fleetdeck: the stats stream ended: ${error?.message ?? 'by the core'}`);
          stop?.();
          stop = undefined;
        });
        scheduleFocus();
      },

      disconnect() {
        stop?.();
        stop = undefined;
        if (focusTimer) clearTimeout(focusTimer);
        focusTimer = undefined;
        lastFocusSig = '';
      },

      setVisible(source, refs) {
        const old = visibleBySource.get(source);
        if (old && old.length === refs.length && old.every((r, i) => r.id === refs[i]!.id && r.host === refs[i]!.host)) return;
        if (refs.length === 0) visibleBySource.delete(source);
        else visibleBySource.set(source, refs);
        scheduleFocus();
      },

      openDetail(ref) {
        const key = containerKey(ref);
        set((s) => ({
          detail: { host: ref.host, id: ref.id },
          series: s.series.has(key) ? s.series : new Map(s.series).set(key, []),
          historyState: new Map(s.historyState).set(key, 'loading'),
        }));
        // Unpin others: one detail at a time.
        for (const k of get().series.keys()) if (k !== key) dropSeries(k);
        if (focusTimer) clearTimeout(focusTimer);
        sendFocusSoon();
        void (async () => {
          try {
            const history = await api.statsHistory({ host: ref.host, id: ref.id, maxPoints: STATS_DEFAULTS.maxChartPoints });
            set((s) => {
              const current = s.series.get(key);
              if (!current) return s; // closed meanwhile
              return {
                series: new Map(s.series).set(key, mergePoints(downsample(history.points), current)),
                historyState: new Map(s.historyState).set(key, 'ready'),
              };
            });
          } catch (err) {
            set((s) => (s.series.has(key) ? { historyState: new Map(s.historyState).set(key, err instanceof Error ? err.message : String(err)) } : s));
          }
        })();
      },

      closeDetail() {
        const d = get().detail;
        set({ detail: null });
        if (d) dropSeries(containerKey(d));
        scheduleFocus();
      },

      watchHost(host) {
        const first = !hostWatchers.has(host);
        hostWatchers.set(host, (hostWatchers.get(host) ?? 0) + 1);
        if (first) void loadHostHistory(host);
        return () => {
          const n = (hostWatchers.get(host) ?? 1) - 1;
          if (n > 0) {
            hostWatchers.set(host, n);
            return;
          }
          hostWatchers.delete(host);
          set((s) => {
            if (!s.hostSeries.has(host)) return s;
            const next = new Map(s.hostSeries);
            next.delete(host);
            return { hostSeries: next };
          });
        };
      },
    };

    /** The host's last 15 minutes from main, merged under the points that ticks added meanwhile. */
    async function loadHostHistory(host: string) {
      try {
        const history = await api.statsHostHistory({ host, maxPoints: HOST_POINTS });
        if (!hostWatchers.has(host)) return; // closed meanwhile
        set((s) => ({ hostSeries: new Map(s.hostSeries).set(host, mergePoints(history.points, s.hostSeries.get(host) ?? [], HOST_POINTS)) }));
      } catch {
        // The charts fill from ticks alone.
      }
    }

    function dropSeries(key: string) {
      set((s) => {
        if (!s.series.has(key)) return s;
        const series = new Map(s.series);
        series.delete(key);
        const historyState = new Map(s.historyState);
        historyState.delete(key);
        return { series, historyState };
      });
    }
    function sendFocusSoon() {
      focusTimer = undefined;
      // Pinning is a click: tell main now, not after the scroll debounce.
      sendFocus();
    }
  });
}

/** The app's stats store (bound at boot). */
export const useStats = boundStore<StatsState>('stats');

function splitKey(key: string): StatsRefKey {
  const i = key.lastIndexOf('/');
  return { host: key.slice(0, i), id: key.slice(i + 1) };
}
