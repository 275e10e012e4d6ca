//! Temporary Access Pass values and their keyed hashes.
//!
//! A pass is shown once, at creation; only an HMAC of it (keyed, with the key's id, bound to
//! tenant and user) is stored, so a copy of KV does not yield usable passes.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::Mac;
use serde::{Deserialize, Serialize};

use guestpass_wire::tap::{MethodUsabilityReason, TemporaryAccessPassMethod};

use super::policy::PassPolicy;
use crate::keys::{KeyPurpose, KeyRing};
use crate::time::{format_rfc3339, UnixMillis, MINUTE};

/// Unambiguous characters: no 0/O, 1/l/I. 56 symbols ≈ 5.8 bits each.
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// Draws a pass of `length` characters from `entropy` without modulo bias. Returns `None` if
/// the bytes ran out (give at least `3 * length` bytes; the caller then draws again).
pub fn generate(length: usize, entropy: &[u8]) -> Option<String> {
    let accept_below = 256 - (256 % ALPHABET.len());
    let pass: String = entropy
        .iter()
        .filter(|b| usize::from(**b) < accept_below)
        .take(length)
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    (pass.len() == length).then_some(pass)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PassRecord {
    pub id: String,
    pub key_id: String,
    pub hash: String,
    pub created_at: UnixMillis,
    pub start_at: UnixMillis,
    pub lifetime_in_minutes: u32,
    pub is_usable_once: bool,
    /// When a one-time pass was used: a mirror for reads. The guard Durable Object is what
    /// refuses a second use.
    #[serde(default)]
    pub used_at: Option<UnixMillis>,
    /// The tenant's guard shard that decides this pass's sign-ins (`guard::shards`), picked
    /// when it was issued; left out for shard 0, as passes from before shards are.
    #[serde(default, skip_serializing_if = "crate::guard::shards::is_first")]
    pub guard_shard: u8,
}

impl PassRecord {
    /// Whether the pass can sign in at `now` for a user the policy does or does not include
    /// (`included`: [`PassPolicy::includes`] of the user's groups), and why (Graph's
    /// `methodUsabilityReason`).
    pub fn usability(&self, included: bool, now: UnixMillis) -> (bool, MethodUsabilityReason) {
        let reason = if !included {
            MethodUsabilityReason::DisabledByPolicy
        } else if self.used_at.is_some() {
            MethodUsabilityReason::OneTimeUsed
        } else if now < self.start_at {
            MethodUsabilityReason::NotYetValid
        } else if now >= self.end_at() {
            MethodUsabilityReason::Expired
        } else {
            MethodUsabilityReason::EnabledByPolicy
        };
        (reason == MethodUsabilityReason::EnabledByPolicy, reason)
    }

    /// Still able to sign in some day: not expired, not used. Such a pass blocks a new one.
    pub fn is_current(&self, now: UnixMillis) -> bool {
        self.used_at.is_none() && now < self.end_at()
    }

    /// The pass of a user in `groups` as the API shows it under `policy`; `value` only in the
    /// create response.
    pub fn view(
        &self,
        policy: &PassPolicy,
        groups: &[String],
        now: UnixMillis,
        value: Option<String>,
    ) -> TemporaryAccessPassMethod {
        let (is_usable, method_usability_reason) = self.usability(policy.includes(groups), now);
        TemporaryAccessPassMethod {
            id: self.id.clone(),
            temporary_access_pass: value,
            created_date_time: format_rfc3339(self.created_at),
            start_date_time: format_rfc3339(self.start_at),
            lifetime_in_minutes: self.lifetime_in_minutes,
            is_usable_once: self.is_usable_once,
            is_usable,
            method_usability_reason,
            locked_until_new_pass: false,
        }
    }

    pub fn end_at(&self) -> UnixMillis {
        self.start_at + i64::from(self.lifetime_in_minutes) * MINUTE
    }

    pub fn issued_view(&self, value: String) -> guestpass_wire::IssuedPass {
        guestpass_wire::IssuedPass {
            temporary_access_pass: value,
            start_date_time: format_rfc3339(self.start_at),
            lifetime_in_minutes: self.lifetime_in_minutes,
            is_usable_once: self.is_usable_once,
        }
    }
}

fn hash_mac(
    keys: &KeyRing,
    key_id: &str,
    tenant_id: &str,
    user_id: &str,
    value: &str,
) -> Option<crate::keys::HmacSha256> {
    keys.hash_parts(key_id, KeyPurpose::PassHash, &[tenant_id, user_id, value])
}

/// Keyed hash of a pass with the signing key, bound to its tenant and user.
pub fn hash(keys: &KeyRing, tenant_id: &str, user_id: &str, value: &str) -> (String, String) {
    let key_id = keys.signing().id.clone();
    let mac = hash_mac(keys, &key_id, tenant_id, user_id, value).expect("the signing key verifies");
    (key_id, URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
}

/// Checks a typed pass against a stored record in constant time.
/// Computes and compares one pass MAC that cannot match: the work a real comparison costs, for
/// a name with no pass (so the answer does not tell names apart by time).
pub fn burn_a_comparison(keys: &KeyRing, typed: &str) {
    let mac = hash_mac(keys, &keys.signing().id, "", "", typed);
    let _ = mac.is_some_and(|mac| mac.verify_slice(&[0; 32]).is_ok());
}

pub fn matches(
    keys: &KeyRing,
    record: &PassRecord,
    tenant_id: &str,
    user_id: &str,
    typed: &str,
) -> bool {
    let Ok(stored) = URL_SAFE_NO_PAD.decode(&record.hash) else {
        return false;
    };
    hash_mac(keys, &record.key_id, tenant_id, user_id, typed)
        .is_some_and(|mac| mac.verify_slice(&stored).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::tests::ring;

    #[test]
    fn passes_use_the_unambiguous_alphabet_and_the_asked_length() {
        let entropy: Vec<u8> = (0..=255).collect();
        let pass = generate(8, &entropy).unwrap();
        assert_eq!(pass.len(), 8);
        assert!(pass.bytes().all(|c| ALPHABET.contains(&c)));
        assert!(
            generate(48, &[255; 200]).is_none(),
            "rejected bytes never become characters"
        );
    }

    #[test]
    fn hashes_match_only_the_same_pass_tenant_and_user() {
        let keys = ring(&["k1"]);
        let (key_id, hash) = hash(&keys, "t1", "u1", "Pass2345");
        let record = PassRecord {
            id: "p".into(),
            key_id,
            hash,
            created_at: 0,
            start_at: 0,
            lifetime_in_minutes: 60,
            is_usable_once: false,
            used_at: None,
            guard_shard: 0,
        };
        assert!(matches(&keys, &record, "t1", "u1", "Pass2345"));
        assert!(!matches(&keys, &record, "t1", "u1", "Pass2346"));
        assert!(!matches(&keys, &record, "t2", "u1", "Pass2345"));
        assert!(!matches(&keys, &record, "t1", "u2", "Pass2345"));
        assert!(!record.hash.contains("Pass2345"));
    }
}
