// The planner's model (pure): the plan's types as the planner store holds them, the default lanes
// and the presets that re-lay them, the moves a drag or the "Move to batch…" menu makes, the
// warnings a plan shows before Run, and the rolloutStart request a plan becomes. No store, no DOM:
// renderer/stores/planner.ts holds the state and calls these.
import type { Container, Host } from '../../../shared/model';
import type { RolloutParams, RolloutPlan, RolloutRequest } from '../../../shared/rollout';

export type PlanScope = { service: string } | { containers: string[] /* HOST/NAME */ };
export type PlanOpen = PlanScope & ({ action: 'restart' } | { action: 'deploy'; image: string } | { action: 'rollback'; toRevision?: number });

/** One container of the plan. */
export interface PlanCard {
  /** HOST/NAME */
  key: string;
  host: string;
  name: string;
  id: string;
  service?: string;
  /** The business line (the fleet store's Container.group). */
  group?: string;
  /** Its first address, from the fleet store. */
  ip?: string;
  mac?: string;
  from: { image: string; digest?: string };
  to: { image: string; digest?: string };
  /** The card says "stop-first (static address)". */
  forcedStopFirst: boolean;
  hostOnline: boolean;
}

export type Preset = { kind: 'host' } | { kind: 'group' } | { kind: 'n'; n: number } | { kind: 'all' };
export type PlanMode = 'batches' | 'window';
export type PlanParams = Required<RolloutParams>;
/** Batch mode: card keys per lane; window mode: lanes[0] is the order. */
export type Lanes = string[][];

/** What the model reads of the fleet store. */
export interface FleetView {
  hosts: ReadonlyMap<string, Pick<Host, 'state'>>;
  containers: ReadonlyMap<string, readonly Pick<Container, 'name' | 'service' | 'group' | 'ips'>[]>;
}

export const cardKey = (c: { host: string; name: string }): string => `${c.host}/${c.name}`;

const natural = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });
/** The engine's default order (main/rollout/plan.ts byHostThenName): by host, then name, naturally. */
export const byHostThenName = (a: { host: string; name: string }, b: { host: string; name: string }): number => natural(a.host, b.host) || natural(a.name, b.name);

/** What the fleet store knows of a card: its group, first address and host state. */
function fleetFacts(host: string, name: string, fleet: FleetView): Pick<PlanCard, 'group' | 'ip' | 'mac' | 'hostOnline'> & { service?: string } {
  const c = fleet.containers.get(host)?.find((x) => x.name === name);
  const address = c?.ips[0];
  return {
    ...(c?.service !== undefined ? { service: c.service } : {}),
    ...(c?.group !== undefined ? { group: c.group } : {}),
    ...(address ? { ip: address.ip, mac: address.mac } : {}),
    hostOnline: fleet.hosts.get(host)?.state === 'online',
  };
}

/** The plan's targets as cards, with what the fleet store knows of each (group, first address, host state). */
export function cardsOf(plan: Pick<RolloutPlan, 'targets'>, fleet: FleetView): Map<string, PlanCard> {
  const cards = new Map<string, PlanCard>();
  for (const t of plan.targets) {
    const { service, ...facts } = fleetFacts(t.host, t.name, fleet);
    const known = t.service ?? service;
    cards.set(cardKey(t), {
      key: cardKey(t), host: t.host, name: t.name, id: t.id, ...(known !== undefined ? { service: known } : {}),
      ...facts, from: t.from, to: t.to, forcedStopFirst: t.forcedStopFirst,
    });
  }
  return cards;
}

/** The cards with the fleet's facts as they are now (a host went offline…); `cards` itself when none changed. */
export function refreshCards(cards: ReadonlyMap<string, PlanCard>, fleet: FleetView): ReadonlyMap<string, PlanCard> {
  let next: Map<string, PlanCard> | undefined;
  for (const [key, card] of cards) {
    const { service: _service, ...facts } = fleetFacts(card.host, card.name, fleet);
    if (card.hostOnline === facts.hostOnline && card.group === facts.group && card.ip === facts.ip && card.mac === facts.mac) continue;
    const { group: _g, ip: _i, mac: _m, ...rest } = card;
    (next ??= new Map(cards)).set(key, { ...rest, ...facts });
  }
  return next ?? cards;
}

/** Every card's key in the default order. */
export function defaultOrder(cards: ReadonlyMap<string, PlanCard>): string[] {
  return [...cards.values()].sort(byHostThenName).map((c) => c.key);
}

/** How the planner opens: one lane per card, in the default order. */
export function defaultLanes(cards: ReadonlyMap<string, PlanCard>): Lanes {
  return defaultOrder(cards).map((k) => [k]);
}

