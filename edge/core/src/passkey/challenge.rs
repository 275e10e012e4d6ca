//! Stateless WebAuthn challenges: the relying party keeps nothing between a ceremony's options
//! and its response. The challenge is a MACed header — ceremony, expiry, a nonce, the key id —
//! bound to the tenant and, for a registration, to the user, whose ids are MACed but not
//! carried. The browser signs it back inside the client data; the guard then consumes the nonce
//! once (`GuardCommand::Challenge`), so a response answers one ceremony only.
//!
//! Layout: `version (1) ‖ ceremony (1) ‖ guard shard (1) ‖ expiry, Unix seconds (8,
//! big-endian) ‖ nonce (16) ‖ key id length (1) ‖ key id ‖ tag (16)`. The shard is the tenant's
//! guard instance that consumes the nonce (`guard::shards`), picked from the nonce at issue.

use hmac::Mac;

use crate::guard::Shards;
use crate::keys::{KeyPurpose, KeyRing, SecretKey};
use crate::time::{UnixMillis, SECOND};

const VERSION: u8 = 2;
const TAG_LENGTH: usize = 16;
const HEADER: usize = 1 + 1 + 1 + 8 + 16 + 1;

/// Which ceremony a challenge starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ceremony {
    /// A member adds a passkey (bound to the member).
    Registration,
    /// Anyone signs in with one (bound to the tenant only: the credential names the member).
    SignIn,
}

impl Ceremony {
    fn byte(self) -> u8 {
        match self {
            Ceremony::Registration => 1,
            Ceremony::SignIn => 2,
        }
    }
}

/// What an opened challenge says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opened {
    pub nonce: [u8; 16],
    pub expires_at: UnixMillis,
    /// The tenant's guard shard that consumes the nonce.
    pub shard: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChallengeError {
    /// Not a challenge this deployment made for this ceremony, tenant and user.
    Invalid,
    Expired,
}

/// A new challenge for `ceremony` in `tenant` (`user`: the registering member's id, or `""`),
/// whose nonce one of the tenant's guard `shards` will consume.
#[allow(clippy::too_many_arguments)]
pub fn issue(
    keys: &KeyRing,
    ceremony: Ceremony,
    tenant: &str,
    user: &str,
    shards: Shards,
    nonce: [u8; 16],
    now: UnixMillis,
    lifetime_ms: i64,
) -> Vec<u8> {
    let key = keys.signing();
    let expires = (now + lifetime_ms).div_euclid(SECOND);
    let mut challenge = vec![VERSION, ceremony.byte(), shards.pick_bytes(&nonce)];
    challenge.extend(expires.to_be_bytes());
    challenge.extend(nonce);
    challenge.push(key.id.len() as u8);
    challenge.extend(key.id.as_bytes());
    let tag = tag(key, &challenge, tenant, user);
    challenge.extend(tag);
    challenge
}

/// Checks a challenge signed back by a browser: made here, for this ceremony, tenant and user,
/// and not expired. Whether it was used already is the guard's to say.
pub fn open(
    keys: &KeyRing,
    challenge: &[u8],
    ceremony: Ceremony,
    tenant: &str,
    user: &str,
    now: UnixMillis,
) -> Result<Opened, ChallengeError> {
    let invalid = ChallengeError::Invalid;
    if challenge.len() < HEADER + TAG_LENGTH || challenge[0] != VERSION {
        return Err(invalid);
    }
    let (signed, tag_sent) = challenge.split_at(challenge.len() - TAG_LENGTH);
    let key_id_length = usize::from(signed[HEADER - 1]);
    let key_id = signed.get(HEADER..).filter(|id| id.len() == key_id_length);
    let key = key_id
        .and_then(|id| std::str::from_utf8(id).ok())
        .and_then(|id| keys.verifying(id))
        .ok_or(invalid)?;
    let mac = mac(key, signed, tenant, user);
    // Truncated tag, compared in constant time.
    mac.verify_truncated_left(tag_sent).map_err(|_| invalid)?;
    if signed[1] != ceremony.byte() {
        return Err(invalid);
    }
    let shard = signed[2];
    let expires = i64::from_be_bytes(signed[3..11].try_into().expect("8 bytes"));
    let nonce = signed[11..27].try_into().expect("16 bytes");
    let expires_at = expires * SECOND;
    if now >= expires_at {
        return Err(ChallengeError::Expired);
    }
    Ok(Opened {
        nonce,
        expires_at,
        shard,
    })
}

