//! OpenID Connect grants, decided where they are strongly consistent: an authorization code is
//! exchanged once; the exchange starts a grant, whose refresh token rotates on every use; a
//! replayed code or a reused refresh token revokes the grant, and with it every token it
//! issued (RFC 9700 §4.14.2, §2.2.2).
//!
//! Each grant has a guard instance of its own (`storage_keys::grant_guard`), named by the random
//! grant id that its code and refresh tokens carry, so grants never queue behind each other or
//! behind sign-ins. The instance holds the code and the grant; secrets only as SHA-256 hashes.
//! What the code authorizes (client, redirect URI, PKCE challenge, user…) is the caller's,
//! carried here as opaque `payload` text.

use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use crate::time::UnixMillis;

/// An authorization code, until the sweep forgets it (kept past its use so that a replay is
/// recognised and revokes the grant).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeRecord {
    pub secret_hash: String,
    pub client_id: String,
    pub payload: String,
    pub expires_at: UnixMillis,
    /// The grant it starts has a refresh token (`offline_access`).
    pub offline: bool,
    pub used: bool,
    pub forget_at: UnixMillis,
}

/// A grant: what its tokens speak for, and its refresh token's hash while it has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantRecord {
    pub client_id: String,
    pub payload: String,
    pub refresh_hash: Option<String>,
    pub expires_at: UnixMillis,
    pub revoked: bool,
}

impl GrantRecord {
    pub fn is_active(&self, now: UnixMillis) -> bool {
        !self.revoked && now < self.expires_at
    }
}

fn same(a: &str, b: &str) -> bool {
    bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// What exchanging a code asks for: who presents it, and the grant it would start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Redemption {
    pub secret_hash: String,
    pub client_id: String,
    /// The first refresh token's hash, kept when the code grants one (`offline_access`).
    pub refresh_hash: String,
    /// When the grant ends: with its access token, or, with a refresh token, this one's end.
    pub access_expires_at: UnixMillis,
    pub refresh_expires_at: UnixMillis,
}

/// Exchanges a code: the first exchange by its client, before it expires, uses it up and
/// starts the grant (returned with the payload). A replay revokes the grant; a wrong client
/// uses the code up (a code in another client's hands is a stolen one). `None`, whatever the
/// reason, is RFC 6749's `invalid_grant`.
pub fn redeem(
    code: Option<CodeRecord>,
    grant: Option<GrantRecord>,
    redemption: &Redemption,
    now: UnixMillis,
) -> (Option<CodeRecord>, Option<GrantRecord>, Option<String>) {
    let Some(mut code) = code else {
        return (None, grant, None);
    };
    if !same(&code.secret_hash, &redemption.secret_hash) {
        return (Some(code), grant, None);
    }
    if code.used {
        let revoked = grant.map(|grant| GrantRecord {
            revoked: true,
            ..grant
        });
        return (Some(code), revoked, None);
    }
    if now >= code.expires_at {
        return (Some(code), grant, None);
    }
    code.used = true;
    if code.client_id != redemption.client_id {
        return (Some(code), grant, None);
    }
    let expires_at = if code.offline {
        redemption.refresh_expires_at
    } else {
        redemption.access_expires_at
    };
    code.forget_at = code.forget_at.max(expires_at);
    let started = GrantRecord {
        client_id: code.client_id.clone(),
        payload: code.payload.clone(),
        refresh_hash: code.offline.then(|| redemption.refresh_hash.clone()),
        expires_at,
        revoked: false,
    };
    let payload = code.payload.clone();
    (Some(code), Some(started), Some(payload))
}

/// What using a refresh token asks for: who presents it, and its successor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rotation {
    pub presented_hash: String,
    pub client_id: String,
    pub next_hash: String,
    pub expires_at: UnixMillis,
}

