//! Secret keys with ids, so several can verify at once while one signs (rotation).
//!
//! A deployment gives one secret, `SIGNING_KEYS`: `kid:base64key[,kid:base64key…]`. The first key
//! signs; every listed key verifies. Each use (challenges, sessions, pass hashes) gets its own
//! sub-key derived with HMAC, so a MAC made for one purpose can never be replayed as another.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::Sha256;

pub type HmacSha256 = Hmac<Sha256>;

/// Key ids starting with this are development keys; production refuses them.
pub const DEVELOPMENT_KEY_PREFIX: &str = "dev-";
const MIN_KEY_BYTES: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyPurpose {
    Challenge,
    Session,
    PassHash,
    /// The guard's names for addresses and usernames (so its storage holds neither in clear,
    /// nor anything a list of addresses could be hashed to match).
    GuardSubject,
    /// WebAuthn challenges (registration and sign-in ceremonies).
    PasskeyChallenge,
    /// Applications' client secrets, kept as keyed hashes.
    ClientSecret,
    /// Each tenant's OpenID Connect signing keys (ES256 private scalars), derived, never stored.
    OidcSigningKey,
    /// Their key ids (`kid`): opaque, stable for the key's life.
    OidcKeyId,
    /// Access tokens for the userinfo endpoint.
    AccessToken,
    /// Each tenant's AES-256 key that seals its stored RS256 private keys.
    OidcKeySealing,
}

impl KeyPurpose {
    fn label(self) -> &'static [u8] {
        match self {
            KeyPurpose::Challenge => b"guestpass/v1/challenge",
            KeyPurpose::Session => b"guestpass/v1/session",
            KeyPurpose::PassHash => b"guestpass/v1/pass-hash",
            KeyPurpose::GuardSubject => b"guestpass/v1/guard-subject",
            KeyPurpose::PasskeyChallenge => b"guestpass/v1/passkey-challenge",
            KeyPurpose::ClientSecret => b"guestpass/v1/client-secret",
            KeyPurpose::OidcSigningKey => b"guestpass/v1/oidc-signing-key",
            KeyPurpose::OidcKeyId => b"guestpass/v1/oidc-key-id",
            KeyPurpose::AccessToken => b"guestpass/v1/access-token",
            KeyPurpose::OidcKeySealing => b"guestpass/v1/oidc-key-sealing",
        }
    }
}

#[derive(Clone)]
pub struct SecretKey {
    pub id: String,
    material: Vec<u8>,
}

impl std::fmt::Debug for SecretKey {
    // Never print key material, even in a debug log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl SecretKey {
    /// A MAC keyed for one purpose.
    pub fn mac(&self, purpose: KeyPurpose) -> HmacSha256 {
        let mut derive = HmacSha256::new_from_slice(&self.material)
            .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
        derive.update(purpose.label());
        let sub_key = derive.finalize().into_bytes();
        HmacSha256::new_from_slice(&sub_key)
            .unwrap_or_else(|_| unreachable!("HMAC takes any key length"))
    }
}

#[derive(Debug, Clone)]
pub struct KeyRing {
    keys: Vec<SecretKey>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyRingError {
    Empty,
    Malformed(String),
    TooShort(String),
    DuplicateId(String),
}

impl std::fmt::Display for KeyRingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyRingError::Empty => write!(f, "SIGNING_KEYS is empty"),
            KeyRingError::Malformed(entry) => {
                write!(f, "SIGNING_KEYS entry {entry:?} is not kid:base64")
            }
            KeyRingError::TooShort(id) => write!(
                f,
                "SIGNING_KEYS key {id:?} is shorter than {MIN_KEY_BYTES} bytes"
            ),
            KeyRingError::DuplicateId(id) => write!(f, "SIGNING_KEYS key id {id:?} appears twice"),
        }
    }
}

