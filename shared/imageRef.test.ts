// Image references: the examples from distribution's reference and normalize tests that the docker
// CLI runs, the forms our fleet uses, and the bad ones with the reason each error gives.
import { describe, expect, it } from 'vitest';
import { familiarImageRef, formatImageRef, ImageRefError, isDigest, isRepositoryPath, isTag, manifestReference, parseImageRef, type ImageRef } from './imageRef';

const sha256 = 'sha256:' + 'f'.repeat(64);
const sha512 = 'sha512:' + 'e'.repeat(128);

const valid: [string, ImageRef, string][] = [
  // [reference, parsed, familiar form]
  ['ubuntu', { registry: 'docker.io', repository: 'library/ubuntu' }, 'ubuntu'],
  ['ubuntu:22.04', { registry: 'docker.io', repository: 'library/ubuntu', tag: '22.04' }, 'ubuntu:22.04'],
  ['library/ubuntu', { registry: 'docker.io', repository: 'library/ubuntu' }, 'ubuntu'],
  ['docker.io/ubuntu', { registry: 'docker.io', repository: 'library/ubuntu' }, 'ubuntu'],
  ['docker.io/library/ubuntu', { registry: 'docker.io', repository: 'library/ubuntu' }, 'ubuntu'],
  ['index.docker.io/ubuntu', { registry: 'docker.io', repository: 'library/ubuntu' }, 'ubuntu'],
  ['index.docker.io/bitnami/redis', { registry: 'docker.io', repository: 'bitnami/redis' }, 'bitnami/redis'],
  ['bitnami/redis:7.2', { registry: 'docker.io', repository: 'bitnami/redis', tag: '7.2' }, 'bitnami/redis:7.2'],
  ['docker.io/library/foo/bar', { registry: 'docker.io', repository: 'library/foo/bar' }, 'library/foo/bar'],
  ['test_com', { registry: 'docker.io', repository: 'library/test_com' }, 'test_com'],
  // A first component without "." or ":" is a Docker Hub namespace, not a host.
  ['foo/bar', { registry: 'docker.io', repository: 'foo/bar' }, 'foo/bar'],
  ['test.com:tag', { registry: 'docker.io', repository: 'library/test.com', tag: 'tag' }, 'test.com:tag'],
  ['test.com:5000', { registry: 'docker.io', repository: 'library/test.com', tag: '5000' }, 'test.com:5000'],
  ['foo_bar.com:8080', { registry: 'docker.io', repository: 'library/foo_bar.com', tag: '8080' }, 'foo_bar.com:8080'],
  ['foo/foo_bar.com:8080', { registry: 'docker.io', repository: 'foo/foo_bar.com', tag: '8080' }, 'foo/foo_bar.com:8080'],
  ['localhost:5000', { registry: 'docker.io', repository: 'library/localhost', tag: '5000' }, 'localhost:5000'],
  ['test.com/repo:tag', { registry: 'test.com', repository: 'repo', tag: 'tag' }, 'test.com/repo:tag'],
  ['test:5000/repo', { registry: 'test:5000', repository: 'repo' }, 'test:5000/repo'],
  ['test:5000/repo:tag', { registry: 'test:5000', repository: 'repo', tag: 'tag' }, 'test:5000/repo:tag'],
  [`test:5000/repo@${sha256}`, { registry: 'test:5000', repository: 'repo', digest: sha256 }, `test:5000/repo@${sha256}`],
  [`test:5000/repo:tag@${sha256}`, { registry: 'test:5000', repository: 'repo', tag: 'tag', digest: sha256 }, `test:5000/repo:tag@${sha256}`],
  [`ubuntu@${sha256}`, { registry: 'docker.io', repository: 'library/ubuntu', digest: sha256 }, `ubuntu@${sha256}`],
  ['lowercase:Uppercase', { registry: 'docker.io', repository: 'library/lowercase', tag: 'Uppercase' }, 'lowercase:Uppercase'],
  ['sub-dom1.foo.com/bar/baz/quux', { registry: 'sub-dom1.foo.com', repository: 'bar/baz/quux' }, 'sub-dom1.foo.com/bar/baz/quux'],
  [
    'sub-dom1.foo.com/bar/baz/quux:some-long-tag',
    { registry: 'sub-dom1.foo.com', repository: 'bar/baz/quux', tag: 'some-long-tag' },
    'sub-dom1.foo.com/bar/baz/quux:some-long-tag',
  ],
  [
    'b.gcr.io/test.example.com/my-app:test.example.com',
    { registry: 'b.gcr.io', repository: 'test.example.com/my-app', tag: 'test.example.com' },
    'b.gcr.io/test.example.com/my-app:test.example.com',
  ],
  ['xn--n3h.com/myimage:xn--n3h.com', { registry: 'xn--n3h.com', repository: 'myimage', tag: 'xn--n3h.com' }, 'xn--n3h.com/myimage:xn--n3h.com'],
  [
    `xn--7o8h.com/myimage:xn--7o8h.com@${sha512}`,
    { registry: 'xn--7o8h.com', repository: 'myimage', tag: 'xn--7o8h.com', digest: sha512 },
    `xn--7o8h.com/myimage:xn--7o8h.com@${sha512}`,
  ],
  ['localhost/foo', { registry: 'localhost', repository: 'foo' }, 'localhost/foo'],
  ['localhost:5000/foo/bar:v1', { registry: 'localhost:5000', repository: 'foo/bar', tag: 'v1' }, 'localhost:5000/foo/bar:v1'],
  ['198.18.0.1:5000/lab/app:1.0', { registry: '198.18.0.1:5000', repository: 'lab/app', tag: '1.0' }, '198.18.0.1:5000/lab/app:1.0'],
  ['[2001:db8::1]:5000/repo:tag', { registry: '[2001:db8::1]:5000', repository: 'repo', tag: 'tag' }, '[2001:db8::1]:5000/repo:tag'],
  ['[2001:db8::1]/repo', { registry: '[2001:db8::1]', repository: 'repo' }, '[2001:db8::1]/repo'],
  // Uppercase is allowed in a host, only the repository path must be lowercase.
  ['Example.COM/repo', { registry: 'Example.COM', repository: 'repo' }, 'Example.COM/repo'],
  // Separators: ".", "_", "__" and any run of "-".
  ['ab/a.b_c__d---e/f-g', { registry: 'docker.io', repository: 'ab/a.b_c__d---e/f-g' }, 'ab/a.b_c__d---e/f-g'],
  ['repo:_tag', { registry: 'docker.io', repository: 'library/repo', tag: '_tag' }, 'repo:_tag'],
  ['repo:' + 'a'.repeat(128), { registry: 'docker.io', repository: 'library/repo', tag: 'a'.repeat(128) }, 'repo:' + 'a'.repeat(128)],
  // 255 characters of name with the registry: the limit itself is fine.
  ['localhost/' + 'a'.repeat(245), { registry: 'localhost', repository: 'a'.repeat(245) }, 'localhost/' + 'a'.repeat(245)],
];

