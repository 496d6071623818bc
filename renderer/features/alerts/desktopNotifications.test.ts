import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../shared/alerts';
import { createNotificationsStore, MAX_NOTIFICATIONS_AT_ONCE, type NotificationHost, type NotifyPermission } from './desktopNotifications';

const alert = (id: string, patch: Partial<Alert> = {}): Alert => ({
  id, time: '2026-12-02T02:00:00.000Z', kind: 'die', host: 'h1', container: `web-${id}`, exitCode: 137, message: `web-${id} exited with code 137`, ...patch,
});

function setup(start: NotifyPermission, answer: NotificationPermission = 'granted') {
  let permission = start;
  const asked: number[] = [];
  const shown: { title: string; body: string; tag: string; click(): void }[] = [];
  const host: NotificationHost = {
    permission: () => permission,
    requestPermission: async () => {
      asked.push(1);
      permission = answer;
      return answer;
    },
    show: (title, { body, tag }, onClick) => shown.push({ title, body, tag, click: onClick }),
  };
  const revealed: string[] = [];
  let all = 0;
  const store = createNotificationsStore(host, { reveal: (a) => revealed.push(a.id), showAll: () => all++ });
  return { store, asked, shown, revealed, allShown: () => all, revoke: () => { permission = 'denied'; } };
}

describe('desktop notifications', () => {
  it('never asks by itself: nothing shows until the user turns them on, which asks once', async () => {
    const { store, asked, shown } = setup('default');
    expect(store.getState()).toMatchObject({ permission: 'default', enabled: false });
    store.getState().notify([alert('1')]);
    expect(shown).toEqual([]);
    expect(asked).toEqual([]);

    await store.getState().enable();
    expect(asked).toHaveLength(1);
    expect(store.getState()).toMatchObject({ permission: 'granted', enabled: true });
    store.getState().notify([alert('2')]);
    expect(shown.map((n) => [n.title, n.body, n.tag])).toEqual([['web-2 on h1: died', 'web-2 exited with code 137', '2']]);
  });

  it('shows one per alert when already granted, and a click reveals that alert', () => {
    const { store, shown, revealed } = setup('granted');
    store.getState().notify([alert('1'), alert('2', { kind: 'host-offline', container: undefined, message: 'h1 is offline' })]);
    expect(shown.map((n) => n.title)).toEqual(['web-1 on h1: died', 'h1: host offline']);
    shown[1]!.click();
    expect(revealed).toEqual(['2']);
  });

  it('sums up a burst: the newest few and one for the rest, which opens the Alerts view', () => {
    const { store, shown, allShown } = setup('granted');
    const burst = Array.from({ length: 12 }, (_, i) => alert(String(i)));
    store.getState().notify(burst);
    expect(shown).toHaveLength(MAX_NOTIFICATIONS_AT_ONCE);
    expect(shown[0]!.title).toBe(`${12 - (MAX_NOTIFICATIONS_AT_ONCE - 1)} more alerts`);
    expect(shown.at(-1)!.tag).toBe('11');
    shown[0]!.click();
    expect(allShown()).toBe(1);
  });

  it('stays off when the user refuses, turned off, or the permission is taken back', async () => {
    const refused = setup('default', 'denied');
    await refused.store.getState().enable();
    refused.store.getState().notify([alert('1')]);
    expect(refused.store.getState()).toMatchObject({ permission: 'denied', enabled: false });
    expect(refused.shown).toEqual([]);

    const off = setup('granted');
    off.store.getState().disable();
    off.store.getState().notify([alert('1')]);
    expect(off.shown).toEqual([]);
    await off.store.getState().enable();
    expect(off.asked).toEqual([]);
    off.revoke();
    off.store.getState().notify([alert('2')]);
    expect(off.shown).toEqual([]);
    expect(off.store.getState()).toMatchObject({ permission: 'denied', enabled: false });
  });
});