/// Uses a refresh token: the grant's current one, by its client, while the grant is active,
/// rotates it (returned: the payload). A token used before, or presented by another client,
/// revokes the grant — one of its tokens has leaked. `None` is `invalid_grant`.
pub fn rotate(
    grant: Option<GrantRecord>,
    rotation: &Rotation,
    now: UnixMillis,
) -> (Option<GrantRecord>, Option<String>) {
    let Some(mut grant) = grant else {
        return (None, None);
    };
    let Some(current) = grant
        .refresh_hash
        .as_deref()
        .filter(|_| grant.is_active(now))
    else {
        return (Some(grant), None);
    };
    if !same(current, &rotation.presented_hash) || grant.client_id != rotation.client_id {
        grant.revoked = true;
        return (Some(grant), None);
    }
    grant.refresh_hash = Some(rotation.next_hash.clone());
    grant.expires_at = rotation.expires_at;
    let payload = grant.payload.clone();
    (Some(grant), Some(payload))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: UnixMillis = 1_795_348_800_000;

    fn code() -> CodeRecord {
        CodeRecord {
            secret_hash: "code-hash".into(),
            client_id: "client".into(),
            payload: "{\"user\":\"u\"}".into(),
            expires_at: NOW + 60_000,
            offline: true,
            used: false,
            forget_at: NOW + 60_000,
        }
    }

    fn redemption() -> Redemption {
        Redemption {
            secret_hash: "code-hash".into(),
            client_id: "client".into(),
            refresh_hash: "refresh-1".into(),
            access_expires_at: NOW + 500_000,
            refresh_expires_at: NOW + 1_000_000,
        }
    }

    fn rotation(presented: &str) -> Rotation {
        Rotation {
            presented_hash: presented.into(),
            client_id: "client".into(),
            next_hash: "refresh-2".into(),
            expires_at: NOW + 2_000_000,
        }
    }

    #[test]
    fn a_code_exchanged_once_starts_its_grant_and_is_kept_as_long_as_the_grant() {
        let (code, grant, payload) = redeem(Some(code()), None, &redemption(), NOW + 59_999);
        assert_eq!(payload.as_deref(), Some("{\"user\":\"u\"}"));
        let code = code.unwrap();
        assert!(code.used);
        assert_eq!(code.forget_at, NOW + 1_000_000);
        let grant = grant.unwrap();
        assert!(grant.is_active(NOW));
        assert_eq!(grant.refresh_hash.as_deref(), Some("refresh-1"));
        assert_eq!(grant.client_id, "client");
    }

    #[test]
    fn a_replayed_code_gives_nothing_and_revokes_the_grant_it_started() {
        let (code, grant, _) = redeem(Some(code()), None, &redemption(), NOW);
        let (code, grant, payload) = redeem(code, grant, &redemption(), NOW + 1);
        assert_eq!(payload, None);
        assert!(code.unwrap().used);
        assert!(!grant.unwrap().is_active(NOW + 1));
    }

    #[test]
    fn an_expired_a_wrong_or_an_unknown_code_gives_nothing() {
        let (_, grant, payload) = redeem(Some(code()), None, &redemption(), NOW + 60_000);
        assert_eq!((grant, payload), (None, None));
        let wrong = Redemption {
            secret_hash: "other".into(),
            ..redemption()
        };
        let (code_after, grant, payload) = redeem(Some(code()), None, &wrong, NOW);
        assert_eq!((grant, payload), (None, None));
        assert!(
            !code_after.unwrap().used,
            "a wrong secret does not burn the code"
        );
        assert_eq!(redeem(None, None, &redemption(), NOW), (None, None, None));
    }

    #[test]
    fn a_code_presented_by_another_client_is_used_up_without_a_grant() {
        let other = Redemption {
            client_id: "other".into(),
            ..redemption()
        };
        let (code, grant, payload) = redeem(Some(code()), None, &other, NOW);
        assert_eq!((grant, payload), (None, None));
        let (_, grant, payload) = redeem(code, None, &redemption(), NOW);
        assert_eq!((grant, payload), (None, None));
    }

    #[test]
    fn a_refresh_token_rotates_once_and_its_reuse_revokes_the_grant() {
        let (_, grant, _) = redeem(Some(code()), None, &redemption(), NOW);
        let (grant, payload) = rotate(grant, &rotation("refresh-1"), NOW + 10);
        assert!(payload.is_some());
        let grant = grant.unwrap();
        assert_eq!(grant.refresh_hash.as_deref(), Some("refresh-2"));
        assert_eq!(grant.expires_at, NOW + 2_000_000);
        // The first token again: a leak. Nothing is issued, and the current token dies too.
        let (grant, payload) = rotate(Some(grant), &rotation("refresh-1"), NOW + 20);
        assert_eq!(payload, None);
        let (_, payload) = rotate(grant, &rotation("refresh-2"), NOW + 30);
        assert_eq!(payload, None);
    }

    #[test]
    fn a_refresh_token_is_refused_to_another_client_and_after_the_grant_ends() {
        let (_, grant, _) = redeem(Some(code()), None, &redemption(), NOW);
        let other = Rotation {
            client_id: "other".into(),
            ..rotation("refresh-1")
        };
        let (revoked, payload) = rotate(grant.clone(), &other, NOW);
        assert_eq!(payload, None);
        assert!(revoked.unwrap().revoked);
        let (_, payload) = rotate(grant, &rotation("refresh-1"), NOW + 1_000_000);
        assert_eq!(payload, None);
    }

    #[test]
    fn a_grant_without_a_refresh_token_cannot_be_refreshed() {
        let online = CodeRecord {
            offline: false,
            ..code()
        };
        let (code, grant, _) = redeem(Some(online), None, &redemption(), NOW);
        assert_eq!(grant.as_ref().unwrap().expires_at, NOW + 500_000);
        assert_eq!(code.unwrap().forget_at, NOW + 500_000);
        assert_eq!(rotate(grant.clone(), &rotation("refresh-1"), NOW).1, None);
        assert!(
            grant.unwrap().is_active(NOW),
            "and trying does not revoke it"
        );
    }
}
