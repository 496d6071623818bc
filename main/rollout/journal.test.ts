import { execFile, spawn } from 'node:child_process';
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { RolloutJournal } from './journal';
import { currentProcess } from './lock';
import type { RecordedRevision, RolloutPlan } from './types';
import { tempDirs } from '../files/fixtures/tempDirs';

const alice = { user: 'alice', source: 'console' } as const;
const fixture = path.join(import.meta.dirname, 'fixtures', 'journalChild.ts');
const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const newDataDir = tempDirs('fleetdeck-journal-');

/** Another process's view: its process table gives this pid another start time, so ours reads as gone. */
const elsewhere = { startTime: (pid: number) => (pid === process.pid ? 'another-process' : undefined) };

function setup() {
  const dataDir = newDataDir();
  const warnings: string[] = [];
  let now = T0;
  const clock = { now: () => now, advance: (ms: number) => void (now += ms) };
  const log = (m: string) => warnings.push(m);
  return { dataDir, warnings, clock, journal: new RolloutJournal({ dataDir, clock, log }), other: new RolloutJournal({ dataDir, clock, log, processes: elsewhere }) };
}

function plan(id: string): RolloutPlan {
  const target = (host: string, name: string) => ({ host, name, id: `${name}-id`, service: 'web', from: { image: 'app:1.0', digest: 'sha256:aaa' }, to: { image: 'app:1.1', digest: 'sha256:bbb' }, forcedStopFirst: false });
  return {
    id,
    action: 'deploy',
    service: 'web',
    targets: [target('h1', 'web-1'), target('h2', 'web-2')],
    mode: { kind: 'window' },
    params: { parallelism: 1, delayMs: 0, monitorMs: 5000, failureAction: 'pause', maxFailureRatio: 0, order: 'stop-first' },
    isRollback: false,
  };
}

const revision: RecordedRevision = {
  container: 'h1/web-1',
  image: 'app:1.0',
  digest: 'sha256:aaa',
  configDigest: 'sha256:c0',
  createConfig: { Image: 'app:1.0', Env: ['A=1'], HostConfig: { Binds: ['/srv:/srv'], RestartPolicy: { Name: 'always' } } },
};

