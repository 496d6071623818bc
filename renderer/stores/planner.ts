// Planner store: the one rollout plan open in the Rollouts tab (issue 12), from opening it
// (rolloutPreview → cards, one lane per card) or a rollout on record (rolloutHistory → its plan's
// lanes), through the edits (mode, parameters, presets, moves) with its warnings kept current, to
// Run (rolloutStart). Live steps of a running plan are the rollouts store's, not this one's. The
// layout rules are features/planner/planModel.ts's; this store only holds their results.
import { create } from 'zustand';
import type { Api } from '../../shared/contract';
import type { RolloutPlan } from '../../shared/rollout';
import * as model from '../features/planner/planModel';
import type { FleetView, Lanes, PlanCard, PlanMode, PlanOpen, PlanParams, Preset } from '../features/planner/planModel';
import { boundStore, type Store } from './boundStore';
import { errorMessage } from './errorMessage';

export type { PlanCard, PlanOpen, PlanScope, Preset } from '../features/planner/planModel';

export interface PlannerState {
  status: 'closed' | 'loading' | 'editing' | 'starting' | 'running' | 'error';
  request?: PlanOpen;
  cards: ReadonlyMap<string, PlanCard>;
  mode: PlanMode;
  /** Batch mode: card keys per lane; window mode: lanes[0] is the order. */
  lanes: Lanes;
  params: PlanParams;
  /** e.g. "Batch 2 takes every replica of payments/api down at once", "h3 is offline". */
  warnings: string[];
  /** Once started (or opened from the journal). */
  rolloutId?: string;
  /** Why opening failed (status 'error'), or why Run was refused (back to 'editing'). */
  error?: string;

  /** rolloutPreview → cards; opens in batch mode, one lane per card, by host then name. */
  open(request: PlanOpen): Promise<void>;
  /** A running/paused/interrupted rollout from rolloutHistory: its plan's lanes, live. */
  openRollout(id: string): Promise<void>;
  close(): void;
  setMode(mode: PlanMode): void;
  setParams(p: Partial<PlanParams>): void;
  applyPreset(p: Preset): void;
  moveCard(key: string, toLane: number, toIndex: number): void;
  moveLane(from: number, to: number): void;
  /** An empty lane at the end. */
  addLane(): void;
  /** Only an empty one. */
  removeLane(index: number): void;
  /** rolloutStart: batches → lanes; window → sequence + parallelism. */
  run(): Promise<void>;
}

/** What the planner store needs from the core. */
export type PlannerApi = Pick<Api, 'rolloutPreview' | 'rolloutStart' | 'rolloutHistory'>;

export interface PlannerDeps {
  /** The fleet as the fleet store holds it now (groups, addresses, host states, every replica). */
  fleet(): FleetView;
  /** Calls back on each change of the fleet store: an open plan's cards and warnings follow it. */
  onFleetChange?(listener: () => void): () => void;
}

/** The engine's defaults (main/rollout/plan.ts DEFAULT_PARAMS); the preview's replace them on open. */
const DEFAULT_PARAMS: PlanParams = { parallelism: 1, delayMs: 0, monitorMs: 5_000, failureAction: 'pause', maxFailureRatio: 0, order: 'stop-first' };

type Plan = Pick<PlannerState, 'cards' | 'mode' | 'lanes' | 'params'>;

type PlannerData = Pick<PlannerState, 'status' | 'request' | 'cards' | 'mode' | 'lanes' | 'params' | 'warnings' | 'rolloutId' | 'error'>;
/** Nothing open; also what open() and openRollout() start from. */
const CLOSED: PlannerData = { status: 'closed', request: undefined, cards: new Map(), mode: 'batches', lanes: [], params: DEFAULT_PARAMS, warnings: [], rolloutId: undefined, error: undefined };

