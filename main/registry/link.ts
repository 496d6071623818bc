// The next page of a paged Registry v2 list: RFC 8288's `Link: <url>; rel="next"`, as distribution
// sends for /v2/_catalog and /v2/NAME/tags/list. Its URL is usually relative ("/v2/_catalog?last=x&n=100").

// One link-value: <target> then ;-separated params (rel=next, rel="next prev", …).
const LINK_VALUE = /<([^>]*)>((?:\s*;\s*[^;,]*)*)/g;
const REL_PARAM = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i;

/** The rel="next" target of a Link header, resolved against the URL of the page that sent it. */
export function nextLink(header: string | readonly string[] | undefined, pageUrl: URL): URL | undefined {
  const text = typeof header === 'string' ? header : header?.join(', ');
  if (!text) return undefined;
  for (const [, target = '', params = ''] of text.matchAll(LINK_VALUE)) {
    const rel = REL_PARAM.exec(params);
    const rels = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (!rels.includes('next')) continue;
    try {
      return new URL(target.trim(), pageUrl);
    } catch {
      return undefined;
    }
  }
  return undefined;
}
