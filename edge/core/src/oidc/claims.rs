//! What a tenant tells applications, pure so it is tested natively: the issuer and its
//! discovery document (the same shape as Microsoft Entra's, `{origin}/{tenantId}/v2.0`), the ID
//! token's claims (OpenID Connect Core §2, §5.1) and the userinfo answer by scope.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use guestpass_wire::oidc::ProtocolEndpoint;
use guestpass_wire::{AuthenticationMethod, UserType};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::directory::UserRecord;
use crate::time::UnixMillis;

/// How long an ID token (and an access token) is good for, in seconds.
pub const ID_TOKEN_LIFETIME_SECONDS: i64 = crate::limits::ACCESS_TOKEN_MS / 1000;

/// A tenant's issuer: `{origin}/{tenantId}/v2.0`. Always the tenant's id, never a domain, so
/// one tenant has exactly one issuer whatever name its users typed.
pub fn issuer(origin: &str, tenant_id: &str) -> String {
    format!("{}/{tenant_id}/v2.0", origin.trim_end_matches('/'))
}

/// `{issuer}/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Discovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub userinfo_endpoint: String,
    pub jwks_uri: String,
    pub end_session_endpoint: String,
    pub response_types_supported: [&'static str; 1],
    pub response_modes_supported: [&'static str; 1],
    pub grant_types_supported: [&'static str; 2],
    pub subject_types_supported: [&'static str; 1],
    pub id_token_signing_alg_values_supported: [&'static str; 2],
    pub scopes_supported: [&'static str; 4],
    pub token_endpoint_auth_methods_supported: [&'static str; 3],
    pub claims_supported: [&'static str; 14],
    pub code_challenge_methods_supported: [&'static str; 1],
    pub prompt_values_supported: [&'static str; 4],
    /// RFC 9207: every authorization response carries `iss`.
    pub authorization_response_iss_parameter_supported: bool,
}

/// The discovery document of `tenant_id` at `origin`: endpoints where Entra has them.
pub fn discovery(origin: &str, tenant_id: &str) -> Discovery {
    let origin = origin.trim_end_matches('/');
    let url = |endpoint: ProtocolEndpoint| format!("{origin}{}", endpoint.path(tenant_id));
    Discovery {
        issuer: issuer(origin, tenant_id),
        authorization_endpoint: url(ProtocolEndpoint::Authorize),
        token_endpoint: url(ProtocolEndpoint::Token),
        userinfo_endpoint: url(ProtocolEndpoint::UserInfo),
        jwks_uri: url(ProtocolEndpoint::Keys),
        end_session_endpoint: url(ProtocolEndpoint::EndSession),
        response_types_supported: ["code"],
        response_modes_supported: ["query"],
        grant_types_supported: ["authorization_code", "refresh_token"],
        subject_types_supported: ["pairwise"],
        // RS256 is listed because OpenID Connect Discovery requires it (and some clients know
        // only it); an application chooses it, ES256 is the default.
        id_token_signing_alg_values_supported: ["ES256", "RS256"],
        scopes_supported: ["openid", "email", "profile", "offline_access"],
        token_endpoint_auth_methods_supported: [
            "client_secret_basic",
            "client_secret_post",
            "none",
        ],
        claims_supported: [
            "iss",
            "sub",
            "aud",
            "exp",
            "iat",
            "auth_time",
            "nonce",
            "tid",
            "email",
            "name",
            "preferred_username",
            "user_type",
            "amr",
            "azp",
        ],
        code_challenge_methods_supported: ["S256"],
        prompt_values_supported: ["none", "login", "select_account", "consent"],
        authorization_response_iss_parameter_supported: true,
    }
}

/// The user's subject for one application: opaque, stable, different for each application (so
/// two applications cannot match their users by it), and never the address. SHA-256 over the
/// tenant, the application and the user (each length-prefixed), base64url: random ids in, no
/// key that could rotate it away.
pub fn subject(tenant_id: &str, application_id: &str, user_id: &str) -> String {
    let mut hash = Sha256::new();
    for part in [tenant_id, application_id, user_id] {
        hash.update((part.len() as u32).to_be_bytes());
        hash.update(part.as_bytes());
    }
    URL_SAFE_NO_PAD.encode(hash.finalize())
}

/// How the user signed in, as `amr` values (RFC 8176 where it has one): `otp` for an email code,
/// `tap` for a Temporary Access Pass, and for a passkey `hwk` when it is bound to its device or
/// `swk` when it is synced (backed up).
pub fn amr(method: AuthenticationMethod, passkey_backed_up: bool) -> Vec<&'static str> {
    vec![match method {
        AuthenticationMethod::EmailOtp => "otp",
        AuthenticationMethod::TemporaryAccessPass => "tap",
        AuthenticationMethod::Passkey if passkey_backed_up => "swk",
        AuthenticationMethod::Passkey => "hwk",
    }]
}

/// The sign-in an ID token speaks for.
#[derive(Debug, Clone, PartialEq)]
pub struct SignIn<'a> {
    pub user: &'a UserRecord,
    pub method: AuthenticationMethod,
    pub passkey_backed_up: bool,
    /// When the user signed in (the session's start), for `auth_time`.
    pub signed_in_at: UnixMillis,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdTokenClaims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    /// The client the token was issued to (OpenID Connect Core §2).
    pub azp: String,
    pub exp: i64,
    pub iat: i64,
    pub auth_time: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    pub tid: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub name: String,
    pub preferred_username: String,
    /// `Member` or `Guest`.
    pub user_type: UserType,
    pub amr: Vec<&'static str>,
}

/// The ID token's claims for `sign_in` to the application `application_id` (`client_id`), at
/// `now`, echoing the authorization request's `nonce`.
pub fn id_token_claims(
    issuer: &str,
    application_id: &str,
    client_id: &str,
    sign_in: &SignIn<'_>,
    nonce: Option<&str>,
    now: UnixMillis,
) -> IdTokenClaims {
    let user = sign_in.user;
    let seconds = now / 1000;
    IdTokenClaims {
        iss: issuer.to_string(),
        sub: subject(&user.tenant_id, application_id, &user.id),
        aud: client_id.to_string(),
        azp: client_id.to_string(),
        exp: seconds + ID_TOKEN_LIFETIME_SECONDS,
        iat: seconds,
        auth_time: sign_in.signed_in_at / 1000,
        nonce: nonce.map(str::to_string),
        tid: user.tenant_id.clone(),
        email: user
            .mail
            .clone()
            .or_else(|| Some(user.user_principal_name.clone())),
        name: user.display_name.clone(),
        preferred_username: user.user_principal_name.clone(),
        user_type: user.user_type,
        amr: amr(sign_in.method, sign_in.passkey_backed_up),
    }
}

/// `GET userinfo`: `sub`, and what the token's scopes allow (OpenID Connect Core §5.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserInfo {
    pub sub: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_username: Option<String>,
}

pub fn user_info(application_id: &str, user: &UserRecord, scopes: &[String]) -> UserInfo {
    let has = |scope: &str| scopes.iter().any(|s| s == scope);
    UserInfo {
        sub: subject(&user.tenant_id, application_id, &user.id),
        email: has("email").then(|| {
            user.mail
                .clone()
                .unwrap_or_else(|| user.user_principal_name.clone())
        }),
        name: has("profile").then(|| user.display_name.clone()),
        preferred_username: has("profile").then(|| user.user_principal_name.clone()),
    }
}
