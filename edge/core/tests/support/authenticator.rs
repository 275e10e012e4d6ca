//! A software WebAuthn authenticator and a RustCrypto signature verifier, for the passkey
//! ceremonies' native tests. It writes what a platform authenticator writes — CBOR attestation
//! objects with `none` or packed self attestation, authenticator data, DER ECDSA signatures —
//! and lets a test break one thing at a time.

// Shared by two test files, each using part of it.
#![allow(dead_code)]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use p256::ecdsa::signature::Signer;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use sha2::{Digest, Sha256};

pub const RP_ID: &str = "login.contoso.example";
pub const ORIGIN: &str = "https://login.contoso.example";
pub const AAGUID: [u8; 16] = *b"guestpass-tests!";

/// A test RSA key (2048 bits, generated once with `openssl genrsa`): generating one per test
/// would take seconds.
const RSA_KEY: &str = include_str!("../fixtures/rsa-2048-test-key.pem");

pub enum Key {
    P256(p256::ecdsa::SigningKey),
    Ed25519(ed25519_dalek::SigningKey),
    Rsa(rsa::RsaPrivateKey),
}

impl Key {
    pub fn p256(seed: u8) -> Key {
        Key::P256(p256::ecdsa::SigningKey::from_slice(&[seed; 32]).unwrap())
    }
    pub fn ed25519(seed: u8) -> Key {
        Key::Ed25519(ed25519_dalek::SigningKey::from_bytes(&[seed; 32]))
    }
    pub fn rsa() -> Key {
        Key::Rsa(rsa::RsaPrivateKey::from_pkcs1_pem(RSA_KEY).unwrap())
    }

    /// The COSE key, in CTAP2's canonical order.
    pub fn cose(&self) -> Vec<u8> {
        match self {
            Key::P256(key) => {
                let point = key.verifying_key().to_encoded_point(false);
                map(&[
                    (int(1), int(2)),
                    (int(3), int(-7)),
                    (int(-1), int(1)),
                    (int(-2), bytes(point.x().unwrap())),
                    (int(-3), bytes(point.y().unwrap())),
                ])
            }
            Key::Ed25519(key) => map(&[
                (int(1), int(1)),
                (int(3), int(-8)),
                (int(-1), int(6)),
                (int(-2), bytes(key.verifying_key().as_bytes())),
            ]),
            Key::Rsa(key) => map(&[
                (int(1), int(3)),
                (int(3), int(-257)),
                (int(-1), bytes(&key.n().to_bytes_be())),
                (int(-2), bytes(&key.e().to_bytes_be())),
            ]),
        }
    }

    pub fn alg(&self) -> i64 {
        match self {
            Key::P256(_) => -7,
            Key::Ed25519(_) => -8,
            Key::Rsa(_) => -257,
        }
    }

    /// A signature as an authenticator sends it (ECDSA in DER).
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        match self {
            Key::P256(key) => {
                let signature: p256::ecdsa::Signature = key.sign(message);
                signature.to_der().as_bytes().to_vec()
            }
            Key::Ed25519(key) => key.sign(message).to_bytes().to_vec(),
            Key::Rsa(key) => {
                let signer = rsa::pkcs1v15::SigningKey::<Sha256>::new(key.clone());
                let signature: rsa::pkcs1v15::Signature = signer.sign(message);
                rsa::signature::SignatureEncoding::to_vec(&signature)
            }
        }
    }
}

pub struct Authenticator {
    pub key: Key,
    pub credential_id: Vec<u8>,
    pub user_handle: Vec<u8>,
    pub sign_count: u32,
    /// UP, UV, BE and BS as it will report them.
    pub flags: u8,
    pub rp_id: String,
    pub origin: String,
}

/// A registration or assertion as the browser hands it over (bytes, not yet base64url).
pub struct Created {
    pub client_data_json: Vec<u8>,
    pub attestation_object: Vec<u8>,
}

pub struct Signed {
    pub client_data_json: Vec<u8>,
    pub authenticator_data: Vec<u8>,
    pub signature: Vec<u8>,
    pub user_handle: Option<Vec<u8>>,
}

pub const UP: u8 = 0x01;
pub const UV: u8 = 0x04;
pub const BE: u8 = 0x08;
pub const BS: u8 = 0x10;

