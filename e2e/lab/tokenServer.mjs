// fleetdeck lab: the token server of the lab's token-auth registry (distribution's token spec,
// docs/spec/auth/token.md, jwt.md, oauth.md). Started by lab.sh with one argument, the config
// JSON it writes ($LAB/token-server/config.json). Node built-ins only: the lab needs no npm install.
//
//   GET  /token?service=…&scope=…(repeated)&account=…   Basic auth -> {token, access_token, expires_in, issued_at}
//   POST /token  (form: grant_type=password|refresh_token, scope="a b", access_type=offline, client_id)
//                                                        -> {access_token, token, expires_in, issued_at, scope, refresh_token?}
//   GET  /healthz                                        -> 200 "ok" (readiness, for lab.sh)
//
// Tokens are RS256 JWTs whose header carries the signing certificate (x5c); the registry trusts
// it through its rootcertbundle. Secrets and tokens are never logged.
import { createHmac, randomBytes, sign, timingSafeEqual, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';

/**
 * Config (written by lab.sh):
 * { host, port, tls: {cert, key}, signing: {cert, key}, issuer, service, lifetimeSeconds,
 *   refreshSecretFile, users: {NAME: {passwordFile, access: [{type, name: "lab/*" | "catalog", actions}]}} }
 */
const config = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8'));
const signingKey = readFileSync(config.signing.key);
const signingCertDer = new X509Certificate(readFileSync(config.signing.cert)).raw.toString('base64');
const refreshSecret = readFileSync(config.refreshSecretFile, 'utf8').trim();

const b64url = (data) => Buffer.from(data).toString('base64url');

/** The user's password, read on each request so a regenerated password file needs no restart. */
function passwordOf(user) {
  const entry = config.users[user];
  if (!entry) return undefined;
  try {
    return readFileSync(entry.passwordFile, 'utf8');
  } catch {
    return undefined;
  }
}

function checkPassword(user, password) {
  const want = passwordOf(user);
  if (want === undefined || typeof password !== 'string') return false;
  const a = Buffer.from(want);
  const b = Buffer.from(password);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** "type:name:actions"; the name may hold colons (a host with a port), so split at the first and last. */
function parseScope(scope) {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last === first || last === scope.length - 1) return undefined;
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions: scope.slice(last + 1).split(',').filter(Boolean) };
}

