//! Passkey registration (WebAuthn §7.1) and authentication (§7.2) in the core, against a
//! software authenticator: good cases for ES256, EdDSA and RS256, and one failing case per rule.

#[path = "support/authenticator.rs"]
mod authenticator;

use authenticator::*;
use guestpass_core::memory::{run, RustCrypto};
use guestpass_core::passkey::{
    verify_authentication, verify_registration, Algorithm, Asserted, Assertion, Attestation,
    Expectation, NewCredential, Refusal, Registered,
};

const CHALLENGE: &[u8] = b"a-32-byte-challenge-from-the-rp!";

fn expect(challenge: &[u8]) -> Expectation<'_> {
    Expectation {
        challenge,
        origin: ORIGIN,
        rp_id: RP_ID,
        user_verification_required: true,
    }
}

fn register_with(
    expectation: &Expectation<'_>,
    created: &Created,
) -> Result<NewCredential, Refusal> {
    let response = Attestation {
        client_data_json: &created.client_data_json,
        attestation_object: &created.attestation_object,
    };
    run(verify_registration(expectation, &response, &RustCrypto))
}

fn register(authenticator: &Authenticator) -> Result<NewCredential, Refusal> {
    register_with(&expect(CHALLENGE), &authenticator.register(CHALLENGE))
}

fn sign_in_with(
    expectation: &Expectation<'_>,
    credential: &NewCredential,
    signed: &Signed,
) -> Result<Asserted, Refusal> {
    let response = Assertion {
        client_data_json: &signed.client_data_json,
        authenticator_data: &signed.authenticator_data,
        signature: &signed.signature,
        user_handle: signed.user_handle.as_deref(),
    };
    let registered = Registered {
        public_key: &credential.public_key,
        user_handle: b"user-handle-of-amelie",
        sign_count: credential.sign_count,
        backup_eligible: credential.backup_eligible,
    };
    run(verify_authentication(
        expectation,
        &response,
        &registered,
        &RustCrypto,
    ))
}

fn sign_in(
    authenticator: &mut Authenticator,
    credential: &NewCredential,
) -> Result<Asserted, Refusal> {
    let signed = authenticator.assert(b"another-challenge");
    sign_in_with(&expect(b"another-challenge"), credential, &signed)
}

fn keys() -> [(Key, Algorithm); 3] {
    [
        (Key::p256(7), Algorithm::Es256),
        (Key::ed25519(7), Algorithm::EdDsa),
        (Key::rsa(), Algorithm::Rs256),
    ]
}

#[test]
fn a_passkey_of_each_algorithm_registers_and_signs_in() {
    for (key, algorithm) in keys() {
        let mut authenticator = Authenticator::new(key);
        let credential = register(&authenticator).unwrap();
        assert_eq!(credential.algorithm, algorithm);
        assert_eq!(credential.credential_id, authenticator.credential_id);
        assert_eq!(credential.public_key, authenticator.key.cose());
        assert_eq!(credential.aaguid, AAGUID);
        assert!(credential.backup_eligible && credential.backed_up && credential.user_verified);
        let asserted = sign_in(&mut authenticator, &credential).unwrap();
        assert!(
            !asserted.possible_clone,
            "{algorithm:?}: a synced passkey counts nothing"
        );
        assert!(asserted.backed_up && asserted.user_verified);
    }
}

#[test]
fn packed_self_attestation_is_accepted_only_when_its_signature_verifies() {
    for (key, _) in keys() {
        let authenticator = Authenticator::new(key);
        let created = authenticator.register_packed(CHALLENGE);
        assert!(register_with(&expect(CHALLENGE), &created).is_ok());
    }
    let authenticator = Authenticator::new(Key::p256(7));
    let mut created = authenticator.register_packed(CHALLENGE);
    // A statement signed by another key, over other data.
    created.attestation_object = attestation_object(
        "packed",
        &map(&[
            (text("alg"), int(-7)),
            (text("sig"), bytes(&Key::p256(8).sign(b"something else"))),
        ]),
        &authenticator.authenticator_data(authenticator.flags, true),
    );
    assert_eq!(
        register_with(&expect(CHALLENGE), &created),
        Err(Refusal::Attestation)
    );
}

#[test]
fn attestation_with_a_certificate_chain_or_another_format_is_refused() {
    let authenticator = Authenticator::new(Key::p256(7));
    let auth_data = authenticator.authenticator_data(authenticator.flags, true);
    let client_data_json = authenticator.client_data("webauthn.create", CHALLENGE);
    for (format, statement) in [
        (
            "packed",
            map(&[
                (text("alg"), int(-7)),
                (text("sig"), bytes(&[1, 2, 3])),
                (text("x5c"), vec![0x81, 0x41, 0x00]),
            ]),
        ),
        ("fido-u2f", map(&[])),
        ("none", map(&[(text("sig"), bytes(&[1]))])),
    ] {
        let created = Created {
            client_data_json: client_data_json.clone(),
            attestation_object: attestation_object(format, &statement, &auth_data),
        };
        assert_eq!(
            register_with(&expect(CHALLENGE), &created),
            Err(Refusal::Attestation),
            "{format}"
        );
    }
    let not_cbor = Created {
        client_data_json,
        attestation_object: vec![0xff, 0x00],
    };
    assert_eq!(
        register_with(&expect(CHALLENGE), &not_cbor),
        Err(Refusal::Attestation)
    );
}

