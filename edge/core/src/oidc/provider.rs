//! The tenant's OpenID Connect endpoints as use cases: authorization (a code for a signed-in,
//! assigned user, or the way through the SPA's sign-in and back), the token exchange and
//! refresh, userinfo, the keys, discovery, and RP-initiated logout. The rules are the sibling
//! modules'; this joins them to the session, the directory and the guard.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use guestpass_wire::application::IdTokenAlgorithm;
use guestpass_wire::oidc::ProtocolEndpoint;
use guestpass_wire::{AuthenticationMethod, SessionScope};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::authorize::{
    check, is_assigned, session_is_fresh_enough, Authorization, AuthorizationQuery, ErrorPage,
    Prompt, RedirectError, Refusal,
};
use super::claims::{self, id_token_claims, issuer, SignIn, UserInfo};
use super::signing::{self, Jwks};
use super::stored_keys::{self, StoredKeys};
use super::token::{authenticate, client_credentials, exchangeable, IssuedCode, TokenError};
use super::ApplicationRecord;
use crate::context::{Credentials, Ctx};
use crate::directory::{TenantRecord, UserRecord};
use crate::error::DomainError;
use crate::guard::grants::{CodeRecord, Redemption, Rotation};
use crate::guard::{grant, GrantAnswer, GuardCommand};
use crate::keys::KeyPurpose;
use crate::limits::{ACCESS_TOKEN_MS, AUTHORIZATION_CODE_MS, REFRESH_TOKEN_IDLE_MS};
use crate::ports::{Entropy, Ports};
use crate::session;
use crate::storage_keys::grant_guard;
use crate::time::UnixMillis;
use crate::url::{encode_component, query_pairs};

/// The authorization endpoint's own parameter on the way back from sign-in: the session must
/// have started after it (`prompt=login`, `max_age`), whatever the request's `max_age`.
const SIGNED_IN_AFTER: &str = "signed_in_after";

/// A request's decoded parameters (a query string or a form body). A parameter may appear
/// once (RFC 6749 §3.1, §3.2): a repeated one has no value here, so no choice between its values
/// is ever made, and the endpoints refuse the request.
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(encoded: &str) -> Params {
        Params(query_pairs(encoded))
    }

    /// The parameter's value, when it appears exactly once.
    pub fn get(&self, name: &str) -> Option<&str> {
        let mut found = self.0.iter().filter(|(key, _)| key == name);
        match (found.next(), found.next()) {
            (Some((_, value)), None) => Some(value.as_str()),
            _ => None,
        }
    }

    /// Whether some parameter appears more than once.
    pub fn has_repeated(&self) -> bool {
        self.0
            .iter()
            .enumerate()
            .any(|(i, (key, _))| self.0[..i].iter().any(|(earlier, _)| earlier == key))
    }
}

/// Where the browser goes, or what it is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// To the application: a code, an error, or after logout.
    Redirect(String),
    /// Through Guestpass's own pages: sign-in (and back), or the tenant's landing page.
    Visit(String),
    /// An error page; nothing goes to the application.
    Page(Problem),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    UnknownClient,
    RedirectUriNotRegistered,
    /// The signed-in user is not assigned to the application.
    NotAssigned,
    /// A logout request whose `id_token_hint` this tenant did not sign, or whose
    /// `post_logout_redirect_uri` its application did not register.
    InvalidLogoutRequest,
}

impl From<ErrorPage> for Problem {
    fn from(page: ErrorPage) -> Problem {
        match page {
            ErrorPage::UnknownClient => Problem::UnknownClient,
            ErrorPage::RedirectUriNotRegistered => Problem::RedirectUriNotRegistered,
        }
    }
}

/// What an authorization code carries from the authorization to the token request (stored in
/// the grant's guard instance as JSON; the guard does not read it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Authorized {
    app: String,
    redirect_uri: String,
    challenge: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nonce: Option<String>,
    scope: String,
    user: String,
    method: AuthenticationMethod,
    /// With a synced passkey (`amr` `swk`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    synced_passkey: bool,
    /// When the user signed in (`auth_time`).
    signed_in_at: UnixMillis,
    issued_at: UnixMillis,
}

/// `url` with `pairs` added to its query.
fn with_query(url: &str, pairs: &[(&str, &str)]) -> String {
    let mut out = url.to_string();
    for (name, value) in pairs {
        out.push(if out.contains('?') { '&' } else { '?' });
        out.push_str(name);
        out.push('=');
        out.push_str(&encode_component(value));
    }
    out
}

