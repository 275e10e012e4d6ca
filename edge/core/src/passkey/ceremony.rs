//! The two ceremonies' checks, as WebAuthn Level 3 numbers them: registration (§7.1) and
//! authentication (§7.2). Parsing and every decision are here; the signature itself goes through
//! [`SignatureVerifier`], which the Worker implements on WebCrypto (no crypto code in the wasm).

use sha2::{Digest, Sha256};

use super::authenticator_data::{self, AuthenticatorData};
use super::cbor::{self, Value};
use super::client_data::{self, Ceremony};
use super::cose::{self, Algorithm, CoseKey};
use super::der;
use super::Refusal;
use crate::error::DomainError;

/// Verifies signatures with a credential's public key.
///
/// Contract: `Ok(true)` only when `signature` is `key`'s valid signature over `message` with
/// `key.algorithm` (SHA-256 for ES256 and RS256; Ed25519 signs the message itself). ES256
/// signatures arrive raw (`r ‖ s`, 64 bytes), already converted from DER. A key the platform
/// cannot import is `Ok(false)`; `Err` only when the platform itself fails.
#[allow(async_fn_in_trait)]
pub trait SignatureVerifier {
    async fn verify(
        &self,
        key: &CoseKey,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, DomainError>;
}

/// What the relying party expects of a ceremony it started.
#[derive(Debug, Clone, Copy)]
pub struct Expectation<'a> {
    /// The challenge it issued (and has just consumed, once, in the guard).
    pub challenge: &'a [u8],
    /// The page's origin, `https://host` (or `http://localhost:port` in development).
    pub origin: &'a str,
    /// The RP ID: the request's host.
    pub rp_id: &'a str,
    /// The passkey policy's "user verification required".
    pub user_verification_required: bool,
}

/// A registration response's two parts (§5.2.1), decoded from base64url.
#[derive(Debug, Clone, Copy)]
pub struct Attestation<'a> {
    pub client_data_json: &'a [u8],
    pub attestation_object: &'a [u8],
}

/// A verified new credential, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCredential {
    pub credential_id: Vec<u8>,
    /// The COSE key as the authenticator encoded it.
    pub public_key: Vec<u8>,
    pub algorithm: Algorithm,
    pub aaguid: [u8; 16],
    pub sign_count: u32,
    pub backup_eligible: bool,
    pub backed_up: bool,
    pub user_verified: bool,
}

/// An authentication response's parts (§5.2.2), decoded from base64url.
#[derive(Debug, Clone, Copy)]
pub struct Assertion<'a> {
    pub client_data_json: &'a [u8],
    pub authenticator_data: &'a [u8],
    pub signature: &'a [u8],
    pub user_handle: Option<&'a [u8]>,
}

/// What is stored of a credential that the checks need.
#[derive(Debug, Clone, Copy)]
pub struct Registered<'a> {
    pub public_key: &'a [u8],
    /// The handle of the user who owns it.
    pub user_handle: &'a [u8],
    pub sign_count: u32,
    pub backup_eligible: bool,
}

/// A verified assertion: what to update on the stored credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asserted {
    pub sign_count: u32,
    pub backed_up: bool,
    pub user_verified: bool,
    /// The counter did not grow although the authenticator keeps one (§6.1.1): the credential
    /// may have been cloned. The caller logs it, and refuses when the policy says so.
    pub possible_clone: bool,
}

/// §7.1 steps 5–26 (the "not yet registered" check of step 26 is the caller's, against the
/// credential index).
pub async fn verify_registration(
    expect: &Expectation<'_>,
    response: &Attestation<'_>,
    verifier: &impl SignatureVerifier,
) -> Result<NewCredential, Refusal> {
    client_data::check(
        response.client_data_json,
        Ceremony::Create,
        expect.challenge,
        expect.origin,
    )?;
    let client_data_hash = Sha256::digest(response.client_data_json);
    // Step 12: {"fmt": text, "attStmt": map, "authData": bytes}.
    let object = cbor::decode(response.attestation_object).map_err(|_| Refusal::Attestation)?;
    let format = object.get_text("fmt").and_then(Value::text);
    let statement = object.get_text("attStmt");
    let raw_data = object.get_text("authData").and_then(Value::bytes);
    let (Some(format), Some(statement), Some(raw_data)) = (format, statement, raw_data) else {
        return Err(Refusal::Attestation);
    };
    let data = authenticator_data::parse(raw_data).map_err(|_| Refusal::AuthenticatorData)?;
    check_flags(&data, expect)?;
    // Steps 19–21: the credential and its key, with an algorithm we offered.
    let credential = data.attested.clone().ok_or(Refusal::AuthenticatorData)?;
    let key = cose::parse_key(credential.public_key).map_err(|e| match e {
        cose::KeyError::UnsupportedAlgorithm => Refusal::UnsupportedAlgorithm,
        _ => Refusal::PublicKey,
    })?;
    let signed = [raw_data, client_data_hash.as_slice()].concat();
    check_statement(format, statement, &key, &signed, verifier).await?;
    Ok(NewCredential {
        credential_id: credential.credential_id.to_vec(),
        public_key: credential.public_key.to_vec(),
        algorithm: key.algorithm,
        aaguid: credential.aaguid,
        sign_count: data.sign_count,
        backup_eligible: data.flags.backup_eligible(),
        backed_up: data.flags.backed_up(),
        user_verified: data.flags.user_verified(),
    })
}

