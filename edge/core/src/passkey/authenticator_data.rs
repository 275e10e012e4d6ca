//! Authenticator data (WebAuthn §6.1): what the authenticator signs about itself.
//!
//! `rpIdHash (32) ‖ flags (1) ‖ signCount (4, big-endian) ‖ [attested credential data] ‖
//! [extensions]`, where attested credential data is `aaguid (16) ‖ credentialIdLength (2) ‖
//! credentialId ‖ credentialPublicKey (COSE, CBOR)`.

use super::cbor;

/// The flags byte (§6.1, "flags").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flags(pub u8);

impl Flags {
    pub const USER_PRESENT: u8 = 0x01;
    pub const USER_VERIFIED: u8 = 0x04;
    pub const BACKUP_ELIGIBLE: u8 = 0x08;
    pub const BACKED_UP: u8 = 0x10;
    pub const ATTESTED_CREDENTIAL_DATA: u8 = 0x40;
    pub const EXTENSION_DATA: u8 = 0x80;

    fn has(self, bit: u8) -> bool {
        self.0 & bit != 0
    }
    pub fn user_present(self) -> bool {
        self.has(Self::USER_PRESENT)
    }
    pub fn user_verified(self) -> bool {
        self.has(Self::USER_VERIFIED)
    }
    pub fn backup_eligible(self) -> bool {
        self.has(Self::BACKUP_ELIGIBLE)
    }
    pub fn backed_up(self) -> bool {
        self.has(Self::BACKED_UP)
    }
}

/// A credential created by this ceremony (registration only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttestedCredential<'a> {
    pub aaguid: [u8; 16],
    pub credential_id: &'a [u8],
    /// The COSE key, as its CBOR bytes (stored as they are).
    pub public_key: &'a [u8],
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthenticatorData<'a> {
    pub rp_id_hash: [u8; 32],
    pub flags: Flags,
    pub sign_count: u32,
    pub attested: Option<AttestedCredential<'a>>,
}

/// Authenticator data that does not parse: short, inconsistent flags, or bytes left over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Malformed;

/// Credential ids longer than this are refused (§7.1 step 25, 1023 bytes).
pub const MAX_CREDENTIAL_ID: usize = 1023;

pub fn parse(bytes: &[u8]) -> Result<AuthenticatorData<'_>, Malformed> {
    let (rp_id_hash, rest) = bytes.split_first_chunk::<32>().ok_or(Malformed)?;
    let (&flags, rest) = rest.split_first().ok_or(Malformed)?;
    let (count, mut rest) = rest.split_first_chunk::<4>().ok_or(Malformed)?;
    let flags = Flags(flags);
    let attested = if flags.has(Flags::ATTESTED_CREDENTIAL_DATA) {
        let (aaguid, after) = rest.split_first_chunk::<16>().ok_or(Malformed)?;
        let (length, after) = after.split_first_chunk::<2>().ok_or(Malformed)?;
        let length = usize::from(u16::from_be_bytes(*length));
        if length == 0 || length > MAX_CREDENTIAL_ID || after.len() < length {
            return Err(Malformed);
        }
        let (credential_id, after) = after.split_at(length);
        // The key is one CBOR item; its length is only known by reading it.
        let (_, after_key) = cbor::decode_prefix(after).map_err(|_| Malformed)?;
        let public_key = &after[..after.len() - after_key.len()];
        rest = after_key;
        Some(AttestedCredential {
            aaguid: *aaguid,
            credential_id,
            public_key,
        })
    } else {
        None
    };
    if flags.has(Flags::EXTENSION_DATA) {
        // Extension outputs: exactly one CBOR map, and nothing after it.
        match cbor::decode(rest) {
            Ok(cbor::Value::Map(_)) => {}
            _ => return Err(Malformed),
        }
    } else if !rest.is_empty() {
        return Err(Malformed);
    }
    Ok(AuthenticatorData {
        rp_id_hash: *rp_id_hash,
        flags,
        sign_count: u32::from_be_bytes(*count),
        attested,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(flags: u8, tail: &[u8]) -> Vec<u8> {
        let mut bytes = vec![0xab; 32];
        bytes.push(flags);
        bytes.extend([0, 0, 1, 2]);
        bytes.extend(tail);
        bytes
    }

    fn attested(id_len: u16) -> Vec<u8> {
        let mut tail = vec![0x5a; 16];
        tail.extend(id_len.to_be_bytes());
        tail.extend(std::iter::repeat_n(0xc1, usize::from(id_len)));
        tail.extend([0xa1, 0x01, 0x02]); // a (tiny) COSE map
        tail
    }

    #[test]
    fn an_assertions_data_has_flags_and_a_count() {
        let bytes = data(0x1d, &[]);
        let parsed = parse(&bytes).unwrap();
        assert_eq!(parsed.rp_id_hash, [0xab; 32]);
        assert!(parsed.flags.user_present() && parsed.flags.user_verified());
        assert!(parsed.flags.backup_eligible() && parsed.flags.backed_up());
        assert_eq!(parsed.sign_count, 258);
        assert!(parsed.attested.is_none());
    }

    #[test]
    fn attested_credential_data_yields_the_id_and_the_keys_exact_bytes() {
        let bytes = data(0x45, &attested(20));
        let parsed = parse(&bytes).unwrap();
        let credential = parsed.attested.unwrap();
        assert_eq!(credential.aaguid, [0x5a; 16]);
        assert_eq!(credential.credential_id, &[0xc1; 20][..]);
        assert_eq!(credential.public_key, &[0xa1, 0x01, 0x02][..]);
        // With extension outputs after the key.
        let mut tail = attested(20);
        tail.extend([0xa1, 0x61, b'x', 0xf5]);
        assert!(parse(&data(0xc5, &tail)).is_ok());
    }

    #[test]
    fn short_inconsistent_or_oversized_data_is_refused() {
        assert_eq!(parse(&[0; 36]), Err(Malformed));
        assert_eq!(parse(&data(0x01, &[0])), Err(Malformed)); // trailing byte
        assert_eq!(parse(&data(0x41, &[])), Err(Malformed)); // AT without data
        assert_eq!(parse(&data(0x81, &[])), Err(Malformed)); // ED without a map
        assert_eq!(parse(&data(0x41, &attested(1024))), Err(Malformed));
        assert_eq!(parse(&data(0x41, &attested(0))), Err(Malformed));
        let mut cut = attested(20);
        cut.pop();
        assert_eq!(parse(&data(0x41, &cut)), Err(Malformed));
        assert!(parse(&data(0x41, &attested(1023))).is_ok());
    }
}