fn error_redirect(error: &RedirectError, issuer: &str) -> Answer {
    let mut pairs = vec![
        ("error", error.error),
        ("error_description", error.description),
    ];
    if let Some(state) = &error.state {
        pairs.push(("state", state));
    }
    pairs.push(("iss", issuer));
    Answer::Redirect(with_query(&error.redirect_uri, &pairs))
}

/// `{grantId}.{secret}`: the grant's guard instance, and the secret it keeps a hash of.
fn new_token<E: Entropy>(entropy: &E, grant_id: &str) -> Result<(String, String), DomainError> {
    let secret = URL_SAFE_NO_PAD.encode(entropy.bytes::<32>()?);
    let hash = secret_hash(&secret);
    Ok((format!("{grant_id}.{secret}"), hash))
}

fn secret_hash(secret: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(secret.as_bytes()))
}

/// A code or refresh token taken apart: its grant id and its secret's hash.
fn token_parts(token: &str) -> Option<(&str, String)> {
    let (grant_id, secret) = token.split_once('.')?;
    let well_formed = |part: &str, len: usize| {
        part.len() == len
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    (well_formed(grant_id, 22) && well_formed(secret, 43)).then(|| (grant_id, secret_hash(secret)))
}

/// `GET authorize`: a code for the signed-in user, the way through sign-in, or an error — on
/// the redirect URI only once the client and that URI are known good.
pub async fn authorize<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    raw_query: &str,
) -> Result<Answer, DomainError> {
    let params = Params::parse(raw_query);
    let query = AuthorizationQuery {
        response_type: params.get("response_type"),
        client_id: params.get("client_id"),
        redirect_uri: params.get("redirect_uri"),
        scope: params.get("scope"),
        state: params.get("state"),
        nonce: params.get("nonce"),
        code_challenge: params.get("code_challenge"),
        code_challenge_method: params.get("code_challenge_method"),
        prompt: params.get("prompt"),
        max_age: params.get("max_age"),
        login_hint: params.get("login_hint"),
    };
    let app = match query.client_id {
        Some(client_id) => {
            cx.directory()
                .application_by_client_id(&tenant.id, client_id)
                .await?
        }
        None => None,
    };
    let issuer = issuer(cx.link_origin, &tenant.id);
    let authorization = match check(&query, app.as_ref()) {
        // Client and redirect URI are known good (each appeared once): a repeated parameter
        // may be said to the application.
        Ok(Authorization {
            redirect_uri,
            state,
            ..
        })
        | Err(Refusal::Redirect(RedirectError {
            redirect_uri,
            state,
            ..
        })) if params.has_repeated() => {
            let error = RedirectError {
                redirect_uri,
                state,
                error: "invalid_request",
                description: "A parameter appears more than once.",
            };
            return Ok(error_redirect(&error, &issuer));
        }
        Ok(authorization) => authorization,
        Err(Refusal::Page(page)) => return Ok(Answer::Page(page.into())),
        Err(Refusal::Redirect(error)) => return Ok(error_redirect(&error, &issuer)),
    };
    let Some(app) = app else {
        return Ok(Answer::Page(Problem::UnknownClient));
    };
    let signed_in_after: Option<UnixMillis> =
        params.get(SIGNED_IN_AFTER).and_then(|v| v.parse().ok());
    let session = session::current(cx, credentials, tenant)
        .await
        .ok()
        .filter(|(claims, _)| claims.scope == SessionScope::Full)
        .filter(|(claims, _)| match signed_in_after {
            Some(after) => claims.issued_at > after,
            None => session_is_fresh_enough(&authorization, claims.issued_at, cx.now),
        });
    let Some((claims, user)) = session else {
        if authorization.prompt == Prompt::None {
            let error = RedirectError {
                redirect_uri: authorization.redirect_uri,
                state: authorization.state,
                error: "login_required",
                description: "The user is not signed in.",
            };
            return Ok(error_redirect(&error, &issuer));
        }
        return Ok(Answer::Visit(sign_in_url(
            &tenant.id,
            &params,
            authorization.login_hint.as_deref(),
            cx.now,
        )));
    };
    if !is_assigned(&app, &user) {
        return Ok(Answer::Page(Problem::NotAssigned));
    }
    let grant_id = URL_SAFE_NO_PAD.encode(cx.ports.entropy().bytes::<16>()?);
    let (code, secret_hash) = new_token(cx.ports.entropy(), &grant_id)?;
    let authorized = Authorized {
        app: app.id.clone(),
        redirect_uri: authorization.redirect_uri.clone(),
        challenge: authorization.code_challenge,
        nonce: authorization.nonce,
        scope: authorization.scopes.join(" "),
        user: user.id,
        method: claims.method,
        synced_passkey: claims.synced_passkey,
        signed_in_at: claims.issued_at,
        issued_at: cx.now,
    };
    let record = CodeRecord {
        secret_hash,
        client_id: app.client_id,
        payload: serde_json::to_string(&authorized)
            .map_err(|e| DomainError::Internal(e.to_string()))?,
        expires_at: cx.now + AUTHORIZATION_CODE_MS,
        offline: authorization.scopes.iter().any(|s| s == "offline_access"),
        used: false,
        forget_at: cx.now + AUTHORIZATION_CODE_MS,
    };
    let command = GuardCommand::IssueCode {
        code: record,
        now: cx.now,
    };
    grant(
        cx.ports.guard(),
        &grant_guard(&tenant.id, &grant_id),
        command,
    )
    .await?;
    let mut pairs = vec![("code", code.as_str())];
    if let Some(state) = &authorization.state {
        pairs.push(("state", state));
    }
    pairs.push(("iss", &issuer));
    Ok(Answer::Redirect(with_query(
        &authorization.redirect_uri,
        &pairs,
    )))
}