const chunks = (keys: readonly string[], n: number): Lanes => {
  const size = Math.max(1, Math.floor(n));
  const out: Lanes = [];
  for (let i = 0; i < keys.length; i += size) out.push(keys.slice(i, i + size));
  return out;
};

/** The lanes a preset lays (batch mode), each lane in the default order. */
export function presetLanes(cards: ReadonlyMap<string, PlanCard>, preset: Preset): Lanes {
  const order = defaultOrder(cards).map((k) => cards.get(k)!);
  switch (preset.kind) {
    case 'host': {
      // Lane i holds the i-th container of each host: every host loses one container at a time.
      const nth = new Map<string, number>();
      const out: Lanes = [];
      for (const c of order) {
        const i = nth.get(c.host) ?? 0;
        nth.set(c.host, i + 1);
        (out[i] ??= []).push(c.key);
      }
      return out;
    }
    case 'group': {
      // One lane per business line, by name; the containers of none go last, together.
      const byGroup = new Map<string, string[]>();
      const none: string[] = [];
      for (const c of order) (c.group === undefined ? none : (byGroup.get(c.group) ?? byGroup.set(c.group, []).get(c.group)!)).push(c.key);
      const out = [...byGroup.keys()].sort(natural).map((g) => byGroup.get(g)!);
      return none.length > 0 ? [...out, none] : out;
    }
    case 'n':
      return chunks(order.map((c) => c.key), preset.n);
    case 'all':
      return order.length > 0 ? [order.map((c) => c.key)] : [];
  }
}

/** The window's order a preset lays: its lanes end to end; N at a time also sets the window to N, all at once to every card. */
export function presetWindow(cards: ReadonlyMap<string, PlanCard>, preset: Preset): { order: string[]; parallelism?: number } {
  const order = presetLanes(cards, preset).flat();
  if (preset.kind === 'n') return { order, parallelism: Math.max(1, Math.floor(preset.n)) };
  if (preset.kind === 'all') return { order, parallelism: 0 };
  return { order };
}

/** Batch lanes ↔ the window's one order: lanes end to end one way; the order cut by the window size (0: all) the other. */
export function relayForMode(lanes: Lanes, from: PlanMode, to: PlanMode, parallelism: number): Lanes {
  if (from === to) return lanes;
  const order = lanes.flat();
  if (to === 'window') return [order];
  return parallelism === 0 ? (order.length > 0 ? [order] : []) : chunks(order, parallelism);
}

/** Where a card is: [lane, index], or undefined. */
export function findCard(lanes: Lanes, key: string): [number, number] | undefined {
  for (let l = 0; l < lanes.length; l++) {
    const i = lanes[l]!.indexOf(key);
    if (i >= 0) return [l, i];
  }
  return undefined;
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.floor(n)));

/**
 * Moves a card to `toIndex` of `toLane` (as that lane is once the card has left it; clamped).
 * `toLane` = lanes.length makes a new lane at the end. Returns `lanes` when the move is not one.
 */
export function moveCard(lanes: Lanes, key: string, toLane: number, toIndex: number): Lanes {
  const at = findCard(lanes, key);
  if (!at || !Number.isInteger(toLane) || toLane < 0 || toLane > lanes.length) return lanes;
  const next = lanes.map((l) => l.slice());
  next[at[0]]!.splice(at[1], 1);
  if (toLane === next.length) next.push([]);
  const lane = next[toLane]!;
  const i = clamp(toIndex, 0, lane.length);
  if (toLane === at[0] && i === at[1]) return lanes;
  lane.splice(i, 0, key);
  return next;
}

/** Moves lane `from` to position `to` (clamped). */
export function moveLane(lanes: Lanes, from: number, to: number): Lanes {
  if (!Number.isInteger(from) || from < 0 || from >= lanes.length) return lanes;
  const i = clamp(to, 0, lanes.length - 1);
  if (i === from) return lanes;
  const next = lanes.slice();
  const [lane] = next.splice(from, 1);
  next.splice(i, 0, lane!);
  return next;
}

export const addLane = (lanes: Lanes): Lanes => [...lanes, []];

/** Removes lane `index` if it is empty; a lane with cards stays (returns `lanes`). */
export function removeLane(lanes: Lanes, index: number): Lanes {
  if (lanes[index]?.length !== 0) return lanes;
  return lanes.filter((_, i) => i !== index);
}

/** How many containers of each service the fleet runs (every host, not only the plan's scope). */
export function replicasInFleet(fleet: FleetView): Map<string, number> {
  const out = new Map<string, number>();
  for (const list of fleet.containers.values()) for (const c of list) if (c.service !== undefined) out.set(c.service, (out.get(c.service) ?? 0) + 1);
  return out;
}

