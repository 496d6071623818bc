// IP map store: the whole map as the core serves it (one ipMap subscription; every event is the
// whole map, coalesced by main), plus where the user looks on it: the segment shown and the
// address in focus (a search or a conflict's link jumps there). Nothing here draws: features/ipmap
// does that.
import { create } from 'zustand';
import type { IpMapSnapshot, ipMapSlice } from '../../shared/ipmap';
import type { ApiOf } from '../../shared/slice';
import { boundStore, type Store } from './boundStore';
import { followWhole, NEVER_DROPS, wholeThenChanges, type ConnectionWatch } from './connection';
import type { StreamStatus } from './fleet';

export type IpMapState = {
  status: StreamStatus;
  /** Why the stream failed (status 'failed'). */
  error: string | undefined;
  snapshot: IpMapSnapshot | undefined;
  /** The segment shown (null: the first). */
  segment: string | null;
  /** The address in focus on it (null: none yet). */
  ip: string | null;
  /** Bumped when the keyboard must go to the address in focus (a key, a search, a conflict's link). */
  focusSeq: number;

  connect(): void;
  disconnect(): void;
  /** Shows a segment (and an address on it, or none); `focus` puts the keyboard on that address. */
  show(segment: string, ip?: string | null, focus?: boolean): void;
};

/** What the IP map store needs from the core: the ipMap stream. */
export type IpMapApi = Pick<ApiOf<typeof ipMapSlice>, 'ipMap'>;

export function createIpMapStore(api: IpMapApi, connection: ConnectionWatch = NEVER_DROPS): Store<IpMapState> {
  let stop: (() => void) | undefined;

  return create<IpMapState>()((set) => {
    const whole = (snapshot: IpMapSnapshot) => set({ status: 'live', snapshot });
    const stream = wholeThenChanges<IpMapSnapshot>(whole, whole);
    return {
      status: 'idle',
      error: undefined,
      snapshot: undefined,
      segment: null,
      ip: null,
      focusSeq: 0,

      connect() {
        if (stop) return;
        set({ status: 'connecting', error: undefined });
        stop = followWhole((onEvent, onEnd) => api.ipMap({}, onEvent, onEnd), stream, connection, (link) => {
          if (link.status === 'failed') stop = undefined;
          set(link);
        }, 'IP map');
      },

      disconnect() {
        stop?.();
        stop = undefined;
        set({ status: 'idle' });
      },

      show(segment, ip = null, focus = false) {
        set((s) => ({ segment, ip, focusSeq: focus ? s.focusSeq + 1 : s.focusSeq }));
      },
    };
  });
}

/** The app's IP map store (bound at boot). */
export const useIpMap = boundStore<IpMapState>('ipmap');