#[test]
fn registration_refuses_another_ceremony_challenge_origin_or_frame() {
    let authenticator = Authenticator::new(Key::p256(7));
    let created = authenticator.register(CHALLENGE);
    assert_eq!(
        register_with(&expect(b"a different challenge"), &created),
        Err(Refusal::WrongChallenge)
    );
    let mut elsewhere = expect(CHALLENGE);
    elsewhere.origin = "https://login.contoso.example.evil.example";
    assert_eq!(
        register_with(&elsewhere, &created),
        Err(Refusal::WrongOrigin)
    );

    let mut wrong_type = authenticator.register(CHALLENGE);
    wrong_type.client_data_json = authenticator.client_data("webauthn.get", CHALLENGE);
    assert_eq!(
        register_with(&expect(CHALLENGE), &wrong_type),
        Err(Refusal::WrongType)
    );

    let framed = |json: String| Created {
        client_data_json: json.into_bytes(),
        attestation_object: created.attestation_object.clone(),
    };
    let challenge = base64_url(CHALLENGE);
    let cross = framed(format!(
        r#"{{"type":"webauthn.create","challenge":"{challenge}","origin":"{ORIGIN}","crossOrigin":true}}"#
    ));
    assert_eq!(
        register_with(&expect(CHALLENGE), &cross),
        Err(Refusal::CrossOrigin)
    );
    let top = framed(format!(
        r#"{{"type":"webauthn.create","challenge":"{challenge}","origin":"{ORIGIN}","topOrigin":"https://evil.example"}}"#
    ));
    assert_eq!(
        register_with(&expect(CHALLENGE), &top),
        Err(Refusal::CrossOrigin)
    );
    let broken = framed("{not json".into());
    assert_eq!(
        register_with(&expect(CHALLENGE), &broken),
        Err(Refusal::ClientData)
    );
}

#[test]
fn registration_checks_the_rp_id_and_the_flags() {
    let mut other_rp = Authenticator::new(Key::p256(7));
    other_rp.rp_id = "contoso.example".into();
    assert_eq!(register(&other_rp), Err(Refusal::WrongRpId));

    let mut absent = Authenticator::new(Key::p256(7));
    absent.flags = UV;
    assert_eq!(register(&absent), Err(Refusal::UserNotPresent));

    let mut unverified = Authenticator::new(Key::p256(7));
    unverified.flags = UP;
    assert_eq!(register(&unverified), Err(Refusal::UserNotVerified));
    // Accepted when the policy does not require verification.
    let mut lenient = expect(CHALLENGE);
    lenient.user_verification_required = false;
    let credential = register_with(&lenient, &unverified.register(CHALLENGE)).unwrap();
    assert!(!credential.user_verified && !credential.backup_eligible);

    let mut backed_up_not_eligible = Authenticator::new(Key::p256(7));
    backed_up_not_eligible.flags = UP | UV | BS;
    assert_eq!(
        register(&backed_up_not_eligible),
        Err(Refusal::BackedUpWithoutEligibility)
    );
}

#[test]
fn registration_needs_credential_data_with_an_offered_algorithm() {
    let authenticator = Authenticator::new(Key::p256(7));
    // AT unset: no credential in the response.
    let created = Created {
        client_data_json: authenticator.client_data("webauthn.create", CHALLENGE),
        attestation_object: attestation_object(
            "none",
            &map(&[]),
            &authenticator.authenticator_data(authenticator.flags, false),
        ),
    };
    assert_eq!(
        register_with(&expect(CHALLENGE), &created),
        Err(Refusal::AuthenticatorData)
    );
    // An ES384 key (COSE -35), which Guestpass does not offer.
    let mut data = authenticator.authenticator_data(authenticator.flags, true);
    let cose = authenticator.key.cose();
    let at = data.len() - cose.len();
    data.truncate(at);
    data.extend(map(&[
        (int(1), int(2)),
        (int(3), int(-35)),
        (int(-1), int(2)),
        (int(-2), bytes(&[1; 48])),
        (int(-3), bytes(&[2; 48])),
    ]));
    let created = Created {
        client_data_json: authenticator.client_data("webauthn.create", CHALLENGE),
        attestation_object: attestation_object("none", &map(&[]), &data),
    };
    assert_eq!(
        register_with(&expect(CHALLENGE), &created),
        Err(Refusal::UnsupportedAlgorithm)
    );
}

#[test]
fn a_counter_that_does_not_grow_marks_a_possible_clone() {
    let mut authenticator = Authenticator::new(Key::ed25519(3));
    authenticator.sign_count = 5;
    let mut credential = register(&authenticator).unwrap();
    assert_eq!(credential.sign_count, 5);
    let first = sign_in(&mut authenticator, &credential).unwrap();
    assert_eq!((first.sign_count, first.possible_clone), (6, false));
    credential.sign_count = first.sign_count;
    // A copy of the key that has not seen the last sign-in replays count 6.
    authenticator.sign_count = 5;
    let cloned = sign_in(&mut authenticator, &credential).unwrap();
    assert!(cloned.possible_clone);
    assert_eq!(cloned.sign_count, 6, "the stored count never goes back");
}