/// §7.2 steps 6–22 for a credential the caller found by the response's id (and, when the member
/// typed a username, one of theirs).
pub async fn verify_authentication(
    expect: &Expectation<'_>,
    response: &Assertion<'_>,
    registered: &Registered<'_>,
    verifier: &impl SignatureVerifier,
) -> Result<Asserted, Refusal> {
    // Step 6: a user handle, when given, names the credential's owner (discoverable sign-in
    // always gives one; the caller requires it there).
    if response
        .user_handle
        .is_some_and(|handle| handle != registered.user_handle)
    {
        return Err(Refusal::UserHandleMismatch);
    }
    client_data::check(
        response.client_data_json,
        Ceremony::Get,
        expect.challenge,
        expect.origin,
    )?;
    let data = authenticator_data::parse(response.authenticator_data)
        .map_err(|_| Refusal::AuthenticatorData)?;
    if data.attested.is_some() {
        return Err(Refusal::AuthenticatorData);
    }
    check_flags(&data, expect)?;
    // Step 18 (Level 3): backup eligibility is fixed when the credential is created.
    if data.flags.backup_eligible() != registered.backup_eligible {
        return Err(Refusal::BackupEligibilityChanged);
    }
    let key = cose::parse_key(registered.public_key).map_err(|_| Refusal::PublicKey)?;
    let client_data_hash = Sha256::digest(response.client_data_json);
    let signed = [response.authenticator_data, client_data_hash.as_slice()].concat();
    check_signature(&key, &signed, response.signature, verifier).await?;
    // Step 22: a counter that does not grow, when either side has one, is a possible clone.
    let counts = data.sign_count != 0 || registered.sign_count != 0;
    Ok(Asserted {
        sign_count: data.sign_count.max(registered.sign_count),
        backed_up: data.flags.backed_up(),
        user_verified: data.flags.user_verified(),
        possible_clone: counts && data.sign_count <= registered.sign_count,
    })
}

/// Steps shared by both ceremonies: the RP ID's hash, user presence, user verification when
/// the policy requires it, and a backed-up credential that claims not to be backup eligible.
fn check_flags(data: &AuthenticatorData<'_>, expect: &Expectation<'_>) -> Result<(), Refusal> {
    let rp_id_hash = Sha256::digest(expect.rp_id.as_bytes());
    if data.rp_id_hash != rp_id_hash.as_slice() {
        return Err(Refusal::WrongRpId);
    }
    if !data.flags.user_present() {
        return Err(Refusal::UserNotPresent);
    }
    if expect.user_verification_required && !data.flags.user_verified() {
        return Err(Refusal::UserNotVerified);
    }
    if data.flags.backed_up() && !data.flags.backup_eligible() {
        return Err(Refusal::BackedUpWithoutEligibility);
    }
    Ok(())
}

/// Steps 20–21: the attestation statement. Guestpass asks for `none`; a `packed` statement
/// without a certificate chain is self attestation, whose signature must verify with the new
/// credential's own key, and which proves nothing more than `none`. Other formats carry a trust
/// path Guestpass does not evaluate, so they are refused rather than half-checked.
async fn check_statement(
    format: &str,
    statement: &Value<'_>,
    key: &CoseKey,
    signed: &[u8],
    verifier: &impl SignatureVerifier,
) -> Result<(), Refusal> {
    let entries = statement.entries().ok_or(Refusal::Attestation)?;
    match format {
        "none" if entries.is_empty() => Ok(()),
        "packed" if statement.get_text("x5c").is_none() => {
            let alg = statement.get_text("alg").and_then(Value::integer);
            let sig = statement.get_text("sig").and_then(Value::bytes);
            match (alg, sig) {
                (Some(alg), Some(sig)) if alg == i128::from(key.algorithm.cose_id()) => {
                    check_signature(key, signed, sig, verifier)
                        .await
                        .map_err(|_| Refusal::Attestation)
                }
                _ => Err(Refusal::Attestation),
            }
        }
        _ => Err(Refusal::Attestation),
    }
}

async fn check_signature(
    key: &CoseKey,
    signed: &[u8],
    signature: &[u8],
    verifier: &impl SignatureVerifier,
) -> Result<(), Refusal> {
    let raw;
    let signature = match key.algorithm {
        Algorithm::Es256 => {
            raw = der::p256_signature_to_raw(signature).ok_or(Refusal::BadSignature)?;
            &raw[..]
        }
        Algorithm::EdDsa | Algorithm::Rs256 => signature,
    };
    match verifier.verify(key, signed, signature).await {
        Ok(true) => Ok(()),
        Ok(false) => Err(Refusal::BadSignature),
        Err(_) => Err(Refusal::VerifierUnavailable),
    }
}
