//! Each tenant's ID-token keys: valid P-256 scalars derived from the deployment's ring, its own
//! per tenant, rotated with the ring with an overlap; and compact JWS that a standard ES256
//! implementation (RustCrypto's p256) verifies.

use guestpass_core::keys::KeyRing;
use guestpass_core::oidc::signing::{
    compact, parse, published_keys, signing_input, signing_key, Header,
};
use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};

const NEW: &str = "new:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
const OLD: &str = "old:AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=";

fn ring(spec: &[&str]) -> KeyRing {
    KeyRing::parse(&spec.join(",")).unwrap()
}

#[test]
fn each_tenant_gets_a_valid_key_of_its_own_the_same_every_time() {
    let keys = ring(&[NEW]);
    let contoso = signing_key(&keys, "t-contoso");
    assert!(p256::SecretKey::from_slice(&contoso.scalar).is_ok());
    assert_eq!(
        signing_key(&keys, "t-contoso").scalar,
        contoso.scalar,
        "derived, not drawn"
    );
    assert_eq!(signing_key(&keys, "t-contoso").kid, contoso.kid);
    let fabrikam = signing_key(&keys, "t-fabrikam");
    assert_ne!(fabrikam.scalar, contoso.scalar);
    assert_ne!(fabrikam.kid, contoso.kid);
    assert_eq!(contoso.kid.len(), 16);
    assert!(
        !format!("{contoso:?}").contains(&format!("{:?}", contoso.scalar)),
        "no key material in Debug"
    );
}

#[test]
fn rotating_the_ring_rotates_every_tenants_key_with_an_overlap() {
    let before = ring(&[OLD]);
    let during = ring(&[NEW, OLD]);
    let old_key = signing_key(&before, "t-1");
    let new_key = signing_key(&during, "t-1");
    assert_ne!(new_key.scalar, old_key.scalar, "the new key signs");
    let published: Vec<String> = published_keys(&during, "t-1")
        .into_iter()
        .map(|k| k.kid)
        .collect();
    assert_eq!(
        published,
        [new_key.kid.clone(), old_key.kid.clone()],
        "both verify meanwhile"
    );
    let after = ring(&[NEW]);
    assert_eq!(
        published_keys(&after, "t-1").len(),
        1,
        "the old key retires with the ring's"
    );
}

#[test]
fn a_compact_jws_verifies_with_a_standard_es256_implementation_and_tampering_shows() {
    let key = signing_key(&ring(&[NEW]), "t-1");
    let header = Header {
        alg: "ES256".into(),
        kid: Some(key.kid.clone()),
        typ: Some("JWT".into()),
    };
    let claims =
        serde_json::json!({"iss": "https://id.example/t-1/v2.0", "sub": "s", "nonce": "n"});
    let input = signing_input(&header, &claims).unwrap();
    let signer = SigningKey::from_slice(&key.scalar).unwrap();
    let signature: Signature = signer.sign(input.as_bytes());
    let token = compact(&input, &signature.to_bytes());

    let parsed = parse(&token).expect("three base64url parts");
    assert_eq!(parsed.header, header);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&parsed.payload).unwrap(),
        claims
    );
    let verifier = VerifyingKey::from(&signer);
    let signature = Signature::from_slice(&parsed.signature).expect("raw r ‖ s, 64 bytes");
    assert!(verifier
        .verify(parsed.signing_input.as_bytes(), &signature)
        .is_ok());

    // Another payload under the same signature does not verify.
    let (head, rest) = token.split_once('.').unwrap();
    let (_, signature_part) = rest.split_once('.').unwrap();
    let forged_claims = serde_json::json!({"iss": "https://id.example/t-1/v2.0", "sub": "admin"});
    let forged_input = signing_input(&header, &forged_claims).unwrap();
    let forged = format!("{}.{signature_part}", forged_input);
    assert!(forged.starts_with(head));
    let parsed = parse(&forged).unwrap();
    let signature = Signature::from_slice(&parsed.signature).unwrap();
    assert!(verifier
        .verify(parsed.signing_input.as_bytes(), &signature)
        .is_err());

    for broken in ["", "a.b", "a.b.c.d", "!!.e30.AA", "e30.!!.AA"] {
        assert!(parse(broken).is_none(), "{broken:?}");
    }
}
