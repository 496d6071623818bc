// Bearer tokens per distribution's token spec (docs/spec/auth/token.md and oauth.md): asked of the
// challenge's realm for a set of scopes, with basic credentials (GET) or an identity token (the
// OAuth2 refresh_token grant, POST), and cached per scope set until they expire.
import { z } from 'zod';
import { answerError, isOk, readJson } from './answers';
import { describeUrl, type HttpSender } from './httpSend';
import { RegistryError, type RegistryCredentials } from './types';

/** The token spec: "When omitted, this defaults to 60 seconds." */
export const DEFAULT_TOKEN_SECONDS = 60;
/** Who asks, for the token service's logs (the OAuth2 form requires a client_id). */
const CLIENT_ID = 'fleetdeck';

export interface BearerChallenge {
  realm: string;
  /** Some registries leave it out: then the request leaves it out too. */
  service?: string;
}

export interface Token {
  value: string;
  /** Milliseconds since the epoch, on the client's clock. */
  expiresAt: number;
}

const TokenAnswer = z
  .object({
    token: z.string().optional(),
    access_token: z.string().optional(),
    expires_in: z.number().optional(),
  })
  .refine((t) => Boolean(t.token || t.access_token));

export function basicAuthorization(username: string, password: string): string {
  return 'Basic ' + Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}

/** Asks the token service for a token covering every scope (e.g. repository:lab/app:pull); `now` is when it was asked. */
export async function requestToken(
  sender: HttpSender,
  challenge: BearerChallenge,
  scopes: readonly string[],
  credentials: RegistryCredentials | undefined,
  now: number,
): Promise<Token> {
  let realm: URL;
  try {
    realm = new URL(challenge.realm);
  } catch {
    throw new RegistryError(`the registry's token realm is not a URL`, 'protocol');
  }
  const what = `token service ${describeUrl(realm)}`;
  const answer =
    credentials && 'identityToken' in credentials
      ? await sender.send(realm, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'refresh_token',
            refresh_token: credentials.identityToken,
            client_id: CLIENT_ID,
            ...(challenge.service !== undefined && { service: challenge.service }),
            ...(scopes.length > 0 && { scope: scopes.join(' ') }),
          }).toString(),
        })
      : await sender.send(tokenUrl(realm, challenge, scopes, credentials), {
          method: 'GET',
          headers: credentials ? { authorization: basicAuthorization(credentials.username, credentials.password) } : {},
        });
  if (!isOk(answer)) throw answerError(answer, what);
  const body = readJson(answer, TokenAnswer, what);
  const seconds = body.expires_in !== undefined && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_SECONDS;
  return { value: (body.token || body.access_token) ?? '', expiresAt: now + seconds * 1000 };
}

/** realm?service=…&scope=…&scope=…: one scope parameter per scope, as the spec's examples do. */
function tokenUrl(realm: URL, challenge: BearerChallenge, scopes: readonly string[], credentials: { username: string } | undefined): URL {
  const url = new URL(realm);
  if (challenge.service !== undefined) url.searchParams.set('service', challenge.service);
  for (const scope of scopes) url.searchParams.append('scope', scope);
  if (credentials) url.searchParams.set('account', credentials.username);
  return url;
}

/** Tokens by scope set (order and repeats do not matter), each kept until it expires. */
export class TokenCache {
  private readonly tokens = new Map<string, Token>();

  static key(scopes: readonly string[]): string {
    return [...new Set(scopes)].sort().join(' ');
  }

  get(scopes: readonly string[], now: number): Token | undefined {
    const key = TokenCache.key(scopes);
    const token = this.tokens.get(key);
    if (token && token.expiresAt <= now) this.tokens.delete(key);
    return token && token.expiresAt > now ? token : undefined;
  }

  set(scopes: readonly string[], token: Token): void {
    this.tokens.set(TokenCache.key(scopes), token);
  }

  drop(scopes: readonly string[]): void {
    this.tokens.delete(TokenCache.key(scopes));
  }
}
