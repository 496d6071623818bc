import { describe, expect, it } from 'vitest';
import { MemoryFiles } from '../audit/fixtures/memoryFiles';
import { FakeClock } from '../clock/fakeClock';
import { LAST_SEEN_WRITE_MS, MAC_CHANGE_WINDOW_MS, MACS_PER_IP, MacHistory, type ObservedEndpoint } from './macHistory';

const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const FILE = '/data/ipmap/macs.json';
const SEG = '198.18.4.0/24';
const ep = (ip: string, mac: string | undefined, state = 'running', segment = SEG): ObservedEndpoint => ({ segment, ip, ...(mac ? { mac } : {}), state });

function setup(files = new MemoryFiles(), clock = new FakeClock(T0)) {
  return { files, clock, history: new MacHistory({ dataDir: '/data', files, clock }) };
}

describe('MacHistory', () => {
  it('records the first MAC behind an IP with no change, then a new one as a change', async () => {
    const { history, clock } = setup();
    expect(history.observe([ep('198.18.4.242', '02:FD:00:04:00:F2')])).toEqual([]);
    expect(history.changeOf(SEG, '198.18.4.242')).toBeUndefined();
    await clock.advance(5_000);
    expect(history.observe([ep('198.18.4.242', '02-fd-00-04-00-f3')])).toEqual(['198.18.4.242']);
    expect(history.changeOf(SEG, '198.18.4.242')).toEqual({ previous: '02:fd:00:04:00:f2', current: '02:fd:00:04:00:f3', at: new Date(T0 + 5_000).toISOString() });
    expect(history.seen(SEG, '198.18.4.242').map((s) => s.mac)).toEqual(['02:fd:00:04:00:f2', '02:fd:00:04:00:f3']);
  });

  it('keeps first and last seen; the same MAC again is no change, in another form too', async () => {
    const { history, clock } = setup();
    history.observe([ep('198.18.4.242', '02:fd:00:04:00:f2')]);
    await clock.advance(30_000);
    expect(history.observe([ep('198.18.4.242', '02fd.0004.00f2')])).toEqual([]);
    expect(history.seen(SEG, '198.18.4.242')).toEqual([{ mac: '02:fd:00:04:00:f2', firstSeen: new Date(T0).toISOString(), lastSeen: new Date(T0 + 30_000).toISOString() }]);
  });

  it('survives a restart through ipmap/macs.json: a change while closed is caught', async () => {
    const { history, files, clock } = setup();
    history.observe([ep('198.18.4.242', '02:fd:00:04:00:f2')]);
    expect(JSON.parse(files.text(FILE)).ips[`${SEG} 198.18.4.242`]).toHaveLength(1);
    expect(files.modes.get(FILE)).toBe(0o600);
    expect(files.exists(`${FILE}.${process.pid}.tmp`)).toBe(false);
    const again = new MacHistory({ dataDir: '/data', files, clock });
    expect(again.observe([ep('198.18.4.242', '02:fd:00:04:00:aa')])).toEqual(['198.18.4.242']);
  });

  it('keeps the last 8 MACs per IP, a returning MAC moved to the end', async () => {
    const { history, clock } = setup();
    for (let i = 0; i < MACS_PER_IP + 3; i++) {
      await clock.advance(1_000);
      history.observe([ep('198.18.4.243', `02:fd:00:00:00:${i.toString(16).padStart(2, '0')}`)]);
    }
    const macs = history.seen(SEG, '198.18.4.243').map((s) => s.mac);
    expect(macs).toHaveLength(MACS_PER_IP);
    expect(macs[0]).toBe('02:fd:00:00:00:03');
    history.observe([ep('198.18.4.243', '02:fd:00:00:00:05')]);
    expect(history.seen(SEG, '198.18.4.243').map((s) => s.mac).at(-1)).toBe('02:fd:00:00:00:05');
    expect(history.seen(SEG, '198.18.4.243')).toHaveLength(MACS_PER_IP);
  });

  it('ignores stopped endpoints, endpoints without a MAC, and an IP two live endpoints share', () => {
    const { history } = setup();
    history.observe([ep('198.18.4.244', '02:fd:00:04:00:f4')]);
    expect(history.observe([ep('198.18.4.244', '02:fd:00:04:00:99', 'exited')])).toEqual([]);
    expect(history.observe([ep('198.18.4.244', undefined)])).toEqual([]);
    expect(history.observe([ep('198.18.4.244', '02:fd:00:04:00:f4'), ep('198.18.4.244', '02:fd:00:04:00:98')])).toEqual([]);
    expect(history.seen(SEG, '198.18.4.244').map((s) => s.mac)).toEqual(['02:fd:00:04:00:f4']);
  });

  it('keeps IPs of different segments apart', () => {
    const { history } = setup();
    history.observe([ep('10.0.0.5', '02:00:00:00:00:01', 'running', 'a'), ep('10.0.0.5', '02:00:00:00:00:02', 'running', 'b')]);
    expect(history.changeOf('a', '10.0.0.5')).toBeUndefined();
    expect(history.changeOf('b', '10.0.0.5')).toBeUndefined();
  });

  it('reports a change for the ARP window only', async () => {
    const { history, clock } = setup();
    history.observe([ep('198.18.4.245', '02:fd:00:04:00:f5')]);
    history.observe([ep('198.18.4.245', '02:fd:00:04:00:f6')]);
    await clock.advance(MAC_CHANGE_WINDOW_MS);
    expect(history.changeOf(SEG, '198.18.4.245')?.current).toBe('02:fd:00:04:00:f6');
    await clock.advance(1);
    expect(history.changeOf(SEG, '198.18.4.245')).toBeUndefined();
  });

  it('rewrites the file for lastSeen alone at most once a minute', async () => {
    const { history, files, clock } = setup();
    history.observe([ep('198.18.4.242', '02:fd:00:04:00:f2')]);
    const written = files.text(FILE);
    await clock.advance(LAST_SEEN_WRITE_MS - 1);
    history.observe([ep('198.18.4.242', '02:fd:00:04:00:f2')]);
    expect(files.text(FILE)).toBe(written);
    await clock.advance(1);
    history.observe([ep('198.18.4.242', '02:fd:00:04:00:f2')]);
    expect(JSON.parse(files.text(FILE)).ips[`${SEG} 198.18.4.242`][0].lastSeen).toBe(new Date(T0 + LAST_SEEN_WRITE_MS).toISOString());
  });

  it('starts a new history over a damaged file, and says so', () => {
    const files = new MemoryFiles();
    files.ensureDir('/data/ipmap', 0o700);
    files.append(FILE, '{not json', 0o600);
    const warnings: string[] = [];
    const history = new MacHistory({ dataDir: '/data', files, clock: new FakeClock(T0), warn: (m) => warnings.push(m) });
    expect(warnings[0]).toContain('cannot be read');
    expect(history.observe([ep('198.18.4.242', '02:fd:00:04:00:f2')])).toEqual([]);
    expect(JSON.parse(files.text(FILE)).version).toBe(1);
  });
});
