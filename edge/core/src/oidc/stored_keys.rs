//! Each tenant's RS256 keys, for the applications that ask for RS256 ID tokens (some clients
//! know no other algorithm). Unlike the ES256 keys (`signing`), an RSA key cannot be derived
//! from a secret: it is generated (WebCrypto in the Worker), its private half sealed
//! (AES-256-GCM under a sub-key of the deployment's ring, bound to the tenant) and stored.
//!
//! The guard decides the set, so two Workers generating at once still agree on one key: the
//! tenant's guard instance keeps it, and KV holds a copy the hot paths read. A key is published
//! for [`PREPUBLISH_MS`] before it signs, so relying parties that cached the tenant's JWKS have
//! it before they meet it; the one before it keeps signing meanwhile and stays published until
//! [`KEPT_KEYS`] newer ones push it out. The very first key signs at once (it is made when an
//! application is set to RS256, before any token).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::Mac;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::signing::{sign_rs256_token, TokenSigner};
use crate::context::Ctx;
use crate::error::DomainError;
use crate::guard::{self, GuardCommand};
use crate::keys::{KeyPurpose, KeyRing};
use crate::ports::{Entropy, Ports};
use crate::storage_keys::{signing_keys, tenant_guard};
use crate::time::{UnixMillis, DAY};

/// A key signs this long after it is made (while relying parties refresh cached JWKS).
pub const PREPUBLISH_MS: i64 = DAY;
/// A new key is made when the newest is this old.
pub const ROTATE_AFTER_MS: i64 = 30 * DAY;
/// Keys published at once: the signing one, the one before it (tokens it signed still verify)
/// and, for a day after each rotation, the next.
pub const KEPT_KEYS: usize = 3;

/// One stored RS256 key: its public half in the clear (what the JWKS publishes), its private
/// half sealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredKey {
    /// The RFC 7638 thumbprint of the public key.
    pub kid: String,
    pub created_at: UnixMillis,
    /// Modulus and exponent, base64url.
    pub n: String,
    pub e: String,
    /// The id of the ring key whose sub-key sealed the private half.
    pub sealed_with: String,
    /// AES-256-GCM of the PKCS#8 private key: nonce (12 bytes) ‖ ciphertext ‖ tag, base64url.
    pub sealed: String,
}

/// A tenant's RS256 keys, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredKeys {
    pub keys: Vec<StoredKey>,
}

impl StoredKeys {
    /// The key new tokens are signed with: the newest published for [`PREPUBLISH_MS`], or
    /// (when none is yet) the oldest.
    pub fn signing(&self, now: UnixMillis) -> Option<&StoredKey> {
        self.keys
            .iter()
            .rev()
            .find(|key| key.created_at + PREPUBLISH_MS <= now)
            .or(self.keys.first())
    }

    /// Whether a new key is due: there is none, or the newest is [`ROTATE_AFTER_MS`] old.
    pub fn rotation_due(&self, now: UnixMillis) -> bool {
        self.keys
            .last()
            .is_none_or(|newest| newest.created_at + ROTATE_AFTER_MS <= now)
    }

    /// The set after `candidate` is offered (the guard's rule): it joins when a key is due, and
    /// the oldest beyond [`KEPT_KEYS`] leave. Otherwise the set stays as it is, so of several
    /// Workers offering at once only the first one's key is kept.
    pub fn settle(mut self, candidate: StoredKey, now: UnixMillis) -> StoredKeys {
        if self.rotation_due(now) {
            self.keys.push(candidate);
        }
        let surplus = self.keys.len().saturating_sub(KEPT_KEYS);
        self.keys.drain(..surplus);
        self
    }

    pub fn find(&self, kid: &str) -> Option<&StoredKey> {
        self.keys.iter().find(|key| key.kid == kid)
    }
}

