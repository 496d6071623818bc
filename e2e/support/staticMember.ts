// Throwaway service members for the rollout tests: a container on the lab's br0 with a static IP
// and MAC, made as lab.sh makes the static seeds (through the Engine API).
import type Dockerode from 'dockerode';

export interface StaticMember {
  name: string;
  image: string;
  service: string;
  ip: string;
  mac: string;
  /** Overrides the image's HEALTHCHECK (e.g. { Test: ['NONE'] }); the image's when absent. */
  healthcheck?: Record<string, unknown>;
}

/** Throws, naming the holder, when `ip` is already taken on the daemon's br0. */
export async function assertFreeAddress(docker: Dockerode, ip: string, where: string): Promise<void> {
  const taken = Object.values((await docker.getNetwork('br0').inspect()).Containers ?? {}).find((c) => (c as { IPv4Address: string }).IPv4Address.startsWith(`${ip}/`));
  if (taken) throw new Error(`${ip} on ${where}'s br0 is taken by ${(taken as { Name: string }).Name}: pick another free address for this test`);
}

/** Creates and starts the member (the lab fleet's service label: com.example.service); returns its id. */
export async function createStaticMember(docker: Dockerode, m: StaticMember): Promise<string> {
  const created = await docker.createContainer({
    name: m.name,
    Image: m.image,
    Hostname: m.name,
    MacAddress: m.mac,
    Labels: { 'com.example.service': m.service },
    ...(m.healthcheck ? { Healthcheck: m.healthcheck } : {}),
    HostConfig: { NetworkMode: 'br0', RestartPolicy: { Name: 'unless-stopped', MaximumRetryCount: 0 } },
    NetworkingConfig: { EndpointsConfig: { br0: { IPAMConfig: { IPv4Address: m.ip } } } },
  });
  await created.start();
  return created.id;
}
