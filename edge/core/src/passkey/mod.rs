//! WebAuthn passkeys for members: the relying party's checks, written against WebAuthn Level 3
//! and kept small. No relying-party crate runs in a Worker (they read the system clock and weigh
//! 50 KB and more), so the parsing is here — a bounded CBOR reader, authenticator data, COSE
//! keys, DER signatures — and the signature itself is a port.

pub mod admin;
pub mod authenticator_data;
pub mod cbor;
pub mod ceremony;
pub mod challenge;
pub mod client_data;
pub mod cose;
pub mod der;
pub mod record;
pub mod register;
pub mod sign_in;

pub use ceremony::{
    verify_authentication, verify_registration, Asserted, Assertion, Attestation, Expectation,
    NewCredential, Registered, SignatureVerifier,
};
pub use cose::{Algorithm, CoseKey, PublicKey};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::error::DomainError;

/// The page's origin and the RP ID (its host): WebAuthn binds every credential to them.
pub fn relying_party(link_origin: &str) -> (&str, &str) {
    let host = link_origin
        .split_once("://")
        .map_or(link_origin, |(_, rest)| rest);
    let rp_id = host.split(':').next().unwrap_or(host);
    (link_origin, rp_id)
}

/// What a ceremony of `tenant` started from `link_origin` expects: its challenge, the origin and
/// RP ID, and the policy's user verification.
fn expectation<'a>(
    link_origin: &'a str,
    tenant: &crate::directory::TenantRecord,
    challenge: &'a [u8],
) -> Expectation<'a> {
    let (origin, rp_id) = relying_party(link_origin);
    Expectation {
        challenge,
        origin,
        rp_id,
        user_verification_required: tenant.passkey_policy.is_user_verification_required,
    }
}

/// WebAuthn's JSON forms carry binary fields as base64url without padding.
fn base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A binary field of a request, or a validation error naming it.
fn unbase64url(text: &str, target: &'static str) -> Result<Vec<u8>, DomainError> {
    URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .map_err(|_| DomainError::validation(target, format!("{target} must be base64url.")))
}

/// The options' `userVerification` for the policy's "required".
fn user_verification(required: bool) -> String {
    if required { "required" } else { "preferred" }.into()
}

/// Why a ceremony's response is refused, for the sign-in log (the member is told only that the
/// passkey was not accepted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// `clientDataJSON` is not the JSON WebAuthn defines.
    ClientData,
    /// A `webauthn.get` where a `webauthn.create` belongs, or the other way round.
    WrongType,
    /// Not the challenge this ceremony issued.
    WrongChallenge,
    /// Signed for another origin.
    WrongOrigin,
    /// Made inside a frame of another origin.
    CrossOrigin,
    /// The attestation object or its statement is not one Guestpass accepts.
    Attestation,
    /// Authenticator data that does not parse, or has or lacks credential data wrongly.
    AuthenticatorData,
    /// Made for another relying party.
    WrongRpId,
    UserNotPresent,
    /// The policy requires user verification and the authenticator did not perform it.
    UserNotVerified,
    /// BS set without BE (§6.1.3).
    BackedUpWithoutEligibility,
    /// BE differs from when the credential was registered.
    BackupEligibilityChanged,
    /// A key algorithm outside ES256, EdDSA and RS256.
    UnsupportedAlgorithm,
    /// A key that does not fit its algorithm.
    PublicKey,
    BadSignature,
    /// The user handle names someone other than the credential's owner.
    UserHandleMismatch,
    /// The platform could not verify at all (fail closed).
    VerifierUnavailable,
}

impl Refusal {
    /// The reason as the sign-in log records it.
    pub fn reason(self) -> &'static str {
        match self {
            Refusal::ClientData => "client_data",
            Refusal::WrongType => "wrong_type",
            Refusal::WrongChallenge => "wrong_challenge",
            Refusal::WrongOrigin => "wrong_origin",
            Refusal::CrossOrigin => "cross_origin",
            Refusal::Attestation => "attestation",
            Refusal::AuthenticatorData => "authenticator_data",
            Refusal::WrongRpId => "wrong_rp_id",
            Refusal::UserNotPresent => "user_not_present",
            Refusal::UserNotVerified => "user_not_verified",
            Refusal::BackedUpWithoutEligibility => "backed_up_without_eligibility",
            Refusal::BackupEligibilityChanged => "backup_eligibility_changed",
            Refusal::UnsupportedAlgorithm => "unsupported_algorithm",
            Refusal::PublicKey => "public_key",
            Refusal::BadSignature => "bad_signature",
            Refusal::UserHandleMismatch => "user_handle_mismatch",
            Refusal::VerifierUnavailable => "verifier_unavailable",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rp_id_is_the_origins_host_without_its_port() {
        assert_eq!(
            relying_party("https://login.contoso.example"),
            ("https://login.contoso.example", "login.contoso.example")
        );
        assert_eq!(
            relying_party("http://localhost:8787"),
            ("http://localhost:8787", "localhost")
        );
    }
}
