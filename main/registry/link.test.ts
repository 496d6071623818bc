// Link headers as registries send them for the next page, relative or absolute.
import { describe, expect, it } from 'vitest';
import { nextLink } from './link';

const page = new URL('https://198.18.0.1:5000/v2/_catalog?n=2');

describe('nextLink', () => {
  it("resolves distribution's relative link against the page's URL", () => {
    expect(nextLink('</v2/_catalog?last=b&n=2>; rel="next"', page)?.href).toBe('https://198.18.0.1:5000/v2/_catalog?last=b&n=2');
  });

  it('resolves a path-relative link and an absolute one', () => {
    expect(nextLink('<tags/list?last=1.0>; rel=next', new URL('https://r.example/v2/lab/app/'))?.href).toBe('https://r.example/v2/lab/app/tags/list?last=1.0');
    expect(nextLink('<https://r.example/v2/_catalog?last=z>; rel="next"', page)?.href).toBe('https://r.example/v2/_catalog?last=z');
  });

  it('finds next among several links and rel values, in any case', () => {
    expect(nextLink('</v2/_catalog?first>; rel="first", </v2/_catalog?last=c>; title="x"; REL="prev Next"', page)?.search).toBe('?last=c');
    expect(nextLink(['</a>; rel="prev"', '</b>; rel="next"'], page)?.pathname).toBe('/b');
  });

  it('gives none without a next link', () => {
    expect(nextLink(undefined, page)).toBeUndefined();
    expect(nextLink('', page)).toBeUndefined();
    expect(nextLink('</v2/_catalog?last=b>; rel="prev"', page)).toBeUndefined();
    expect(nextLink('garbage', page)).toBeUndefined();
    expect(nextLink('<http://[bad>; rel="next"', page)).toBeUndefined();
  });
});
