import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLine, type Actor, type AuditChange, type AuditEntry } from '../../shared/audit';
import { FakeClock } from '../clock/fakeClock';
import { nodeFiles } from '../files/durableFiles';
import { auditFile, LOCK_STALE_MS, readAudit } from './auditFiles';
import { AuditIndex, mergeLines, parseChunk } from './auditLines';
import { AuditLog, POLL_MS } from './auditLog';
import { MemoryFiles } from './fixtures/memoryFiles';

const DIR = '/data/fleetdeck';
const alice: Actor = { user: 'alice', source: 'console' };
const bob: Actor = { user: 'bob', source: 'cli' };
const T0 = Date.parse('2025-03-01T10:00:00.000Z');

function setup(options: { rotateBytes?: number; files?: MemoryFiles; clock?: FakeClock } = {}) {
  const files = options.files ?? new MemoryFiles();
  const clock = options.clock ?? new FakeClock(T0);
  const warnings: string[] = [];
  let n = 0;
  const log = new AuditLog({ dir: DIR, files, clock, log: (m) => warnings.push(m), newId: () => `id-${++n}-${Math.random().toString(36).slice(2, 6)}`, ...(options.rotateBytes ? { rotateBytes: options.rotateBytes } : {}) });
  return { files, clock, warnings, log };
}

/** One whole action (start and end lines) by `actor`. */
async function act(log: AuditLog, actor: Actor, container: string, outcome: { ok: true } | { ok: false; error: string } = { ok: true }): Promise<string> {
  const id = await log.begin({ actor, action: 'restart', target: { host: 'h1', container } });
  await log.end(id, outcome);
  return id;
}

const all = (files: MemoryFiles) => readAudit({ dir: DIR, files, keep: 5 }, { warn: () => {} });
const line = (l: Partial<AuditLine> & Pick<AuditLine, 'id' | 'phase'>): AuditLine => ({ time: '2025-03-01T10:00:00.000Z', user: 'alice', source: 'console', action: 'stop', target: { host: 'h1', container: 'web' }, ...l });

describe('audit lines', () => {
  it('merges each action from its start and end lines; one that never ended is "unknown"', () => {
    const entries = mergeLines([
      line({ id: 'a', phase: 'start' }),
      line({ id: 'b', phase: 'start', action: 'restart' }),
      line({ id: 'a', phase: 'end', time: '2025-03-01T10:00:01.000Z', result: 'failed', error: 'No such container: web' }),
      line({ id: 'c', phase: 'start', params: { image: 'app:1.1' } }),
      line({ id: 'c', phase: 'end', time: '2025-03-01T10:00:02.000Z', result: 'ok' }),
    ]);
    expect(entries).toEqual([
      { id: 'a', time: '2025-03-01T10:00:00.000Z', endTime: '2025-03-01T10:00:01.000Z', user: 'alice', source: 'console', action: 'stop', target: { host: 'h1', container: 'web' }, result: 'failed', error: 'No such container: web' },
      { id: 'b', time: '2025-03-01T10:00:00.000Z', user: 'alice', source: 'console', action: 'restart', target: { host: 'h1', container: 'web' }, result: 'unknown' },
      { id: 'c', time: '2025-03-01T10:00:00.000Z', endTime: '2025-03-01T10:00:02.000Z', user: 'alice', source: 'console', action: 'stop', target: { host: 'h1', container: 'web' }, params: { image: 'app:1.1' }, result: 'ok' },
    ]);
  });

  it('skips a torn last line and a foreign line with a warning, and keeps the rest', () => {
    const good = JSON.stringify(line({ id: 'a', phase: 'start' }));
    const text = `${good}\nnot json at all\n${JSON.stringify({ id: 'x' })}\n${good.replace('"a"', '"b"')}\n${good.slice(0, 40)}`;
    const warnings: string[] = [];
    const chunk = parseChunk(Buffer.from(text), { file: 'audit.jsonl', offset: 0, final: true }, (m) => warnings.push(m));
    expect(chunk.lines.map((l) => l.id)).toEqual(['a', 'b']);
    expect(warnings).toHaveLength(3);
    expect(warnings[2]).toMatch(/audit\.jsonl at byte \d+ \(torn by a crash mid-write\)/);
  });

  it('leaves a last line without its newline for later while the file may still grow', () => {
    const good = JSON.stringify(line({ id: 'a', phase: 'start' }));
    const warnings: string[] = [];
    const chunk = parseChunk(Buffer.from(`${good}\n${good.slice(0, 30)}`), { file: 'audit.jsonl', offset: 0, final: false }, (m) => warnings.push(m));
    expect(chunk).toMatchObject({ consumed: good.length + 1, unterminated: 30 });
    expect(chunk.lines).toHaveLength(1);
    expect(warnings).toEqual([]);
  });

  it('keeps only the most recent actions under a limit, and ignores an end whose start it dropped', () => {
    const index = new AuditIndex(2);
    index.apply([line({ id: 'a', phase: 'start' }), line({ id: 'b', phase: 'start' }), line({ id: 'c', phase: 'start' })]);
    expect(index.list().map((e) => e.id)).toEqual(['b', 'c']);
    expect(index.apply([line({ id: 'a', phase: 'end', result: 'ok' }), line({ id: 'c', phase: 'end', result: 'ok' })]).map((e) => [e.id, e.result])).toEqual([['c', 'ok']]);
  });
});

