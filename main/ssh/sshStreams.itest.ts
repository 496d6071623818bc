// SSH hosts carry more streams, against the lab's SSH-only host h3: 10 concurrent shells (container
// shells through the TerminalService and host shells), 5 log followers (the core's log views) and
// short requests at once; then the extra connections close once idle.
// One SSH connection holds 6 streams (events included), so this load needs extra connections.
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDataDir } from '../../e2e/support/dataDir';
import { dockerCli, lab, labHost } from '../../e2e/support/lab';
import { logLineChars, type LogEvent } from '../../shared/logs';
import type { TerminalEvent, TerminalTarget } from '../../shared/terminal';
import type { Core } from '../core/index';
import { openFleet } from '../core/open';
import { EXTRA_IDLE_CLOSE_MS, MAX_SSH_CONNECTIONS, STREAM_SLOTS } from './connectionSet';

const HOST = 'h3';
const IMAGE = '198.18.0.1:5000/lab/app:1.0';
const RUN = Date.now().toString(36);
const FOLLOWERS = 5;
const CONTAINER_SHELLS = 8;
const HOST_SHELLS = 2;
/** Lines each follower must see while everything is open (the containers print one a second). */
const LINES_EACH = 3;
/** A listContainers over the held connection while every stream is open; it answers in ~10 ms when idle. */
const PROMPT_MS = 2_000;
/** Beyond the idle time: the last channel's close reaching us, and sshd's side of the teardown. */
const IDLE_MARGIN_MS = 5_000;
const run = promisify(execFile);

let core: Core;
let dataDir: string;
const containers: { name: string; id: string }[] = [];

/** Our own process's established TCP connections to h3's sshd, as the kernel lists them. */
async function sshConnectionsToHost(): Promise<number> {
  const { stdout } = await run('ss', ['-tnpH', 'state', 'established', 'dst', `${labHost(HOST).ip}:22`]);
  return stdout.split('\n').filter((line) => line.includes(`pid=${process.pid},`)).length;
}