/// The SPA's sign-in page, which signs in (again, if a session does not do) and comes back to
/// this request, marked so that only a sign-in from now on answers it.
fn sign_in_url(
    tenant_id: &str,
    params: &Params,
    login_hint: Option<&str>,
    now: UnixMillis,
) -> String {
    let mut back = ProtocolEndpoint::Authorize.path(tenant_id);
    let kept: Vec<(&str, &str)> = params
        .0
        .iter()
        .filter(|(name, _)| name != SIGNED_IN_AFTER)
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    back = with_query(&back, &kept);
    back = with_query(&back, &[(SIGNED_IN_AFTER, &now.to_string())]);
    let mut pairs = vec![("prompt", "login"), ("return_to", back.as_str())];
    if let Some(hint) = login_hint {
        pairs.push(("login_hint", hint));
    }
    with_query(&format!("/{tenant_id}/sign-in"), &pairs)
}

/// The token endpoint's answer (RFC 6749 §5.1, OpenID Connect Core §3.1.3.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tokens {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub id_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub scope: String,
}

/// What an access token says: the userinfo endpoint reads it back. Sealed with the deployment's
/// keys, so it is opaque to applications and cannot be forged or changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct AccessClaims {
    #[serde(rename = "t")]
    tenant: String,
    #[serde(rename = "a")]
    app: String,
    #[serde(rename = "g")]
    grant: String,
    #[serde(rename = "u")]
    user: String,
    #[serde(rename = "s")]
    scope: String,
    #[serde(rename = "i")]
    signed_in_at: UnixMillis,
    #[serde(rename = "x")]
    expires_at: UnixMillis,
}

