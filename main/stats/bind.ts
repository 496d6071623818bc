// Binds the stats slice to the sampler.
import type { ApiOf } from '../../shared/slice';
import type { statsSlice } from '../../shared/stats';
import type { StatsSampler } from './sampler';

export function bindStats(stats: StatsSampler): ApiOf<typeof statsSlice> {
  return {
    statsFocus: async (focus) => stats.setFocus(focus),
    statsHistory: async ({ host, id, maxPoints }) => stats.history(host, id, maxPoints),
    statsHostHistory: async ({ host, maxPoints }) => stats.hostHistoryOf(host, maxPoints),
    statsTicks: (_params, onEvent) => stats.subscribe(onEvent),
  };
}