#[test]
fn authentication_refuses_a_bad_signature_another_owner_or_changed_backup_eligibility() {
    for (key, _) in keys() {
        let mut authenticator = Authenticator::new(key);
        let credential = register(&authenticator).unwrap();
        let mut signed = authenticator.assert(b"another-challenge");
        let last = signed.signature.len() - 3;
        signed.signature[last] ^= 0x01;
        assert_eq!(
            sign_in_with(&expect(b"another-challenge"), &credential, &signed),
            Err(Refusal::BadSignature)
        );
    }
    let mut authenticator = Authenticator::new(Key::p256(7));
    let credential = register(&authenticator).unwrap();
    let mut signed = authenticator.assert(b"another-challenge");
    signed.user_handle = Some(b"someone-else".to_vec());
    assert_eq!(
        sign_in_with(&expect(b"another-challenge"), &credential, &signed),
        Err(Refusal::UserHandleMismatch)
    );
    // No user handle (a username-first sign-in may omit it) is fine.
    signed.user_handle = None;
    assert!(sign_in_with(&expect(b"another-challenge"), &credential, &signed).is_ok());

    authenticator.flags = UP | UV;
    assert_eq!(
        sign_in(&mut authenticator, &credential),
        Err(Refusal::BackupEligibilityChanged)
    );
}

#[test]
fn an_old_assertion_does_not_answer_a_new_challenge() {
    let mut authenticator = Authenticator::new(Key::p256(7));
    let credential = register(&authenticator).unwrap();
    let signed = authenticator.assert(b"first-challenge");
    assert!(sign_in_with(&expect(b"first-challenge"), &credential, &signed).is_ok());
    assert_eq!(
        sign_in_with(&expect(b"second-challenge"), &credential, &signed),
        Err(Refusal::WrongChallenge)
    );
    // Nor a registration's client data, nor one with credential data attached.
    let mut created_as_signed = authenticator.assert(b"first-challenge");
    created_as_signed.client_data_json =
        authenticator.client_data("webauthn.create", b"first-challenge");
    assert_eq!(
        sign_in_with(&expect(b"first-challenge"), &credential, &created_as_signed),
        Err(Refusal::WrongType)
    );
    let mut attested = authenticator.assert(b"first-challenge");
    attested.authenticator_data = authenticator.authenticator_data(authenticator.flags, true);
    assert_eq!(
        sign_in_with(&expect(b"first-challenge"), &credential, &attested),
        Err(Refusal::AuthenticatorData)
    );
}

#[test]
fn es256_signatures_with_short_or_sign_padded_integers_verify() {
    // Deterministic ECDSA: search messages until the DER form shows each edge case.
    let authenticator = Authenticator::new(Key::p256(7));
    let credential = register(&authenticator).unwrap();
    let (mut short, mut padded) = (false, false);
    for n in 0u32..2000 {
        let challenge = format!("challenge-{n}").into_bytes();
        let mut probe = Authenticator::new(Key::p256(7));
        let signed = probe.assert(&challenge);
        // DER: 30 len 02 rlen r… 02 slen s…
        let r_len = signed.signature[3];
        let s_len = signed.signature[5 + usize::from(r_len)];
        let this_short = r_len < 32 || s_len < 32;
        let this_padded = r_len == 33 || s_len == 33;
        if (this_short && !short) || (this_padded && !padded) {
            assert!(
                sign_in_with(&expect(&challenge), &credential, &signed).is_ok(),
                "r {r_len} bytes, s {s_len} bytes"
            );
            short |= this_short;
            padded |= this_padded;
        }
        if short && padded {
            return;
        }
    }
    panic!("no short ({short}) or padded ({padded}) signature in 2000 tries");
}

fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[test]
fn a_challenge_is_answered_once_and_forgotten_after_it_expires() {
    use guestpass_core::guard::use_challenge;
    use guestpass_core::memory::MemoryGuard;
    const NOW: i64 = 1_795_348_800_000;
    let expires = NOW + 5 * 60_000;
    let guard = MemoryGuard::default();
    let instance = "tenant:t1";
    assert!(run(use_challenge(&guard, instance, "n1", expires, NOW)).unwrap());
    assert!(!run(use_challenge(&guard, instance, "n1", expires, NOW + 1)).unwrap());
    // Another nonce, or the same nonce in another tenant's instance, is its own challenge.
    assert!(run(use_challenge(&guard, instance, "n2", expires, NOW)).unwrap());
    assert!(run(use_challenge(&guard, "tenant:t2", "n1", expires, NOW)).unwrap());
    // The sweep forgets it once it has expired (a response then fails on the expiry itself).
    assert!(guard
        .record_keys(instance)
        .contains(&"challenge:n1".to_string()));
    guard.run_due_alarms(expires);
    assert!(!guard
        .record_keys(instance)
        .contains(&"challenge:n1".to_string()));
}