/// `POST token`: the authorization code and refresh token grants. `Ok(Err(_))` is the
/// protocol's error (RFC 6749 §5.2); `Err(_)` a failure of the platform.
pub async fn token<P: Ports>(
    cx: &Ctx<'_, P>,
    tenant: &TenantRecord,
    authorization: Option<&str>,
    body: &str,
) -> Result<Result<Tokens, TokenError>, DomainError> {
    let form = Params::parse(body);
    if form.has_repeated() {
        return Ok(Err(TokenError::InvalidRequest(
            "A parameter appears more than once.",
        )));
    }
    let credentials = match client_credentials(
        authorization,
        form.get("client_id"),
        form.get("client_secret"),
    ) {
        Ok(credentials) => credentials,
        Err(error) => return Ok(Err(error)),
    };
    let app = cx
        .directory()
        .application_by_client_id(&tenant.id, &credentials.client_id)
        .await?;
    if let Err(error) = authenticate(&cx.settings.keys, app.as_ref(), &credentials) {
        return Ok(Err(error));
    }
    let Some(app) = app else {
        return Ok(Err(TokenError::InvalidClient));
    };
    let presented = match (
        form.get("grant_type"),
        form.get("code"),
        form.get("refresh_token"),
    ) {
        (Some("authorization_code"), Some(code), _) => code,
        (Some("refresh_token"), _, Some(refresh)) => refresh,
        (Some("authorization_code" | "refresh_token"), _, _) | (None, _, _) => {
            return Ok(Err(TokenError::InvalidRequest(
                "grant_type with its code or refresh_token is required.",
            )))
        }
        (Some(_), _, _) => return Ok(Err(TokenError::UnsupportedGrantType)),
    };
    let refreshing = form.get("grant_type") == Some("refresh_token");
    let Some((grant_id, presented_hash)) = token_parts(presented) else {
        return Ok(Err(TokenError::InvalidGrant("The grant is not valid.")));
    };
    let instance = grant_guard(&tenant.id, grant_id);
    let (refresh_token, refresh_hash) = new_token(cx.ports.entropy(), grant_id)?;
    let command = if refreshing {
        GuardCommand::Refresh {
            rotation: Rotation {
                presented_hash,
                client_id: app.client_id.clone(),
                next_hash: refresh_hash,
                expires_at: cx.now + REFRESH_TOKEN_IDLE_MS,
            },
            now: cx.now,
        }
    } else {
        GuardCommand::RedeemCode {
            redemption: Redemption {
                secret_hash: presented_hash,
                client_id: app.client_id.clone(),
                refresh_hash,
                access_expires_at: cx.now + ACCESS_TOKEN_MS,
                refresh_expires_at: cx.now + REFRESH_TOKEN_IDLE_MS,
            },
            now: cx.now,
        }
    };
    let payload = match grant(cx.ports.guard(), &instance, command).await? {
        GrantAnswer::Payload(Some(payload)) => payload,
        _ => return Ok(Err(TokenError::InvalidGrant("The grant is not valid."))),
    };
    let authorized: Authorized =
        serde_json::from_str(&payload).map_err(|e| DomainError::Internal(e.to_string()))?;
    let refused = if refreshing {
        None
    } else {
        let issued = IssuedCode {
            client_id: app.client_id.clone(),
            redirect_uri: authorized.redirect_uri.clone(),
            code_challenge: authorized.challenge.clone(),
            issued_at: authorized.issued_at,
        };
        let verifier = form.get("code_verifier");
        exchangeable(
            &issued,
            &app.client_id,
            form.get("redirect_uri"),
            verifier,
            cx.now,
        )
        .err()
    };
    let user = match refused {
        Some(error) => Err(error),
        None => signed_in_user(cx, &tenant.id, &authorized.user, authorized.signed_in_at).await?,
    };
    let user = match user {
        Ok(user) => user,
        Err(error) => {
            // Nothing was issued on this grant's behalf, and nothing it issued may stand.
            let revoke = GuardCommand::RevokeGrant { now: cx.now };
            grant(cx.ports.guard(), &instance, revoke).await?;
            return Ok(Err(error));
        }
    };
    let offline = authorized.scope.split(' ').any(|s| s == "offline_access");
    let issuer = issuer(cx.link_origin, &tenant.id);
    let sign_in = SignIn {
        user: &user,
        method: authorized.method,
        passkey_backed_up: authorized.synced_passkey,
        signed_in_at: authorized.signed_in_at,
    };
    // A refreshed ID token carries no nonce (OpenID Connect Core §12.2).
    let nonce = authorized.nonce.as_deref().filter(|_| !refreshing);
    let claims = id_token_claims(&issuer, &app.id, &app.client_id, &sign_in, nonce, cx.now);
    let id_token = match app.id_token_signed_response_alg {
        IdTokenAlgorithm::Es256 => {
            signing::sign_token(
                cx.ports.signatures(),
                &cx.settings.keys,
                &tenant.id,
                &claims,
            )
            .await?
        }
        IdTokenAlgorithm::Rs256 => stored_keys::sign_token(cx, &tenant.id, &claims).await?,
    };
    let access = AccessClaims {
        tenant: tenant.id.clone(),
        app: app.id.clone(),
        grant: grant_id.to_string(),
        user: user.id.clone(),
        scope: authorized.scope.clone(),
        signed_in_at: authorized.signed_in_at,
        expires_at: cx.now + ACCESS_TOKEN_MS,
    };
    Ok(Ok(Tokens {
        access_token: cx.settings.keys.seal(KeyPurpose::AccessToken, &access),
        token_type: "Bearer",
        expires_in: ACCESS_TOKEN_MS / 1000,
        id_token,
        refresh_token: offline.then_some(refresh_token),
        scope: authorized.scope,
    }))
}

/// The user a grant speaks for, while they exist and their sessions were not revoked since
/// they signed in (revocation ends grants too).
async fn signed_in_user<P: Ports>(
    cx: &Ctx<'_, P>,
    tenant_id: &str,
    user_id: &str,
    signed_in_at: UnixMillis,
) -> Result<Result<UserRecord, TokenError>, DomainError> {
    let (user, mark) = cx
        .directory()
        .user_and_revocation_mark(tenant_id, user_id)
        .await?;
    Ok(match user {
        Some(user) if session::outlives_revocation(signed_in_at, mark) => Ok(user),
        _ => Err(TokenError::InvalidGrant("The user's sessions have ended.")),
    })
}