async function waitUntil(done: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A terminal session that acks what it receives, keeping its output. */
async function openShell(target: TerminalTarget) {
  const result = await core.api.terminalOpen({ target, size: { cols: 80, rows: 24 } });
  if (!result.ok) throw new Error(`terminalOpen ${target.kind}: ${result.reason}: ${result.message}`);
  const id = result.sessionId;
  let output = '';
  const unsubscribe = core.api.terminalOutput({ sessionId: id }, (event: TerminalEvent) => {
    if (event.t !== 'data') return;
    output += event.data;
    void core.api.terminalAck({ sessionId: id, chars: event.data.length });
  });
  return {
    output: () => output,
    /** The shell computes the marker, so the echoed command line never matches it. */
    echo: (n: number) => core.api.terminalInput({ sessionId: id, data: `echo FD_SSH_$((${n}*1000+7))_OK\r` }),
    close: async () => {
      unsubscribe();
      await core.api.terminalClose({ sessionId: id });
    },
  };
}

/** A log view of the core's log service (following, acking what it takes), counting the lines it receives. */
async function follow(id: string) {
  const opened = await core.api.logsOpen({ sources: [{ host: HOST, id }], tail: 0, follow: true });
  if (!opened.ok) throw new Error(`logsOpen: ${opened.message}`);
  const { viewId } = opened;
  let lines = 0;
  const unsubscribe = core.api.logEvents({ viewId }, (event: LogEvent) => {
    if (event.t !== 'lines') return;
    lines += event.lines.filter((l) => /^fd-ssh line \d+$/.test(l.line)).length;
    void core.api.logsAck({ viewId, chars: event.lines.reduce((sum, l) => sum + logLineChars(l), 0) });
  });
  return {
    lines: () => lines,
    close: async () => {
      unsubscribe();
      await core.api.logsClose({ viewId });
    },
  };
}

beforeAll(async () => {
  dataDir = freshDataDir('ssh-streams');
  process.env.FLEETDECK_DATA_DIR = dataDir;
  for (let i = 0; i < FOLLOWERS; i++) {
    const name = `fd-ssh-${RUN}-${i}`;
    await dockerCli(HOST, 'run', '-d', '--name', name, '--no-healthcheck', IMAGE, 'sh', '-c', 'i=0; while true; do i=$((i+1)); echo "fd-ssh line $i"; sleep 1; done');
    containers.push({ name, id: (await dockerCli(HOST, 'inspect', '-f', '{{.Id}}', name)).trim() });
  }
  ({ core } = await openFleet({ fleetFile: lab().fleetFile, mode: 'browser', onlyHosts: [HOST] }));
  expect(await core.settled(15_000)).toEqual([]);
});

afterAll(async () => {
  await core?.close();
  await Promise.allSettled(containers.map(({ name }) => dockerCli(HOST, 'rm', '-f', name)));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('an SSH-only host under many streams', () => {
  it('serves 10 shells, 5 log followers and prompt requests at once, over extra SSH connections', async () => {
    const needed = 1 + CONTAINER_SHELLS + HOST_SHELLS + FOLLOWERS; // the events stream too
    expect(needed).toBeGreaterThan(STREAM_SLOTS.primary); // one connection could not carry this
    expect(await sshConnectionsToHost()).toBe(1);

    const targets: TerminalTarget[] = [
      ...Array.from({ length: CONTAINER_SHELLS }, (_, i): TerminalTarget => ({ kind: 'container', host: HOST, id: containers[i % FOLLOWERS]!.id })),
      ...Array.from({ length: HOST_SHELLS }, (): TerminalTarget => ({ kind: 'host', host: HOST })),
    ];
    const [shells, followers] = await Promise.all([Promise.all(targets.map(openShell)), Promise.all(containers.map(({ id }) => follow(id)))]);
    try {
      await Promise.all(shells.map((shell, n) => shell.echo(n)));
      await Promise.all(shells.map((shell, n) => waitUntil(() => shell.output().includes(`FD_SSH_${n * 1000 + 7}_OK`), `shell ${n}'s marker`)));

      const host = core.hosts.find((h) => h.spec.name === HOST)!;
      const started = performance.now();
      const listed = await host.docker.listContainers({ all: true });
      const requestMs = performance.now() - started;
      expect(listed.map((c) => c.Names[0])).toEqual(expect.arrayContaining(containers.map(({ name }) => `/${name}`)));
      expect(requestMs).toBeLessThan(PROMPT_MS);

      await Promise.all(followers.map((f, n) => waitUntil(() => f.lines() >= LINES_EACH, `follower ${n}'s lines`)));

      const connections = await sshConnectionsToHost();
      console.log(`h3: ${targets.length} shells + ${FOLLOWERS} followers + events took ${connections} SSH connections; listContainers answered in ${requestMs.toFixed(0)} ms`);
      expect(connections).toBeGreaterThan(1);
      expect(connections).toBeLessThanOrEqual(MAX_SSH_CONNECTIONS);
    } finally {
      await Promise.all([...followers.map((f) => f.close()), ...shells.map((shell) => shell.close())]);
    }
  });

  it('closes the extra connections once they carry nothing for the idle time, and keeps the held one', async () => {
    const closedAfter = EXTRA_IDLE_CLOSE_MS + IDLE_MARGIN_MS;
    const deadline = Date.now() + closedAfter;
    let connections = await sshConnectionsToHost();
    expect(connections).toBeGreaterThan(1); // the extras the test above opened are still there
    while (connections > 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      connections = await sshConnectionsToHost();
    }
    expect(connections).toBe(1);
    expect(core.hosts.find((h) => h.spec.name === HOST)!.status.state).toBe('online');
  }, EXTRA_IDLE_CLOSE_MS + 2 * IDLE_MARGIN_MS);
});
