// The create-config carry-over: what the operator set stays, what came from the old image's
// defaults follows the new image, and a MAC is kept only when the user set it.
import { describe, expect, it } from 'vitest';
import { apiAtLeast, carryOver, configDigest, hasStaticAddress, mergeEnv, mergeLabels, type ImageDefaults, type InspectedContainer } from './createConfig';

const ID = 'c0ffee123456'.padEnd(64, 'a');
const HEALTH_1 = { Test: ['CMD-SHELL', 'wget -q -O /dev/null http://localhost/healthz'], Interval: 5e9 };
const HEALTH_2 = { Test: ['CMD-SHELL', 'wget -q -O /dev/null http://localhost/ready'], Interval: 3e9, Retries: 2 };

const oldImage: ImageDefaults = {
  Cmd: ['httpd', '-f'],
  Entrypoint: null,
  Env: ['PATH=/bin', 'APP_VERSION=1.0'],
  User: '',
  WorkingDir: '/',
  Labels: { 'org.opencontainers.image.version': '1.0' },
  ExposedPorts: { '80/tcp': {} },
  Healthcheck: HEALTH_1,
};
const newImage: ImageDefaults = {
  Cmd: ['httpd', '-f', '-v'],
  Entrypoint: ['/init'],
  Env: ['PATH=/bin:/usr/bin', 'APP_VERSION=1.1', 'NEW_ONLY=1'],
  User: 'app',
  WorkingDir: '/srv',
  Labels: { 'org.opencontainers.image.version': '1.1' },
  ExposedPorts: { '8080/tcp': {} },
  Healthcheck: HEALTH_2,
};

/** A container run from oldImage with nothing overridden but its name, labels, network and limits. */
function container(over: { Config?: Partial<InspectedContainer['Config']>; HostConfig?: Partial<InspectedContainer['HostConfig']>; Networks?: InspectedContainer['NetworkSettings']['Networks']; Mounts?: InspectedContainer['Mounts'] } = {}): InspectedContainer {
  return {
    Id: ID,
    Name: '/payments-ledger-1',
    Config: {
      Hostname: 'payments-ledger-1',
      Image: '198.18.0.1:5000/lab/app:1.0',
      Cmd: oldImage.Cmd!,
      Entrypoint: null,
      Env: oldImage.Env!,
      User: '',
      WorkingDir: '/',
      Labels: { ...oldImage.Labels, 'com.example.service': 'ledger' },
      ExposedPorts: oldImage.ExposedPorts!,
      Healthcheck: HEALTH_1,
      StopSignal: 'SIGTERM',
      ...over.Config,
    },
    HostConfig: { NetworkMode: 'br0', Binds: ['/srv/data:/data:ro,z'], Memory: 64 * 1024 * 1024, RestartPolicy: { Name: 'unless-stopped', MaximumRetryCount: 0 }, LogConfig: { Type: 'json-file', Config: { 'max-size': '10m' } }, ...over.HostConfig },
    Mounts: over.Mounts ?? [{ Type: 'bind', Source: '/srv/data', Destination: '/data', RW: false }],
    NetworkSettings: { Networks: over.Networks ?? { br0: { IPAMConfig: { IPv4Address: '198.18.4.21' }, Aliases: ['ledger', ID.slice(0, 12)], MacAddress: '02:fd:00:04:00:21', IPAddress: '198.18.4.21' } } },
  };
}

const IMAGE = '198.18.0.1:5000/lab/app:1.1';

