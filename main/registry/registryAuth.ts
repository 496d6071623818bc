// The X-Registry-Auth header the Engine API takes on a pull (and push): the AuthConfig JSON
// {username, password, serveraddress} or {identitytoken, serveraddress}, base64url-encoded with
// padding, as moby's api/types/registry EncodeAuthConfig (Go's base64.URLEncoding) makes it.
import type { RegistryCredentials } from './types';

export const REGISTRY_AUTH_HEADER = 'X-Registry-Auth';

/** The engine's AuthConfig (its JSON field names); for dockerode's `authconfig` option too. */
export interface EngineAuthConfig {
  username?: string;
  password?: string;
  identitytoken?: string;
  serveraddress: string;
}

/** serverAddress: the registry as the docker CLI names it (host[:port]; Docker Hub https://index.docker.io/v1/). */
export function engineAuthConfig(credentials: RegistryCredentials | undefined, serverAddress: string): EngineAuthConfig {
  if (!credentials) return { serveraddress: serverAddress };
  if ('identityToken' in credentials) {
    return credentials.username
      ? { username: credentials.username, identitytoken: credentials.identityToken, serveraddress: serverAddress }
      : { identitytoken: credentials.identityToken, serveraddress: serverAddress };
  }
  return { username: credentials.username, password: credentials.password, serveraddress: serverAddress };
}

/** The header's value. No credentials: an anonymous AuthConfig, as the docker CLI sends for a public pull. */
export function registryAuthHeader(credentials: RegistryCredentials | undefined, serverAddress: string): string {
  return Buffer.from(JSON.stringify(engineAuthConfig(credentials, serverAddress)), 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}
