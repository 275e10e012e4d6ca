//! Stateless email-code challenges.
//!
//! On send, nothing about the code is stored. The server MACs a small claim set — key id, tenant,
//! normalized email, purpose, nonce, expiry — and hands the browser that opaque challenge. The
//! 8-digit code is derived from the same claims with a second, domain-separated MAC, so only the
//! server can compute it and a code is bound to exactly one tenant, address, purpose and nonce.
//! "Once", attempt counts and "the newest code wins" live in the Durable Object (see `guard`).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::Mac;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use crate::keys::{KeyPurpose, KeyRing, SecretKey};
use crate::limits::CODE_LENGTH;
use crate::time::{UnixMillis, SECOND};

const CODE_MODULUS: u64 = 10u64.pow(CODE_LENGTH);
/// Longest challenge text accepted: claims hold an address of at most 254 bytes.
pub const MAX_CHALLENGE_LENGTH: usize = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Purpose {
    SignIn,
}

/// What a challenge binds. Public fields: the adapter routes on `tenant` and `email`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeClaims {
    #[serde(rename = "k")]
    pub key_id: String,
    #[serde(rename = "t")]
    pub tenant: String,
    #[serde(rename = "e")]
    pub email: String,
    #[serde(rename = "p")]
    pub purpose: Purpose,
    /// 16 random bytes, base64url: identifies this challenge among an address's sends.
    #[serde(rename = "n")]
    pub nonce: String,
    /// Expiry, whole Unix seconds.
    #[serde(rename = "x")]
    pub expires_at_secs: i64,
    /// The tenant's guard shard that recorded the send, and so decides the code
    /// (`guard::shards`); left out for shard 0, as challenges from before shards are.
    #[serde(
        rename = "s",
        default,
        skip_serializing_if = "crate::guard::shards::is_first"
    )]
    pub shard: u8,
}

impl ChallengeClaims {
    pub fn expires_at(&self) -> UnixMillis {
        self.expires_at_secs * SECOND
    }

    /// Valid strictly before its expiry instant.
    pub fn is_expired(&self, now: UnixMillis) -> bool {
        now >= self.expires_at()
    }
}

/// A challenge as issued: the opaque text for the browser and the code for the email.
#[derive(Debug, Clone)]
pub struct IssuedChallenge {
    pub text: String,
    pub code: String,
    pub claims: ChallengeClaims,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChallengeError {
    /// Not a challenge this deployment made: bad syntax, unknown key or wrong MAC.
    Invalid,
}

/// Issues a challenge for `email` in `tenant`, valid for `lifetime_ms` from `now`, decided by
/// the tenant's guard `shard`.
#[allow(clippy::too_many_arguments)]
pub fn issue(
    keys: &KeyRing,
    tenant: &str,
    email: &str,
    purpose: Purpose,
    shard: u8,
    nonce: [u8; 16],
    now: UnixMillis,
    lifetime_ms: i64,
) -> IssuedChallenge {
    let key = keys.signing();
    let claims = ChallengeClaims {
        key_id: key.id.clone(),
        tenant: tenant.into(),
        email: email.into(),
        purpose,
        nonce: URL_SAFE_NO_PAD.encode(nonce),
        expires_at_secs: (now + lifetime_ms).div_euclid(SECOND),
        shard,
    };
    let payload = serde_json::to_vec(&claims).unwrap_or_else(|_| unreachable!("claims serialize"));
    let tag = challenge_tag(key, &payload);
    let text = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(&payload),
        URL_SAFE_NO_PAD.encode(tag)
    );
    let code = derive_code(key, &payload);
    IssuedChallenge { text, code, claims }
}