impl Authenticator {
    pub fn new(key: Key) -> Authenticator {
        Authenticator {
            key,
            credential_id: vec![0xc7; 32],
            user_handle: b"user-handle-of-amelie".to_vec(),
            sign_count: 0,
            flags: UP | UV | BE | BS,
            rp_id: RP_ID.into(),
            origin: ORIGIN.into(),
        }
    }

    pub fn client_data(&self, kind: &str, challenge: &[u8]) -> Vec<u8> {
        format!(
            r#"{{"type":"{kind}","challenge":"{}","origin":"{}","crossOrigin":false}}"#,
            URL_SAFE_NO_PAD.encode(challenge),
            self.origin
        )
        .into_bytes()
    }

    pub fn authenticator_data(&self, flags: u8, attested: bool) -> Vec<u8> {
        let mut data = Sha256::digest(self.rp_id.as_bytes()).to_vec();
        data.push(flags | if attested { 0x40 } else { 0 });
        data.extend(self.sign_count.to_be_bytes());
        if attested {
            data.extend(AAGUID);
            data.extend((self.credential_id.len() as u16).to_be_bytes());
            data.extend(&self.credential_id);
            data.extend(self.key.cose());
        }
        data
    }

    /// `navigator.credentials.create` with attestation `none`.
    pub fn register(&self, challenge: &[u8]) -> Created {
        let client_data_json = self.client_data("webauthn.create", challenge);
        let auth_data = self.authenticator_data(self.flags, true);
        Created {
            attestation_object: attestation_object("none", &map(&[]), &auth_data),
            client_data_json,
        }
    }

    /// The same, with a packed self-attestation statement signed by the new key.
    pub fn register_packed(&self, challenge: &[u8]) -> Created {
        let client_data_json = self.client_data("webauthn.create", challenge);
        let auth_data = self.authenticator_data(self.flags, true);
        let signed = [auth_data.as_slice(), &Sha256::digest(&client_data_json)].concat();
        let statement = map(&[
            (text("alg"), int(self.key.alg())),
            (text("sig"), bytes(&self.key.sign(&signed))),
        ]);
        Created {
            attestation_object: attestation_object("packed", &statement, &auth_data),
            client_data_json,
        }
    }

    /// `navigator.credentials.get`: the counter moves on first, as a real authenticator's does.
    pub fn assert(&mut self, challenge: &[u8]) -> Signed {
        if self.sign_count != 0 {
            self.sign_count += 1;
        }
        let client_data_json = self.client_data("webauthn.get", challenge);
        let authenticator_data = self.authenticator_data(self.flags, false);
        let signed = [
            authenticator_data.as_slice(),
            &Sha256::digest(&client_data_json),
        ]
        .concat();
        Signed {
            signature: self.key.sign(&signed),
            client_data_json,
            authenticator_data,
            user_handle: Some(self.user_handle.clone()),
        }
    }
}

pub fn attestation_object(format: &str, statement: &[u8], auth_data: &[u8]) -> Vec<u8> {
    map(&[
        (text("fmt"), text(format)),
        (text("attStmt"), statement.to_vec()),
        (text("authData"), bytes(auth_data)),
    ])
}

// A CBOR writer for the few shapes above (RFC 8949 §3, definite lengths).
fn head(major: u8, n: u64) -> Vec<u8> {
    let major = major << 5;
    match n {
        0..=23 => vec![major | n as u8],
        24..=0xff => vec![major | 24, n as u8],
        0x100..=0xffff => [vec![major | 25], (n as u16).to_be_bytes().to_vec()].concat(),
        _ => [vec![major | 26], (n as u32).to_be_bytes().to_vec()].concat(),
    }
}
pub fn int(n: i64) -> Vec<u8> {
    if n >= 0 {
        head(0, n as u64)
    } else {
        head(1, (-1 - n) as u64)
    }
}
pub fn bytes(b: &[u8]) -> Vec<u8> {
    [head(2, b.len() as u64), b.to_vec()].concat()
}
pub fn text(t: &str) -> Vec<u8> {
    [head(3, t.len() as u64), t.as_bytes().to_vec()].concat()
}
pub fn map(entries: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
    let mut out = head(5, entries.len() as u64);
    for (k, v) in entries {
        out.extend(k);
        out.extend(v);
    }
    out
}
