// Reading a registry's (or its token service's) answer: JSON of the expected shape or a protocol
// error, and a failed status as a RegistryError of its kind, worded from distribution's error body
// ({"errors": [{"code": "MANIFEST_UNKNOWN", "message": "manifest unknown"}]}) or an OAuth2 one
// ({"error": "invalid_grant", "error_description": …}, RFC 6749 §5.2) where it sent one.
import { z } from 'zod';
import type { RegistryErrorKind } from '../../shared/registry';
import type { HttpAnswer } from './httpSend';
import { RegistryError } from './types';

const ErrorBody = z.object({ errors: z.array(z.object({ code: z.string().optional(), message: z.string().optional() })) });
const OAuthErrorBody = z.object({ error: z.string(), error_description: z.string().optional() });

const NOT_FOUND_CODES = new Set(['NAME_UNKNOWN', 'MANIFEST_UNKNOWN', 'BLOB_UNKNOWN']);
/** Distribution's, and OAuth2's for credentials a token service refused (it answers those with 400). */
const AUTH_CODES = new Set(['UNAUTHORIZED', 'DENIED', 'invalid_grant', 'invalid_client', 'unauthorized_client']);
/** A proxy in front of a registry that is down answers these. */
const GATEWAY_STATUSES = new Set([502, 503, 504]);
/** A registry's own words can be long (details, HTML pages): enough to say what went wrong. */
const MESSAGE_MAX = 200;

export function isOk(answer: HttpAnswer): boolean {
  return answer.status >= 200 && answer.status < 300;
}

/** A failed answer as a RegistryError; `what` names the request, e.g. "https://r:5000 lab/app:1.0 manifest". */
export function answerError(answer: HttpAnswer, what: string): RegistryError {
  const oauth = safeJson(answer.body, OAuthErrorBody);
  const errors = oauth ? [{ code: oauth.error, message: oauth.error_description }] : (safeJson(answer.body, ErrorBody)?.errors ?? []);
  const codes = new Set(errors.map((e) => e.code ?? ''));
  const first = errors[0];
  const words = first ? `: ${[first.code, first.message].filter(Boolean).join(' ')}`.slice(0, MESSAGE_MAX) : '';
  return new RegistryError(`${what}: HTTP ${answer.status}${words}`, kindOf(answer.status, codes));
}

function kindOf(status: number, codes: ReadonlySet<string>): RegistryErrorKind {
  if (status === 404 || [...codes].some((c) => NOT_FOUND_CODES.has(c))) return 'not-found';
  if (status === 401 || status === 403 || [...codes].some((c) => AUTH_CODES.has(c))) return 'auth';
  if (GATEWAY_STATUSES.has(status)) return 'unreachable';
  return 'protocol';
}

function safeJson<T>(body: Buffer, schema: z.ZodType<T>): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(body.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The body as JSON of the given shape, else a protocol error (a registry answering garbage). */
export function readJson<T>(answer: HttpAnswer, schema: z.ZodType<T>, what: string): T {
  const parsed = safeJson(answer.body, schema);
  if (parsed === undefined) throw new RegistryError(`${what}: the answer is not the JSON a registry sends`, 'protocol');
  return parsed;
}
