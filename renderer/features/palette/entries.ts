// What the palette offers: commands (switch view; act on the selected container or host) and
// "go to" entries for every container and host. Pure: the palette passes what is selected and
// the actions to run, so tests check what is offered without a DOM or stores.
import { ContainerAction, type Container, type Host } from '../../../shared/model';
import { KEYS, type Binding } from '../../components/keybindings';
import { canRun } from '../fleet/containerState';
import { ACTION_BINDINGS } from '../fleet/requestAction';
import { prepare, type Prepared } from './fuzzy';

export type EntryKind = 'view' | 'container action' | 'host action' | 'rollout' | 'filter' | 'alerts' | 'container' | 'host';

export type PaletteEntry = {
  id: string;
  kind: EntryKind;
  /** What is searched and drawn (matches highlighted). */
  title: string;
  /** Searched along with the title, drawn muted after it: a container's host, say. */
  detail?: string;
  /** Drawn muted, not searched: a container's state. */
  note?: string;
  /** The shortcut that does the same outside the palette. */
  binding?: Binding;
  /** Why it cannot run now; drawn instead of running. */
  unavailable?: string;
  target: Prepared;
  run(): void;
};

/** The views the palette can show, in tab order. */
export type ViewChoice<V extends string> = { view: V; label: string; binding?: Binding };

/** What the commands act on and how: the palette's host hands these in. */
export type CommandContext<V extends string> = {
  views: readonly ViewChoice<V>[];
  /** Not offered: it is showing. */
  currentView: V;
  /** The container selected in the grid. */
  container: Container | undefined;
  /** The host selected in the hosts panel, else the selected container's. */
  host: Host | undefined;
  /** The host record of the selected container. */
  containerHost: Host | undefined;
  /** An action already running on the selected container. */
  pending: ContainerAction | undefined;
  problemsOnly: boolean;
  /** Alerts nobody has acknowledged yet (Ack all is offered while there are some). */
  unackedAlerts?: number;
};

export type CommandActions<V extends string> = {
  showView(view: V): void;
  openShell(c: Container): void;
  shellAs(c: Container): void;
  openStats(c: Container): void;
  /** The container's logs, and every replica of its service merged (offered where the host gives them). */
  openLogs?(c: Container): void;
  openServiceLogs?(service: string): void;
  /** Through the action bar's path: stop and restart ask first. */
  act(c: Container, action: ContainerAction): void;
  hostShell(host: Host): void;
  focusFilter(): void;
  toggleProblemsOnly(): void;
  ackAllAlerts?(): void;
};

export type GoToActions = {
  goToContainer(c: Container): void;
  goToHost(host: Host): void;
};

function entry(e: Omit<PaletteEntry, 'target'>): PaletteEntry {
  return { ...e, target: prepare(e.detail ? `${e.title} ${e.detail}` : e.title) };
}

const VERB: Record<ContainerAction, string> = { start: 'Start', stop: 'Stop', restart: 'Restart' };

function whyNot(action: ContainerAction, c: Container, host: Host | undefined, pending: ContainerAction | undefined): string | undefined {
  if (pending) return `${pending} running`;
  if (host && host.state !== 'online') return `host ${host.state}`;
  return canRun(action, c, host) ? undefined : `container ${c.state}`;
}

function hostDown(host: Host | undefined): string | undefined {
  return host && host.state !== 'online' ? `host ${host.state}` : undefined;
}

