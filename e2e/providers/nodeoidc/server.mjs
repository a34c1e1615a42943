// server.mjs starts node-oidc-provider (panva/oidc-provider, a certified
// OpenID provider) on 127.0.0.1 as a real, strict PKCE target for pkcecheck's
// tests and for manual tries. It is started by the Go package in this folder
// (nodeoidc.Start) or by hand:
//
//   npm ci && PORT=9810 CONF_SECRET=dev-only-secret node server.mjs
//
// Environment:
//   PORT         required; the loopback port to listen on (0 is refused)
//   ISSUER       optional; default http://127.0.0.1:PORT (a path is allowed)
//   CONF_SECRET  required; the secret of the confidential client
//   COOKIE_KEYS  optional; comma-separated cookie signing keys (random if unset)
//   REQUIRE_PAR  optional; "1" requires pushed authorization requests (RFC 9126)
//   JWT_KEY_FILE optional; PEM private key of the private_key_jwt client (its
//                public part is registered); default dev-only-client-key.pem
//                beside this file (a development-only key, never a real one)
//   CODE_TTL     optional; authorization code lifetime in seconds (default 60)
//
// It prints exactly one line "listening <issuer>" on stdout when it accepts
// requests, never prints secrets, and exits cleanly on SIGTERM and SIGINT.

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import Provider from 'oidc-provider';

// The redirect URI every client registers (pkcecheck catches the redirect in
// the browser, so nothing needs to listen there).
const REDIRECT_URI = 'http://127.0.0.1:8765/callback';
// The same redirect URI with a query of its own, which redirects must keep
// (RFC 6749 §3.1.2; pkcecheck's rfc6749.redirect-keeps-query). Only
// pkce-other registers it: with one registered redirect URI the provider
// lets a token request omit redirect_uri (allowOmittingSingleRegisteredRedirectUri),
// which pkcecheck measures on pkce-public.
const REDIRECT_URI_WITH_QUERY = `${REDIRECT_URI}?from=pkcecheck`;

function fail(message) {
  console.error(`server.mjs: ${message}`);
  process.exit(2);
}

const port = Number.parseInt(process.env.PORT ?? '', 10);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  fail('PORT must be a port number between 1 and 65535');
}

const confSecret = process.env.CONF_SECRET ?? '';
if (confSecret === '') {
  fail('CONF_SECRET must be set (the confidential client secret)');
}

const codeTTL = Number.parseInt(process.env.CODE_TTL || '60', 10);
if (!Number.isInteger(codeTTL) || codeTTL < 1 || codeTTL > 600) {
  fail('CODE_TTL must be a number of seconds between 1 and 600');
}

const issuer = process.env.ISSUER || `http://127.0.0.1:${port}`;
let issuerURL;
try {
  issuerURL = new URL(issuer);
} catch {
  fail('ISSUER is not a valid URL');
}
// Requests reach the provider under the issuer's path (e.g. /oidc).
const mountPath = issuerURL.pathname.replace(/\/+$/, '');

const cookieKeys = (process.env.COOKIE_KEYS ?? '')
  .split(',')
  .map((k) => k.trim())
  .filter((k) => k !== '');
if (cookieKeys.length === 0) {
  cookieKeys.push(crypto.randomBytes(32).toString('base64url'));
}

// The private_key_jwt client's public key, derived from the PEM private key
// (only the public part leaves this block).
const jwtKeyFile = process.env.JWT_KEY_FILE || new URL('./dev-only-client-key.pem', import.meta.url).pathname;
let clientJWK;
try {
  clientJWK = crypto.createPublicKey(fs.readFileSync(jwtKeyFile)).export({ format: 'jwk' });
} catch (err) {
  fail(`JWT_KEY_FILE: cannot read a private key from ${jwtKeyFile}: ${err.message}`);
}
const clientJWTAlg = clientJWK.kty === 'RSA' ? 'RS256' : 'ES256';

const common = {
  application_type: 'native', // native clients may use http loopback redirect URIs
  redirect_uris: [REDIRECT_URI],
  // implicit and "code id_token" enable the hybrid flow, whose code comes in
  // the fragment (pkcecheck's rfc7636.fragment-enforced); form_post is built
  // in (rfc7636.form-post-enforced).
  grant_types: ['authorization_code', 'refresh_token', 'implicit'],
  response_types: ['code', 'code id_token'],
};

