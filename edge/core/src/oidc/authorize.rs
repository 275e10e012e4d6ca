//! The authorization request's rules (OpenID Connect Core §3.1.2, OAuth 2.0 Security BCP —
//! RFC 9700 — and PKCE, RFC 7636), pure so each is tested natively: who the client is and where
//! it may be sent back (exact match, or an error page that never redirects), what it asks for
//! (`response_type=code`, `openid` in `scope`, PKCE S256 only), and how (`prompt`, `max_age`,
//! `login_hint`). The endpoint that reads the session and issues the code builds on these.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use guestpass_wire::application::AssignmentType;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::ApplicationRecord;
use crate::directory::UserRecord;

/// The longest `state` and `nonce` kept (they travel back in a URL and a token).
pub const MAX_STATE_LENGTH: usize = 512;

/// What the client asked for, as the query string said it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthorizationQuery<'a> {
    pub response_type: Option<&'a str>,
    pub client_id: Option<&'a str>,
    pub redirect_uri: Option<&'a str>,
    pub scope: Option<&'a str>,
    pub state: Option<&'a str>,
    pub nonce: Option<&'a str>,
    pub code_challenge: Option<&'a str>,
    pub code_challenge_method: Option<&'a str>,
    pub prompt: Option<&'a str>,
    pub max_age: Option<&'a str>,
    pub login_hint: Option<&'a str>,
}

/// A request the client may be answered on: the code goes to `redirect_uri` with `state`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    pub client_id: String,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    /// The PKCE S256 challenge the token request's verifier must match.
    pub code_challenge: String,
    pub prompt: Prompt,
    /// Seconds since the user's sign-in beyond which they must sign in again.
    pub max_age: Option<u64>,
    pub login_hint: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Prompt {
    /// Sign in when there is no session; otherwise answer at once.
    #[default]
    Default,
    /// Never show a screen: without a session, `login_required`.
    None,
    /// Sign in again, whatever the session.
    Login,
}

/// Why the request cannot be answered on its redirect URI: shown as a page, never redirected,
/// so an attacker cannot use the endpoint to send browsers anywhere (RFC 9700 §4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorPage {
    UnknownClient,
    /// The redirect URI is missing or not exactly one the application registered.
    RedirectUriNotRegistered,
}

/// An error for the client, sent to its redirect URI with `state` and `iss` (RFC 6749 §4.1.2.1,
/// RFC 9207).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectError {
    pub redirect_uri: String,
    pub state: Option<String>,
    /// `invalid_request`, `unsupported_response_type`, `invalid_scope`, `login_required`,
    /// `access_denied`.
    pub error: &'static str,
    pub description: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Page(ErrorPage),
    Redirect(RedirectError),
}