describe('carryOver: image defaults follow the new image', () => {
  it('takes the new image’s Cmd, Entrypoint, Env, User, WorkingDir, ExposedPorts, Healthcheck and labels where the old ones were the image’s', () => {
    const { name, body } = carryOver({ old: container(), oldImage, newImage, image: IMAGE, apiVersion: '1.41' });
    expect(name).toBe('payments-ledger-1');
    expect(body).toMatchObject({
      Image: IMAGE,
      Cmd: ['httpd', '-f', '-v'],
      Entrypoint: ['/init'],
      Env: ['PATH=/bin:/usr/bin', 'APP_VERSION=1.1', 'NEW_ONLY=1'],
      User: 'app',
      WorkingDir: '/srv',
      ExposedPorts: { '8080/tcp': {} },
      Healthcheck: HEALTH_2,
      Labels: { 'org.opencontainers.image.version': '1.1', 'com.example.service': 'ledger' },
      Hostname: 'payments-ledger-1',
      StopSignal: 'SIGTERM',
    });
  });

  it('keeps explicit overrides of each of them', () => {
    const custom = { Test: ['NONE'] };
    const old = container({ Config: { Cmd: ['sleep', '1d'], Entrypoint: ['/bin/sh', '-c'], User: '1000', WorkingDir: '/work', Healthcheck: custom, ExposedPorts: { '80/tcp': {}, '9000/tcp': {} }, Labels: { 'org.opencontainers.image.version': 'pinned' } } });
    const { body } = carryOver({ old, oldImage, newImage, image: IMAGE, apiVersion: '1.41' });
    expect(body).toMatchObject({ Cmd: ['sleep', '1d'], Entrypoint: ['/bin/sh', '-c'], User: '1000', WorkingDir: '/work', Healthcheck: custom, Labels: { 'org.opencontainers.image.version': 'pinned' } });
    expect(body.ExposedPorts).toEqual({ '8080/tcp': {}, '9000/tcp': {} });
  });

  it('a health check the new image drops goes with it (not frozen from the old image)', () => {
    const { body } = carryOver({ old: container(), oldImage, newImage: { ...newImage, Healthcheck: undefined }, image: IMAGE, apiVersion: '1.41' });
    expect(body.Healthcheck).toBeNull();
  });
});

describe('mergeEnv and mergeLabels: by key', () => {
  it('an entry equal to the old image’s follows the new image; an override stays; an image key the new image lacks goes', () => {
    expect(mergeEnv(['PATH=/bin', 'APP_VERSION=1.0', 'GONE=x', 'DB=prod'], ['PATH=/bin', 'APP_VERSION=1.0', 'GONE=x'], ['PATH=/usr/bin', 'APP_VERSION=1.1'])).toEqual(['PATH=/usr/bin', 'APP_VERSION=1.1', 'DB=prod']);
    expect(mergeEnv(['APP_VERSION=custom'], ['APP_VERSION=1.0'], ['APP_VERSION=1.1'])).toEqual(['APP_VERSION=custom']);
    expect(mergeEnv(['FLAG', 'A=1=2'], [], ['B=3'])).toEqual(['FLAG', 'A=1=2', 'B=3']);
    expect(mergeEnv(null, null, null)).toEqual([]);
  });

  it('labels the same way', () => {
    expect(mergeLabels({ v: '1.0', team: 'payments', gone: 'y' }, { v: '1.0', gone: 'y' }, { v: '1.1', extra: 'e' })).toEqual({ v: '1.1', team: 'payments', extra: 'e' });
    expect(mergeLabels({ v: 'mine' }, { v: '1.0' }, { v: '1.1' })).toEqual({ v: 'mine' });
  });
});

describe('carryOver: what the operator chose stays', () => {
  it('keeps the whole HostConfig: bind modes, resources, restart policy, log config', () => {
    const old = container();
    const { body } = carryOver({ old, oldImage, newImage, image: IMAGE, apiVersion: '1.41' });
    expect(body.HostConfig).toEqual(old.HostConfig);
  });

  it('keeps an anonymous volume’s data by mounting the same volume', () => {
    const old = container({ Mounts: [{ Type: 'bind', Source: '/srv/data', Destination: '/data', RW: false }, { Type: 'volume', Name: 'f00d', Destination: '/var/lib/app', RW: true }] });
    const { body } = carryOver({ old, oldImage, newImage, image: IMAGE, apiVersion: '1.41' });
    expect(body.HostConfig.Mounts).toEqual([{ Type: 'volume', Source: 'f00d', Target: '/var/lib/app', ReadOnly: false }]);
    expect(body.HostConfig.Binds).toEqual(['/srv/data:/data:ro,z']);
  });

  it('keeps the IP and aliases, not the alias the engine made from the old id', () => {
    const { body } = carryOver({ old: container(), oldImage, newImage, image: IMAGE, apiVersion: '1.41' });
    expect(body.NetworkingConfig.EndpointsConfig).toEqual({ br0: { IPAMConfig: { IPv4Address: '198.18.4.21' }, Aliases: ['ledger'] } });
  });

  it('drops a hostname the engine set from the old id', () => {
    const { body } = carryOver({ old: container({ Config: { Hostname: ID.slice(0, 12) } }), oldImage, newImage, image: IMAGE, apiVersion: '1.41' });
    expect(body).not.toHaveProperty('Hostname');
  });

  it('before API 1.44: the primary network at create, the others connected after', () => {
    const old = container({ Networks: { br0: { IPAMConfig: { IPv4Address: '198.18.4.21' } }, backend: { Aliases: ['db'], IPAMConfig: null } } });
    const { body, connect } = carryOver({ old, oldImage, newImage, image: IMAGE, apiVersion: '1.41' });
    expect(Object.keys(body.NetworkingConfig.EndpointsConfig)).toEqual(['br0']);
    expect(connect).toEqual([{ network: 'backend', endpoint: { Aliases: ['db'] } }]);
  });

  it('from API 1.44: every network at create', () => {
    const old = container({ Networks: { br0: { IPAMConfig: { IPv4Address: '198.18.4.21' } }, backend: { Aliases: ['db'] } } });
    const { body, connect } = carryOver({ old, oldImage, newImage, image: IMAGE, apiVersion: '1.45' });
    expect(Object.keys(body.NetworkingConfig.EndpointsConfig).sort()).toEqual(['backend', 'br0']);
    expect(connect).toEqual([]);
  });
});

