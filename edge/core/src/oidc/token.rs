//! The token request's rules (RFC 6749 §3.2.1, §4.1.3 and §5.2; RFC 7636 §4.5–4.6), pure so
//! each is tested natively: how a client authenticates (`client_secret_basic`,
//! `client_secret_post`, or none for a public client, never two at once), and whether an
//! authorization code may be exchanged — its client, its redirect URI, its PKCE verifier and its
//! age. Errors are RFC 6749 §5.2's; the endpoint that consumes the code once (in the Durable
//! Object) and signs the tokens builds on these.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::authorize::verifier_matches;
use super::ApplicationRecord;
use crate::keys::KeyRing;
use crate::time::UnixMillis;
use crate::url::form_decode;

/// How long an authorization code may wait for its exchange (RFC 9700 §4.2: short-lived).
pub const CODE_LIFETIME_MS: i64 = crate::limits::AUTHORIZATION_CODE_MS;

/// RFC 6749 §5.2's error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    InvalidRequest(&'static str),
    /// `401` (with `WWW-Authenticate` when the client tried HTTP Basic).
    InvalidClient,
    InvalidGrant(&'static str),
    UnsupportedGrantType,
}

impl TokenError {
    pub fn code(self) -> &'static str {
        match self {
            TokenError::InvalidRequest(_) => "invalid_request",
            TokenError::InvalidClient => "invalid_client",
            TokenError::InvalidGrant(_) => "invalid_grant",
            TokenError::UnsupportedGrantType => "unsupported_grant_type",
        }
    }

    pub fn status(self) -> u16 {
        match self {
            TokenError::InvalidClient => 401,
            _ => 400,
        }
    }
}

/// Who the client says it is, and the secret it proves it with (none for a public client).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientCredentials {
    pub client_id: String,
    pub secret: Option<String>,
    /// The secret came in an `Authorization: Basic` header.
    pub basic: bool,
}

/// The client's credentials from the `Authorization` header and the form's `client_id` and
/// `client_secret`. One method only (RFC 6749 §2.3); in Basic, both parts are form-encoded
/// first (§2.3.1), so they are decoded here.
pub fn client_credentials(
    authorization: Option<&str>,
    form_client_id: Option<&str>,
    form_client_secret: Option<&str>,
) -> Result<ClientCredentials, TokenError> {
    let basic = authorization
        .and_then(|header| header.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("basic"))
        .map(|(_, encoded)| encoded.trim());
    match (basic, form_client_secret) {
        (Some(_), Some(_)) => Err(TokenError::InvalidRequest(
            "Authenticate the client one way: the Authorization header or the form.",
        )),
        (Some(encoded), None) => {
            let decoded = STANDARD
                .decode(encoded)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .ok_or(TokenError::InvalidClient)?;
            let (id, secret) = decoded.split_once(':').ok_or(TokenError::InvalidClient)?;
            let client_id = form_decode(id);
            if form_client_id.is_some_and(|form| form != client_id) {
                return Err(TokenError::InvalidRequest(
                    "client_id in the form is not the one authenticated.",
                ));
            }
            Ok(ClientCredentials {
                client_id,
                secret: Some(form_decode(secret)),
                basic: true,
            })
        }
        (None, secret) => Ok(ClientCredentials {
            client_id: form_client_id
                .filter(|id| !id.is_empty())
                .ok_or(TokenError::InvalidClient)?
                .to_string(),
            secret: secret.map(str::to_string),
            basic: false,
        }),
    }
}

/// Whether the credentials authenticate `app` (found by the client id; `None` when none is):
/// a confidential client with one of its secrets, a public client with none. Every failure is
/// the same `invalid_client`.
pub fn authenticate(
    keys: &KeyRing,
    app: Option<&ApplicationRecord>,
    credentials: &ClientCredentials,
) -> Result<(), TokenError> {
    let app = app.ok_or(TokenError::InvalidClient)?;
    match (&credentials.secret, app.public_client) {
        (None, true) => Ok(()),
        (Some(secret), false) if app.secret_matches(keys, secret) => Ok(()),
        _ => Err(TokenError::InvalidClient),
    }
}

/// What an authorization code was issued for, as the Durable Object hands it back when the
/// code is consumed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub code_challenge: String,
    pub issued_at: UnixMillis,
}

/// Whether a consumed code may be exchanged by this request (RFC 6749 §4.1.3, RFC 7636 §4.6):
/// the same client, the same redirect URI, a verifier that hashes to the challenge, and no
/// older than [`CODE_LIFETIME_MS`]. Every mismatch is `invalid_grant`.
pub fn exchangeable(
    code: &IssuedCode,
    client_id: &str,
    redirect_uri: Option<&str>,
    verifier: Option<&str>,
    now: UnixMillis,
) -> Result<(), TokenError> {
    if code.client_id != client_id {
        return Err(TokenError::InvalidGrant(
            "The code was issued to another client.",
        ));
    }
    if redirect_uri != Some(code.redirect_uri.as_str()) {
        return Err(TokenError::InvalidGrant(
            "redirect_uri is not the one the code was issued for.",
        ));
    }
    let verifier = verifier.ok_or(TokenError::InvalidRequest("code_verifier is required."))?;
    if !verifier_matches(verifier, &code.code_challenge) {
        return Err(TokenError::InvalidGrant(
            "code_verifier does not match the code challenge.",
        ));
    }
    if now.saturating_sub(code.issued_at) > CODE_LIFETIME_MS {
        return Err(TokenError::InvalidGrant("The code has expired."));
    }
    Ok(())
}
