//! A small CBOR reader (RFC 8949) for what WebAuthn sends: the attestation object and the COSE
//! key inside authenticator data. Definite lengths only (CTAP2's canonical form, WebAuthn §6.5.1),
//! no tags, no floats; nesting, item counts and lengths are bounded, so a hostile input costs at
//! most its own size.

/// A decoded item; byte and text strings borrow from the input.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Unsigned(u64),
    /// A negative integer, `-1 - n` for the encoded `n`.
    Negative(i128),
    Bytes(&'a [u8]),
    Text(&'a str),
    Array(Vec<Value<'a>>),
    Map(Vec<(Value<'a>, Value<'a>)>),
    Bool(bool),
    Null,
}

impl<'a> Value<'a> {
    /// The integer value of an unsigned or negative item.
    pub fn integer(&self) -> Option<i128> {
        match self {
            Value::Unsigned(n) => Some(i128::from(*n)),
            Value::Negative(n) => Some(*n),
            _ => None,
        }
    }

    pub fn bytes(&self) -> Option<&'a [u8]> {
        match self {
            Value::Bytes(b) => Some(b),
            _ => None,
        }
    }

    pub fn text(&self) -> Option<&'a str> {
        match self {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }

    /// The value under integer key `key` of a map.
    pub fn get_int(&self, key: i128) -> Option<&Value<'a>> {
        self.entries()?
            .iter()
            .find(|(k, _)| k.integer() == Some(key))
            .map(|(_, v)| v)
    }

    /// The value under text key `key` of a map.
    pub fn get_text(&self, key: &str) -> Option<&Value<'a>> {
        self.entries()?
            .iter()
            .find(|(k, _)| k.text() == Some(key))
            .map(|(_, v)| v)
    }

    pub fn entries(&self) -> Option<&[(Value<'a>, Value<'a>)]> {
        match self {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }
}

/// Why an input is not the CBOR we accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CborError {
    /// The input ends inside an item.
    Truncated,
    /// Indefinite lengths, tags, floats, reserved or unassigned encodings.
    Unsupported,
    /// Deeper than [`MAX_DEPTH`] or more than [`MAX_ITEMS`] items.
    TooComplex,
    /// A text string that is not UTF-8, or a map with a repeated key.
    Malformed,
    /// Bytes left after the one item expected.
    TrailingBytes,
}

/// Maps and arrays nested deeper than this are refused (COSE keys and attestation objects
/// nest three levels).
pub const MAX_DEPTH: usize = 8;
/// Items in one input, at most (a COSE key has five, an attestation object about ten).
pub const MAX_ITEMS: usize = 256;

/// Decodes exactly one item that spans all of `input`.
pub fn decode(input: &[u8]) -> Result<Value<'_>, CborError> {
    let (value, rest) = decode_prefix(input)?;
    if rest.is_empty() {
        Ok(value)
    } else {
        Err(CborError::TrailingBytes)
    }
}

/// Decodes the item at the start of `input`; returns it and the bytes after it (authenticator
/// data holds a COSE key followed by extensions, with no length in between).
pub fn decode_prefix(input: &[u8]) -> Result<(Value<'_>, &[u8]), CborError> {
    let mut reader = Reader {
        input,
        at: 0,
        items: 0,
    };
    let value = reader.item(0)?;
    Ok((value, &input[reader.at..]))
}

