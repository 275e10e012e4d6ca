// A real, independent relying party: panva's certified `openid-client` (v6, pinned in
// package-lock.json) signs a user in through a Guestpass tenant, as an application would.
// Run by tests/tests/oidc.rs, which prepares the tenant, the applications and the sessions and
// reads the JSON this prints. The browser's part (following the authorization redirect with the
// session cookie) is a fetch that does not follow redirects.
//
//   node relying_party.mjs flow       — discovery → authorization code + PKCE → tokens (ID token
//                                       verified against the JWKS) → userinfo → refresh →
//                                       reuse refused → end session
//   node relying_party.mjs negatives  — what each wrong request gets
//
// Settings come from the environment: ISSUER, CLIENT_ID, CLIENT_SECRET (none: a public client),
// REDIRECT_URI, POST_LOGOUT_URI, COOKIE, ID_TOKEN_ALG (ES256 when empty); for `negatives` also OTHER_ISSUER (another tenant's)
// and ASSIGNED_CLIENT_ID (an application the cookie's user is not assigned to).

import * as client from "openid-client";
import * as jose from "jose";

const env = (name) => process.env[name] ?? "";
const insecure = { execute: [client.allowInsecureRequests] };
const SCOPE = "openid email profile offline_access";

async function configure(issuer, clientId, secret) {
  const auth = secret ? client.ClientSecretPost(secret) : client.None();
  // The algorithm the application registered (ES256 unless ID_TOKEN_ALG says RS256): the
  // client refuses an ID token signed with any other.
  const metadata = { id_token_signed_response_alg: env("ID_TOKEN_ALG") || "ES256" };
  const config = await client.discovery(new URL(issuer), clientId, metadata, auth, insecure);
  return config;
}

/// What the browser does with the authorization URL: one request with the session cookie.
async function visit(url, cookie) {
  const response = await fetch(url, {
    redirect: "manual",
    headers: cookie ? { cookie } : {},
  });
  return { status: response.status, location: response.headers.get("location") };
}

async function authorize(config, cookie, extra = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const challenge = await client.calculatePKCECodeChallenge(verifier);
  const state = client.randomState();
  const nonce = client.randomNonce();
  const parameters = {
    redirect_uri: env("REDIRECT_URI"),
    scope: SCOPE,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state,
    nonce,
    ...extra,
  };
  // `undefined` leaves a parameter out (a request without PKCE, say).
  for (const [name, value] of Object.entries(parameters)) {
    if (value === undefined) delete parameters[name];
  }
  const url = client.buildAuthorizationUrl(config, parameters);
  const answer = await visit(url, cookie);
  return { ...answer, verifier, state, nonce };
}

async function grant(config, authorized) {
  return client.authorizationCodeGrant(config, new URL(authorized.location), {
    pkceCodeVerifier: authorized.verifier,
    expectedState: authorized.state,
    expectedNonce: authorized.nonce,
    idTokenExpected: true,
  });
}

/// The error code an openid-client call failed with (RFC 6749's `error`), or "ok".
async function outcome(call) {
  try {
    await call();
    return "ok";
  } catch (e) {
    return e.error ?? e.code ?? String(e);
  }
}

async function flow() {
  const config = await configure(env("ISSUER"), env("CLIENT_ID"), env("CLIENT_SECRET"));
  // The ID token's signature is checked against the tenant's JWKS, not only its claims.
  client.enableNonRepudiationChecks(config);
  const metadata = config.serverMetadata();
  const authorized = await authorize(config, env("COOKIE"));
  if (authorized.status !== 302) throw new Error(`authorize answered ${authorized.status}`);
  const callback = new URL(authorized.location);
  const tokens = await grant(config, authorized);
  const claims = tokens.claims();

  // An independent check with jose: signature against the JWKS, issuer, audience.
  const jwks = jose.createRemoteJWKSet(new URL(metadata.jwks_uri));
  const verified = await jose.jwtVerify(tokens.id_token, jwks, {
    issuer: metadata.issuer,
    audience: env("CLIENT_ID"),
  });
  const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
  const reuse = await outcome(() => client.refreshTokenGrant(config, tokens.refresh_token));
  const afterReuse = await outcome(() => client.refreshTokenGrant(config, refreshed.refresh_token));
  const logoutState = client.randomState();
  const logout = await visit(
    client.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token,
      post_logout_redirect_uri: env("POST_LOGOUT_URI"),
      state: logoutState,
    }),
    env("COOKIE"),
  );
  return {
    issuer: metadata.issuer,
    callbackIss: callback.searchParams.get("iss"),
    alg: verified.protectedHeader.alg,
    kid: verified.protectedHeader.kid,
    sub: claims.sub,
    email: claims.email,
    userType: claims.user_type,
    amr: claims.amr,
    authTime: claims.auth_time,
    tid: claims.tid,
    userinfo,
    refreshedSub: refreshed.claims().sub,
    refreshTokenRotated: refreshed.refresh_token !== tokens.refresh_token,
    reuse,
    afterReuse,
    logoutStatus: logout.status,
    logoutLocation: logout.location,
    logoutState,
  };
}

async function negatives() {
  const cookie = env("COOKIE");
  const config = await configure(env("ISSUER"), env("CLIENT_ID"), env("CLIENT_SECRET"));
  const errorOf = (answer) =>
    answer.location ? new URL(answer.location).searchParams.get("error") : `status ${answer.status}`;
  const result = {};

  result.wrongRedirect = await authorize(config, cookie, { redirect_uri: "http://localhost:9/evil" });
  result.noPkce = errorOf(await authorize(config, cookie, { code_challenge: undefined, code_challenge_method: undefined }));
  result.plainPkce = errorOf(await authorize(config, cookie, { code_challenge_method: "plain" }));
  result.promptNone = await authorize(config, "", { prompt: "none" });

  const first = await authorize(config, cookie);
  result.firstExchange = await outcome(() => grant(config, first));
  result.replay = await outcome(() => grant(config, first));

  const wrongSecret = await configure(env("ISSUER"), env("CLIENT_ID"), "not-the-secret");
  const forWrong = await authorize(wrongSecret, cookie);
  result.wrongSecret = await outcome(() => grant(wrongSecret, forWrong));

  const otherTenant = await configure(env("OTHER_ISSUER"), env("CLIENT_ID"), env("CLIENT_SECRET"));
  result.otherTenantAuthorize = (await authorize(otherTenant, cookie)).status;
  const codeHere = await authorize(config, cookie);
  // The client itself refuses a response whose `iss` is not its issuer (RFC 9207)…
  result.otherTenantCallback = await outcome(() => grant(otherTenant, codeHere));
  // …and the other tenant's token endpoint refuses the code anyway.
  const sent = await fetch(otherTenant.serverMetadata().token_endpoint, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: new URL(codeHere.location).searchParams.get("code"),
      redirect_uri: env("REDIRECT_URI"),
      code_verifier: codeHere.verifier,
      client_id: env("CLIENT_ID"),
      client_secret: env("CLIENT_SECRET"),
    }),
  });
  result.otherTenantToken = (await sent.json()).error;

  const assigned = await configure(env("ISSUER"), env("ASSIGNED_CLIENT_ID"), env("CLIENT_SECRET"));
  result.unassigned = (await authorize(assigned, cookie)).status;
  return result;
}

const scenarios = { flow, negatives };
const scenario = scenarios[process.argv[2]];
if (!scenario) {
  console.error(`usage: relying_party.mjs ${Object.keys(scenarios).join("|")}`);
  process.exit(2);
}
try {
  console.log(JSON.stringify(await scenario()));
} catch (e) {
  console.error(e);
  process.exit(1);
}