describe('rollout journal', () => {
  it('round-trips a rollout: header, steps, revisions and end, in 0600 files in a 0700 directory', () => {
    const { journal, clock, warnings } = setup();
    const p = plan('r1');
    const w = journal.begin(p, alice);
    w.revision(revision);
    w.step(p.targets[0]!, 'pulling');
    clock.advance(1000);
    w.step(p.targets[0]!, 'stopping', { fromConfigDigest: 'sha256:c0', toConfigDigest: 'sha256:c1' });
    w.step(p.targets[0]!, 'done');
    w.step(p.targets[1]!, 'failed', { error: 'exited with code 1' });
    clock.advance(1000);
    w.end('failed', 'h2/web-2 failed');
    expect(() => w.step(p.targets[1]!, 'done')).toThrow(/ended/);

    const record = journal.read('r1')!;
    expect(record.plan).toEqual(p);
    expect(record).toMatchObject({ id: 'r1', action: 'deploy', service: 'web', startedBy: alice, startedAt: '2026-03-01T10:00:00.000Z', endedAt: '2026-03-01T10:00:02.000Z', state: 'failed', error: 'h2/web-2 failed', process: currentProcess() });
    expect(record.revisions).toEqual([revision]);
    expect(record.steps.map((s) => `${s.container} ${s.step}`)).toEqual(['h1/web-1 pulling', 'h1/web-1 stopping', 'h1/web-1 done', 'h2/web-2 failed']);
    expect(record.steps[1]!.detail).toEqual({ fromConfigDigest: 'sha256:c0', toConfigDigest: 'sha256:c1' });
    expect(record.containers).toEqual([
      { time: '2026-03-01T10:00:01.000Z', container: 'h1/web-1', step: 'done' },
      { time: '2026-03-01T10:00:01.000Z', container: 'h2/web-2', step: 'failed', detail: { error: 'exited with code 1' } },
    ]);
    expect(warnings).toEqual([]);
    expect(statSync(journal.dir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(journal.dir, 'r1.jsonl')).mode & 0o777).toBe(0o600);
  });

  it('writes each line to disk as its call returns, before the step is carried out', () => {
    const { journal } = setup();
    const p = plan('r1');
    const w = journal.begin(p, alice);
    const file = path.join(journal.dir, 'r1.jsonl');
    const lines = () => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; step?: string });
    expect(lines().map((l) => l.kind)).toEqual(['start']);
    w.step(p.targets[0]!, 'stopping');
    expect(lines().at(-1)).toMatchObject({ kind: 'step', container: 'h1/web-1', step: 'stopping' });
  });

  it('refuses a rollout id already on record, and an id that is not a safe file name', () => {
    const { journal } = setup();
    journal.begin(plan('r1'), alice);
    expect(() => journal.begin(plan('r1'), alice)).toThrow(/already on record/);
    expect(() => journal.begin(plan('../r2'), alice)).toThrow(/not a rollout id/);
  });

  it('lists rollouts newest first with their state, pause and resume, and each container\'s last step', () => {
    const { journal, clock } = setup();
    const w1 = journal.begin(plan('r1'), alice);
    w1.step(plan('r1').targets[0]!, 'done');
    w1.end('completed');
    clock.advance(60_000);
    const w2 = journal.begin(plan('r2'), { user: 'bob', source: 'cli' });
    w2.paused();
    clock.advance(60_000);
    const w3 = journal.begin(plan('r3'), alice);
    w3.paused();
    w3.resumed();
    const list = journal.list();
    expect(list.map((r) => [r.id, r.state])).toEqual([
      ['r3', 'running'],
      ['r2', 'paused'],
      ['r1', 'completed'],
    ]);
    expect(list[2]!.containers.map((c) => c.step)).toEqual(['done', 'queued']);
    expect(list[0]).not.toHaveProperty('plan');
  });

  const crash = (dataDir: string, p: RolloutPlan, torn: boolean) => promisify(execFile)(process.execPath, ['--import', 'tsx', fixture, dataDir, JSON.stringify(p), ...(torn ? ['torn'] : [])]);

  it('shows a rollout without an end line whose process is gone as interrupted', async () => {
    const { dataDir, journal, warnings } = setup();
    await crash(dataDir, plan('r1'), false);
    const [record] = journal.list();
    expect(record).toMatchObject({ id: 'r1', state: 'interrupted', startedBy: { user: 'carol', source: 'cli' } });
    expect(record!.containers.map((c) => c.step)).toEqual(['pulling', 'queued']);
    expect(warnings).toEqual([]);
  }, 20_000);

  it('skips a torn last line of a dead rollout with a warning, and keeps the lines before it', async () => {
    const { dataDir, journal, warnings } = setup();
    await crash(dataDir, plan('r1'), true);
    const record = journal.read('r1')!;
    expect(record.state).toBe('interrupted');
    expect(record.steps.map((s) => s.step)).toEqual(['pulling']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/r1\.jsonl.*torn/);
  }, 20_000);

  it('resumes an interrupted rollout in this process, on a fresh line after the torn one; refuses others', async () => {
    const { dataDir, journal, warnings } = setup();
    const p = plan('r1');
    await crash(dataDir, p, true);
    const { writer, record } = journal.resume('r1', alice);
    expect(record).toMatchObject({ state: 'running', process: currentProcess() });
    expect(() => journal.resume('r1', alice)).toThrow(/running, not interrupted/);
    writer.step(p.targets[0]!, 'done');
    let read = journal.read('r1')!;
    expect(read).toMatchObject({ state: 'running', process: currentProcess() });
    expect(read.steps.map((s) => `${s.container} ${s.step}`)).toEqual(['h1/web-1 pulling', 'h1/web-1 done']);
    writer.end('completed');
    read = journal.read('r1')!;
    expect(read.state).toBe('completed');
    expect(() => journal.resume('r1', alice)).toThrow(/completed, not interrupted/);
    expect(() => journal.resume('r9', alice)).toThrow(/not on record/);
    expect(warnings.every((w) => w.includes('r1.jsonl'))).toBe(true);
  }, 20_000);

  it('leaves, without a warning, an unfinished last line of a running rollout (it is being written)', () => {
    const { journal, warnings } = setup();
    const p = plan('r1');
    journal.begin(p, alice).step(p.targets[0]!, 'pulling');
    appendFileSync(path.join(journal.dir, 'r1.jsonl'), '{"kind":"step","ti');
    const record = journal.read('r1')!;
    expect(record.state).toBe('running');
    expect(record.steps).toHaveLength(1);
    expect(warnings).toEqual([]);
  });

  it('skips, with a warning, a file whose header is unreadable, and lists nothing where there is no journal yet', () => {
    const { journal, warnings } = setup();
    expect(journal.list()).toEqual([]);
    journal.begin(plan('r1'), alice).end('completed');
    appendFileSync(path.join(journal.dir, 'r2.jsonl'), 'garbage\n');
    expect(journal.list().map((r) => r.id)).toEqual(['r1']);
    expect(warnings.join('\n')).toContain('r2.jsonl');
  });
});

