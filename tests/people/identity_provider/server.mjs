// The identity provider of the tests of signing in through one's organisation: the certified oidc-provider
// package, on loopback, with the accounts the test gives it.
// Env: PORT, ISSUER, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, ACCOUNTS (JSON),
//      optional CLIENT2_ID, CLIENT2_SECRET, CLIENT2_REDIRECT_URI (defaults to REDIRECT_URI),
//      optional CLIENT_AUTH_METHOD (client_secret_basic | client_secret_post, default basic).
// Sign-in without a human: send login_hint=<account id> on /auth; the interaction
// route signs that account in at once (consent is implied by loadExistingGrant).
// Without login_hint, GET /interaction/<uid> shows a form; POST login=<account id>.
import http from 'node:http';
import crypto from 'node:crypto';
import Provider, { errors, interactionPolicy } from 'oidc-provider';

const env = (name, dflt) => {
  const v = process.env[name] ?? dflt;
  if (v === undefined || v === '') { console.error(`missing env ${name}`); process.exit(2); }
  return v;
};
const PORT = Number(env('PORT'));
const ISSUER = env('ISSUER', `http://127.0.0.1:${PORT}`);
const REDIRECT_URI = env('REDIRECT_URI');
const AUTH_METHOD = env('CLIENT_AUTH_METHOD', 'client_secret_basic');
const ACCOUNTS = JSON.parse(env('ACCOUNTS'));

const client = (id, secret, redirect) => ({
  client_id: id,
  client_secret: secret,
  redirect_uris: [redirect],
  response_types: ['code'],
  grant_types: ['authorization_code'],
  token_endpoint_auth_method: AUTH_METHOD,
  id_token_signed_response_alg: 'RS256',
});
const clients = [client(env('CLIENT_ID'), env('CLIENT_SECRET'), REDIRECT_URI)];
if (process.env.CLIENT2_ID) {
  clients.push(client(process.env.CLIENT2_ID, env('CLIENT2_SECRET'),
    process.env.CLIENT2_REDIRECT_URI || REDIRECT_URI));
}

// Fresh RS256 signing key for every run (published at /jwks).
const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: crypto.randomUUID(), alg: 'RS256', use: 'sig' };

// Default policy + one extra login check: a login_hint naming another account than the one
// signed in (same cookie jar) forces a new login instead of silently reusing the session.
const policy = interactionPolicy.base();
policy.get('login').checks.add(new interactionPolicy.Check('login_hint_mismatch',
  'login_hint names a different account', (ctx) => {
    const hint = ctx.oidc.params.login_hint;
    return hint && ctx.oidc.session.accountId && hint !== ctx.oidc.session.accountId
      ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT;
  }));

const provider = new Provider(ISSUER, {
  interactions: { policy, url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  clients,
  jwks: { keys: [jwk] },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  pkce: { required: () => true }, // S256 only
  scopes: ['openid', 'email', 'profile', 'groups'],
  acrValues: [...new Set(['urn:test:loa:1', ...Object.values(ACCOUNTS).map((a) => a.acr).filter(Boolean)])],
  claims: {
    // standalone claims (null): keep the library defaults and add amr, else they are filtered out
    acr: null, amr: null, auth_time: null, sid: null, iss: null,
    openid: ['sub', 'amr', 'acr', 'auth_time'], // amr/acr/auth_time are only emitted when masked in by a scope
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups'],
  },
  conformIdTokenClaims: false, // put scope claims (email, name, groups) into the ID token too
  features: { devInteractions: { enabled: false } },
  async findAccount(ctx, id) {
    const a = Object.hasOwn(ACCOUNTS, id) ? ACCOUNTS[id] : undefined;
    if (!a) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: a.email, email_verified: a.email_verified ?? true, name: a.name, groups: a.groups ?? [] };
      },
    };
  },
  // Auto-consent: every client gets every requested scope/claim for the signed-in account.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    const { clientId } = ctx.oidc.client;
    const { accountId } = ctx.oidc.session;
    let grant = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
    if (!grant || grant.accountId !== accountId) grant = new ctx.oidc.provider.Grant({ clientId, accountId });
    grant.addOIDCScope([...ctx.oidc.requestParamOIDCScopes].join(' '));
    grant.addOIDCClaims([...(ctx.oidc.requestParamClaims || [])]);
    await grant.save();
    return grant;
  },
  async renderError(ctx, out) {
    ctx.type = 'text/plain';
    ctx.body = `error: ${out.error}\n${out.error_description || ''}\n`;
  },
});

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}
async function login(req, res, details, accountId) {
  const a = Object.hasOwn(ACCOUNTS, accountId) ? ACCOUNTS[accountId] : undefined;
  if (a && details.session?.accountId && details.session.accountId !== accountId) {
    // Switching user in an existing browser session: oidc-provider would otherwise answer
    // with a logout confirmation page. Drop the old session so the new login starts clean.
    await (await provider.Session.find(details.session.cookie))?.destroy();
    delete details.session;
    await details.save(details.exp - Math.floor(Date.now() / 1000));
  }
  const result = a
    ? { login: { accountId, amr: a.amr ?? ['pwd'], acr: a.acr ?? 'urn:test:loa:1' } }
    : { error: 'access_denied', error_description: `unknown account ${accountId}` };
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

// Interaction routes in front of the provider's own Koa app.
const providerCallback = provider.callback();
const server = http.createServer(async (req, res) => {
  const m = /^\/interaction\/([\w-]+)\/?(?:\?.*)?$/.exec(req.url);
  if (!m) return providerCallback(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'POST') {
      return await login(req, res, details, (await readForm(req)).get('login') || '');
    }
    if (details.params.login_hint) return await login(req, res, details, details.params.login_hint);
    // No login_hint: a form a plain HTTP client can POST (field "login").
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><form method="post" action="/interaction/${esc(details.uid)}">
<label>Account id <input name="login" autofocus></label> <button>Sign in</button></form>
<p>Accounts: ${Object.keys(ACCOUNTS).map(esc).join(', ')}</p>`);
  } catch (err) {
    res.statusCode = err instanceof errors.SessionNotFound ? 400 : 500;
    res.setHeader('Content-Type', 'text/plain');
    res.end(`interaction error: ${err.message}\n`);
  }
});

server.listen(PORT, '127.0.0.1', () => {
  console.log(`ready ${ISSUER}`);
});
