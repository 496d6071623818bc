// Telling manifests from indexes, picking linux/amd64, and digests of bytes as served.
import { describe, expect, it } from 'vitest';
import { digestOf, layersSize, matchesDigest, MEDIA_TYPES, mediaTypeOf, parseManifest, platformDigest, type ImageIndex } from './manifests';

const image = { schemaVersion: 2, config: { digest: 'sha256:' + 'c'.repeat(64), size: 1 }, layers: [{ digest: 'sha256:' + '1'.repeat(64), size: 10 }] };
const index = { schemaVersion: 2, manifests: [{ digest: 'sha256:' + 'd'.repeat(64), platform: { os: 'linux', architecture: 'amd64' } }] };
const bytes = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));

describe('parseManifest', () => {
  it('goes by Content-Type, then the body mediaType, then the shape', () => {
    expect(parseManifest(bytes(image), MEDIA_TYPES.dockerManifest).kind).toBe('image');
    expect(parseManifest(bytes(index), `${MEDIA_TYPES.ociIndex}; charset=utf-8`).kind).toBe('index');
    expect(parseManifest(bytes({ ...index, mediaType: MEDIA_TYPES.dockerManifestList }), 'application/json').kind).toBe('index');
    expect(parseManifest(bytes(image), undefined).kind).toBe('image');
    expect(parseManifest(bytes(index), undefined).kind).toBe('index');
  });

  it('reads neither garbage nor a body that contradicts its type', () => {
    expect(parseManifest(Buffer.from('<html>'), MEDIA_TYPES.dockerManifest).kind).toBe('unknown');
    expect(parseManifest(bytes(image), MEDIA_TYPES.ociIndex).kind).toBe('unknown');
    expect(parseManifest(bytes({ schemaVersion: 1, fsLayers: [] }), undefined).kind).toBe('unknown');
  });
});

describe('mediaTypeOf', () => {
  it('drops parameters and generic JSON types', () => {
    expect(mediaTypeOf('Application/VND.oci.image.index.v1+json ; charset=utf-8')).toBe(MEDIA_TYPES.ociIndex);
    expect(mediaTypeOf('application/json')).toBeUndefined();
    expect(mediaTypeOf(undefined)).toBeUndefined();
  });
});

describe('platformDigest', () => {
  const entry = (n: string, os: string, architecture: string, variant?: string) => ({ digest: `sha256:${n.repeat(64)}`, platform: { os, architecture, ...(variant && { variant }) } });

  it('picks linux/amd64 (without variant first), never an attestation or another platform', () => {
    const idx: ImageIndex = { manifests: [entry('1', 'unknown', 'unknown'), entry('2', 'linux', 'arm64'), entry('3', 'linux', 'amd64', 'v3'), entry('4', 'linux', 'amd64'), entry('5', 'windows', 'amd64')] };
    expect(platformDigest(idx)).toBe(`sha256:${'4'.repeat(64)}`);
    expect(platformDigest({ manifests: [entry('3', 'linux', 'amd64', 'v2')] })).toBe(`sha256:${'3'.repeat(64)}`);
    expect(platformDigest({ manifests: [entry('2', 'linux', 'arm64'), { digest: 'sha256:' + '6'.repeat(64) }] })).toBeUndefined();
  });
});

describe('layersSize and digests', () => {
  it('sums the layers, and gives no size when a layer has none', () => {
    expect(layersSize({ config: image.config, layers: [{ digest: 'x', size: 10 }, { digest: 'y', size: 5 }] })).toBe(15);
    expect(layersSize({ config: image.config, layers: [] })).toBe(0);
    expect(layersSize({ config: image.config, layers: [{ digest: 'x' }] })).toBeUndefined();
  });

  it('checks bytes against a digest in its own algorithm', () => {
    const body = Buffer.from('hello');
    expect(digestOf(body)).toBe('sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    expect(matchesDigest(body, digestOf(body, 'sha512'))).toBe(true);
    expect(matchesDigest(body, 'sha256:' + '0'.repeat(64))).toBe(false);
    expect(matchesDigest(body, 'md5:5d41402abc4b2a76b9719d911017c592')).toBe(false);
  });
});