const invalid: [string, RegExp][] = [
  ['', /is empty/],
  [':justtag', /at least one component/],
  [`@${sha256}`, /at least one component/],
  ['example.com/', /at least one component/],
  ['example.com/a/', /empty path component/],
  ['example.com/a//b', /empty path component/],
  ['Uppercase:tag', /repository name must be lowercase/],
  ['test:5000/Uppercase/lowercase:tag', /repository name must be lowercase/],
  ['docker.io/Library/ubuntu', /repository name must be lowercase/],
  ['ubuntu:', /empty tag/],
  ['localhost:5000/app:', /empty tag/],
  ['repo:-tag', /bad tag "-tag"/],
  ['repo:.tag', /bad tag ".tag"/],
  ['repo:' + 'a'.repeat(129), /bad tag/],
  ['repo:tag:extra', /bad tag "tag:extra"/],
  ['validbase@sha256:fffffffffffffffff', /bad digest .*expected algorithm:hex/],
  [`validname@invaliddigest:${'f'.repeat(64)}`, /unsupported digest algorithm invaliddigest/],
  [`repo@sha256:${'f'.repeat(63)}ff`, /sha256 needs 64 hex digits, got 65/],
  [`repo@sha256:${'f'.repeat(40)}`, /sha256 needs 64 hex digits, got 40/],
  [`repo@sha256:${'F'.repeat(64)}`, /hex digits must be lowercase/],
  [`repo@sha256:${'g'.repeat(64)}`, /expected algorithm:hex/],
  ['repo@', /empty digest/],
  [`repo@${sha256}@${sha256}`, /more than one "@"/],
  [':5000/x', /port without a registry host \(":5000"\)/],
  [':5000/x:tag', /port without a registry host/],
  ['localhost:/x', /empty port after "localhost"/],
  ['localhost:50a0/x', /bad registry host "localhost:50a0"/],
  ['-foo.com/x', /bad registry host "-foo.com"/],
  ['foo-.com/x', /bad registry host/],
  ['aa/asdf$$^/aa', /bad repository path component "asdf\$\$\^"/],
  ['foo bar', /bad repository path component "foo bar"/],
  ['a..b', /bad repository path component "a..b"/],
  ['a___b', /bad repository path component/],
  ['-a', /bad repository path component/],
  ['a-', /bad repository path component/],
  ['_a', /bad repository path component/],
  ['f'.repeat(64), /image ID, not a repository name/],
  ['a'.repeat(256), /must not be more than 255 characters/],
  // "docker.io/library/" counts: 18 + 238 = 256.
  ['a'.repeat(238), /must not be more than 255 characters/],
  ['localhost/' + 'a'.repeat(246), /must not be more than 255 characters/],
];