describe('AuditLog', () => {
  it('writes the start line before the action may run, and the end line with the same id, with exactly the issue’s fields', async () => {
    const { files, clock, log } = setup();
    const id = await log.begin({ actor: bob, action: 'restart', target: { host: 'h1', container: 'payments-api-1', service: 'api' } });
    const [start] = files.text(auditFile(DIR)).split('\n');
    expect(JSON.parse(start!)).toEqual({ id, time: '2025-03-01T10:00:00.000Z', user: 'bob', source: 'cli', action: 'restart', target: { host: 'h1', container: 'payments-api-1', service: 'api' }, phase: 'start' });
    await clock.advance(1_500);
    await log.end(id, { ok: false, error: 'payments-api-1 is not running' });
    const lines = files.text(auditFile(DIR)).trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[1]).toEqual({ id, time: '2025-03-01T10:00:01.500Z', user: 'bob', source: 'cli', action: 'restart', target: { host: 'h1', container: 'payments-api-1', service: 'api' }, phase: 'end', result: 'failed', error: 'payments-api-1 is not running' });
    await expect(log.end('never-started', { ok: true })).rejects.toThrow(/no action never-started/);
  });

  it('never writes a secret in params', async () => {
    const { files, log } = setup();
    await log.begin({ actor: alice, action: 'deploy', target: { host: 'h1' }, params: { image: 'app:1.1', registryPassword: 'hunter2', auth: { token: 'abc' }, env: [{ name: 'X', apiKey: 'k' }] } });
    const text = files.text(auditFile(DIR));
    expect(text).not.toMatch(/hunter2|"abc"|"k"/);
    expect(JSON.parse(text).params).toEqual({ image: 'app:1.1', registryPassword: '[redacted]', auth: '[redacted]', env: [{ name: 'X', apiKey: '[redacted]' }] });
  });

  it('after a crash tore the last line, skips it with a warning and starts the next line on a fresh one', async () => {
    const files = new MemoryFiles();
    files.ensureDir(DIR, 0o700);
    const ended = JSON.stringify(line({ id: 'old', phase: 'start' }));
    files.append(auditFile(DIR), `${ended}\n${JSON.stringify(line({ id: 'cut', phase: 'start' })).slice(0, 50)}`, 0o600);
    const { log, warnings } = setup({ files });
    expect(log.recent().map((e) => e.id)).toEqual(['old']);
    const id = await act(log, alice, 'web');
    const text = files.text(auditFile(DIR));
    expect(text.endsWith('\n')).toBe(true);
    const parses = (l: string) => {
      try {
        return AuditLine.safeParse(JSON.parse(l)).success;
      } catch {
        return false;
      }
    };
    const lines = text.trimEnd().split('\n');
    expect(lines.map(parses)).toEqual([true, false, true, true]);
    expect(warnings.some((w) => /skipping an unreadable line/.test(w))).toBe(true);
    expect(all(files).map((e) => [e.id, e.result])).toEqual([
      ['old', 'unknown'],
      [id, 'ok'],
    ]);
  });

  it('reads only the bytes added since its last read, not the whole file on every append', async () => {
    const { files, log } = setup();
    for (let i = 0; i < 50; i++) await act(log, alice, `c${i}`);
    const size = files.size(auditFile(DIR))!;
    const read = files.reads.filter((r) => r.file === 'audit.jsonl').reduce((sum, r) => sum + r.bytes, 0);
    // Each byte is read once after its own append (and the cut-line check reads none): re-reading would be ~50x.
    expect(read).toBe(size);
    expect(log.recent()).toHaveLength(50);
  });

  it('shows subscribers what another process appends, at the next poll, and stops polling when they leave', async () => {
    const files = new MemoryFiles();
    const clock = new FakeClock(T0);
    const consoleLog = setup({ files, clock }).log;
    const cli = setup({ files, clock }).log;
    await act(consoleLog, alice, 'before');
    const changes: AuditChange[] = [];
    const unsubscribe = consoleLog.subscribe((c) => changes.push(c));
    expect(changes).toHaveLength(1);
    expect(changes[0]!.entries.map((e) => e.target.container)).toEqual(['before']);
    const id = await cli.begin({ actor: bob, action: 'stop', target: { host: 'h2', container: 'api' } });
    expect(changes).toHaveLength(1);
    await clock.advance(POLL_MS);
    expect(changes[1]!.entries).toEqual([expect.objectContaining({ id, user: 'bob', source: 'cli', result: 'unknown' })]);
    await cli.end(id, { ok: true });
    await clock.advance(POLL_MS);
    expect(changes[2]!.entries).toEqual([expect.objectContaining({ id, result: 'ok' })]);
    await clock.advance(POLL_MS * 4);
    expect(changes).toHaveLength(3);
    unsubscribe();
    expect(clock.pending).toEqual([]);
    consoleLog.subscribe((c) => changes.push(c));
    consoleLog.close();
    await cli.begin({ actor: bob, action: 'stop', target: { host: 'h2', container: 'api' } });
    await clock.advance(POLL_MS);
    expect(changes).toHaveLength(4);
    expect(clock.pending).toEqual([]);
  });

  it('rotates at the size limit by renaming, keeps 5 rotated files, and loses no line on the way', async () => {
    const files = new MemoryFiles();
    const { log } = setup({ files, rotateBytes: 2_000 });
    const follower = setup({ files });
    const seen = new Map<string, AuditEntry>();
    follower.log.subscribe((c) => c.entries.forEach((e) => seen.set(e.id, e)));
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      ids.push(await act(log, alice, `c${i}`));
      await follower.clock.advance(POLL_MS);
    }
    const names = [...files.files.keys()].map((f) => path.basename(f)).sort();
    expect(names).toEqual(['audit.jsonl', 'audit.jsonl.1', 'audit.jsonl.2', 'audit.jsonl.3', 'audit.jsonl.4', 'audit.jsonl.5']);
    for (const f of files.files.values()) expect(f.length).toBeLessThanOrEqual(2_000);
    // What is kept is an unbroken run of the newest actions, each whole; the oldest went with the oldest file.
    const kept = all(files);
    expect(kept.every((e) => e.result === 'ok')).toBe(true);
    expect(kept.map((e) => e.id)).toEqual(ids.slice(ids.length - kept.length));
    expect(kept.length).toBeGreaterThan(20);
    // Another process that was following the live file saw every action, across every rotation.
    expect(ids.every((id) => seen.get(id)?.result === 'ok')).toBe(true);
  });

  it('leaves rotation to a process holding the lock (losing nothing), and takes over a stale lock', async () => {
    const files = new MemoryFiles();
    const clock = new FakeClock(T0);
    const { log } = setup({ files, clock, rotateBytes: 1_000 });
    files.ensureDir(DIR, 0o700);
    files.createExclusive(`${auditFile(DIR)}.lock`, `${JSON.stringify({ pid: 1, since: new Date(T0).toISOString() })}\n`, 0o600);
    for (let i = 0; i < 10; i++) await act(log, alice, `c${i}`);
    expect(files.exists(auditFile(DIR, 1))).toBe(false);
    expect(all(files)).toHaveLength(10);
    await clock.advance(LOCK_STALE_MS);
    await act(log, alice, 'after');
    expect(files.exists(auditFile(DIR, 1))).toBe(true);
    expect(files.exists(`${auditFile(DIR)}.lock`)).toBe(false);
    expect(all(files)).toHaveLength(11);
  });

  it('reads a --since window without opening rotated files that are all older', async () => {
    const files = new MemoryFiles();
    const clock = new FakeClock(T0);
    const { log } = setup({ files, clock, rotateBytes: 1_000 });
    for (let i = 0; i < 30; i++) {
      await act(log, alice, `c${i}`);
      await clock.advance(60_000);
    }
    files.reads.length = 0;
    const since = clock.now() - 5 * 60_000;
    const recent = readAudit({ dir: DIR, files, keep: 5 }, { since, warn: () => {} });
    expect(recent.map((e) => e.target.container)).toEqual(['c25', 'c26', 'c27', 'c28', 'c29']);
    expect(files.reads.map((r) => r.file)).not.toContain('audit.jsonl.5');
  });
});