fn mac(key: &SecretKey, signed: &[u8], tenant: &str, user: &str) -> crate::keys::HmacSha256 {
    let mut mac = key.mac(KeyPurpose::PasskeyChallenge);
    for part in [tenant.as_bytes(), user.as_bytes()] {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part);
    }
    mac.update(signed);
    mac
}

fn tag(key: &SecretKey, signed: &[u8], tenant: &str, user: &str) -> [u8; TAG_LENGTH] {
    let digest = mac(key, signed, tenant, user).finalize().into_bytes();
    digest[..TAG_LENGTH].try_into().expect("16 bytes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::tests::ring;
    use crate::time::MINUTE;

    const NOW: UnixMillis = 1_795_348_800_000;

    fn registration(keys: &KeyRing) -> Vec<u8> {
        issue(
            keys,
            Ceremony::Registration,
            "t1",
            "u1",
            Shards::default(),
            [9; 16],
            NOW,
            5 * MINUTE,
        )
    }

    #[test]
    fn a_challenge_opens_for_its_ceremony_tenant_and_user_until_it_expires() {
        let keys = ring(&["k1"]);
        let challenge = registration(&keys);
        let opened = open(&keys, &challenge, Ceremony::Registration, "t1", "u1", NOW).unwrap();
        assert_eq!(opened.nonce, [9; 16]);
        assert_eq!(opened.expires_at, NOW + 5 * MINUTE);
        let late = NOW + 5 * MINUTE;
        assert_eq!(
            open(&keys, &challenge, Ceremony::Registration, "t1", "u1", late),
            Err(ChallengeError::Expired)
        );
        for (ceremony, tenant, user) in [
            (Ceremony::SignIn, "t1", "u1"),
            (Ceremony::Registration, "t2", "u1"),
            (Ceremony::Registration, "t1", "u2"),
            // The length prefixes keep ("t1", "u1") apart from ("t", "1u1").
            (Ceremony::Registration, "t", "1u1"),
        ] {
            assert_eq!(
                open(&keys, &challenge, ceremony, tenant, user, NOW),
                Err(ChallengeError::Invalid),
                "{ceremony:?} {tenant} {user}"
            );
        }
    }

    #[test]
    fn a_tampered_truncated_or_foreign_challenge_is_invalid() {
        let keys = ring(&["k1"]);
        let challenge = registration(&keys);
        for at in 0..challenge.len() {
            let mut tampered = challenge.clone();
            tampered[at] ^= 0x01;
            assert!(
                open(&keys, &tampered, Ceremony::Registration, "t1", "u1", NOW).is_err(),
                "byte {at}"
            );
        }
        assert!(open(
            &keys,
            &challenge[..20],
            Ceremony::Registration,
            "t1",
            "u1",
            NOW
        )
        .is_err());
        assert!(open(&keys, &[], Ceremony::Registration, "t1", "u1", NOW).is_err());
        let other = ring(&["k2"]);
        assert_eq!(
            open(&other, &challenge, Ceremony::Registration, "t1", "u1", NOW),
            Err(ChallengeError::Invalid)
        );
    }

    #[test]
    fn a_challenge_of_a_key_being_rotated_out_still_opens() {
        let old = ring(&["old"]);
        let challenge = registration(&old);
        // `ring` gives its first key the material 1…1: "old" keeps it behind a new signing key.
        use base64::Engine;
        let material = base64::engine::general_purpose::STANDARD.encode([1u8; 32]);
        let new = base64::engine::general_purpose::STANDARD.encode([5u8; 32]);
        let rotated = KeyRing::parse(&format!("new:{new},old:{material}")).unwrap();
        assert!(open(
            &rotated,
            &challenge,
            Ceremony::Registration,
            "t1",
            "u1",
            NOW
        )
        .is_ok());
    }
}