/// Checks the MAC and returns the claims, plus the code they derive (to compare with the guess).
pub fn open(keys: &KeyRing, text: &str) -> Result<(ChallengeClaims, String), ChallengeError> {
    if text.len() > MAX_CHALLENGE_LENGTH {
        return Err(ChallengeError::Invalid);
    }
    let (payload_b64, tag_b64) = text.split_once('.').ok_or(ChallengeError::Invalid)?;
    let payload = URL_SAFE_NO_PAD
        .decode(payload_b64)
        .map_err(|_| ChallengeError::Invalid)?;
    let tag = URL_SAFE_NO_PAD
        .decode(tag_b64)
        .map_err(|_| ChallengeError::Invalid)?;
    let claims: ChallengeClaims =
        serde_json::from_slice(&payload).map_err(|_| ChallengeError::Invalid)?;
    let key = keys
        .verifying(&claims.key_id)
        .ok_or(ChallengeError::Invalid)?;
    let mut mac = key.mac(KeyPurpose::Challenge);
    mac.update(b"challenge\0");
    mac.update(&payload);
    // `verify_slice` compares in constant time.
    mac.verify_slice(&tag)
        .map_err(|_| ChallengeError::Invalid)?;
    let code = derive_code(key, &payload);
    Ok((claims, code))
}

/// Compares a typed code with the derived one in constant time.
pub fn code_matches(expected: &str, typed: &str) -> bool {
    expected.len() == typed.len() && bool::from(expected.as_bytes().ct_eq(typed.as_bytes()))
}

/// True when the text has the shape of a code: exactly `CODE_LENGTH` ASCII digits.
pub fn is_code_shaped(typed: &str) -> bool {
    typed.len() == CODE_LENGTH as usize && typed.bytes().all(|b| b.is_ascii_digit())
}

fn challenge_tag(key: &SecretKey, payload: &[u8]) -> Vec<u8> {
    let mut mac = key.mac(KeyPurpose::Challenge);
    mac.update(b"challenge\0");
    mac.update(payload);
    mac.finalize().into_bytes().to_vec()
}