describe('AuditLog on disk', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fleetdeck-audit-test-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('creates the data directory 0700 and the log 0600, and only when it first writes', async () => {
    const dir = path.join(tempDir(), 'share', 'fleetdeck');
    const log = new AuditLog({ dir });
    expect(log.recent()).toEqual([]);
    expect(() => statSync(dir)).toThrow(/ENOENT/);
    await act(log, alice, 'web');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(log.file).mode & 0o777).toBe(0o600);
  });

  it('two writer processes appending at once never interleave inside a line', async () => {
    const file = path.join(tempDir(), 'audit.jsonl');
    writeFileSync(file, '', { mode: 0o600 });
    // 6 KB lines: more than a page each, so a write split by the kernel would show.
    const N = 300;
    const fixture = path.join(import.meta.dirname, 'fixtures', 'appendLines.ts');
    const startAt = String(Date.now() + 1_500);
    const run = (writer: string) => promisify(execFile)(process.execPath, ['--import', 'tsx', fixture, file, writer, String(N), startAt, '6000']);
    await Promise.all([run('A'), run('B')]);
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n').map((l) => AuditLine.parse(JSON.parse(l)));
    expect(lines).toHaveLength(2 * N);
    for (const writer of ['A', 'B']) {
      const own = lines.filter((l) => l.user === writer);
      expect(own.map((l) => l.id)).toEqual(Array.from({ length: N }, (_, i) => `${writer}-${i}`));
      expect(own.every((l) => l.params?.pad === writer.repeat(6000))).toBe(true);
    }
  }, 30_000);

  it('reads back what nodeFiles wrote, across a rotation, with the real file system', async () => {
    const dir = tempDir();
    const log = new AuditLog({ dir, files: nodeFiles, rotateBytes: 1_500 });
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push(await act(log, bob, `c${i}`));
    expect(statSync(auditFile(dir, 1)).mode & 0o777).toBe(0o600);
    expect(readAudit({ dir, files: nodeFiles, keep: 5 }, { warn: () => {} }).map((e) => e.id)).toEqual(ids);
  });
});
