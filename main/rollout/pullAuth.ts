// The X-Registry-Auth value for a rollout's pulls: the credentials the fleet's store finds for the
// image's registry (fleet file, docker config, helpers), encoded as the engine takes them.
import { DOCKER_HUB, parseImageRef } from '../../shared/imageRef';
import { registryAuthHeader } from '../registry/registryAuth';
import type { CredentialStore } from '../registry/types';

/** The docker CLI's server address for Docker Hub credentials (registryAuth.ts). */
const DOCKER_HUB_AUTH_ADDRESS = 'https://index.docker.io/v1/';

export function pullAuthFrom(credentials: CredentialStore): (image: string) => Promise<string | undefined> {
  return async (image) => {
    const { registry } = parseImageRef(image);
    const found = (await credentials.lookup(registry)).credentials;
    return found ? registryAuthHeader(found, registry === DOCKER_HUB ? DOCKER_HUB_AUTH_ADDRESS : registry) : undefined;
  };
}
