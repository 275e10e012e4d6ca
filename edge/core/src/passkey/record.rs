//! A stored passkey: what `passkey:{tenant}:{user}:{method}` holds in KV, and its API view.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use guestpass_wire::passkey::PasskeyMethod;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::ceremony::NewCredential;
use super::cose::Algorithm;
use crate::ids::{format_uuid, hex};
use crate::time::{format_rfc3339, UnixMillis};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasskeyRecord {
    /// [`method_id`] of the credential id.
    pub id: String,
    pub user_id: String,
    /// The credential id, base64url (up to 1023 bytes).
    pub credential_id: String,
    /// The COSE key as registered, base64url.
    pub public_key: String,
    pub algorithm: Algorithm,
    /// The authenticator model, as a UUID.
    pub aaguid: String,
    pub display_name: String,
    pub sign_count: u32,
    pub backup_eligible: bool,
    pub backed_up: bool,
    /// Set when a sign-in's counter did not grow (and kept: a clone does not stop being one).
    #[serde(default)]
    pub possibly_cloned: bool,
    #[serde(default)]
    pub transports: Vec<String>,
    pub created_at: UnixMillis,
    #[serde(default)]
    pub last_used_at: Option<UnixMillis>,
}

/// A short, stable id for a credential: the first 16 bytes of SHA-256 of its id, hex. Credential
/// ids are up to 1023 bytes, too long for a path or a KV key.
pub fn method_id(credential_id: &[u8]) -> String {
    hex(&Sha256::digest(credential_id)[..16])
}

impl PasskeyRecord {
    pub fn new(
        user_id: &str,
        credential: &NewCredential,
        display_name: String,
        transports: Vec<String>,
        now: UnixMillis,
    ) -> PasskeyRecord {
        PasskeyRecord {
            id: method_id(&credential.credential_id),
            user_id: user_id.to_string(),
            credential_id: URL_SAFE_NO_PAD.encode(&credential.credential_id),
            public_key: URL_SAFE_NO_PAD.encode(&credential.public_key),
            algorithm: credential.algorithm,
            aaguid: format_uuid(&credential.aaguid),
            display_name,
            sign_count: credential.sign_count,
            backup_eligible: credential.backup_eligible,
            backed_up: credential.backed_up,
            possibly_cloned: false,
            transports,
            created_at: now,
            last_used_at: None,
        }
    }

    pub fn view(&self) -> PasskeyMethod {
        PasskeyMethod {
            id: self.id.clone(),
            display_name: self.display_name.clone(),
            created_date_time: format_rfc3339(self.created_at),
            last_used_date_time: self.last_used_at.map(format_rfc3339),
            aa_guid: self.aaguid.clone(),
            backup_eligible: self.backup_eligible,
            backed_up: self.backed_up,
            possibly_cloned: self.possibly_cloned,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_ids_are_short_and_stable_and_aaguids_read_as_uuids() {
        let id = method_id(&[7; 1023]);
        assert_eq!(id.len(), 32);
        assert_eq!(id, method_id(&[7; 1023]));
        assert_ne!(id, method_id(&[7; 1022]));
        assert_eq!(
            format_uuid(&[0xea; 16]),
            "eaeaeaea-eaea-eaea-eaea-eaeaeaeaeaea"
        );
    }
}