/// Checks an authorization request against the application its `client_id` names (`None` when
/// none does). The client and the redirect URI come first: until both are known good, nothing
/// is sent to the redirect URI.
pub fn check(
    query: &AuthorizationQuery<'_>,
    app: Option<&ApplicationRecord>,
) -> Result<Authorization, Refusal> {
    let app = app.ok_or(Refusal::Page(ErrorPage::UnknownClient))?;
    let redirect_uri = query
        .redirect_uri
        .filter(|uri| app.redirect_uris.iter().any(|r| r == uri))
        .ok_or(Refusal::Page(ErrorPage::RedirectUriNotRegistered))?;
    let state = query
        .state
        .map(|s| s.chars().take(MAX_STATE_LENGTH).collect::<String>());
    let refuse = |error, description| {
        Refusal::Redirect(RedirectError {
            redirect_uri: redirect_uri.to_string(),
            state: state.clone(),
            error,
            description,
        })
    };
    if query.response_type != Some("code") {
        return Err(refuse(
            "unsupported_response_type",
            "Only the authorization code flow (response_type=code) is supported.",
        ));
    }
    let scopes: Vec<String> = query
        .scope
        .unwrap_or("")
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    if !scopes.iter().any(|s| s == "openid") {
        return Err(refuse("invalid_scope", "The scope must include openid."));
    }
    let code_challenge = match (query.code_challenge, query.code_challenge_method) {
        (None, _) => {
            return Err(refuse(
                "invalid_request",
                "PKCE is required: send code_challenge with code_challenge_method=S256.",
            ))
        }
        (Some(_), method) if method != Some("S256") => {
            return Err(refuse(
                "invalid_request",
                "Only the S256 code challenge method is accepted.",
            ))
        }
        (Some(challenge), _) if !is_s256_challenge(challenge) => {
            return Err(refuse(
                "invalid_request",
                "The code challenge is not a base64url SHA-256 digest.",
            ))
        }
        (Some(challenge), _) => challenge.to_string(),
    };
    let prompt = prompt(query.prompt.unwrap_or("")).ok_or_else(|| {
        refuse(
            "invalid_request",
            "prompt may be none (alone), login, select_account or consent.",
        )
    })?;
    let max_age = match query.max_age {
        None => None,
        Some(text) => Some(text.parse::<u64>().map_err(|_| {
            refuse(
                "invalid_request",
                "max_age must be a whole number of seconds.",
            )
        })?),
    };
    let nonce = query
        .nonce
        .map(|n| n.chars().take(MAX_STATE_LENGTH).collect());
    Ok(Authorization {
        client_id: app.client_id.clone(),
        redirect_uri: redirect_uri.to_string(),
        scopes,
        state,
        nonce,
        code_challenge,
        prompt,
        max_age,
        login_hint: query.login_hint.map(str::to_string),
    })
}

/// `prompt`, space-separated (OpenID Connect Core §3.1.2.1): `none` alone never shows a screen;
/// `login` or `select_account` signs in again; `consent` asks nothing more here (applications are
/// registered by the tenant's administrators). `None` for anything else.
fn prompt(values: &str) -> Option<Prompt> {
    let values: Vec<&str> = values.split(' ').filter(|v| !v.is_empty()).collect();
    if values
        .iter()
        .any(|v| !matches!(*v, "none" | "login" | "select_account" | "consent"))
    {
        return None;
    }
    if values.contains(&"none") {
        return (values.len() == 1).then_some(Prompt::None);
    }
    if values
        .iter()
        .any(|v| matches!(*v, "login" | "select_account"))
    {
        return Some(Prompt::Login);
    }
    Some(Prompt::Default)
}

/// An S256 challenge: SHA-256's 32 bytes in base64url without padding (43 characters).
fn is_s256_challenge(challenge: &str) -> bool {
    challenge.len() == 43
        && URL_SAFE_NO_PAD
            .decode(challenge)
            .is_ok_and(|digest| digest.len() == 32)
}

/// Whether a token request's `code_verifier` matches the challenge its code was bound to
/// (RFC 7636 §4.6): 43 to 128 unreserved characters whose SHA-256, base64url, is the challenge.
/// Compared in constant time.
pub fn verifier_matches(verifier: &str, challenge: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    well_formed && bool::from(computed.as_bytes().ct_eq(challenge.as_bytes()))
}

/// Whether a signed-in session answers the request without a new sign-in: `prompt=login` always
/// signs in again, and `max_age` does when the sign-in is older than it.
pub fn session_is_fresh_enough(
    authorization: &Authorization,
    signed_in_at_ms: i64,
    now_ms: i64,
) -> bool {
    if authorization.prompt == Prompt::Login {
        return false;
    }
    match authorization.max_age {
        None => true,
        Some(seconds) => now_ms.saturating_sub(signed_in_at_ms) <= seconds as i64 * 1000,
    }
}

/// Whether `user` may use `app`: everyone in the tenant, or when assignment is required, a user
/// assigned by id or through one of their groups.
pub fn is_assigned(app: &ApplicationRecord, user: &UserRecord) -> bool {
    !app.assignment_required
        || app.assignments.iter().any(|a| match a.kind {
            AssignmentType::User => a.id == user.id,
            AssignmentType::Group => user.groups.iter().any(|g| g.eq_ignore_ascii_case(&a.id)),
        })
}