struct Reader<'a> {
    input: &'a [u8],
    at: usize,
    items: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], CborError> {
        let end = self.at.checked_add(n).ok_or(CborError::Truncated)?;
        let slice = self.input.get(self.at..end).ok_or(CborError::Truncated)?;
        self.at = end;
        Ok(slice)
    }

    /// The argument of an initial byte's additional information (§3): the value itself below
    /// 24, else the 1, 2, 4 or 8 bytes that follow.
    fn argument(&mut self, info: u8) -> Result<u64, CborError> {
        let width = match info {
            0..=23 => return Ok(u64::from(info)),
            24 => 1,
            25 => 2,
            26 => 4,
            27 => 8,
            _ => return Err(CborError::Unsupported),
        };
        Ok(self
            .take(width)?
            .iter()
            .fold(0u64, |n, b| (n << 8) | u64::from(*b)))
    }

    /// A length that must fit in what is left of the input (each element takes a byte at least).
    fn length(&mut self, info: u8) -> Result<usize, CborError> {
        let n = self.argument(info)?;
        let left = (self.input.len() - self.at) as u64;
        if n > left {
            return Err(CborError::Truncated);
        }
        Ok(n as usize)
    }

    fn item(&mut self, depth: usize) -> Result<Value<'a>, CborError> {
        self.items += 1;
        if depth > MAX_DEPTH || self.items > MAX_ITEMS {
            return Err(CborError::TooComplex);
        }
        let initial = self.take(1)?[0];
        let (major, info) = (initial >> 5, initial & 0x1f);
        Ok(match major {
            0 => Value::Unsigned(self.argument(info)?),
            1 => Value::Negative(-1 - i128::from(self.argument(info)?)),
            2 => {
                let n = self.length(info)?;
                Value::Bytes(self.take(n)?)
            }
            3 => {
                let n = self.length(info)?;
                let bytes = self.take(n)?;
                Value::Text(std::str::from_utf8(bytes).map_err(|_| CborError::Malformed)?)
            }
            4 => {
                let n = self.length(info)?;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.item(depth + 1)?);
                }
                Value::Array(items)
            }
            5 => {
                let n = self.length(info)?;
                let mut entries: Vec<(Value<'a>, Value<'a>)> = Vec::with_capacity(n);
                for _ in 0..n {
                    let key = self.item(depth + 1)?;
                    if entries.iter().any(|(k, _)| *k == key) {
                        return Err(CborError::Malformed);
                    }
                    let value = self.item(depth + 1)?;
                    entries.push((key, value));
                }
                Value::Map(entries)
            }
            7 => match info {
                20 => Value::Bool(false),
                21 => Value::Bool(true),
                22 => Value::Null,
                _ => return Err(CborError::Unsupported),
            },
            // Major type 6 (tags) has no place in WebAuthn's structures.
            _ => return Err(CborError::Unsupported),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_items_webauthn_uses() {
        // {1: 2, 3: -7, -1: 1, "fmt": "none", "b": h'0102', "t": true, "n": null, "a": [24, 256]}
        let input = [
            0xa8, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x63, b'f', b'm', b't', 0x64, b'n', b'o',
            b'n', b'e', 0x61, b'b', 0x42, 0x01, 0x02, 0x61, b't', 0xf5, 0x61, b'n', 0xf6, 0x61,
            b'a', 0x82, 0x18, 0x18, 0x19, 0x01, 0x00,
        ];
        let map = decode(&input).unwrap();
        assert_eq!(map.get_int(1), Some(&Value::Unsigned(2)));
        assert_eq!(map.get_int(3).and_then(Value::integer), Some(-7));
        assert_eq!(map.get_int(-1).and_then(Value::integer), Some(1));
        assert_eq!(map.get_text("fmt").and_then(Value::text), Some("none"));
        assert_eq!(
            map.get_text("b").and_then(Value::bytes),
            Some(&[1u8, 2][..])
        );
        assert_eq!(map.get_text("t"), Some(&Value::Bool(true)));
        assert_eq!(map.get_text("n"), Some(&Value::Null));
        assert_eq!(
            map.get_text("a"),
            Some(&Value::Array(vec![
                Value::Unsigned(24),
                Value::Unsigned(256)
            ]))
        );
    }

    #[test]
    fn a_prefix_leaves_the_bytes_after_the_item() {
        let (value, rest) = decode_prefix(&[0x41, 0xaa, 0xbb, 0xcc]).unwrap();
        assert_eq!(value, Value::Bytes(&[0xaa]));
        assert_eq!(rest, &[0xbb, 0xcc]);
        assert_eq!(decode(&[0x41, 0xaa, 0xbb]), Err(CborError::TrailingBytes));
    }

    #[test]
    fn truncated_oversized_and_unsupported_inputs_are_refused() {
        assert_eq!(decode(&[]), Err(CborError::Truncated));
        assert_eq!(decode(&[0x19, 0x01]), Err(CborError::Truncated));
        // A byte string claiming 2^32 bytes in a 6-byte input.
        assert_eq!(
            decode(&[0x5a, 0xff, 0xff, 0xff, 0xff, 0x00]),
            Err(CborError::Truncated)
        );
        // An array claiming 2^64-1 items allocates nothing.
        assert_eq!(
            decode(&[0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
            Err(CborError::Truncated)
        );
        assert_eq!(decode(&[0x5f, 0xff]), Err(CborError::Unsupported)); // indefinite
        assert_eq!(decode(&[0xc0, 0x00]), Err(CborError::Unsupported)); // a tag
        assert_eq!(decode(&[0xf9, 0x3c, 0x00]), Err(CborError::Unsupported)); // a float
        assert_eq!(decode(&[0x62, 0xff, 0xfe]), Err(CborError::Malformed)); // not UTF-8
        assert_eq!(
            decode(&[0xa2, 0x01, 0x00, 0x01, 0x00]),
            Err(CborError::Malformed)
        ); // key twice
        let deep = [0x81; 20]
            .iter()
            .chain(&[0x00])
            .copied()
            .collect::<Vec<_>>();
        assert_eq!(decode(&deep), Err(CborError::TooComplex));
        let mut many = vec![0x99, 0x01, 0x2c]; // 300 items
        many.extend(std::iter::repeat_n(0x00, 300));
        assert_eq!(decode(&many), Err(CborError::TooComplex));
    }
}