/** A card is down while it updates unless it starts first (not forced stop-first by a static address). */
const goesDown = (card: PlanCard, params: Pick<PlanParams, 'order'>) => card.forcedStopFirst || params.order === 'stop-first';

/**
 * What the plan warns of before Run: a lane (batch mode) or a window's span (window mode: any
 * `parallelism` consecutive containers may be down together) that takes every replica of a
 * service down at once, counting its replicas in the fleet (a service of one replica is always
 * down while it updates, so it is not warned of); and each host that is not online. An empty lane
 * is fine: the request skips it.
 */
export function planWarnings(cards: ReadonlyMap<string, PlanCard>, lanes: Lanes, mode: PlanMode, params: Pick<PlanParams, 'parallelism' | 'order'>, fleet: FleetView): string[] {
  const warnings: string[] = [];
  const replicas = replicasInFleet(fleet);
  const allDown = (keys: readonly string[]): string[] => {
    const down = new Map<string, number>();
    for (const k of keys) {
      const c = cards.get(k);
      if (c?.service !== undefined && goesDown(c, params)) down.set(c.service, (down.get(c.service) ?? 0) + 1);
    }
    return [...down].filter(([s, n]) => n >= Math.max(replicas.get(s) ?? 0, 2)).map(([s]) => s).sort(natural);
  };
  if (mode === 'batches') {
    lanes.forEach((lane, i) => {
      for (const s of allDown(lane)) warnings.push(`Batch ${i + 1} takes every replica of ${s} down at once`);
    });
  } else {
    const order = lanes[0] ?? [];
    const size = params.parallelism === 0 ? order.length : params.parallelism;
    const seen = new Set<string>();
    for (let i = 0; i + size <= order.length && size > 0; i++) for (const s of allDown(order.slice(i, i + size))) seen.add(s);
    for (const s of [...seen].sort(natural)) warnings.push(`The window of ${size} takes every replica of ${s} down at once`);
  }
  const hosts = [...new Set([...cards.values()].filter((c) => !c.hostOnline).map((c) => c.host))].sort(natural);
  for (const h of hosts) {
    const state = fleet.hosts.get(h)?.state;
    warnings.push(state === undefined ? `${h} is not in the fleet` : `${h} is ${state === 'error' ? 'in error' : state}`);
  }
  return warnings;
}

/**
 * The rolloutStart request a plan becomes: its scope and action as opened, its parameters, and
 * batch mode's non-empty lanes as `lanes` (the window size does not apply to batches, so it is
 * not sent) or window mode's order as `sequence` with the window size as `parallelism`.
 */
export function startRequest(open: PlanOpen, mode: PlanMode, lanes: Lanes, params: PlanParams): RolloutRequest {
  const { parallelism, ...rest } = params;
  const order = mode === 'batches' ? { lanes: lanes.filter((l) => l.length > 0), params: rest } : { sequence: lanes[0] ?? [], params: { ...rest, parallelism } };
  return { ...previewRequest(open), ...order };
}

/** The preview request a plan is opened with: its scope and action, nothing else (the engine's defaults). */
export function previewRequest(open: PlanOpen): RolloutRequest {
  const scope = 'service' in open ? { service: open.service } : { containers: open.containers };
  switch (open.action) {
    case 'restart':
      return { action: 'restart', ...scope };
    case 'deploy':
      return { action: 'deploy', ...scope, image: open.image };
    case 'rollback':
      return { action: 'rollback', ...scope, ...(open.toRevision !== undefined ? { toRevision: open.toRevision } : {}) };
  }
}

/** A recorded plan's lanes as card keys: its batches, or (window) its one order. */
export function lanesOfPlan(plan: Pick<RolloutPlan, 'targets' | 'mode'>): { mode: PlanMode; lanes: Lanes } {
  const keys = plan.targets.map(cardKey);
  if (plan.mode.kind === 'window') return { mode: 'window', lanes: [keys] };
  return { mode: 'batches', lanes: plan.mode.lanes.map((lane) => lane.map((i) => keys[i]).filter((k): k is string => k !== undefined)) };
}

/** What a recorded plan was opened as: its action and scope (a service, or its targets). */
export function openOfPlan(plan: Pick<RolloutPlan, 'action' | 'service' | 'targets'>): PlanOpen {
  const scope: PlanScope = plan.service !== undefined ? { service: plan.service } : { containers: plan.targets.map(cardKey) };
  if (plan.action === 'deploy') return { ...scope, action: 'deploy', image: plan.targets[0]?.to.image ?? '' };
  return plan.action === 'restart' ? { ...scope, action: 'restart' } : { ...scope, action: 'rollback' };
}