// The interaction policy is the provider's default, as users run it: the
// consent page shows on a client's first authorization in a session, and,
// for native clients (ours are: their redirect URI is http://127.0.0.1),
// on every authorization (native_client_prompt, RFC 8252 §8.6: a loopback
// redirect URI does not prove the client's identity). pkcecheck clicks
// through it with the profile's consent step, over plain HTTP where the
// page is server-rendered (it is here).
const configuration = {
  clients: [
    { client_id: 'pkce-public', token_endpoint_auth_method: 'none', ...common },
    {
      client_id: 'pkce-confidential',
      client_secret: confSecret,
      token_endpoint_auth_method: 'client_secret_basic',
      ...common,
    },
    {
      client_id: 'pkce-other',
      token_endpoint_auth_method: 'none',
      ...common,
      redirect_uris: [REDIRECT_URI, REDIRECT_URI_WITH_QUERY],
    },
    // One client per further authentication method: oidc-provider accepts
    // only the registered method of a client.
    {
      client_id: 'pkce-conf-post',
      client_secret: confSecret,
      token_endpoint_auth_method: 'client_secret_post',
      ...common,
    },
    {
      client_id: 'pkce-conf-jwt',
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: clientJWTAlg,
      jwks: { keys: [{ ...clientJWK, use: 'sig', alg: clientJWTAlg }] },
      ...common,
    },
  ],
  // oidc-provider v9 supports only S256 (plain is refused at /authorize and
  // discovery advertises ["S256"]); required() defaults to "public clients
  // must use PKCE", stated here so the policy is visible.
  pkce: {
    required: (ctx, client) => client.clientAuthMethod === 'none',
  },
  responseTypes: ['code', 'code id_token'],
  // Refresh tokens for every client allowed the refresh_token grant, without
  // offline_access and its consent prompt, so pkcecheck's refresh checks
  // (rfc6749.refresh-after-pkce, rfc6749.replay-revokes-refresh) run with the
  // shipped profile's scopes. Public clients' refresh tokens rotate (the
  // provider's default rotateRefreshToken).
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  features: {
    devInteractions: { enabled: true }, // login page accepting any login/password, then consent
    introspection: { enabled: true },
    // RFC 9126; REQUIRE_PAR=1 makes every authorization request go through it
    // (require_pushed_authorization_requests in the metadata).
    pushedAuthorizationRequests: {
      enabled: true,
      requirePushedAuthorizationRequests: process.env.REQUIRE_PAR === '1',
    },
    revocation: { enabled: true },
    userinfo: { enabled: true },
  },
  cookies: { keys: cookieKeys },
  // Any account id is a valid account: the dev login accepts anything.
  async findAccount(ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return { sub };
      },
    };
  },
  ttl: {
    AccessToken: 60 * 60,
    AuthorizationCode: codeTTL,
    Grant: 60 * 60,
    IdToken: 60 * 60,
    RefreshToken: 24 * 60 * 60,
    Interaction: 60 * 60,
    Session: 60 * 60,
  },
};

const provider = new Provider(issuer, configuration);
const callback = provider.callback();

const server = http.createServer((req, res) => {
  if (mountPath === '') {
    callback(req, res);
    return;
  }
  const url = req.url ?? '/';
  if (url !== mountPath && !url.startsWith(`${mountPath}/`) && !url.startsWith(`${mountPath}?`)) {
    res.statusCode = 404;
    res.end();
    return;
  }
  req.originalUrl = url;
  req.url = url.slice(mountPath.length) || '/';
  if (req.url.startsWith('?')) req.url = `/${req.url}`;
  callback(req, res);
});

server.on('error', (err) => {
  fail(`listen on 127.0.0.1:${port}: ${err.message}`);
});

server.listen(port, '127.0.0.1', () => {
  console.log(`listening ${issuer}`);
});

let stopping = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.error(`server.mjs: ${signal} received, closing`);
  server.close(() => process.exit(0));
  server.closeAllConnections();
  // Bounded: exit even if a connection refuses to close.
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
