//! The session cookie: opaque, HMAC-signed, revocable per user.
//!
//! Value: `{keyId}.{base64url(claims)}.{base64url(mac)}`. The claims hold the user id, tenant,
//! method, scope, issue time and expiry — never the email. Any key in the ring may verify, so
//! keys rotate without signing everyone out. Revocation writes a per-user "sessions issued
//! before" mark, a record of its own that nothing else writes.

use guestpass_wire::{AuthenticationMethod, SessionScope};
use serde::{Deserialize, Serialize};

use guestpass_wire::{Session, SignInResult};

use crate::context::{Credentials, Ctx};
use crate::directory::{TenantRecord, UserRecord};
use crate::error::DomainError;
use crate::join::join;
use crate::keys::{KeyPurpose, KeyRing};
use crate::ports::Ports;
use crate::time::{UnixMillis, SECOND};

pub const COOKIE_NAME: &str = "__Host-guestpass";
/// Cookie values longer than this are not ours; refuse before any decoding work.
const MAX_COOKIE_VALUE_LENGTH: usize = 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionClaims {
    #[serde(rename = "u")]
    pub user_id: String,
    #[serde(rename = "t")]
    pub tenant_id: String,
    #[serde(rename = "m")]
    pub method: AuthenticationMethod,
    #[serde(rename = "s")]
    pub scope: SessionScope,
    #[serde(rename = "i")]
    pub issued_at: UnixMillis,
    #[serde(rename = "x")]
    pub expires_at: UnixMillis,
    /// Signed in with a synced (backed-up) passkey: `amr` says `swk`, not `hwk`.
    #[serde(rename = "b", default, skip_serializing_if = "std::ops::Not::not")]
    pub synced_passkey: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionError {
    /// Not a cookie this deployment signed, or altered since.
    Invalid,
    Expired,
    /// Signed for another tenant.
    WrongTenant,
    /// The user's sessions were revoked after this one was issued.
    Revoked,
}

impl SessionError {
    /// The sign-in log's reason for a session refused so.
    pub fn log_reason(self) -> &'static str {
        match self {
            SessionError::Invalid => "session_invalid",
            SessionError::Expired => "session_expired",
            SessionError::WrongTenant => "session_wrongtenant",
            SessionError::Revoked => "session_revoked",
        }
    }
}

pub fn sign(keys: &KeyRing, claims: &SessionClaims) -> String {
    keys.seal(KeyPurpose::Session, claims)
}

/// The claims a cookie value holds when this deployment signed it (nothing else checked).
fn unseal(keys: &KeyRing, value: &str) -> Result<SessionClaims, SessionError> {
    if value.len() > MAX_COOKIE_VALUE_LENGTH {
        return Err(SessionError::Invalid);
    }
    keys.unseal(KeyPurpose::Session, value)
        .ok_or(SessionError::Invalid)
}

/// Checks signature, expiry and tenant. Revocation needs the directory: see [`check_not_revoked`].
pub fn verify(
    keys: &KeyRing,
    value: &str,
    tenant_id: &str,
    now: UnixMillis,
) -> Result<SessionClaims, SessionError> {
    let claims = unseal(keys, value)?;
    if now >= claims.expires_at {
        return Err(SessionError::Expired);
    }
    if claims.tenant_id != tenant_id {
        return Err(SessionError::WrongTenant);
    }
    Ok(claims)
}

/// A session stands unless the user's sessions were revoked at or after it was issued.
pub fn check_not_revoked(
    claims: &SessionClaims,
    sessions_issued_before: Option<UnixMillis>,
) -> Result<(), SessionError> {
    if outlives_revocation(claims.issued_at, sessions_issued_before) {
        Ok(())
    } else {
        Err(SessionError::Revoked)
    }
}

/// Whether something a sign-in at `signed_in_at` gave (a session, an application's grant)
/// still stands against the user's revocation mark.
pub fn outlives_revocation(
    signed_in_at: UnixMillis,
    sessions_issued_before: Option<UnixMillis>,
) -> bool {
    sessions_issued_before.is_none_or(|mark| signed_in_at > mark)
}

/// The session as the API shows it.
pub fn view(user: &UserRecord, claims: &SessionClaims) -> Session {
    Session {
        user: user.session_view(),
        authentication_method: claims.method,
        scope: claims.scope,
        expires_date_time: crate::time::format_rfc3339(claims.expires_at),
    }
}

/// `Set-Cookie` for a new session, per the security baseline.
pub fn set_cookie_header(value: &str, claims: &SessionClaims, now: UnixMillis) -> String {
    let max_age = ((claims.expires_at - now) / SECOND).max(0);
    format!("{COOKIE_NAME}={value}; Max-Age={max_age}; Path=/; Secure; HttpOnly; SameSite=Lax")
}

