//! Credential public keys as COSE_Key structures (RFC 9052 §7, RFC 9053), limited to the three
//! algorithms Guestpass offers: ES256 (ECDSA P-256 with SHA-256), EdDSA (Ed25519) and RS256
//! (RSASSA-PKCS1-v1_5 with SHA-256).

use serde::{Deserialize, Serialize};

use super::cbor::{self, Value};

/// A signature algorithm Guestpass accepts, by its COSE identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Algorithm {
    Es256,
    EdDsa,
    Rs256,
}

impl Algorithm {
    /// In order of preference, as registration options list them.
    pub const OFFERED: [Algorithm; 3] = [Algorithm::Es256, Algorithm::EdDsa, Algorithm::Rs256];

    pub fn cose_id(self) -> i64 {
        match self {
            Algorithm::Es256 => -7,
            Algorithm::EdDsa => -8,
            Algorithm::Rs256 => -257,
        }
    }

    pub fn from_cose_id(id: i128) -> Option<Algorithm> {
        Algorithm::OFFERED
            .into_iter()
            .find(|a| i128::from(a.cose_id()) == id)
    }
}

/// A public key, as the signature port needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// An uncompressed P-256 point.
    P256 {
        x: [u8; 32],
        y: [u8; 32],
    },
    Ed25519([u8; 32]),
    /// Modulus and public exponent, big-endian without leading zeros.
    Rsa {
        n: Vec<u8>,
        e: Vec<u8>,
    },
}

/// A credential's key and the algorithm it signs with (a COSE key names exactly one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoseKey {
    pub algorithm: Algorithm,
    pub key: PublicKey,
}

/// Why a COSE key is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyError {
    NotCbor,
    /// An algorithm outside ES256, EdDSA and RS256.
    UnsupportedAlgorithm,
    /// The key type, curve or sizes do not fit the algorithm.
    Malformed,
}

// COSE labels (RFC 9052 §7.1, RFC 9053 §7.1-7.2, RFC 8230 §4).
const KTY: i128 = 1;
const ALG: i128 = 3;
const CRV_OR_N: i128 = -1;
const X_OR_E: i128 = -2;
const Y: i128 = -3;
const KTY_OKP: i128 = 1;
const KTY_EC2: i128 = 2;
const KTY_RSA: i128 = 3;
const CRV_P256: i128 = 1;
const CRV_ED25519: i128 = 6;
/// RSA moduli from 2048 to 4096 bits.
const RSA_MODULUS_BYTES: std::ops::RangeInclusive<usize> = 256..=512;

/// Decodes the COSE key stored with a credential (exactly one CBOR map).
pub fn parse_key(bytes: &[u8]) -> Result<CoseKey, KeyError> {
    let value = cbor::decode(bytes).map_err(|_| KeyError::NotCbor)?;
    key_of(&value)
}

/// Reads a decoded COSE key map.
pub fn key_of(value: &Value<'_>) -> Result<CoseKey, KeyError> {
    let int = |label| value.get_int(label).and_then(Value::integer);
    let bytes = |label| value.get_int(label).and_then(Value::bytes);
    let algorithm = int(ALG)
        .and_then(Algorithm::from_cose_id)
        .ok_or(KeyError::UnsupportedAlgorithm)?;
    let key = match (algorithm, int(KTY)) {
        (Algorithm::Es256, Some(KTY_EC2)) if int(CRV_OR_N) == Some(CRV_P256) => {
            let x = bytes(X_OR_E).and_then(|b| b.try_into().ok());
            let y = bytes(Y).and_then(|b| b.try_into().ok());
            match (x, y) {
                (Some(x), Some(y)) => PublicKey::P256 { x, y },
                _ => return Err(KeyError::Malformed),
            }
        }
        (Algorithm::EdDsa, Some(KTY_OKP)) if int(CRV_OR_N) == Some(CRV_ED25519) => {
            let x = bytes(X_OR_E).and_then(|b| b.try_into().ok());
            PublicKey::Ed25519(x.ok_or(KeyError::Malformed)?)
        }
        (Algorithm::Rs256, Some(KTY_RSA)) => {
            let n = bytes(CRV_OR_N).ok_or(KeyError::Malformed)?;
            let e = bytes(X_OR_E).ok_or(KeyError::Malformed)?;
            let minimal = |b: &[u8]| b.first().is_some_and(|first| *first != 0);
            if !RSA_MODULUS_BYTES.contains(&n.len()) || !minimal(n) || !minimal(e) || e.len() > 8 {
                return Err(KeyError::Malformed);
            }
            PublicKey::Rsa {
                n: n.to_vec(),
                e: e.to_vec(),
            }
        }
        _ => return Err(KeyError::Malformed),
    };
    Ok(CoseKey { algorithm, key })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ec2(alg: u8, crv: u8, x_len: u8) -> Vec<u8> {
        // {1: 2, 3: -(alg+1), -1: crv, -2: x, -3: y}
        let mut key = vec![
            0xa5,
            0x01,
            0x02,
            0x03,
            0x20 + alg,
            0x20,
            crv,
            0x21,
            0x58,
            x_len,
        ];
        key.extend(std::iter::repeat_n(7, usize::from(x_len)));
        key.extend([0x22, 0x58, 0x20]);
        key.extend([9; 32]);
        key
    }

    #[test]
    fn an_es256_key_is_read_and_others_are_told_apart() {
        let key = parse_key(&ec2(6, 1, 32)).unwrap();
        assert_eq!(key.algorithm, Algorithm::Es256);
        assert_eq!(
            key.key,
            PublicKey::P256 {
                x: [7; 32],
                y: [9; 32]
            }
        );
        // ES384 (-35) is not offered.
        let mut es384 = ec2(6, 1, 32);
        es384[4] = 0x38;
        es384.insert(5, 0x22);
        assert_eq!(parse_key(&es384), Err(KeyError::UnsupportedAlgorithm));
        // P-384's curve id with ES256, or a short coordinate.
        assert_eq!(parse_key(&ec2(6, 2, 32)), Err(KeyError::Malformed));
        assert_eq!(parse_key(&ec2(6, 1, 31)), Err(KeyError::Malformed));
        assert_eq!(parse_key(&[0xff]), Err(KeyError::NotCbor));
    }

    #[test]
    fn algorithms_keep_their_cose_ids() {
        for alg in Algorithm::OFFERED {
            assert_eq!(Algorithm::from_cose_id(alg.cose_id().into()), Some(alg));
        }
        assert_eq!(Algorithm::from_cose_id(-36), None);
    }
}
