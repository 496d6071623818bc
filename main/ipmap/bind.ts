// Binds the IP map slice: the ipMap stream to the model (the whole snapshot at once, then each
// coalesced change), ipNext to the model's allocator; create/clone are "Create here"'s calls
// (main/ipmap/createHere.ts's bindIpCreate), spread in.
import type { IpMapSnapshot, ipMapSlice } from '../../shared/ipmap';
import type { ApiOf } from '../../shared/slice';

/** The part of the model (ipMapService.ts) the slice reads. */
export interface IpMapFeed {
  snapshot(): IpMapSnapshot;
  onChange(listener: (snapshot: IpMapSnapshot) => void): () => void;
  next(segment: string, name: string): string;
}

export type IpCreateCalls = Pick<ApiOf<typeof ipMapSlice>, 'ipCreatePlan' | 'ipCreate'>;

export function bindIpMap(map: IpMapFeed, create: IpCreateCalls): ApiOf<typeof ipMapSlice> {
  return {
    ...create,
    ipNext: async ({ segment, name }) => ({ ip: map.next(segment, name) }),
    ipMap: (_params, onEvent) => {
      const off = map.onChange(onEvent);
      onEvent(map.snapshot());
      return off;
    },
  };
}