/// A secret's id as configuration names it (signing keys, operator tokens): 1 to 32 letters,
/// digits, `-` or `_`. Ids are what logs may show.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 32
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl KeyRing {
    pub fn parse(spec: &str) -> Result<KeyRing, KeyRingError> {
        let mut keys: Vec<SecretKey> = Vec::new();
        for entry in spec.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            // Report the key id only: the entry itself holds the secret.
            let (id, encoded) = entry
                .split_once(':')
                .ok_or_else(|| KeyRingError::Malformed("<hidden>".into()))?;
            if !is_valid_id(id) {
                return Err(KeyRingError::Malformed(format!("{id}:…")));
            }
            let material = STANDARD
                .decode(encoded.trim())
                .map_err(|_| KeyRingError::Malformed(format!("{id}:…")))?;
            if material.len() < MIN_KEY_BYTES {
                return Err(KeyRingError::TooShort(id.into()));
            }
            if keys.iter().any(|k| k.id == id) {
                return Err(KeyRingError::DuplicateId(id.into()));
            }
            keys.push(SecretKey {
                id: id.into(),
                material,
            });
        }
        if keys.is_empty() {
            return Err(KeyRingError::Empty);
        }
        Ok(KeyRing { keys })
    }

    /// A keyed hash of `parts` (each prefixed with its length, so no two lists of parts hash
    /// alike) under the key `key_id`, for `purpose`: how secrets are stored (passes, client
    /// secrets). `None` when no key has that id any more.
    pub fn hash_parts(
        &self,
        key_id: &str,
        purpose: KeyPurpose,
        parts: &[&str],
    ) -> Option<HmacSha256> {
        let mut mac = self.verifying(key_id)?.mac(purpose);
        for part in parts {
            mac.update(&(part.len() as u32).to_be_bytes());
            mac.update(part.as_bytes());
        }
        Some(mac)
    }

    /// `{keyId}.{base64url(JSON)}.{base64url(MAC)}`: `claims` under the signing key's `purpose`
    /// sub-key — readable by whoever holds it, changed by nobody (sessions, access tokens).
    pub fn seal(&self, purpose: KeyPurpose, claims: &impl Serialize) -> String {
        let key = self.signing();
        let payload = URL_SAFE_NO_PAD.encode(
            serde_json::to_vec(claims).unwrap_or_else(|_| unreachable!("claims serialize")),
        );
        let signed = format!("{}.{payload}", key.id);
        let mut mac = key.mac(purpose);
        mac.update(signed.as_bytes());
        format!(
            "{signed}.{}",
            URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
        )
    }

    /// What [`seal`](Self::seal) sealed for `purpose` under any key of the ring, or `None` for
    /// anything else (another purpose, an unknown key, a changed byte).
    pub fn unseal<T: DeserializeOwned>(&self, purpose: KeyPurpose, value: &str) -> Option<T> {
        let (signed, tag) = value.rsplit_once('.')?;
        let (key_id, payload) = signed.split_once('.')?;
        let mut mac = self.verifying(key_id)?.mac(purpose);
        mac.update(signed.as_bytes());
        mac.verify_slice(&URL_SAFE_NO_PAD.decode(tag).ok()?).ok()?;
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
    }

    /// Every key, the signing one first (rotation: the new signs, the old still verify).
    pub fn all(&self) -> &[SecretKey] {
        &self.keys
    }

    /// The key that signs new challenges and sessions.
    pub fn signing(&self) -> &SecretKey {
        &self.keys[0]
    }

    /// A key that may verify, by id.
    pub fn verifying(&self, id: &str) -> Option<&SecretKey> {
        self.keys.iter().find(|k| k.id == id)
    }

    pub fn has_development_keys(&self) -> bool {
        self.keys
            .iter()
            .any(|k| k.id.starts_with(DEVELOPMENT_KEY_PREFIX))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn ring(spec_ids: &[&str]) -> KeyRing {
        let spec: Vec<String> = spec_ids
            .iter()
            .enumerate()
            .map(|(i, id)| format!("{id}:{}", STANDARD.encode([i as u8 + 1; 32])))
            .collect();
        KeyRing::parse(&spec.join(",")).unwrap()
    }

    #[test]
    fn first_key_signs_and_all_verify() {
        let ring = ring(&["new", "old"]);
        assert_eq!(ring.signing().id, "new");
        assert!(ring.verifying("old").is_some());
        assert!(ring.verifying("gone").is_none());
    }

    #[test]
    fn bad_specs_are_refused_without_echoing_key_material() {
        assert_eq!(KeyRing::parse("").unwrap_err(), KeyRingError::Empty);
        assert_eq!(
            KeyRing::parse("k1:c2hvcnQ=").unwrap_err(),
            KeyRingError::TooShort("k1".into())
        );
        let err = KeyRing::parse("k1:not base64!!").unwrap_err().to_string();
        assert!(!err.contains("base64!!"), "{err}");
        let dup = format!("a:{k},a:{k}", k = STANDARD.encode([1; 32]));
        assert_eq!(
            KeyRing::parse(&dup).unwrap_err(),
            KeyRingError::DuplicateId("a".into())
        );
    }

    #[test]
    fn purposes_derive_different_macs() {
        let ring = ring(&["k"]);
        let tag = |p| {
            ring.signing()
                .mac(p)
                .chain_update(b"same")
                .finalize()
                .into_bytes()
        };
        assert_ne!(tag(KeyPurpose::Challenge), tag(KeyPurpose::Session));
        assert_ne!(tag(KeyPurpose::Session), tag(KeyPurpose::PassHash));
    }

    #[test]
    fn development_keys_are_recognized() {
        assert!(ring(&["dev-1"]).has_development_keys());
        assert!(!ring(&["prod-1"]).has_development_keys());
    }
}
