//! The client data (WebAuthn §5.8.1): what the browser says it asked for, as JSON, hashed into
//! the signed message.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;

use super::Refusal;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ClientData {
    #[serde(rename = "type")]
    kind: String,
    challenge: String,
    origin: String,
    #[serde(default)]
    cross_origin: Option<bool>,
    #[serde(default)]
    top_origin: Option<String>,
}

/// The challenge a response signed, as its client data says (whose MAC the caller checks
/// before anything else).
pub fn challenge_of(json: &[u8]) -> Option<Vec<u8>> {
    #[derive(Deserialize)]
    struct Challenge {
        challenge: String,
    }
    let data: Challenge = serde_json::from_slice(json).ok()?;
    URL_SAFE_NO_PAD.decode(data.challenge).ok()
}

/// Which ceremony the client data must name (§7.1 step 7, §7.2 step 11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ceremony {
    Create,
    Get,
}

impl Ceremony {
    fn type_name(self) -> &'static str {
        match self {
            Ceremony::Create => "webauthn.create",
            Ceremony::Get => "webauthn.get",
        }
    }
}

/// Checks the client data against the ceremony, its challenge and the page's origin. Guestpass
/// is never framed, so a cross-origin or top-origin call is refused.
pub fn check(
    json: &[u8],
    ceremony: Ceremony,
    challenge: &[u8],
    origin: &str,
) -> Result<(), Refusal> {
    let data: ClientData = serde_json::from_slice(json).map_err(|_| Refusal::ClientData)?;
    if data.kind != ceremony.type_name() {
        return Err(Refusal::WrongType);
    }
    let sent = URL_SAFE_NO_PAD
        .decode(data.challenge.as_bytes())
        .map_err(|_| Refusal::WrongChallenge)?;
    if sent != challenge {
        return Err(Refusal::WrongChallenge);
    }
    if data.origin != origin {
        return Err(Refusal::WrongOrigin);
    }
    if data.cross_origin == Some(true) || data.top_origin.is_some() {
        return Err(Refusal::CrossOrigin);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signed_challenge_is_read_from_the_client_data() {
        let json = br#"{"type":"webauthn.get","challenge":"AQID","origin":"https://x"}"#;
        assert_eq!(challenge_of(json), Some(vec![1, 2, 3]));
        assert_eq!(challenge_of(b"{}"), None);
        assert_eq!(challenge_of(b"not json"), None);
    }
}
