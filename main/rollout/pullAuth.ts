// The X-Registry-Auth value for a rollout's pulls: the credentials the fleet's store finds for the
// image's registry (fleet file, docker config, helpers), encoded as the engine takes them.
import { parseImageRef } from '../../shared/imageRef';
import { serverAddressFor } from '../registry/dockerConfig';
import { registryAuthHeader } from '../registry/registryAuth';
import type { CredentialStore } from '../registry/types';

export function pullAuthFrom(credentials: CredentialStore): (image: string) => Promise<string | undefined> {
  return async (image) => {
    const { registry } = parseImageRef(image);
    const found = (await credentials.lookup(registry)).credentials;
    return found ? registryAuthHeader(found, serverAddressFor(registry)) : undefined;
  };
}