export function createPlannerStore(api: PlannerApi, deps: PlannerDeps): Store<PlannerState> {
  // Each open or close bumps it: an answer for an earlier one is dropped.
  let generation = 0;

  return create<PlannerState>()((set, get) => {
    const withWarnings = (plan: Plan) => ({ ...plan, warnings: model.planWarnings(plan.cards, plan.lanes, plan.mode, plan.params, deps.fleet()) });
    /** Applies an edit to the plan being edited (nothing while running or closed). */
    const edit = (change: (s: PlannerState) => Partial<Plan>) => {
      const s = get();
      if (s.status !== 'editing') return;
      const next = change(s);
      if (Object.keys(next).length === 0 || Object.entries(next).every(([k, v]) => s[k as keyof Plan] === v)) return;
      set(withWarnings({ cards: s.cards, mode: s.mode, lanes: s.lanes, params: s.params, ...next }));
    };
    const fromPlan = (plan: RolloutPlan) => model.cardsOf(plan, deps.fleet());
    let lastFleet: FleetView | undefined;
    deps.onFleetChange?.(() => {
      const s = get();
      const fleet = deps.fleet();
      if (s.status === 'closed' || s.status === 'loading' || s.status === 'error') return;
      if (lastFleet && fleet.hosts === lastFleet.hosts && fleet.containers === lastFleet.containers) return;
      lastFleet = fleet;
      const cards = model.refreshCards(s.cards, fleet);
      const warnings = model.planWarnings(cards, s.lanes, s.mode, s.params, fleet);
      if (cards !== s.cards || warnings.join('\n') !== s.warnings.join('\n')) set({ cards, warnings });
    });

    return {
      ...CLOSED,

      async open(request) {
        const mine = ++generation;
        set({ ...CLOSED, status: 'loading', request });
        try {
          const plan = await api.rolloutPreview(model.previewRequest(request));
          if (mine !== generation) return;
          const cards = fromPlan(plan);
          set({ status: 'editing', ...withWarnings({ cards, mode: 'batches', lanes: model.defaultLanes(cards), params: { ...plan.params } }) });
        } catch (err) {
          if (mine === generation) set({ status: 'error', error: errorMessage(err) });
        }
      },

      async openRollout(id) {
        const mine = ++generation;
        set({ ...CLOSED, status: 'loading', rolloutId: id });
        try {
          const history = await api.rolloutHistory({ id });
          if (mine !== generation) return;
          const cards = fromPlan(history.plan);
          const { mode, lanes } = model.lanesOfPlan(history.plan);
          set({ status: 'running', request: model.openOfPlan(history.plan), ...withWarnings({ cards, mode, lanes, params: { ...history.plan.params } }) });
        } catch (err) {
          if (mine === generation) set({ status: 'error', error: errorMessage(err) });
        }
      },

      close() {
        generation++;
        set({ ...CLOSED });
      },

      setMode(mode) {
        edit((s) => ({ mode, lanes: model.relayForMode(s.lanes, s.mode, mode, s.params.parallelism) }));
      },

      setParams(p) {
        edit((s) => ({ params: { ...s.params, ...p } }));
      },

      applyPreset(preset) {
        edit((s) => {
          if (s.mode === 'batches') return { lanes: model.presetLanes(s.cards, preset) };
          const { order, parallelism } = model.presetWindow(s.cards, preset);
          return { lanes: [order], ...(parallelism !== undefined ? { params: { ...s.params, parallelism } } : {}) };
        });
      },

      moveCard(key, toLane, toIndex) {
        edit((s) => ({ lanes: model.moveCard(s.lanes, key, toLane, toIndex) }));
      },

      moveLane(from, to) {
        edit((s) => ({ lanes: model.moveLane(s.lanes, from, to) }));
      },

      addLane() {
        edit((s) => (s.mode === 'batches' ? { lanes: model.addLane(s.lanes) } : {}));
      },

      removeLane(index) {
        edit((s) => (s.mode === 'batches' ? { lanes: model.removeLane(s.lanes, index) } : {}));
      },

      async run() {
        const s = get();
        if (s.status !== 'editing' || !s.request) return;
        const mine = generation;
        set({ status: 'starting', error: undefined });
        try {
          const { id } = await api.rolloutStart(model.startRequest(s.request, s.mode, s.lanes, s.params));
          if (mine === generation) set({ status: 'running', rolloutId: id });
        } catch (err) {
          // Refused (a conflict, a plan the engine cannot run): the plan stays to be fixed.
          if (mine === generation) set({ status: 'editing', error: errorMessage(err) });
        }
      },
    };
  });
}

/** The app's planner store (bound at boot). */
export const usePlanner = boundStore<PlannerState>('planner');
