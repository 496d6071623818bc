// The registry slice: the fleet's registries, their repositories and tags (with digest, age, size,
// labels), and which container runs which image digest, old or current. Main talks to the
// registries (main/registry); credentials never leave main.
import { z } from 'zod';
import { call, empty } from './slice';

/** Why a registry (or one of its answers) failed; the UI shows it where the data would be. */
export const RegistryErrorKind = z.enum(['auth', 'tls', 'unreachable', 'timeout', 'not-found', 'protocol']);
export type RegistryErrorKind = z.infer<typeof RegistryErrorKind>;

export const RegistryInfo = z.object({
  /** As in the fleet file, e.g. https://198.18.0.1:5000 */
  url: z.string(),
  /** host[:port], as image references name it. */
  host: z.string(),
  /** Plain HTTP allowed by the fleet file (insecure: true): the UI marks it. */
  insecure: z.boolean(),
  /** Where its credentials come from: never the credentials themselves. */
  credentials: z.enum(['fleet-file', 'docker-config', 'credential-helper', 'none']),
  /** After a /v2/ ping: ok, or why not. */
  status: z.enum(['ok', 'error']),
  error: z.object({ kind: RegistryErrorKind, message: z.string() }).optional(),
});
export type RegistryInfo = z.infer<typeof RegistryInfo>;

export const TagInfo = z.object({
  tag: z.string(),
  /** Docker-Content-Digest of the tag's manifest (an index's digest for multi-platform tags). */
  digest: z.string(),
  mediaType: z.string(),
  /** For an index: the linux/amd64 manifest's digest, whose config gives created/size/labels. */
  platformDigest: z.string().optional(),
  /** ISO 8601, from the image config. */
  created: z.string().optional(),
  /** Sum of the layers' sizes, bytes. */
  size: z.number().int().nonnegative().optional(),
  labels: z.record(z.string(), z.string()),
});
export type TagInfo = z.infer<typeof TagInfo>;

/** One container's image: what it was created from, and what the daemon and the registry say of it. */
export const ContainerImage = z.object({
  host: z.string(),
  id: z.string(),
  name: z.string(),
  /** The reference it was created from (Config.Image), e.g. 198.18.0.1:5000/lab/app:1.0 */
  image: z.string(),
  imageId: z.string(),
  /** RepoDigests the daemon records for that image (/images/{id}/json). */
  repoDigests: z.array(z.string()),
  /** The digest its tag points to in the registry now, where the registry answered. */
  currentDigest: z.string().optional(),
  /** true: its tag has moved on in the registry; undefined: not known (no tag, registry down, not ours). */
  outdated: z.boolean().optional(),
});
export type ContainerImage = z.infer<typeof ContainerImage>;

const registryUrl = z.string().min(1).max(500);
const repository = z.string().min(1).max(255);

export const registrySlice = {
  calls: {
    registries: call(empty, z.array(RegistryInfo)),
    registryRepositories: call(z.object({ registry: registryUrl }).strict(), z.object({ repositories: z.array(z.string()) })),
    registryTags: call(z.object({ registry: registryUrl, repository }).strict(), z.object({ tags: z.array(TagInfo) })),
    /** Every container in the fleet with its image digests, and whether its tag has moved on. */
    imageUsage: call(empty, z.object({ containers: z.array(ContainerImage) })),
  },
  streams: {},
};