/// The RFC 7638 JWK thumbprint of an RSA public key: SHA-256 over its required members in
/// lexicographic order, base64url.
pub fn thumbprint(n: &str, e: &str) -> String {
    let canonical = format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#);
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

/// The AES-256 key that seals `tenant_id`'s private keys under one key of the ring.
fn sealing_key(keys: &KeyRing, key_id: &str, tenant_id: &str) -> Option<[u8; 32]> {
    let mut mac = keys.verifying(key_id)?.mac(KeyPurpose::OidcKeySealing);
    mac.update(tenant_id.as_bytes());
    Some(mac.finalize().into_bytes().into())
}

/// A freshly made key for `tenant_id`, sealed: what a Worker offers the guard.
async fn new_key<P: Ports>(cx: &Ctx<'_, P>, tenant_id: &str) -> Result<StoredKey, DomainError> {
    let signer = cx.ports.signatures();
    let pair = signer.generate_rs256().await?;
    let ring = &cx.settings.keys;
    let key_id = ring.signing().id.clone();
    let sealing = sealing_key(ring, &key_id, tenant_id)
        .ok_or_else(|| DomainError::Internal("the ring's signing key".into()))?;
    let nonce: [u8; 12] = cx.ports.entropy().bytes()?;
    let ciphertext = signer.seal(&sealing, &nonce, &pair.pkcs8).await?;
    let (n, e) = (
        URL_SAFE_NO_PAD.encode(&pair.n),
        URL_SAFE_NO_PAD.encode(&pair.e),
    );
    Ok(StoredKey {
        kid: thumbprint(&n, &e),
        created_at: cx.now,
        n,
        e,
        sealed_with: key_id,
        sealed: URL_SAFE_NO_PAD.encode([&nonce[..], &ciphertext].concat()),
    })
}

/// The private half of `key`, PKCS#8; `None` when the ring no longer holds the key that sealed
/// it, or the sealed bytes do not open (they were changed).
pub async fn private_key<P: Ports>(
    cx: &Ctx<'_, P>,
    tenant_id: &str,
    key: &StoredKey,
) -> Result<Option<Vec<u8>>, DomainError> {
    let Some(sealing) = sealing_key(&cx.settings.keys, &key.sealed_with, tenant_id) else {
        return Ok(None);
    };
    let Ok(sealed) = URL_SAFE_NO_PAD.decode(&key.sealed) else {
        return Ok(None);
    };
    let Some((nonce, ciphertext)) = sealed.split_first_chunk::<12>() else {
        return Ok(None);
    };
    cx.ports
        .signatures()
        .open(&sealing, nonce, ciphertext)
        .await
}

/// Asks the tenant's guard instance for its keys, offering `candidate` (none: only read).
async fn from_guard<P: Ports>(
    cx: &Ctx<'_, P>,
    tenant_id: &str,
    candidate: Option<StoredKey>,
) -> Result<StoredKeys, DomainError> {
    let command = GuardCommand::SigningKeys {
        candidate,
        now: cx.now,
    };
    // The tenant's first instance decides the keys, however many shards share its other records.
    guard::signing_keys(cx.ports.guard(), &tenant_guard(tenant_id), command).await
}

/// The tenant's RS256 keys as published: KV's copy, or the guard's when KV has none yet.
pub async fn published<P: Ports>(
    cx: &Ctx<'_, P>,
    tenant_id: &str,
) -> Result<StoredKeys, DomainError> {
    match cx.directory().get(&signing_keys(tenant_id)).await? {
        Some(keys) => Ok(keys),
        None => from_guard(cx, tenant_id, None).await,
    }
}

/// The tenant's RS256 keys, with a new one made and settled when one is due (the first, or a
/// rotation); KV's copy follows the guard's answer. A key is generated only when the guard's
/// own set is due, not merely KV's copy (missing, or a minute stale elsewhere).
pub async fn current<P: Ports>(
    cx: &Ctx<'_, P>,
    tenant_id: &str,
) -> Result<StoredKeys, DomainError> {
    let cached: Option<StoredKeys> = cx.directory().get(&signing_keys(tenant_id)).await?;
    if let Some(keys) = cached.as_ref().filter(|keys| !keys.rotation_due(cx.now)) {
        return Ok(keys.clone());
    }
    let mut settled = from_guard(cx, tenant_id, None).await?;
    if settled.rotation_due(cx.now) {
        let candidate = new_key(cx, tenant_id).await?;
        settled = from_guard(cx, tenant_id, Some(candidate)).await?;
    }
    if cached.as_ref() != Some(&settled) {
        cx.directory()
            .put(&signing_keys(tenant_id), &settled)
            .await?;
    }
    Ok(settled)
}

/// `claims` as a compact JWS signed with the tenant's RS256 signing key (made first when the
/// tenant has none, or rotated when due).
pub async fn sign_token<P: Ports>(
    cx: &Ctx<'_, P>,
    tenant_id: &str,
    claims: &impl Serialize,
) -> Result<String, DomainError> {
    let keys = current(cx, tenant_id).await?;
    let key = keys
        .signing(cx.now)
        .ok_or_else(|| DomainError::Internal("no RS256 key after settling".into()))?;
    let Some(pkcs8) = private_key(cx, tenant_id, key).await? else {
        return Err(DomainError::Misconfigured(format!(
            "the RS256 key {} was sealed with ring key {}, which SIGNING_KEYS no longer holds",
            key.kid, key.sealed_with
        )));
    };
    sign_rs256_token(cx.ports.signatures(), key, &pkcs8, claims).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(kid: &str, created_at: UnixMillis) -> StoredKey {
        StoredKey {
            kid: kid.into(),
            created_at,
            n: "n".into(),
            e: "AQAB".into(),
            sealed_with: "k1".into(),
            sealed: "s".into(),
        }
    }

    fn kids(keys: &StoredKeys) -> Vec<&str> {
        keys.keys.iter().map(|k| k.kid.as_str()).collect()
    }

    #[test]
    fn the_first_key_joins_and_signs_at_once_and_a_second_offer_changes_nothing() {
        let first = StoredKeys::default().settle(key("a", 0), 0);
        assert_eq!(first.signing(0).map(|k| k.kid.as_str()), Some("a"));
        // Another Worker that also found none offers its own key a moment later.
        let again = first.clone().settle(key("b", 5), 5);
        assert_eq!(again, first);
    }

    #[test]
    fn a_new_key_is_published_a_day_before_it_signs_and_the_oldest_beyond_three_leaves() {
        let mut keys = StoredKeys::default().settle(key("a", 0), 0);
        let month = ROTATE_AFTER_MS;
        assert!(!keys.rotation_due(month - 1));
        assert!(keys.rotation_due(month));
        keys = keys.settle(key("b", month), month);
        assert_eq!(kids(&keys), ["a", "b"]);
        assert_eq!(keys.signing(month).unwrap().kid, "a", "b is only published");
        assert_eq!(keys.signing(month + PREPUBLISH_MS - 1).unwrap().kid, "a");
        assert_eq!(keys.signing(month + PREPUBLISH_MS).unwrap().kid, "b");
        keys = keys.settle(key("c", 2 * month), 2 * month);
        keys = keys.settle(key("d", 3 * month), 3 * month);
        assert_eq!(
            kids(&keys),
            ["b", "c", "d"],
            "a leaves two rotations after it stopped"
        );
        assert_eq!(keys.signing(3 * month).unwrap().kid, "c");
    }

    #[test]
    fn the_thumbprint_is_rfc_7638s() {
        // RFC 7638 §3.1's example key and thumbprint.
        let n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
        assert_eq!(
            thumbprint(n, "AQAB"),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }
}
