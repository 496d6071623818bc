import { describe, expect, it } from 'vitest';
import type { ChannelKind } from '../ssh/channelPool';
import type { SshConnection } from '../ssh/sshConnection';
import { SshDockerDialer } from './sshDockerDialer';

/** Records what the dialer asks of the SSH connection; `streamLocal` decides how forwarding answers. */
function fakeSsh(dockerHost: string, streamLocal: () => Promise<unknown>) {
  const calls: string[] = [];
  const channel = { stderr: { on: () => {} } };
  const ssh = {
    target: { host: 'h3' },
    run: async (command: string) => (calls.push(`run ${command}`), { code: 0, stdout: `${dockerHost}\n`, stderr: '' }),
    openStreamLocal: async (path: string, kind: ChannelKind) => {
      calls.push(`streamlocal ${path} ${kind}`);
      await streamLocal();
      return { channel };
    },
    exec: async (command: string, options: { kind: ChannelKind }) => (calls.push(`exec ${command} ${options.kind}`), { channel }),
  };
  return { ssh: ssh as unknown as SshConnection, calls };
}

const channelOpenFailure = (reason: number) => Object.assign(new Error('(SSH) Channel open failure: x'), { reason });

describe('SshDockerDialer', () => {
  it('learns the socket from DOCKER_HOST once, then forwards to it', async () => {
    const { ssh, calls } = fakeSsh('unix:///var/tmp/lab/h3/docker.sock', async () => {});
    const dialer = new SshDockerDialer(ssh, () => {});
    await dialer.dial('request');
    await dialer.dial('stream');
    expect(calls).toEqual([
      'run echo ${DOCKER_HOST:-unix:///var/run/docker.sock}',
      'streamlocal /var/tmp/lab/h3/docker.sock request',
      'streamlocal /var/tmp/lab/h3/docker.sock stream',
    ]);
  });

  it('falls back to dial-stdio for good when the server prohibits stream-local forwarding', async () => {
    const { ssh, calls } = fakeSsh('unix:///var/run/docker.sock', () => Promise.reject(channelOpenFailure(1)));
    const logs: string[] = [];
    const dialer = new SshDockerDialer(ssh, (msg) => logs.push(msg));
    await dialer.dial('request');
    await dialer.dial('control');
    expect(calls.slice(1)).toEqual([
      'streamlocal /var/run/docker.sock request',
      'exec docker system dial-stdio request',
      'exec docker system dial-stdio control',
    ]);
    expect(logs).toHaveLength(1);
  });

  it('reports a missing daemon socket instead of falling back', async () => {
    const { ssh, calls } = fakeSsh('unix:///var/run/docker.sock', () => Promise.reject(channelOpenFailure(2)));
    await expect(new SshDockerDialer(ssh, () => {}).dial('request')).rejects.toMatchObject({ reason: 2 });
    expect(calls.some((c) => c.startsWith('exec'))).toBe(false);
  });

  it('uses dial-stdio when the daemon is not on a unix socket', async () => {
    const { ssh, calls } = fakeSsh('tcp://127.0.0.1:2375', async () => {});
    await new SshDockerDialer(ssh, () => {}).dial('request');
    expect(calls.slice(1)).toEqual(['exec docker system dial-stdio request']);
  });
});
