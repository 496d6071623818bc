import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentProcess, isAlive, locksDirectory, procTable, RolloutLockedError, ServiceLocks, type LockOwner } from './lock';
import { tempDirs } from '../files/fixtures/tempDirs';

const alice = { user: 'alice', source: 'console' } as const;
const bob = { user: 'bob', source: 'cli' } as const;
const newDataDir = tempDirs('fleetdeck-lock-');

function setup() {
  const dataDir = newDataDir();
  const warnings: string[] = [];
  return { dataDir, warnings, locks: new ServiceLocks({ dataDir, log: (m) => warnings.push(m) }) };
}

/** A process that runs until killed, and its identity as /proc tells it. */
async function child() {
  const proc = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await new Promise((resolve) => proc.once('spawn', resolve));
  const startTime = procTable.startTime(proc.pid!);
  if (!startTime) throw new Error('the child has no /proc entry');
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  return { pid: proc.pid!, startTime, kill: async () => (proc.kill('SIGKILL'), await exited) };
}

function plant(dataDir: string, service: string, owner: LockOwner) {
  writeFileSync(path.join(locksDirectory(dataDir), `${service}.lock`), `${JSON.stringify(owner)}\n`, { mode: 0o600 });
}

describe('process identity', () => {
  it('reads this process start time from /proc, and tells a reused pid apart', () => {
    const me = currentProcess();
    expect(me.startTime).toMatch(/^\d+$/);
    expect(isAlive(me)).toBe(true);
    expect(isAlive({ pid: me.pid, startTime: String(Number(me.startTime) + 1) })).toBe(false);
  });
});

describe('service locks', () => {
  it('takes a lock as a 0600 file in a 0700 directory, naming its owner, and releases it', () => {
    const { dataDir, locks } = setup();
    const lock = locks.acquire('web', 'r1', alice);
    const file = path.join(locksDirectory(dataDir), 'web.lock');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(locksDirectory(dataDir)).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ ...currentProcess(), rolloutId: 'r1', user: 'alice', source: 'console', since: lock.owner.since });
    expect(locks.holder('web')?.rolloutId).toBe('r1');
    lock.release();
    lock.release();
    expect(locks.holder('web')).toBeUndefined();
    expect(() => statSync(file)).toThrow();
    locks.acquire('web', 'r2', bob).release();
  });

  it('refuses a second rollout on the same service, naming the running one; other services are free', () => {
    const { locks } = setup();
    const lock = locks.acquire('web', 'r1', alice);
    let refused: unknown;
    try {
      locks.acquire('web', 'r2', bob);
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(RolloutLockedError);
    const message = (refused as Error).message;
    for (const part of ['web', 'r1', 'alice', 'console', lock.owner.since]) expect(message).toContain(part);
    locks.acquire('db', 'r3', bob).release();
    lock.release();
  });

  it('does not remove a lock that is no longer its own on release', () => {
    const { dataDir, locks } = setup();
    const lock = locks.acquire('web', 'r1', alice);
    const other: LockOwner = { ...currentProcess(), rolloutId: 'r9', user: 'bob', source: 'cli', since: '2026-01-01T00:00:00.000Z' };
    plant(dataDir, 'web', other);
    lock.release();
    expect(locks.holder('web')).toEqual(other);
  });

  it('takes over, with a warning, a lock whose process is gone; refuses while it runs', async () => {
    const { dataDir, locks, warnings } = setup();
    locks.acquire('seed', 'r0', alice).release(); // creates the directory
    const owner = await child();
    plant(dataDir, 'web', { pid: owner.pid, startTime: owner.startTime, rolloutId: 'r-dead', user: 'bob', source: 'cli', since: '2026-01-01T00:00:00.000Z' });
    expect(() => locks.acquire('web', 'r1', alice)).toThrow(RolloutLockedError);
    expect(warnings).toEqual([]);
    await owner.kill();
    const lock = locks.acquire('web', 'r1', alice);
    expect(locks.holder('web')?.rolloutId).toBe('r1');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('r-dead');
    expect(warnings[0]).toContain(String(owner.pid));
    lock.release();
  });

  it('takes over a lock whose pid now belongs to a process started at another time', () => {
    const { dataDir, locks, warnings } = setup();
    locks.acquire('seed', 'r0', alice).release();
    const me = currentProcess();
    plant(dataDir, 'web', { pid: me.pid, startTime: String(Number(me.startTime) - 1), rolloutId: 'r-old', user: 'bob', source: 'cli', since: '2026-01-01T00:00:00.000Z' });
    locks.acquire('web', 'r1', alice).release();
    expect(warnings.join('\n')).toContain('r-old');
  });

  it('takes over a lock left unreadable (its owner died while writing it)', () => {
    const { dataDir, locks, warnings } = setup();
    locks.acquire('seed', 'r0', alice).release();
    writeFileSync(path.join(locksDirectory(dataDir), 'web.lock'), '{"pid":12', { mode: 0o600 });
    locks.acquire('web', 'r1', alice).release();
    expect(warnings.join('\n')).toContain('unreadable');
  });

  const fixture = path.join(import.meta.dirname, 'fixtures', 'takeLock.ts');
  const contender = (dataDir: string, id: string) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir, 'web', id], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines: string[] = [];
    const waiters: (() => void)[] = [];
    let buffer = '';
    proc.stdout.setEncoding('utf8').on('data', (text: string) => {
      buffer += text;
      for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
        lines.push(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
        waiters.splice(0).forEach((w) => w());
      }
    });
    const line = async (n: number) => {
      while (lines.length <= n) await new Promise<void>((resolve) => waiters.push(resolve));
      return lines[n]!;
    };
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    return { proc, line, exited };
  };
  /** Both contenders loaded, then told to go at once; the winner holds the lock until both answered. */
  const race = async (dataDir: string) => {
    const ids = ['ra', 'rb'];
    const contenders = ids.map((id) => contender(dataDir, id));
    await Promise.all(contenders.map((c) => c.line(0)));
    for (const c of contenders) c.proc.stdin.write('go\n');
    const outcomes = await Promise.all(contenders.map(async (c) => JSON.parse(await c.line(1)) as { won: boolean; message?: string }));
    for (const c of contenders) c.proc.stdin.end();
    await Promise.all(contenders.map((c) => c.exited));
    expect(outcomes.filter((o) => o.won)).toHaveLength(1);
    const winner = outcomes[0]!.won ? 'ra' : 'rb';
    expect(outcomes.find((o) => !o.won)?.message).toContain(`rollout ${winner} (${winner}, cli`);
  };

  it('lets exactly one of two processes racing for a free lock win; the other is told who runs', async () => {
    const { dataDir, locks } = setup();
    locks.acquire('seed', 'r0', alice).release();
    for (let round = 0; round < 3; round++) {
      await race(dataDir);
      expect(locks.holder('web')).toBeUndefined();
    }
  }, 30_000);

  it('lets exactly one of two processes racing to take over a stale lock win', async () => {
    const { dataDir, locks } = setup();
    locks.acquire('seed', 'r0', alice).release();
    for (let round = 0; round < 3; round++) {
      const owner = await child();
      await owner.kill();
      plant(dataDir, 'web', { pid: owner.pid, startTime: owner.startTime, rolloutId: 'r-dead', user: 'bob', source: 'cli', since: '2026-01-01T00:00:00.000Z' });
      await race(dataDir);
    }
  }, 30_000);
});