describe('rollout journal, paused and control requests', () => {
  it('a paused rollout whose process is gone reads paused (with why), not interrupted; a running one reads interrupted', () => {
    const { journal, other, clock } = setup();
    const p = plan('r1');
    const w = journal.begin(p, alice);
    w.step(p.targets[0]!, 'done');
    w.paused('host h2 is offline: connect ECONNREFUSED');
    clock.advance(1000);
    journal.begin(plan('r2'), alice).step(p.targets[0]!, 'stopping');
    expect(journal.read('r1')).toMatchObject({ state: 'paused', reason: 'host h2 is offline: connect ECONNREFUSED', processAlive: true });
    expect(other.list().map((r) => [r.id, r.state, r.processAlive])).toEqual([
      ['r2', 'interrupted', false],
      ['r1', 'paused', false],
    ]);
    expect(other.read('r1')!.reason).toBe('host h2 is offline: connect ECONNREFUSED');
    expect(other.read('r2')).not.toHaveProperty('reason');
  });

  it('resume carries on a paused rollout whose process is gone, or that this very process ended paused', () => {
    const { journal, other } = setup();
    const p = plan('r1');
    journal.begin(p, alice).paused('paused by the operator');
    const { writer, record } = other.resume('r1', alice);
    expect(record).toMatchObject({ state: 'running', processAlive: true });
    expect(record).not.toHaveProperty('reason');
    writer.step(p.targets[0]!, 'pulling');
    expect(other.read('r1')).toMatchObject({ state: 'running' });
    expect(other.read('r1')).not.toHaveProperty('reason');
    expect(() => other.resume('r1', alice)).toThrow(/r1 is running, not interrupted/);

    journal.begin(plan('r2'), alice).paused();
    expect(journal.resume('r2', alice).record.state).toBe('running');
  });

  it('refuses to resume a paused rollout whose process still runs', async () => {
    const { dataDir, journal } = setup();
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir, JSON.stringify(plan('r1')), 'hold'], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve) => child.stdout.setEncoding('utf8').on('data', (text: string) => text.includes('ready') && resolve()));
      expect(journal.read('r1')).toMatchObject({ state: 'paused', processAlive: true, reason: 'paused by the operator' });
      expect(() => journal.resume('r1', alice)).toThrow(/r1 is paused in a process that still runs, not interrupted/);
    } finally {
      child.stdin.end();
      await new Promise((resolve) => child.once('exit', resolve));
    }
    expect(journal.read('r1')).toMatchObject({ state: 'paused', processAlive: false });
  }, 20_000);

  it('a control request is a line the running process reads from its own part of the file on', () => {
    const { journal, other } = setup();
    const p = plan('r1');
    const w = journal.begin(p, alice);
    expect(w.since).toBe(0);
    other.request('r1', 'pause', { user: 'bob', source: 'cli' });
    w.step(p.targets[0]!, 'pulling');
    const first = journal.controlsSince('r1', w.since);
    expect(first.requests).toEqual([{ kind: 'control', time: '2026-03-01T10:00:00.000Z', op: 'pause', by: { user: 'bob', source: 'cli' } }]);
    expect(journal.controlsSince('r1', first.offset)).toEqual({ requests: [], offset: first.offset });
    other.request('r1', 'abort', alice);
    expect(journal.controlsSince('r1', first.offset).requests.map((r) => r.op)).toEqual(['abort']);
    // Control lines change no state by themselves: the runner applies them.
    expect(journal.read('r1')!.state).toBe('running');
    expect(() => other.request('r9', 'pause', alice)).toThrow(/not on record/);
  });

  it('a line still being written is left for the next read', () => {
    const { journal } = setup();
    journal.begin(plan('r1'), alice);
    const file = path.join(journal.dir, 'r1.jsonl');
    const line = JSON.stringify({ kind: 'control', time: '2026-03-01T10:00:00.000Z', op: 'rollback', by: alice });
    appendFileSync(file, line.slice(0, 20));
    const half = journal.controlsSince('r1', 0);
    expect(half.requests).toEqual([]);
    appendFileSync(file, `${line.slice(20)}\n`);
    expect(journal.controlsSince('r1', half.offset).requests.map((r) => r.op)).toEqual(['rollback']);
  });

  it('the writer of a resumed rollout follows from where its own part starts, not the dead one’s requests', () => {
    const { journal, other } = setup();
    const p = plan('r1');
    journal.begin(p, alice).paused();
    journal.request('r1', 'pause', alice);
    const size = statSync(path.join(journal.dir, 'r1.jsonl')).size;
    const { writer } = other.resume('r1', alice);
    expect(writer.since).toBe(size);
    expect(other.controlsSince('r1', writer.since).requests).toEqual([]);
  });
});