/// `Set-Cookie` that removes the session.
pub fn clear_cookie_header() -> String {
    format!("{COOKIE_NAME}=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax")
}

/// Finds our cookie's value in a `Cookie` request header.
pub fn cookie_value(header: &str) -> Option<&str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

/// The signed-in user of this tenant: a valid cookie, for this tenant, not revoked.
pub async fn current<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> Result<(SessionClaims, UserRecord), DomainError> {
    let value = credentials
        .cookie
        .and_then(cookie_value)
        .ok_or(DomainError::NotSignedIn)?;
    let claims =
        verify(&cx.settings.keys, value, &tenant.id, cx.now).map_err(DomainError::Session)?;
    let (user, mark) = cx
        .directory()
        .user_and_revocation_mark(&tenant.id, &claims.user_id)
        .await?;
    standing(claims, user, mark)
}

/// The session stands when its user still exists and its sessions were not revoked since.
fn standing(
    claims: SessionClaims,
    user: Option<UserRecord>,
    mark: Option<UnixMillis>,
) -> Result<(SessionClaims, UserRecord), DomainError> {
    let user = user.ok_or(DomainError::Session(SessionError::Revoked))?;
    check_not_revoked(&claims, mark).map_err(DomainError::Session)?;
    Ok((claims, user))
}

/// Ends every session of `user` issued so far: revocation, sign-out, pass deletion and user
/// deletion write this mark, and nothing else does — so no stale copy of a user record can undo
/// it.
pub async fn revoke_all<P: Ports>(
    cx: &Ctx<'_, P>,
    tenant_id: &str,
    user_id: &str,
) -> Result<(), DomainError> {
    cx.directory()
        .mark_revoked(tenant_id, user_id, cx.now)
        .await
}

/// `GET session`: who am I.
pub async fn get<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> Result<Session, DomainError> {
    let (claims, user) = current(cx, credentials, tenant).await?;
    Ok(view(&user, &claims))
}

/// `GET session` for the tenant as the path names it (an id or a verified domain). A cookie this
/// deployment signed names its user, so the user and the revocation mark are read (one bulk read) — with
/// the tenant when the path names it otherwise than by the cookie's own tenant id, without it
/// when it does. The answers and their order are [`get`]'s — the tenant first, then the cookie's
/// checks — since nothing is decided before the tenant is known; reads for a cookie of another
/// tenant are dropped unseen.
pub async fn get_for<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    reference: &str,
) -> Result<Session, DomainError> {
    let directory = cx.directory();
    let cookie = credentials.cookie.and_then(cookie_value);
    let Some((value, claimed)) =
        cookie.and_then(|value| Some((value, unseal(&cx.settings.keys, value).ok()?)))
    else {
        let tenant = directory.resolve_tenant(reference).await?;
        return get(cx, credentials, &tenant).await;
    };
    let reads = directory.user_and_revocation_mark(&claimed.tenant_id, &claimed.user_id);
    // The cookie's MAC proves the tenant it was signed for, and tenants are never deleted: a
    // path that names that same id needs no tenant read (one KV read fewer on the most frequent
    // check). Any other reference — a domain, another case, another tenant — is resolved.
    let (tenant_id, reads) = if reference == claimed.tenant_id {
        (claimed.tenant_id.clone(), reads.await)
    } else {
        let (tenant, reads) = join(directory.resolve_tenant(reference), reads).await;
        (tenant?.id, reads)
    };
    let claims =
        verify(&cx.settings.keys, value, &tenant_id, cx.now).map_err(DomainError::Session)?;
    let (user, mark) = reads?;
    let (claims, user) = standing(claims, user, mark)?;
    Ok(view(&user, &claims))
}

/// `DELETE session`: signs out by ending every session of the user — the cookie is stateless, so
/// the revocation mark is what makes a copied cookie stop working too. Without a session there is nothing
/// to end: signing out twice is not an error. Either way the caller clears the cookie.
pub async fn sign_out<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> Result<(), DomainError> {
    if let Ok((_, user)) = current(cx, credentials, tenant).await {
        revoke_all(cx, &tenant.id, &user.id).await?;
    }
    Ok(())
}

/// A session just opened: the API's answer and the cookie that carries it.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedIn {
    pub body: SignInResult,
    /// The `Set-Cookie` header value.
    pub set_cookie: String,
}

