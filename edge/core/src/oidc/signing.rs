//! A tenant's ID-token signing keys, and compact JWS (RFC 7515 §7.1) around them.
//!
//! ES256 keys are derived, not stored: each key of the deployment's `SIGNING_KEYS` ring gives
//! each tenant its own P-256 private scalar (HMAC-SHA256 under a sub-key of its own, bound to the
//! tenant, retried in the rare case it falls outside the curve's order). The ring's first key
//! signs; every key of the ring is published in the tenant's JWKS, so rotating `SIGNING_KEYS`
//! (a new key first, the old one kept a while) rotates every tenant's signing key with an
//! overlap in which tokens of both verify. One tenant's keys say nothing about another's.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::Mac;
use serde::{Deserialize, Serialize};

use super::stored_keys::{StoredKey, StoredKeys};
use crate::error::DomainError;
use crate::keys::{KeyPurpose, KeyRing, SecretKey};
use crate::passkey::{Algorithm, CoseKey, PublicKey, SignatureVerifier};

/// A new RSA key pair, as the platform made it (`TokenSigner::generate_rs256`).
pub struct RsaKeyPair {
    /// The private key, PKCS#8 DER.
    pub pkcs8: Vec<u8>,
    /// The public modulus and exponent, big-endian.
    pub n: Vec<u8>,
    pub e: Vec<u8>,
}

/// Signs ID tokens and keeps RS256 private keys sealed (the Worker: WebCrypto; the native
/// tests: RustCrypto).
///
/// Contract: `sign_es256` returns ECDSA P-256 with SHA-256 over `message` under the private
/// `scalar`, raw `r ‖ s` (64 bytes), which any ES256 verifier accepts; `es256_public` returns
/// the scalar's public point. `generate_rs256` makes a fresh 2048-bit RSA key pair (exponent
/// 65537) from a CSPRNG; `sign_rs256` returns RSASSA-PKCS1-v1_5 with SHA-256 over `message`
/// under a PKCS#8 private key. `seal` is AES-256-GCM (128-bit tag appended, no associated
/// data) and `open` its inverse, `None` when the tag does not verify. `Err` only when the
/// platform fails.
#[allow(async_fn_in_trait)]
pub trait TokenSigner {
    async fn sign_es256(&self, scalar: &[u8; 32], message: &[u8]) -> Result<Vec<u8>, DomainError>;
    async fn es256_public(&self, scalar: &[u8; 32]) -> Result<([u8; 32], [u8; 32]), DomainError>;
    async fn generate_rs256(&self) -> Result<RsaKeyPair, DomainError>;
    async fn sign_rs256(&self, pkcs8: &[u8], message: &[u8]) -> Result<Vec<u8>, DomainError>;
    async fn seal(
        &self,
        key: &[u8; 32],
        nonce: &[u8; 12],
        plaintext: &[u8],
    ) -> Result<Vec<u8>, DomainError>;
    async fn open(
        &self,
        key: &[u8; 32],
        nonce: &[u8; 12],
        sealed: &[u8],
    ) -> Result<Option<Vec<u8>>, DomainError>;
}

/// The order n of P-256 (SEC 2 §2.4.2), big-endian: a private scalar is in [1, n − 1].
const P256_ORDER: [u8; 32] = [
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51,
];

/// One of a tenant's ES256 keys.
#[derive(Clone)]
pub struct TenantKey {
    pub kid: String,
    /// The P-256 private scalar, big-endian.
    pub scalar: [u8; 32],
}