function nameMatches(pattern, name) {
  return pattern.endsWith('/*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name;
}

/** The requested actions the user's rules allow ("*" in a rule allows every action). */
function grant(user, { type, name, actions }) {
  const allowed = new Set();
  for (const rule of config.users[user]?.access ?? []) {
    if (rule.type === type && nameMatches(rule.name, name)) for (const a of rule.actions) allowed.add(a);
  }
  return { type, name, actions: actions.filter((a) => allowed.has('*') || allowed.has(a)) };
}

/** The token answer, and the access it grants (for the OAuth answer's `scope`). */
function issueToken(user, service, scopes) {
  const now = Math.floor(Date.now() / 1000);
  const header = { typ: 'JWT', alg: 'RS256', x5c: [signingCertDer] };
  const claims = {
    iss: config.issuer,
    sub: user,
    aud: service,
    exp: now + config.lifetimeSeconds,
    nbf: now,
    iat: now,
    jti: randomBytes(12).toString('hex'),
    access: scopes.map((s) => grant(user, s)).filter((a) => a.actions.length > 0),
  };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  // RS256 = RSASSA-PKCS1-v1_5 with SHA-256, node's default padding for an RSA key.
  const token = `${input}.${sign('sha256', Buffer.from(input), signingKey).toString('base64url')}`;
  return { answer: { token, access_token: token, expires_in: config.lifetimeSeconds, issued_at: new Date(now * 1000).toISOString() }, access: claims.access };
}

// Refresh tokens: "fdrt.<payload>.<mac>"; the MAC key includes the user's current password, so a
// new password (a new lab) revokes every refresh token issued before.
function refreshMac(payload, user) {
  return createHmac('sha256', `${refreshSecret}\0${passwordOf(user) ?? ''}`).update(payload).digest('base64url');
}
function issueRefreshToken(user) {
  const payload = b64url(JSON.stringify({ sub: user, iat: Math.floor(Date.now() / 1000), jti: randomBytes(8).toString('hex') }));
  return `fdrt.${payload}.${refreshMac(payload, user)}`;
}
function refreshTokenUser(token) {
  const [tag, payload, mac] = String(token).split('.');
  if (tag !== 'fdrt' || !payload || !mac) return undefined;
  let user;
  try {
    user = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')).sub;
  } catch {
    return undefined;
  }
  if (typeof user !== 'string' || passwordOf(user) === undefined) return undefined;
  const want = Buffer.from(refreshMac(payload, user));
  const got = Buffer.from(mac);
  return want.length === got.length && timingSafeEqual(want, got) ? user : undefined;
}

function basicUser(header) {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const user = decoded.slice(0, colon);
  return checkPassword(user, decoded.slice(colon + 1)) ? user : undefined;
}

/** Sends a JSON answer and returns `outcome`, the word the request log gets. */
function reply(res, status, body, outcome, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
  return outcome;
}
const registryError = (code, message) => ({ errors: [{ code, message }] });

/** Scopes from repeated `scope` values, each of which may hold several separated by spaces. */
function scopesFrom(values) {
  const scopes = [];
  for (const s of values.flatMap((v) => v.split(' ')).filter(Boolean)) {
    const parsed = parseScope(s);
    if (!parsed) return { bad: s };
    scopes.push(parsed);
  }
  return { scopes };
}

const scopeText = (s) => `${s.type}:${s.name}:${s.actions.join(',')}`;

/** A missing service (a challenge without one) gets the configured one: the only audience here. */
function serviceFrom(value) {
  return value === null || value === '' ? config.service : value === config.service ? value : undefined;
}

function handleGet(req, res, url) {
  const service = serviceFrom(url.searchParams.get('service'));
  if (service === undefined) return reply(res, 400, registryError('BAD_REQUEST', `unknown service; this server issues tokens for "${config.service}"`), 'bad service');
  const { scopes, bad } = scopesFrom(url.searchParams.getAll('scope'));
  if (bad !== undefined) return reply(res, 400, registryError('BAD_REQUEST', `malformed scope "${bad}"`), 'bad scope');
  const user = basicUser(req.headers.authorization);
  if (!user) {
    return reply(res, 401, registryError('UNAUTHORIZED', 'authentication required: wrong or missing username/password'), 'unauthorized', {
      'WWW-Authenticate': 'Basic realm="fleetdeck lab token server"',
    });
  }
  const { answer, access } = issueToken(user, service, scopes);
  return reply(res, 200, answer, `ok ${user} [${access.map(scopeText).join(' ')}]`);
}

function handlePost(req, res, body) {
  const form = new URLSearchParams(body);
  const service = serviceFrom(form.get('service'));
  const oauthError = (status, error, description, outcome) => reply(res, status, { error, error_description: description }, outcome);
  if (service === undefined) return oauthError(400, 'invalid_request', `unknown service; this server issues tokens for "${config.service}"`, 'bad service');
  const { scopes, bad } = scopesFrom(form.getAll('scope'));
  if (bad !== undefined) return oauthError(400, 'invalid_scope', `malformed scope "${bad}"`, 'bad scope');
  let user;
  let refresh;
  switch (form.get('grant_type')) {
    case 'password':
      user = checkPassword(form.get('username') ?? '', form.get('password')) ? form.get('username') : undefined;
      if (!user) return oauthError(400, 'invalid_grant', 'wrong username or password', 'invalid password grant');
      if (form.get('access_type') === 'offline') refresh = issueRefreshToken(user);
      break;
    case 'refresh_token':
      user = refreshTokenUser(form.get('refresh_token'));
      if (!user) return oauthError(400, 'invalid_grant', 'unknown or revoked refresh token', 'invalid refresh grant');
      refresh = form.get('refresh_token');
      break;
    default:
      return oauthError(400, 'unsupported_grant_type', 'grant_type must be password or refresh_token', 'bad grant_type');
  }
  const { answer, access } = issueToken(user, service, scopes);
  const granted = access.map(scopeText).join(' ');
  return reply(res, 200, { ...answer, scope: granted, ...(refresh ? { refresh_token: refresh } : {}) }, `ok ${user} [${granted}] (${form.get('grant_type')}${refresh ? ', refresh token' : ''})`);
}

/** Bodies of POST /token are small forms; anything larger is refused. */
const MAX_BODY = 64 * 1024;

const server = createServer({ cert: readFileSync(config.tls.cert), key: readFileSync(config.tls.key) }, (req, res) => {
  const url = new URL(req.url ?? '/', 'https://lab');
  const done = (outcome) => console.log(`${new Date().toISOString()} ${req.method} ${url.pathname} ${res.statusCode} ${outcome}`);
  if (url.pathname === '/healthz' && req.method === 'GET') return done(reply(res, 200, 'ok', 'health'));
  if (url.pathname !== '/token') return done(reply(res, 404, registryError('NOT_FOUND', 'only /token is served here'), 'not found'));
  if (req.method === 'GET') return done(handleGet(req, res, url));
  if (req.method !== 'POST') return done(reply(res, 405, registryError('UNSUPPORTED', 'GET or POST'), 'method'));
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => {
    body += chunk;
    if (body.length > MAX_BODY) req.destroy();
  });
  req.on('end', () => done(handlePost(req, res, body)));
});
server.listen(config.port, config.host, () => console.log(`${new Date().toISOString()} token server on https://${config.host}:${config.port}/token (service ${config.service}, issuer ${config.issuer})`));