/** Commands, in the order they are listed before anything is typed. */
export function buildCommands<V extends string>(ctx: CommandContext<V>, act: CommandActions<V>): PaletteEntry[] {
  const out: PaletteEntry[] = [];
  for (const v of ctx.views) {
    if (v.view === ctx.currentView) continue;
    out.push(entry({ id: `view:${v.view}`, kind: 'view', title: `Show ${v.label}`, binding: v.binding, run: () => act.showView(v.view) }));
  }
  const c = ctx.container;
  if (c) {
    const on = `on ${c.host}`;
    const down = hostDown(ctx.containerHost);
    out.push(
      entry({ id: 'shell', kind: 'container action', title: `Open a shell in ${c.name}`, detail: on, binding: KEYS.shell, unavailable: down, run: () => act.openShell(c) }),
      entry({ id: 'shell-as', kind: 'container action', title: `Shell as… in ${c.name}`, detail: on, binding: KEYS.shellAs, unavailable: down, run: () => act.shellAs(c) }),
      entry({ id: 'stats', kind: 'container action', title: `Open stats of ${c.name}`, detail: on, binding: KEYS.stats, run: () => act.openStats(c) }),
    );
    const { openLogs, openServiceLogs } = act;
    if (openLogs) out.push(entry({ id: 'logs', kind: 'container action', title: `Show logs of ${c.name}`, detail: on, binding: KEYS.logs, run: () => openLogs(c) }));
    const service = c.service;
    if (service && openServiceLogs) out.push(entry({ id: 'service-logs', kind: 'container action', title: `Show logs of service ${service}`, detail: 'every replica merged', run: () => openServiceLogs(service) }));
    for (const a of ContainerAction.options) {
      out.push(entry({
        id: a,
        kind: 'container action',
        title: `${VERB[a]} ${c.name}`,
        detail: on,
        binding: ACTION_BINDINGS[a],
        unavailable: whyNot(a, c, ctx.containerHost, ctx.pending),
        run: () => act.act(c, a),
      }));
    }
  }
  const h = ctx.host;
  if (h) {
    out.push(entry({ id: 'host-shell', kind: 'host action', title: `Open an SSH shell on ${h.name}`, binding: KEYS.shell, unavailable: hostDown(h), run: () => act.hostShell(h) }));
  }
  out.push(
    entry({ id: 'filter', kind: 'filter', title: 'Filter containers', binding: KEYS.filter, run: act.focusFilter }),
    entry({ id: 'problems', kind: 'filter', title: ctx.problemsOnly ? 'Show all containers (problems only is on)' : 'Show problems only', run: act.toggleProblemsOnly }),
  );
  if (act.ackAllAlerts && (ctx.unackedAlerts ?? 0) > 0) {
    out.push(entry({ id: 'ack-all-alerts', kind: 'alerts', title: 'Ack all alerts', detail: `${ctx.unackedAlerts} unacknowledged`, binding: KEYS.ackAll, run: act.ackAllAlerts }));
  }
  return out;
}

/** What "go to" searches: the hosts and containers themselves, made into entries only when shown. */
export type GoToTarget = Host | Container;

const isContainer = (t: GoToTarget): t is Container => 'id' in t;
export const isEntry = (x: PaletteEntry | GoToTarget): x is PaletteEntry => 'run' in x;

/** Every host, then every container (a host wins a tie with its containers). */
export function goToTargets(hosts: Iterable<Host>, containers: Iterable<readonly Container[]>): GoToTarget[] {
  const out: GoToTarget[] = [...hosts];
  for (const list of containers) for (const c of list) out.push(c);
  return out;
}

// Prepared once per object: the fleet store replaces only the containers of hosts that changed.
// Making an entry object per container instead cost 30-90 ms at 10,000 (Node, measured).
const prepared = new WeakMap<GoToTarget, Prepared>();

/** A container is found by its name and its host ("ledger h2"), a host by its name. */
export function goToText(t: GoToTarget): Prepared {
  let p = prepared.get(t);
  if (!p) {
    p = prepare(isContainer(t) ? `${t.name} ${t.host}` : t.name);
    prepared.set(t, p);
  }
  return p;
}

export function goToEntry(t: GoToTarget, act: GoToActions): PaletteEntry {
  if (isContainer(t)) {
    return { id: `container:${t.host}/${t.id}`, kind: 'container', title: t.name, detail: t.host, note: t.state, target: goToText(t), run: () => act.goToContainer(t) };
  }
  return { id: `host:${t.name}`, kind: 'host', title: t.name, note: `${t.state} · ${t.address}`, target: goToText(t), run: () => act.goToHost(t) };
}