/// Signs `claims` into a cookie and pairs it with the answer.
pub fn signed_in(
    keys: &KeyRing,
    user: &UserRecord,
    claims: &SessionClaims,
    redirect_url: Option<String>,
    now: UnixMillis,
) -> SignedIn {
    let cookie = sign(keys, claims);
    SignedIn {
        body: SignInResult {
            session: view(user, claims),
            redirect_url,
        },
        set_cookie: set_cookie_header(&cookie, claims, now),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::tests::ring;
    use crate::limits::SESSION_LIFETIME_MS;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    const NOW: UnixMillis = 1_795_348_800_000;

    fn claims() -> SessionClaims {
        SessionClaims {
            user_id: "u1".into(),
            tenant_id: "t1".into(),
            method: AuthenticationMethod::EmailOtp,
            scope: SessionScope::Full,
            issued_at: NOW,
            expires_at: NOW + SESSION_LIFETIME_MS,
            synced_passkey: false,
        }
    }

    #[test]
    fn a_signed_cookie_verifies_until_it_expires() {
        let keys = ring(&["k1"]);
        let value = sign(&keys, &claims());
        assert_eq!(
            verify(&keys, &value, "t1", NOW + SESSION_LIFETIME_MS - 1_000).unwrap(),
            claims()
        );
        assert_eq!(
            verify(&keys, &value, "t1", NOW + SESSION_LIFETIME_MS),
            Err(SessionError::Expired)
        );
    }

    #[test]
    fn the_cookie_is_opaque_about_the_email() {
        let value = sign(&ring(&["k1"]), &claims());
        let decoded = String::from_utf8(
            URL_SAFE_NO_PAD
                .decode(value.split('.').nth(1).unwrap())
                .unwrap(),
        )
        .unwrap();
        assert!(!decoded.contains('@'));
    }

    #[test]
    fn any_tampering_is_invalid() {
        let keys = ring(&["k1"]);
        let value = sign(&keys, &claims());
        let mut forged_claims = claims();
        forged_claims.user_id = "admin".into();
        let forged_payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&forged_claims).unwrap());
        let parts: Vec<&str> = value.split('.').collect();
        let forged = format!("{}.{forged_payload}.{}", parts[0], parts[2]);
        assert_eq!(
            verify(&keys, &forged, "t1", NOW),
            Err(SessionError::Invalid)
        );
        let mut flipped = value.clone().into_bytes();
        let last = flipped.len() - 2;
        flipped[last] = if flipped[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(
            verify(&keys, &String::from_utf8(flipped).unwrap(), "t1", NOW),
            Err(SessionError::Invalid)
        );
        for junk in ["", "a", "a.b", "k1..", &"k".repeat(5000)] {
            assert_eq!(
                verify(&keys, junk, "t1", NOW),
                Err(SessionError::Invalid),
                "{junk}"
            );
        }
    }

    #[test]
    fn rotation_verifies_old_cookies_and_drops_retired_keys() {
        let old = ring(&["k1"]);
        let value = sign(&old, &claims());
        let both = ring(&["k1", "k2"]);
        assert!(verify(&both, &value, "t1", NOW).is_ok());
        assert_eq!(
            verify(&ring(&["k9"]), &value, "t1", NOW),
            Err(SessionError::Invalid)
        );
    }

    #[test]
    fn a_cookie_for_one_tenant_fails_in_another() {
        let keys = ring(&["k1"]);
        assert_eq!(
            verify(&keys, &sign(&keys, &claims()), "t2", NOW),
            Err(SessionError::WrongTenant)
        );
    }

    #[test]
    fn a_revocation_at_or_after_issue_ends_the_session_and_an_earlier_one_does_not() {
        assert_eq!(check_not_revoked(&claims(), None), Ok(()));
        assert_eq!(check_not_revoked(&claims(), Some(NOW - 1)), Ok(()));
        assert_eq!(
            check_not_revoked(&claims(), Some(NOW)),
            Err(SessionError::Revoked)
        );
    }

    #[test]
    fn cookie_attributes_follow_the_baseline() {
        let header = set_cookie_header("v", &claims(), NOW);
        assert_eq!(
            header,
            "__Host-guestpass=v; Max-Age=86400; Path=/; Secure; HttpOnly; SameSite=Lax"
        );
        assert!(clear_cookie_header().contains("Max-Age=0"));
    }

    #[test]
    fn the_cookie_is_found_among_others() {
        assert_eq!(cookie_value("a=1; __Host-guestpass=xyz; b=2"), Some("xyz"));
        assert_eq!(cookie_value("guestpass=xyz"), None);
        assert_eq!(cookie_value("__Host-guestpass="), None);
    }
}
