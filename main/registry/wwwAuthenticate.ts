// Parses WWW-Authenticate (RFC 9110 §11.6.1): one header may carry several challenges, each a
// scheme then a token68 or comma-separated auth-params whose values are tokens or quoted strings
// (which may hold commas and escaped quotes, as a token service's scope does). Splitting on commas
// breaks on `scope="repository:a:pull,push"`; this reads the grammar instead.

export interface Challenge {
  /** Lowercased: schemes are case-insensitive. */
  scheme: string;
  /** Parameter names lowercased (case-insensitive too); values as sent, unquoted. */
  params: Record<string, string>;
  token68?: string;
}

// RFC 9110 tchar; token68 adds "/" and trailing "=" padding.
const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68_CHAR = /[A-Za-z0-9\-._~+/]/;
/** Unquoted values are tokens by the RFC; registries also send hosts with ":" unquoted, so take up to a comma or space. */
const BARE_VALUE_CHAR = /[^,\s"]/;

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): string {
    return this.text.charAt(this.pos);
  }

  skipSpace(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }

  /** Whitespace and the empty list elements RFC 9110 lets a list carry. */
  skipSpaceAndCommas(): void {
    while (this.peek() === ' ' || this.peek() === '\t' || this.peek() === ',') this.pos++;
  }

  read(pattern: RegExp): string {
    const start = this.pos;
    while (!this.done && pattern.test(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** A quoted-string from its opening quote: backslash escapes the next character. */
  quoted(): string {
    let value = '';
    this.pos++;
    while (!this.done) {
      const c = this.text.charAt(this.pos++);
      if (c === '"') return value;
      if (c === '\\' && !this.done) value += this.text.charAt(this.pos++);
      else value += c;
    }
    return value; // unterminated: keep what came
  }

  /** Skips to the next top-level comma, past quoted strings: recovery from garbage. */
  skipElement(): void {
    while (!this.done && this.peek() !== ',') {
      if (this.peek() === '"') this.quoted();
      else this.pos++;
    }
  }
}

/** A name=value parameter starts here: a token, "=", then a value or a quoted string (else it is a token68's padding). */
function paramAhead(s: Scanner): boolean {
  const start = s.pos;
  let isParam = false;
  if (s.read(TCHAR) !== '') {
    s.skipSpace();
    if (s.peek() === '=') {
      s.pos++;
      s.skipSpace();
      isParam = s.peek() === '"' || (s.peek() !== '=' && BARE_VALUE_CHAR.test(s.peek()));
    }
  }
  s.pos = start;
  return isParam;
}

function readParam(s: Scanner, params: Record<string, string>): void {
  const name = s.read(TCHAR).toLowerCase();
  s.skipSpace();
  s.pos++; // "="
  s.skipSpace();
  const value = s.peek() === '"' ? s.quoted() : s.read(BARE_VALUE_CHAR);
  // RFC 9110: each parameter name appears once a challenge; keep the first.
  if (!(name in params)) params[name] = value;
  s.skipSpace();
  if (!s.done && s.peek() !== ',') s.skipElement();
}

export function parseWwwAuthenticate(header: string | readonly string[] | undefined): Challenge[] {
  if (header === undefined) return [];
  if (typeof header !== 'string') return header.flatMap((h) => parseWwwAuthenticate(h));
  const s = new Scanner(header);
  const challenges: Challenge[] = [];
  for (;;) {
    s.skipSpaceAndCommas();
    if (s.done) return challenges;
    const scheme = s.read(TCHAR);
    if (scheme === '') {
      s.skipElement();
      continue;
    }
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    s.skipSpace();
    if (!s.done && s.peek() !== ',' && !paramAhead(s)) {
      const token68 = s.read(TOKEN68_CHAR) + s.read(/=/);
      if (token68) challenge.token68 = token68;
      s.skipSpace();
      if (!s.done && s.peek() !== ',') s.skipElement();
      continue;
    }
    // auth-params until the next element that is not name=value: that one is the next scheme.
    for (;;) {
      s.skipSpaceAndCommas();
      if (s.done || !paramAhead(s)) break;
      readParam(s, challenge.params);
    }
  }
}

/** The first challenge of a scheme (e.g. "bearer"), if the header offers it. */
export function findChallenge(challenges: readonly Challenge[], scheme: string): Challenge | undefined {
  return challenges.find((c) => c.scheme === scheme.toLowerCase());
}