/// Derives the code without modulo bias: 64-bit draws at or above the largest multiple of 10^8
/// are rejected, and a fresh block is derived in the (≈10^-11) case that all four are.
fn derive_code(key: &SecretKey, payload: &[u8]) -> String {
    let limit = u64::MAX - (u64::MAX % CODE_MODULUS);
    for block in 0u32.. {
        let mut mac = key.mac(KeyPurpose::Challenge);
        mac.update(b"code\0");
        mac.update(&block.to_be_bytes());
        mac.update(payload);
        let bytes = mac.finalize().into_bytes();
        for chunk in bytes.chunks_exact(8) {
            let draw = u64::from_be_bytes(chunk.try_into().expect("8-byte chunk"));
            if draw < limit {
                return format!(
                    "{:0width$}",
                    draw % CODE_MODULUS,
                    width = CODE_LENGTH as usize
                );
            }
        }
    }
    unreachable!("an HMAC stream always yields an accepted draw")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::tests::ring;
    use crate::limits::CODE_LIFETIME_MS;

    const NOW: UnixMillis = 1_795_348_800_000;
    const TENANT: &str = "3f7c1c2e-8f1a-4d1e-9b7a-0c1d2e3f4a5b";

    fn issue_for(keys: &KeyRing, tenant: &str, email: &str, nonce: u8) -> IssuedChallenge {
        issue(
            keys,
            tenant,
            email,
            Purpose::SignIn,
            0,
            [nonce; 16],
            NOW,
            CODE_LIFETIME_MS,
        )
    }

    #[test]
    fn codes_are_eight_digits_and_reproducible_from_the_challenge() {
        let keys = ring(&["k1"]);
        let issued = issue_for(&keys, TENANT, "guest@example.com", 1);
        assert!(is_code_shaped(&issued.code), "{}", issued.code);
        let (claims, code) = open(&keys, &issued.text).unwrap();
        assert_eq!(code, issued.code);
        assert_eq!(claims, issued.claims);
    }

    #[test]
    fn expiry_boundary_is_exclusive() {
        let keys = ring(&["k1"]);
        let claims = issue_for(&keys, TENANT, "guest@example.com", 1).claims;
        let expiry = NOW + CODE_LIFETIME_MS;
        assert_eq!(claims.expires_at(), expiry);
        assert!(
            !claims.is_expired(expiry - 1_000),
            "one second before expiry passes"
        );
        assert!(claims.is_expired(expiry), "the expiry instant itself fails");
        assert!(claims.is_expired(expiry + 1_000), "one second after fails");
    }

    #[test]
    fn codes_are_bound_to_tenant_email_purpose_and_nonce() {
        let keys = ring(&["k1"]);
        let base = issue_for(&keys, TENANT, "guest@example.com", 1).code;
        assert_ne!(
            base,
            issue_for(&keys, "other-tenant", "guest@example.com", 1).code
        );
        assert_ne!(base, issue_for(&keys, TENANT, "other@example.com", 1).code);
        assert_ne!(base, issue_for(&keys, TENANT, "guest@example.com", 2).code);
        // The purpose is inside the MAC'd payload: editing it (or anything) breaks the challenge.
        let issued = issue_for(&keys, TENANT, "guest@example.com", 1);
        let (payload, tag) = issued.text.split_once('.').unwrap();
        let json = String::from_utf8(URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        for (from, to) in [
            ("signIn", "signUp"),
            (TENANT, "other-tenant"),
            ("guest@", "attacker@"),
        ] {
            let forged = format!("{}.{tag}", URL_SAFE_NO_PAD.encode(json.replace(from, to)));
            assert_eq!(
                open(&keys, &forged).unwrap_err(),
                ChallengeError::Invalid,
                "{from}"
            );
        }
    }

    #[test]
    fn challenges_from_another_key_or_garbage_are_invalid() {
        let issued = issue_for(&ring(&["k1"]), TENANT, "guest@example.com", 1);
        let stranger = ring(&["k2"]);
        assert_eq!(
            open(&stranger, &issued.text).unwrap_err(),
            ChallengeError::Invalid
        );
        for junk in ["", ".", "abc", "a.b", &"x".repeat(2000)] {
            assert_eq!(open(&stranger, junk).unwrap_err(), ChallengeError::Invalid);
        }
    }

    #[test]
    fn rotation_keeps_old_challenges_verifiable() {
        let old = ring(&["k1"]);
        let issued = issue_for(&old, TENANT, "guest@example.com", 1);
        let spec_both = {
            use base64::engine::general_purpose::STANDARD;
            format!(
                "k2:{},k1:{}",
                STANDARD.encode([9u8; 32]),
                STANDARD.encode([1u8; 32])
            )
        };
        let rotated = KeyRing::parse(&spec_both).unwrap();
        assert_eq!(open(&rotated, &issued.text).unwrap().1, issued.code);
        assert_eq!(
            issue_for(&rotated, TENANT, "guest@example.com", 1)
                .claims
                .key_id,
            "k2"
        );
    }

    #[test]
    fn code_comparison_needs_exact_digits() {
        assert!(code_matches("01234567", "01234567"));
        assert!(!code_matches("01234567", "01234568"));
        assert!(!code_matches("01234567", "1234567"));
        assert!(!is_code_shaped("1234567a"));
        assert!(!is_code_shaped("123456789"));
    }

    #[test]
    fn derived_digits_are_spread_evenly() {
        // 4,000 codes = 32,000 digits; each digit should appear ~3,200 times. A biased or
        // truncated derivation (e.g. leading zeros dropped) lands far outside this band.
        let keys = ring(&["k1"]);
        let mut counts = [0u32; 10];
        for i in 0..4_000u32 {
            let mut nonce = [0u8; 16];
            nonce[..4].copy_from_slice(&i.to_be_bytes());
            let issued = issue(
                &keys,
                TENANT,
                "guest@example.com",
                Purpose::SignIn,
                0,
                nonce,
                NOW,
                CODE_LIFETIME_MS,
            );
            for b in issued.code.bytes() {
                counts[(b - b'0') as usize] += 1;
            }
        }
        for (digit, n) in counts.iter().enumerate() {
            assert!(
                (2_900..3_500).contains(n),
                "digit {digit} appeared {n} times"
            );
        }
    }
}