describe('parseImageRef', () => {
  it.each(valid)('parses %s', (reference, parsed) => {
    expect(parseImageRef(reference)).toEqual(parsed);
  });

  it.each(invalid)('refuses %s', (reference, reason) => {
    let caught: unknown;
    try {
      parseImageRef(reference);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ImageRefError);
    expect((caught as ImageRefError).message).toMatch(reason);
    expect((caught as ImageRefError).message).toContain(`"${reference}"`);
    expect((caught as ImageRefError).reference).toBe(reference);
  });

  it('leaves out the tag and digest keys when the reference has none', () => {
    expect(Object.keys(parseImageRef('198.18.0.1:5000/lab/app'))).toEqual(['registry', 'repository']);
  });
});

describe('formatImageRef and familiarImageRef', () => {
  it.each(valid)('%s: familiar form as docker prints it, and both forms parse back to the same reference', (reference, parsed, familiar) => {
    expect(familiarImageRef(parsed)).toBe(familiar);
    expect(parseImageRef(familiarImageRef(parsed))).toEqual(parsed);
    expect(parseImageRef(formatImageRef(parsed))).toEqual(parsed);
  });

  it('writes the full form with registry and library/', () => {
    expect(formatImageRef(parseImageRef('ubuntu:22.04'))).toBe('docker.io/library/ubuntu:22.04');
    expect(formatImageRef(parseImageRef(`bitnami/redis:7@${sha256}`))).toBe(`docker.io/bitnami/redis:7@${sha256}`);
    expect(formatImageRef(parseImageRef('198.18.0.1:5000/lab/app'))).toBe('198.18.0.1:5000/lab/app');
  });
});

describe('manifestReference', () => {
  it('asks for the digest first, then the tag, then latest', () => {
    expect(manifestReference(parseImageRef(`app:1.0@${sha256}`))).toBe(sha256);
    expect(manifestReference(parseImageRef('app:1.0'))).toBe('1.0');
    expect(manifestReference(parseImageRef('app'))).toBe('latest');
  });
});

describe('isDigest', () => {
  it('accepts sha256, sha384 and sha512 with their lengths only', () => {
    expect(isDigest(sha256)).toBe(true);
    expect(isDigest('sha384:' + 'a'.repeat(96))).toBe(true);
    expect(isDigest(sha512)).toBe(true);
    expect(isDigest('sha384:' + 'a'.repeat(64))).toBe(false);
    expect(isDigest('1.0')).toBe(false);
    expect(isDigest('md5:' + 'a'.repeat(32))).toBe(false);
  });
});

describe('isTag and isRepositoryPath', () => {
  it('tells tags and repository paths from what cannot be one (and cannot climb out of a URL path)', () => {
    expect(isTag('1.0')).toBe(true);
    expect(isTag('-1')).toBe(false);
    expect(isTag('a/b')).toBe(false);
    expect(isRepositoryPath('lab/app')).toBe(true);
    expect(isRepositoryPath('library/ubuntu')).toBe(true);
    expect(isRepositoryPath('../etc')).toBe(false);
    expect(isRepositoryPath('lab//app')).toBe(false);
    expect(isRepositoryPath('Lab/app')).toBe(false);
    expect(isRepositoryPath('')).toBe(false);
  });
});
