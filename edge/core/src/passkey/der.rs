//! WebAuthn's ECDSA signatures are DER `ECDSA-Sig-Value` (SEC 1 §C.5, WebAuthn §6.5.5); WebCrypto
//! verifies the raw `r ‖ s` form (IEEE P1363). This converts one to the other, strictly.

/// The 64-byte `r ‖ s` of a DER-encoded P-256 signature, or `None` if it is not minimal DER of
/// two positive integers of at most 32 bytes.
pub fn p256_signature_to_raw(der: &[u8]) -> Option<[u8; 64]> {
    // SEQUENCE, short-form length (at most 2 × 35 bytes), exactly the rest of the input.
    let (&tag, rest) = der.split_first()?;
    let (&length, body) = rest.split_first()?;
    if tag != 0x30 || length >= 0x80 || usize::from(length) != body.len() {
        return None;
    }
    let (r, rest) = integer(body)?;
    let (s, rest) = integer(rest)?;
    if !rest.is_empty() {
        return None;
    }
    let mut raw = [0u8; 64];
    raw[32 - r.len()..32].copy_from_slice(r);
    raw[64 - s.len()..].copy_from_slice(s);
    Some(raw)
}

/// One INTEGER: its magnitude without the sign byte, and what follows it.
fn integer(input: &[u8]) -> Option<(&[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&length, rest) = rest.split_first()?;
    let length = usize::from(length);
    if tag != 0x02 || length == 0 || length > 33 || rest.len() < length {
        return None;
    }
    let (value, rest) = rest.split_at(length);
    // Negative numbers are not signatures; a leading zero is allowed only before a high bit.
    if value[0] & 0x80 != 0 {
        return None;
    }
    let magnitude = match value {
        [0, next, ..] if next & 0x80 != 0 => &value[1..],
        [0, _, ..] => return None,
        _ => value,
    };
    (magnitude.len() <= 32).then_some((magnitude, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn der(r: &[u8], s: &[u8]) -> Vec<u8> {
        let mut body = vec![0x02, r.len() as u8];
        body.extend(r);
        body.extend([0x02, s.len() as u8]);
        body.extend(s);
        let mut out = vec![0x30, body.len() as u8];
        out.extend(body);
        out
    }

    #[test]
    fn full_length_integers_map_straight_across() {
        let raw = p256_signature_to_raw(&der(&[0x11; 32], &[0x22; 32])).unwrap();
        assert_eq!(&raw[..32], &[0x11; 32]);
        assert_eq!(&raw[32..], &[0x22; 32]);
    }

    #[test]
    fn a_sign_byte_is_dropped_and_a_short_integer_is_left_padded() {
        let mut r = vec![0x00];
        r.extend([0x80; 32]);
        let raw = p256_signature_to_raw(&der(&r, &[0x05; 30])).unwrap();
        assert_eq!(&raw[..32], &[0x80; 32]);
        assert_eq!(&raw[32..34], &[0, 0]);
        assert_eq!(&raw[34..], &[0x05; 30]);
    }

    #[test]
    fn non_minimal_negative_oversized_or_trailing_encodings_are_refused() {
        let mut padded = vec![0x00];
        padded.extend([0x11; 32]); // a zero before a low bit
        assert_eq!(p256_signature_to_raw(&der(&padded, &[1; 32])), None);
        assert_eq!(p256_signature_to_raw(&der(&[0x80; 32], &[1; 32])), None); // negative
        assert_eq!(p256_signature_to_raw(&der(&[0x11; 33], &[1; 32])), None); // 33 bytes
        assert_eq!(p256_signature_to_raw(&der(&[], &[1; 32])), None);
        let mut trailing = der(&[1; 32], &[1; 32]);
        trailing.push(0);
        assert_eq!(p256_signature_to_raw(&trailing), None);
        let mut long_form = der(&[1; 32], &[1; 32]);
        long_form[1] = 0x81;
        assert_eq!(p256_signature_to_raw(&long_form), None);
        assert_eq!(p256_signature_to_raw(&[]), None);
    }
}
