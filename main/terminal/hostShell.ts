// A login shell on the host itself over SSH: a stream channel on whichever of the host's SSH
// connections has a free stream slot (a channel of its own, so the docker traffic sharing that
// connection keeps flowing). Backpressure:
// a paused channel stops granting SSH window, so sshd stops reading the shell's pty.
import type { ClientChannel } from 'ssh2';
import type { TerminalSize } from '../../shared/terminal';
import type { HostKeyTrust } from '../ssh/hostKeyTrust';
import { HostKeyError } from '../ssh/sshConnection';
import { errorMessage, failure, type ShellOpened, type ShellSink, type ShellSource, type TerminalHost } from './shellSource';

const UNREACHABLE = /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ECONNRESET|Timed out|timeout/i;

export async function openHostShell(host: TerminalHost, size: TerminalSize, sink: ShellSink, trust: HostKeyTrust): Promise<ShellOpened> {
  const name = host.spec.name;
  const target = host.spec.ssh;
  if (!target) return failure('no-ssh', `${name} has no SSH access configured (give it an ssh: block in the fleet file)`);
  let channel: ClientChannel;
  try {
    channel = await host.sshStream((ssh) => ssh.shell({ term: 'xterm-256color', rows: size.rows, cols: size.cols, width: 0, height: 0 }));
  } catch (err) {
    if (err instanceof HostKeyError) {
      const refusal = await trust.refused(name, target, err);
      return failure(refusal.reason, refusal.message, refusal.hostKey);
    }
    const message = `cannot open a shell on ${name} over SSH (${target.user}@${target.host}): ${errorMessage(err)}`;
    return failure(UNREACHABLE.test(`${(err as { code?: string }).code ?? ''} ${errorMessage(err)}`) ? 'host-down' : 'error', message);
  }
  return { ok: true, source: new HostShell(channel, sink), title: `${name} (host)`, command: `ssh ${target.user}@${target.host}` };
}

class HostShell implements ShellSource {
  private code: number | null = null;
  private signal: string | undefined;
  private closedByUs = false;

  constructor(
    private readonly channel: ClientChannel,
    sink: ShellSink,
  ) {
    channel.on('data', (chunk: Buffer) => sink.data(chunk));
    channel.stderr.on('data', (chunk: Buffer) => sink.data(chunk));
    channel.on('exit', (code: number | null, signal?: string) => {
      this.code = typeof code === 'number' ? code : null;
      this.signal = signal ?? undefined;
    });
    channel.once('close', () => {
      if (this.closedByUs) return;
      if (this.code !== null) sink.exit(this.code, `exited with code ${this.code}`);
      else if (this.signal) sink.exit(null, `killed by signal ${this.signal}`);
      else sink.exit(null, 'the SSH connection was lost');
    });
  }

  write(data: string): void {
    if (!this.channel.destroyed && this.channel.writable) this.channel.write(data);
  }

  async resize(size: TerminalSize): Promise<void> {
    if (this.channel.destroyed) return;
    try {
      this.channel.setWindow(size.rows, size.cols, 0, 0);
    } catch {
      // The connection has just gone: the channel's close reports it.
    }
  }

  pause(): void {
    this.channel.pause();
  }

  resume(): void {
    this.channel.resume();
  }

  /** sshd hangs up the session's processes when its channel closes. */
  async close(): Promise<void> {
    this.closedByUs = true;
    this.channel.destroy();
  }
}