impl std::fmt::Debug for TenantKey {
    // Never print key material.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TenantKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

fn derive(key: &SecretKey, tenant_id: &str) -> TenantKey {
    let mut kid = key.mac(KeyPurpose::OidcKeyId);
    kid.update(tenant_id.as_bytes());
    let kid = URL_SAFE_NO_PAD.encode(&kid.finalize().into_bytes()[..12]);
    let mut counter = 0u8;
    loop {
        let mut mac = key.mac(KeyPurpose::OidcSigningKey);
        mac.update(&(tenant_id.len() as u32).to_be_bytes());
        mac.update(tenant_id.as_bytes());
        mac.update(&[counter]);
        let scalar: [u8; 32] = mac.finalize().into_bytes().into();
        // Big-endian comparison: in range when 0 < scalar < n (about 2^-32 of draws are not).
        if scalar != [0; 32] && scalar < P256_ORDER {
            return TenantKey { kid, scalar };
        }
        counter = counter.wrapping_add(1);
    }
}

/// The key that signs `tenant_id`'s new tokens.
pub fn signing_key(keys: &KeyRing, tenant_id: &str) -> TenantKey {
    derive(keys.signing(), tenant_id)
}

/// Every key a token of `tenant_id` may be signed with (its JWKS): the signing one first.
pub fn published_keys(keys: &KeyRing, tenant_id: &str) -> Vec<TenantKey> {
    keys.all()
        .iter()
        .map(|key| derive(key, tenant_id))
        .collect()
}

/// A public key as JWKS publishes it (RFC 7517; RFC 7518 §6.2 for EC, §6.3 for RSA).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Jwk {
    pub kty: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crv: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub y: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub e: Option<String>,
    pub kid: String,
    #[serde(rename = "use")]
    pub usage: &'static str,
    pub alg: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Jwks {
    pub keys: Vec<Jwk>,
}

/// The tenant's JWKS: every key a token of it may be signed with — its ES256 keys, then its
/// stored RS256 keys (`rsa`).
pub async fn jwks(
    signer: &impl TokenSigner,
    keys: &KeyRing,
    tenant_id: &str,
    rsa: &StoredKeys,
) -> Result<Jwks, DomainError> {
    let mut published = Vec::new();
    for key in published_keys(keys, tenant_id) {
        let (x, y) = signer.es256_public(&key.scalar).await?;
        published.push(Jwk {
            kty: "EC",
            crv: Some("P-256"),
            x: Some(URL_SAFE_NO_PAD.encode(x)),
            y: Some(URL_SAFE_NO_PAD.encode(y)),
            n: None,
            e: None,
            kid: key.kid,
            usage: "sig",
            alg: "ES256",
        });
    }
    published.extend(rsa.keys.iter().map(|key| Jwk {
        kty: "RSA",
        crv: None,
        x: None,
        y: None,
        n: Some(key.n.clone()),
        e: Some(key.e.clone()),
        kid: key.kid.clone(),
        usage: "sig",
        alg: "RS256",
    }));
    Ok(Jwks { keys: published })
}

/// `claims` as a compact JWS (`typ` JWT) signed with the tenant's signing key.
pub async fn sign_token(
    signer: &impl TokenSigner,
    keys: &KeyRing,
    tenant_id: &str,
    claims: &impl Serialize,
) -> Result<String, DomainError> {
    let key = signing_key(keys, tenant_id);
    let input = jwt_input("ES256", &key.kid, claims)?;
    let signature = signer.sign_es256(&key.scalar, input.as_bytes()).await?;
    Ok(compact(&input, &signature))
}

/// What a JWT of this deployment signs: its header (`alg`, `kid`, `typ` JWT) and `claims`.
fn jwt_input(alg: &str, kid: &str, claims: &impl Serialize) -> Result<String, DomainError> {
    let header = Header {
        alg: alg.into(),
        kid: Some(kid.into()),
        typ: Some("JWT".into()),
    };
    signing_input(&header, claims).map_err(|e| DomainError::Internal(e.to_string()))
}

/// `claims` as a compact JWS (`typ` JWT) signed RS256 with the stored key `key`, whose private
/// half is `pkcs8`.
pub async fn sign_rs256_token(
    signer: &impl TokenSigner,
    key: &StoredKey,
    pkcs8: &[u8],
    claims: &impl Serialize,
) -> Result<String, DomainError> {
    let input = jwt_input("RS256", &key.kid, claims)?;
    let signature = signer.sign_rs256(pkcs8, input.as_bytes()).await?;
    Ok(compact(&input, &signature))
}

/// The payload of a token this tenant signed, whatever its age: a known `kid` of the tenant's
/// (ES256, or RS256 among `rsa`) and a valid signature (expiry is the caller's to judge).
/// `None` for anything else.
pub async fn verified_payload(
    signer: &impl TokenSigner,
    verifier: &impl SignatureVerifier,
    keys: &KeyRing,
    tenant_id: &str,
    rsa: &StoredKeys,
    parsed: Parsed<'_>,
) -> Result<Option<Vec<u8>>, DomainError> {
    let Some(kid) = parsed.header.kid.as_deref() else {
        return Ok(None);
    };
    let public = match parsed.header.alg.as_str() {
        "ES256" => {
            let key = published_keys(keys, tenant_id)
                .into_iter()
                .find(|key| key.kid == kid);
            let Some(key) = key else {
                return Ok(None);
            };
            let (x, y) = signer.es256_public(&key.scalar).await?;
            CoseKey {
                algorithm: Algorithm::Es256,
                key: PublicKey::P256 { x, y },
            }
        }
        "RS256" => {
            let decoded = rsa.find(kid).and_then(|key| {
                Some((
                    URL_SAFE_NO_PAD.decode(&key.n).ok()?,
                    URL_SAFE_NO_PAD.decode(&key.e).ok()?,
                ))
            });
            let Some((n, e)) = decoded else {
                return Ok(None);
            };
            CoseKey {
                algorithm: Algorithm::Rs256,
                key: PublicKey::Rsa { n, e },
            }
        }
        _ => return Ok(None),
    };
    let valid = verifier
        .verify(&public, parsed.signing_input.as_bytes(), &parsed.signature)
        .await?;
    Ok(valid.then_some(parsed.payload))
}

/// A JWS's protected header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub alg: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typ: Option<String>,
}

/// `BASE64URL(header) . BASE64URL(claims)`: what is signed.
pub fn signing_input(
    header: &Header,
    claims: &impl Serialize,
) -> Result<String, serde_json::Error> {
    Ok(format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(header)?),
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims)?)
    ))
}

/// The compact serialization: the signing input and the signature (for ES256, raw r ‖ s).
pub fn compact(signing_input: &str, signature: &[u8]) -> String {
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// A compact JWS taken apart (not yet verified).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<'a> {
    pub header: Header,
    pub payload: Vec<u8>,
    pub signing_input: &'a str,
    pub signature: Vec<u8>,
}

/// Takes a compact JWS apart: three base64url parts, a JSON header. `None` for anything else.
pub fn parse(token: &str) -> Option<Parsed<'_>> {
    let (signing_input, signature) = token.rsplit_once('.')?;
    let (header, payload) = signing_input.split_once('.')?;
    if payload.contains('.') {
        return None;
    }
    let header: Header = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
    Some(Parsed {
        header,
        payload: URL_SAFE_NO_PAD.decode(payload).ok()?,
        signing_input,
        signature: URL_SAFE_NO_PAD.decode(signature).ok()?,
    })
}