describe('carryOver: MAC', () => {
  const userMac = '02:fd:00:04:00:21';

  it('keeps a MAC the user set: in Config before API 1.44', () => {
    const { body } = carryOver({ old: container({ Config: { MacAddress: userMac } }), oldImage, newImage, image: IMAGE, apiVersion: '1.41' });
    expect(body.MacAddress).toBe(userMac);
    expect(body.NetworkingConfig.EndpointsConfig.br0).not.toHaveProperty('MacAddress');
  });

  it('keeps a MAC the user set: on the primary endpoint from API 1.44', () => {
    const { body } = carryOver({ old: container({ Config: { MacAddress: userMac } }), oldImage, newImage, image: IMAGE, apiVersion: '1.44' });
    expect(body).not.toHaveProperty('MacAddress');
    expect(body.NetworkingConfig.EndpointsConfig.br0!.MacAddress).toBe(userMac);
  });

  it('never copies an engine-generated MAC (the endpoint’s operational one), static IP or not', () => {
    for (const Networks of [{ br0: { IPAMConfig: { IPv4Address: '198.18.4.30' }, MacAddress: '02:42:c6:12:04:1e' } }, { br0: { MacAddress: '02:42:c6:12:04:41', IPAddress: '198.18.4.65' } }]) {
      for (const apiVersion of ['1.41', '1.44']) {
        const { body } = carryOver({ old: container({ Config: { MacAddress: '' }, Networks }), oldImage, newImage, image: IMAGE, apiVersion });
        expect(body).not.toHaveProperty('MacAddress');
        expect(body.NetworkingConfig.EndpointsConfig.br0).not.toHaveProperty('MacAddress');
      }
    }
  });

  it('a static IP or a set MAC counts as a static address; a dynamic one does not', () => {
    expect(hasStaticAddress(container())).toBe(true);
    expect(hasStaticAddress(container({ Config: { MacAddress: userMac }, Networks: { br0: {} } }))).toBe(true);
    expect(hasStaticAddress(container({ Networks: { br0: { IPAddress: '198.18.4.70', MacAddress: '02:42:c6:12:04:46' } } }))).toBe(false);
  });
});

describe('apiAtLeast', () => {
  it('compares major then minor numerically', () => {
    expect(apiAtLeast('1.41', '1.44')).toBe(false);
    expect(apiAtLeast('1.44', '1.44')).toBe(true);
    expect(apiAtLeast('1.100', '1.44')).toBe(true);
    expect(apiAtLeast('2.0', '1.44')).toBe(true);
  });
});

describe('configDigest', () => {
  it('is the same for the same config whatever its key order, and differs when a value does', () => {
    const a = carryOver({ old: container(), oldImage, newImage, image: IMAGE, apiVersion: '1.41' });
    const reordered = JSON.parse(JSON.stringify({ connect: a.connect, body: a.body, name: a.name })) as typeof a;
    expect(configDigest(reordered)).toBe(configDigest(a));
    expect(configDigest({ ...a, name: 'other' })).not.toBe(configDigest(a));
    expect(configDigest(a)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
