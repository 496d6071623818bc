// The palette's alert commands: "Show Alerts" (a view like the others) and "Ack all alerts".
import { describe, expect, it } from 'vitest';
import { buildCommands, type CommandActions, type CommandContext } from '../palette/entries';

type View = 'containers' | 'alerts';

describe('the palette\'s alert commands', () => {
  const ran: string[] = [];
  const act: CommandActions<View> = {
    showView: (v) => ran.push(`view ${v}`),
    openShell: () => {}, shellAs: () => {}, openStats: () => {}, act: () => {}, hostShell: () => {}, focusFilter: () => {}, toggleProblemsOnly: () => {},
    ackAllAlerts: () => ran.push('ack all'),
  };
  const ctx = (unackedAlerts: number): CommandContext<View> => ({
    views: [{ view: 'containers', label: 'Containers' }, { view: 'alerts', label: 'Alerts' }],
    currentView: 'containers', container: undefined, host: undefined, containerHost: undefined, pending: undefined, problemsOnly: false, unackedAlerts,
  });

  it('offers Show Alerts, and Ack all alerts only while some are unacknowledged', () => {
    const none = buildCommands(ctx(0), act);
    expect(none.map((e) => e.title)).toContain('Show Alerts');
    expect(none.some((e) => e.id === 'ack-all-alerts')).toBe(false);
    const some = buildCommands(ctx(3), act);
    const ack = some.find((e) => e.id === 'ack-all-alerts')!;
    expect(ack).toMatchObject({ title: 'Ack all alerts', detail: '3 unacknowledged' });
    ack.run();
    some.find((e) => e.title === 'Show Alerts')!.run();
    expect(ran).toEqual(['ack all', 'view alerts']);
  });
});