/// `GET userinfo` with `Authorization: Bearer {access token}`: `None` when the token is not one
/// this tenant issued, has expired, or its grant or the user's sessions have ended
/// (`invalid_token`).
pub async fn user_info<P: Ports>(
    cx: &Ctx<'_, P>,
    tenant: &TenantRecord,
    authorization: Option<&str>,
) -> Result<Option<UserInfo>, DomainError> {
    let token = authorization
        .and_then(|header| header.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    let claims: Option<AccessClaims> =
        token.and_then(|token| cx.settings.keys.unseal(KeyPurpose::AccessToken, token));
    let Some(claims) = claims.filter(|c| c.tenant == tenant.id && cx.now < c.expires_at) else {
        return Ok(None);
    };
    let status = GuardCommand::GrantStatus { now: cx.now };
    let instance = grant_guard(&tenant.id, &claims.grant);
    if grant(cx.ports.guard(), &instance, status).await? != GrantAnswer::Active(true) {
        return Ok(None);
    }
    let user = signed_in_user(cx, &tenant.id, &claims.user, claims.signed_in_at).await?;
    let scopes: Vec<String> = claims.scope.split(' ').map(String::from).collect();
    Ok(user
        .ok()
        .map(|user| claims::user_info(&claims.app, &user, &scopes)))
}

/// `GET keys`: the tenant's JWKS.
pub async fn keys<P: Ports>(cx: &Ctx<'_, P>, tenant: &TenantRecord) -> Result<Jwks, DomainError> {
    let rsa = stored_keys::published(cx, &tenant.id).await?;
    signing::jwks(cx.ports.signatures(), &cx.settings.keys, &tenant.id, &rsa).await
}

/// What an `id_token_hint` says about who is signing out of which application.
#[derive(Debug, Deserialize)]
struct Hint {
    iss: String,
    aud: String,
    sub: String,
}

/// `GET logout` (OpenID Connect RP-Initiated Logout 1.0). With an `id_token_hint` this tenant
/// signed (expired ones too) for the signed-in user, the session ends and the browser goes to
/// the `post_logout_redirect_uri` the application registered (with `state`), or to the tenant's
/// page. Without a hint nothing ends — a link elsewhere must not sign anyone out — and the
/// tenant's page offers to sign out. Returns the answer and whether the session ended (then
/// the cookie goes).
pub async fn end_session<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    raw_query: &str,
) -> Result<(Answer, bool), DomainError> {
    let params = Params::parse(raw_query);
    let landing = Answer::Visit(format!("/{}/", tenant.id));
    let Some(hint) = params.get("id_token_hint") else {
        return Ok((landing, false));
    };
    let payload = match signing::parse(hint) {
        Some(parsed) => {
            // RS256 keys are read only for a hint that needs them.
            let rsa = match parsed.header.alg.as_str() {
                "RS256" => stored_keys::published(cx, &tenant.id).await?,
                _ => StoredKeys::default(),
            };
            let ports = cx.ports;
            signing::verified_payload(
                ports.signatures(),
                ports.signatures(),
                &cx.settings.keys,
                &tenant.id,
                &rsa,
                parsed,
            )
            .await?
        }
        None => None,
    };
    let hint: Option<Hint> = payload.and_then(|payload| serde_json::from_slice(&payload).ok());
    let Some(hint) = hint.filter(|h| h.iss == issuer(cx.link_origin, &tenant.id)) else {
        return Ok((Answer::Page(Problem::InvalidLogoutRequest), false));
    };
    let app: Option<ApplicationRecord> = cx
        .directory()
        .application_by_client_id(&tenant.id, &hint.aud)
        .await?;
    let Some(app) = app else {
        return Ok((Answer::Page(Problem::InvalidLogoutRequest), false));
    };
    let destination = match params.get("post_logout_redirect_uri") {
        None => landing,
        Some(uri) if app.post_logout_redirect_uris.iter().any(|r| r == uri) => {
            let state: Vec<(&str, &str)> = params
                .get("state")
                .map(|s| ("state", s))
                .into_iter()
                .collect();
            Answer::Redirect(with_query(uri, &state))
        }
        Some(_) => return Ok((Answer::Page(Problem::InvalidLogoutRequest), false)),
    };
    let session = session::current(cx, credentials, tenant).await.ok();
    let same_user = session
        .as_ref()
        .is_some_and(|(_, user)| claims::subject(&tenant.id, &app.id, &user.id) == hint.sub);
    if same_user {
        session::sign_out(cx, credentials, tenant).await?;
    }
    Ok((destination, same_user))
}
