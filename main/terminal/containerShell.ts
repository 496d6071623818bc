// A shell in a container: docker exec with a TTY on the host's stream sockets, so a long
// session never holds up the short calls. Backpressure: pausing the hijacked socket stops
// reading from dockerd, whose copy from the exec's pty then blocks, and so does the writer.
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import type { TerminalSize, TerminalTarget } from '../../shared/terminal';
import { dockerStatus } from '../engine/dockerErrors';
import { errorMessage, failure, hostDown, type ShellOpened, type ShellSink, type ShellSource, type TerminalHost } from './shellSource';

type ContainerTarget = Extract<TerminalTarget, { kind: 'container' }>;

const SHELLS = ['/bin/bash', '/bin/sh'];
/** Marks a session's processes (children inherit it), so closing the session can find them. */
const SESSION_ENV = 'FLEETDECK_SESSION';
/**
 * dockerd never hangs up an exec whose client went away (moby #9098): its shell, and whatever
 * runs in it (`yes`…), would live on. On close, a detached exec sends SIGHUP, as a closing
 * terminal would, to every process carrying this session's mark.
 */
const HANGUP_SCRIPT = `for d in /proc/[0-9]*; do case "$(tr '\\0' '\\n' < "$d/environ" 2>/dev/null)" in *"${SESSION_ENV}=$1"*) kill -HUP "\${d#/proc/}" 2>/dev/null;; esac; done`;
/** After the stream ends, dockerd may take a moment to record the exec's exit, and a stopping container's. */
const EXIT_SETTLE_MS = 1_000;

export async function openContainerShell(host: TerminalHost, target: ContainerTarget, size: TerminalSize, sink: ShellSink): Promise<ShellOpened> {
  const down = hostDown(host);
  if (down) return down;
  const container = host.docker.getContainer(target.id);
  let info: Dockerode.ContainerInspectInfo;
  try {
    info = await container.inspect();
  } catch (err) {
    if (dockerStatus(err) === 404) return failure('error', `no container ${target.id.slice(0, 12)} on ${host.spec.name}`);
    return failure('error', `cannot inspect ${target.id.slice(0, 12)} on ${host.spec.name}: ${errorMessage(err)}`);
  }
  const name = info.Name.replace(/^\//, '');
  if (!info.State.Running) return failure('not-running', `${name} is ${info.State.Status} — start it first`);
  if (info.State.Paused) return failure('not-running', `${name} is paused — unpause it first`);

  let command = target.command;
  if (!command) {
    try {
      const shell = await firstExisting(container, SHELLS);
      if (!shell) return failure('no-shell', `neither /bin/bash nor /bin/sh exists in ${name}; give a command`);
      command = [shell];
    } catch (err) {
      return failure('error', `cannot look for a shell in ${name}: ${errorMessage(err)}`);
    }
  }

  const mark = randomBytes(8).toString('hex');
  let execId: string;
  let stream: Duplex;
  try {
    const exec = await container.exec({
      Cmd: command,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
      Env: ['TERM=xterm-256color', `${SESSION_ENV}=${mark}`],
      ...(target.user ? { User: target.user } : {}),
      ConsoleSize: [size.rows, size.cols],
    });
    execId = exec.id;
    stream = (await host.streams.getExec(execId).start({ hijack: true, stdin: true, Tty: true })) as Duplex;
  } catch (err) {
    const status = dockerStatus(err);
    if (status === 409 || /is not running|is paused/.test(errorMessage(err))) return failure('not-running', `${name} is not running — start it first`);
    return failure('error', `docker exec in ${name} failed: ${errorMessage(err)}`);
  }

  // The size goes to the exec resize API once the service has taken the session (ConsoleSize needs API 1.42).
  return { ok: true, source: new ContainerShell(host, target.id, execId, mark, stream, sink), title: `${name} (${host.spec.name})`, command: command.join(' ') };
}

class ContainerShell implements ShellSource {
  private closedByUs = false;
  private finished = false;

  constructor(
    private readonly host: TerminalHost,
    private readonly containerId: string,
    private readonly execId: string,
    private readonly mark: string,
    private readonly stream: Duplex,
    private readonly sink: ShellSink,
  ) {
    stream.on('data', (chunk: Buffer) => sink.data(chunk));
    stream.on('error', () => {}); // 'close' follows and reports the end
    stream.on('end', () => this.finish());
    stream.on('close', () => this.finish());
  }

  write(data: string): void {
    if (!this.stream.destroyed && this.stream.writable) this.stream.write(data);
  }

  async resize(size: TerminalSize): Promise<void> {
    if (this.finished) return;
    try {
      await this.host.docker.getExec(this.execId).resize({ h: size.rows, w: size.cols });
    } catch {
      // The exec has just ended: its end is reported through the stream.
    }
  }

  pause(): void {
    this.stream.pause();
  }

  resume(): void {
    this.stream.resume();
  }

  async close(): Promise<void> {
    this.closedByUs = true;
    this.stream.destroy();
    try {
      if (!(await this.host.docker.getExec(this.execId).inspect()).Running) return;
      const hangup = await this.host.docker.getContainer(this.containerId).exec({ Cmd: ['/bin/sh', '-c', HANGUP_SCRIPT, 'hangup', this.mark], User: '0' });
      // Drained, or its socket (on SSH hosts: a pooled channel) would never be released.
      const response = (await hangup.start({ Detach: true })) as NodeJS.ReadableStream;
      response.on('error', () => {});
      response.resume();
    } catch {
      // The container is gone or has no /bin/sh: nothing more can be done from here.
    }
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.stream.destroy();
    if (this.closedByUs) return;
    void this.exitStatus().then(({ code, message }) => this.sink.exit(code, message));
  }

  private async exitStatus(): Promise<{ code: number | null; message: string }> {
    try {
      const exec = await this.settled(() => this.host.docker.getExec(this.execId).inspect(), (e) => !e.Running);
      // Killed by a signal, or never recorded: perhaps the container is stopping. Its state lags the exec's a little.
      const killed = exec.ExitCode === null || exec.ExitCode > 128;
      const container = await this.settled(() => this.host.docker.getContainer(this.containerId).inspect(), (c) => !killed || !c.State.Running);
      if (!container.State.Running) return { code: exec.ExitCode, message: 'the container stopped' };
      if (exec.Running) return { code: null, message: 'the connection to the container was lost' };
      return { code: exec.ExitCode, message: `exited with code ${exec.ExitCode ?? 'unknown'}` };
    } catch (err) {
      if (dockerStatus(err) === 404) return { code: null, message: 'the container is gone' };
      return { code: null, message: `the session ended; ${this.host.spec.name} did not say how (${errorMessage(err)})` };
    }
  }

  /** Asks again (briefly) until `done` holds: dockerd records an exit a moment after the stream ends. */
  private async settled<T>(ask: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + EXIT_SETTLE_MS;
    let value = await ask();
    while (!done(value) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      value = await ask();
    }
    return value;
  }
}

/** The first of `paths` present in the container, asked of the archive API (HEAD): no exec needed. */
async function firstExisting(container: Dockerode.Container, paths: string[]): Promise<string | undefined> {
  for (const path of paths) {
    try {
      // A stream even for HEAD: drained so its socket goes back to the pool.
      (await container.infoArchive({ path }) as NodeJS.ReadableStream).resume();
      return path;
    } catch (err) {
      if (dockerStatus(err) !== 404) throw err;
    }
  }
  return undefined;
}
