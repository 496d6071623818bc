// The seams between the registry client (client.ts), credentials (credentials.ts) and the
// registry service (registryService.ts), so each is built and tested on its own.
import type { RegistryErrorKind, TagInfo } from '../../shared/registry';

/** What a registry accepts: basic credentials, or an identity token (a refresh token for the token service). */
export type RegistryCredentials = { username: string; password: string } | { identityToken: string; username?: string };

export type CredentialSource = 'fleet-file' | 'docker-config' | 'credential-helper' | 'none';

/** Finds the credentials for a registry host (host[:port]); secrets stay in memory only. */
export interface CredentialStore {
  lookup(registryHost: string): Promise<{ source: CredentialSource; credentials?: RegistryCredentials }>;
}

/** A failed registry call, with its kind; the message never holds a secret. */
export class RegistryError extends Error {
  constructor(
    message: string,
    readonly kind: RegistryErrorKind,
  ) {
    super(message);
  }
}

export interface ManifestDigest {
  digest: string;
  mediaType: string;
  /** For an index or manifest list: linux/amd64's manifest digest. */
  platformDigest?: string;
}

export interface ImageConfigSummary {
  created?: string;
  size?: number;
  labels: Record<string, string>;
}

/** One registry's Registry v2 API. */
export interface RegistryApi {
  readonly url: string;
  ping(): Promise<void>;
  /** Every repository (/v2/_catalog), following Link: rel="next" pages. */
  repositories(): Promise<string[]>;
  /** Every tag of a repository (/v2/NAME/tags/list), paged the same way. */
  tags(repository: string): Promise<string[]>;
  /** The digest of a tag or digest reference: HEAD, falling back to GET. */
  manifestDigest(repository: string, reference: string): Promise<ManifestDigest>;
  /** Created, size (sum of layers) and labels, from the platform manifest's config blob. */
  imageConfig(repository: string, reference: string): Promise<ImageConfigSummary>;
  /** All of the above for one tag. */
  tagInfo(repository: string, tag: string): Promise<TagInfo>;
}
