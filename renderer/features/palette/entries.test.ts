import { describe, expect, it } from 'vitest';
import type { Container, ContainerAction, Host } from '../../../shared/model';
import { KEYS } from '../../components/keybindings';
import { buildCommands, goToEntry, goToTargets, goToText, type CommandActions, type CommandContext, type GoToActions, type PaletteEntry } from './entries';
import { rankFuzzy } from './fuzzy';

const host = (name: string, state: Host['state'] = 'online'): Host => ({ name, address: `tcp://${name}:2376`, transport: 'tls', labels: {}, state, since: 0 });
const container = (name: string, over: Partial<Container> = {}): Container => ({
  host: 'h1', id: `${name}-id`, name, image: 'app:1', state: 'running', status: 'Up', ips: [], createdAt: 0, ...over,
});

type View = 'containers' | 'top';

/** Actions that record what ran. */
function recorder() {
  const ran: string[] = [];
  const act: CommandActions<View> & GoToActions = {
    showView: (v) => ran.push(`view ${v}`),
    openShell: (c) => ran.push(`shell ${c.name}`),
    shellAs: (c) => ran.push(`shell-as ${c.name}`),
    openStats: (c) => ran.push(`stats ${c.name}`),
    openLogs: (c) => ran.push(`logs ${c.name}`),
    openServiceLogs: (service) => ran.push(`service logs ${service}`),
    act: (c, a: ContainerAction) => ran.push(`${a} ${c.name}`),
    hostShell: (h) => ran.push(`ssh ${h.name}`),
    focusFilter: () => ran.push('filter'),
    toggleProblemsOnly: () => ran.push('problems'),
    goToContainer: (c) => ran.push(`go ${c.host}/${c.name}`),
    goToHost: (h) => ran.push(`go host ${h.name}`),
  };
  return { ran, act };
}

function context(over: Partial<CommandContext<View>> = {}): CommandContext<View> {
  return {
    views: [{ view: 'containers', label: 'Containers' }, { view: 'top', label: 'Top', binding: KEYS.top }],
    currentView: 'containers',
    container: undefined,
    host: undefined,
    containerHost: undefined,
    pending: undefined,
    problemsOnly: false,
    ...over,
  };
}

const titles = (entries: PaletteEntry[]) => entries.map((e) => e.title);
const byId = (entries: PaletteEntry[], id: string) => entries.find((e) => e.id === id)!;

describe('buildCommands', () => {
  it('offers the views not shown, with their keys, and nothing for a container when none is selected', () => {
    const { act } = recorder();
    const list = buildCommands(context(), act);
    expect(titles(list)).toEqual(['Show Top', 'Filter containers', 'Show problems only']);
    expect(byId(list, 'view:top').binding).toBe(KEYS.top);
    expect(titles(buildCommands(context({ currentView: 'top' }), act))[0]).toBe('Show Containers');
  });

  it('offers the selected container its shell, stats and actions, each with the key that does it in the grid', () => {
    const { act, ran } = recorder();
    const c = container('payments-ledger-1');
    const list = buildCommands(context({ container: c, containerHost: host('h1'), host: host('h1') }), act);
    expect(titles(list)).toEqual([
      'Show Top',
      'Open a shell in payments-ledger-1', 'Shell as… in payments-ledger-1', 'Open stats of payments-ledger-1', 'Show logs of payments-ledger-1',
      'Start payments-ledger-1', 'Stop payments-ledger-1', 'Restart payments-ledger-1',
      'Open an SSH shell on h1',
      'Filter containers', 'Show problems only',
    ]);
    expect(byId(list, 'stop').binding).toBe(KEYS.stop);
    expect(byId(list, 'shell-as').binding).toBe(KEYS.shellAs);
    expect(byId(list, 'logs').binding).toBe(KEYS.logs);
    // A running container cannot be started; it can be stopped.
    expect(byId(list, 'start').unavailable).toBe('container running');
    expect(byId(list, 'stop').unavailable).toBeUndefined();
    byId(list, 'stop').run();
    byId(list, 'host-shell').run();
    expect(ran).toEqual(['stop payments-ledger-1', 'ssh h1']);
  });

  it('offers the logs of the selected container\'s service, every replica merged', () => {
    const { act, ran } = recorder();
    const list = buildCommands(context({ container: container('payments-ledger-1', { service: 'ledger' }), containerHost: host('h1') }), act);
    byId(list, 'service-logs').run();
    byId(list, 'logs').run();
    expect(byId(list, 'service-logs').title).toBe('Show logs of service ledger');
    expect(ran).toEqual(['service logs ledger', 'logs payments-ledger-1']);
  });

  it('says why an action cannot run: host down, or an action already running', () => {
    const { act } = recorder();
    const c = container('api-1', { state: 'exited' });
    const down = buildCommands(context({ container: c, containerHost: host('h1', 'offline'), host: host('h1', 'offline') }), act);
    expect(byId(down, 'start').unavailable).toBe('host offline');
    expect(byId(down, 'shell').unavailable).toBe('host offline');
    expect(byId(down, 'host-shell').unavailable).toBe('host offline');
    const busy = buildCommands(context({ container: c, containerHost: host('h1'), pending: 'start' }), act);
    expect(byId(busy, 'start').unavailable).toBe('start running');
  });

  it('words the problems toggle by its state', () => {
    const { act } = recorder();
    expect(titles(buildCommands(context({ problemsOnly: true }), act))).toContain('Show all containers (problems only is on)');
  });
});

describe('go to', () => {
  it('lists every host, then every container; Enter goes to it', () => {
    const { act, ran } = recorder();
    const targets = goToTargets([host('h1'), host('h2')], [[container('a-1')], [container('b-1', { host: 'h2' })]]);
    const list = targets.map((t) => goToEntry(t, act));
    expect(list.map((e) => `${e.kind} ${e.title}`)).toEqual(['host h1', 'host h2', 'container a-1', 'container b-1']);
    list[3]!.run();
    list[0]!.run();
    expect(ran).toEqual(['go h2/b-1', 'go host h1']);
  });

  it('finds a container by part of its name, or with its host', () => {
    const targets = goToTargets([host('h1'), host('h2')], [[container('payments-ledger-1'), container('payments-ledger-2')], [container('payments-ledger-1', { host: 'h2', id: 'x' })]]);
    const hits = (q: string) => rankFuzzy(q, targets, goToText, 10).map((r) => goToText(r.item).text);
    expect(hits('ledger-2')[0]).toBe('payments-ledger-2 h1');
    expect(hits('ledger-1 h2')[0]).toBe('payments-ledger-1 h2');
    expect(hits('h2')[0]).toBe('h2');
  });

  it('prepares each container once, and a replaced one anew', () => {
    const c = container('a-1');
    expect(goToText(c)).toBe(goToText(c));
    expect(goToText({ ...c, name: 'a-2' }).text).toBe('a-2 h1');
  });
});
