// No secret ever goes into the audit log's params: a value under a key that names one (password,
// token, secret, credentials, private or API keys, auth headers) is replaced, at any depth.
const SECRET_KEY = /pass(word|phrase)?|secret|token|credential|auth|private.?key|api.?key|cookie/i;

export const REDACTED = '[redacted]';

export function withoutSecrets(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).map(([key, value]) => [key, SECRET_KEY.test(key) ? REDACTED : scrub(value)]));
}

function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (value && typeof value === 'object') return withoutSecrets(value as Record<string, unknown>);
  return value;
}
