// Manifests as registries serve them: Docker v2 and OCI image manifests, and the indexes (Docker
// manifest lists, OCI image indexes) of multi-platform tags, from which linux/amd64 is picked. The
// digest of a manifest is the digest of its bytes as served, which is what daemons record.
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const MEDIA_TYPES = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
} as const;

/** Every type we read; without the OCI index in Accept some registries answer 404 for multi-platform tags. */
export const MANIFEST_ACCEPT = Object.values(MEDIA_TYPES).join(', ');

const INDEX_TYPES: ReadonlySet<string> = new Set([MEDIA_TYPES.dockerManifestList, MEDIA_TYPES.ociIndex]);

/** The platform whose config the Images view shows for a multi-platform tag: the fleet's daemons run linux/amd64. */
export const PLATFORM = { os: 'linux', architecture: 'amd64' } as const;

const Descriptor = z.object({ digest: z.string(), size: z.number().int().nonnegative().optional(), mediaType: z.string().optional() });

const ImageManifest = z.object({
  mediaType: z.string().optional(),
  config: Descriptor,
  layers: z.array(Descriptor),
});
export type ImageManifest = z.infer<typeof ImageManifest>;

const ImageIndex = z.object({
  mediaType: z.string().optional(),
  manifests: z.array(Descriptor.extend({ platform: z.object({ os: z.string(), architecture: z.string(), variant: z.string().optional() }).optional() })),
});
export type ImageIndex = z.infer<typeof ImageIndex>;

export const ImageConfigBlob = z.object({
  created: z.string().optional(),
  config: z.object({ Labels: z.record(z.string(), z.string()).nullish() }).nullish(),
});

export type ParsedManifest = { kind: 'index'; index: ImageIndex } | { kind: 'image'; manifest: ImageManifest } | { kind: 'unknown' };

/** What a manifest body is, by its Content-Type, else its own mediaType, else its shape. */
export function parseManifest(body: Buffer, contentType: string | undefined): ParsedManifest {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return { kind: 'unknown' };
  }
  const index = ImageIndex.safeParse(json);
  const manifest = ImageManifest.safeParse(json);
  const declared = mediaTypeOf(contentType) ?? (index.success ? index.data.mediaType : manifest.success ? manifest.data.mediaType : undefined);
  if (index.success && (declared === undefined || INDEX_TYPES.has(declared))) return { kind: 'index', index: index.data };
  if (manifest.success && !(declared !== undefined && INDEX_TYPES.has(declared))) return { kind: 'image', manifest: manifest.data };
  return { kind: 'unknown' };
}

/** "application/vnd.oci.image.index.v1+json; charset=utf-8" -> the type alone; undefined for none or a generic JSON type. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type && type !== 'application/json' && type !== 'application/octet-stream' && type !== 'text/plain' ? type : undefined;
}

export function isIndexType(mediaType: string): boolean {
  return INDEX_TYPES.has(mediaType);
}

/** The linux/amd64 entry's digest (attestations, platform unknown/unknown, are never picked). */
export function platformDigest(index: ImageIndex): string | undefined {
  const matching = index.manifests.filter((m) => m.platform?.os === PLATFORM.os && m.platform.architecture === PLATFORM.architecture);
  return (matching.find((m) => !m.platform?.variant) ?? matching[0])?.digest;
}

/** Sum of the layers' sizes: what `docker manifest inspect` adds up as the image's compressed size. */
export function layersSize(manifest: ImageManifest): number | undefined {
  let total = 0;
  for (const layer of manifest.layers) {
    if (layer.size === undefined) return undefined;
    total += layer.size;
  }
  return total;
}

const HASHES: Record<string, string> = { sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' };

/** The digest of bytes in the given algorithm (sha256 unless told), as algorithm:hex. */
export function digestOf(bytes: Buffer, algorithm = 'sha256'): string {
  return `${algorithm}:${createHash(HASHES[algorithm] ?? 'sha256').update(bytes).digest('hex')}`;
}

/** Bytes match a digest: computed with the digest's own algorithm. */
export function matchesDigest(bytes: Buffer, digest: string): boolean {
  const algorithm = digest.slice(0, digest.indexOf(':'));
  return algorithm in HASHES && digestOf(bytes, algorithm) === digest;
}
