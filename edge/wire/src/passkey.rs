//! Passkeys on the wire: WebAuthn's JSON forms of ceremony options and responses (WebAuthn
//! Level 3 §5.1.8–§5.1.10, what `PublicKeyCredential.parseCreationOptionsFromJSON` takes and
//! `toJSON()` gives, binary fields as base64url without padding), a member's passkeys as
//! authentication methods, and the tenant's passkey policy.

use serde::{Deserialize, Serialize};

use crate::tap::PolicyState;
use crate::types::{is_uuid, DomainMode};

/// The longest display name a member may give a passkey.
pub const MAX_PASSKEY_NAME: usize = 64;
/// AAGUIDs one policy list may hold.
pub const MAX_POLICY_AAGUIDS: usize = 100;

/// `POST …/me/passkeys/registration-options` → `navigator.credentials.create({publicKey})`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreationOptions {
    pub rp: RelyingParty,
    pub user: UserEntity,
    pub challenge: String,
    pub pub_key_cred_params: Vec<CredentialParameters>,
    pub timeout: u32,
    pub exclude_credentials: Vec<CredentialDescriptor>,
    pub authenticator_selection: AuthenticatorSelection,
    pub attestation: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelyingParty {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserEntity {
    /// The user handle, base64url: opaque, never the address.
    pub id: String,
    pub name: String,
    pub display_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CredentialParameters {
    #[serde(rename = "type")]
    pub kind: String,
    pub alg: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CredentialDescriptor {
    #[serde(rename = "type")]
    pub kind: String,
    /// The credential id, base64url.
    pub id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transports: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticatorSelection {
    pub resident_key: String,
    pub require_resident_key: bool,
    pub user_verification: String,
}

/// `POST …/sign-in/passkey/options` → `navigator.credentials.get({publicKey})`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestOptions {
    pub challenge: String,
    pub timeout: u32,
    pub rp_id: String,
    /// Empty for a discoverable sign-in (no username yet, or autofill).
    pub allow_credentials: Vec<CredentialDescriptor>,
    pub user_verification: String,
}

/// `POST …/sign-in/passkey/options`: with a username for the member's own passkeys, without
/// for a discoverable sign-in. A username without passkeys gets options all the same (nothing
/// tells whether the member has any).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PasskeyOptionsRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

/// `RegistrationResponseJSON` (§5.1.9).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistrationCredential {
    pub id: String,
    pub raw_id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub response: AttestationResponse,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticator_attachment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttestationResponse {
    #[serde(rename = "clientDataJSON")]
    pub client_data_json: String,
    pub attestation_object: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transports: Vec<String>,
}

/// `AuthenticationResponseJSON` (§5.1.10).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticationCredential {
    pub id: String,
    pub raw_id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub response: AssertionResponse,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticator_attachment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssertionResponse {
    #[serde(rename = "clientDataJSON")]
    pub client_data_json: String,
    pub authenticator_data: String,
    pub signature: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_handle: Option<String>,
}

/// `POST …/me/passkeys`: the new credential and the name the member gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegisterPasskeyRequest {
    pub display_name: String,
    pub credential: RegistrationCredential,
}

/// `POST …/sign-in/passkey`: the assertion, and the username the options were asked for (none
/// for a discoverable sign-in).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasskeySignInRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    pub credential: AuthenticationCredential,
}

/// `PATCH …/me/passkeys/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RenamePasskeyRequest {
    pub display_name: String,
}

/// A member's passkey as an authentication method (after Graph's `fido2AuthenticationMethod`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasskeyMethod {
    /// Stable and short: derived from the credential id, which may be 1023 bytes long.
    pub id: String,
    pub display_name: String,
    pub created_date_time: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_date_time: Option<String>,
    /// The authenticator model, as a UUID (all zeros when it does not say).
    pub aa_guid: String,
    /// BE: the passkey may be synced to other devices.
    pub backup_eligible: bool,
    /// BS: it is synced now (as of its last use).
    pub backed_up: bool,
    /// A sign-in's counter did not grow: the key may have been copied.
    pub possibly_cloned: bool,
}

/// `GET`/`PATCH …/policies/passkey`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasskeyPolicy {
    pub state: PolicyState,
    pub is_user_verification_required: bool,
    pub aa_guid_restriction: AaGuidRestriction,
    /// Refuse a sign-in whose counter did not grow (else it is logged and let through).
    pub refuse_possible_clones: bool,
}

impl Default for PasskeyPolicy {
    /// Passkeys on, user verification required, any authenticator, clones logged.
    fn default() -> Self {
        PasskeyPolicy {
            state: PolicyState::Enabled,
            is_user_verification_required: true,
            aa_guid_restriction: AaGuidRestriction::default(),
            refuse_possible_clones: false,
        }
    }
}

/// Which authenticator models may register: all, only the listed, or all but the listed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AaGuidRestriction {
    pub mode: DomainMode,
    #[serde(default)]
    pub aa_guids: Vec<String>,
}

impl AaGuidRestriction {
    /// Whether an authenticator model (a lower-case UUID) may register.
    pub fn allows(&self, aaguid: &str) -> bool {
        let listed = self.aa_guids.iter().any(|a| a.eq_ignore_ascii_case(aaguid));
        match self.mode {
            DomainMode::AllowAll => true,
            DomainMode::AllowList => listed,
            DomainMode::BlockList => !listed,
        }
    }
}

/// `PATCH …/policies/passkey`: any subset of the fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PasskeyPolicyPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<PolicyState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_user_verification_required: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aa_guid_restriction: Option<AaGuidRestriction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refuse_possible_clones: Option<bool>,
}

impl PasskeyPolicyPatch {
    /// The policy with this patch applied, or the name of the field that is not valid.
    pub fn apply_to(&self, policy: &PasskeyPolicy) -> Result<PasskeyPolicy, &'static str> {
        let mut next = policy.clone();
        if let Some(state) = self.state {
            next.state = state;
        }
        if let Some(required) = self.is_user_verification_required {
            next.is_user_verification_required = required;
        }
        if let Some(refuse) = self.refuse_possible_clones {
            next.refuse_possible_clones = refuse;
        }
        if let Some(restriction) = &self.aa_guid_restriction {
            if restriction.aa_guids.len() > MAX_POLICY_AAGUIDS
                || !restriction.aa_guids.iter().all(|a| is_uuid(a))
            {
                return Err("aaGuidRestriction");
            }
            // Lower case, each once, in the order given (a sort would cost the Worker KiBs).
            let mut aa_guids: Vec<String> = Vec::new();
            for aaguid in &restriction.aa_guids {
                let aaguid = aaguid.to_ascii_lowercase();
                if !aa_guids.contains(&aaguid) {
                    aa_guids.push(aaguid);
                }
            }
            next.aa_guid_restriction = AaGuidRestriction {
                mode: restriction.mode,
                aa_guids,
            };
        }
        Ok(next)
    }
}

/// A passkey's name as stored: trimmed, not empty, at most [`MAX_PASSKEY_NAME`] characters.
pub fn passkey_name(text: &str) -> Option<String> {
    let name = text.trim();
    (!name.is_empty()
        && name.chars().count() <= MAX_PASSKEY_NAME
        && !name.chars().any(char::is_control))
    .then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_read_as_browsers_write_them() {
        let json = r#"{"id":"AQID","rawId":"AQID","type":"public-key",
            "response":{"clientDataJSON":"e30","attestationObject":"oA","transports":["internal","hybrid"]},
            "authenticatorAttachment":"platform","clientExtensionResults":{}}"#;
        let credential: RegistrationCredential = serde_json::from_str(json).unwrap();
        assert_eq!(credential.response.client_data_json, "e30");
        assert_eq!(credential.response.transports, ["internal", "hybrid"]);
        let json = r#"{"id":"AQID","rawId":"AQID","type":"public-key",
            "response":{"clientDataJSON":"e30","authenticatorData":"AA","signature":"AA","userHandle":null},
            "clientExtensionResults":{}}"#;
        let credential: AuthenticationCredential = serde_json::from_str(json).unwrap();
        assert_eq!(credential.response.user_handle, None);
    }

    #[test]
    fn options_serialize_in_webauthns_json_names() {
        let options = RequestOptions {
            challenge: "Y2g".into(),
            timeout: 300_000,
            rp_id: "login.contoso.example".into(),
            allow_credentials: vec![],
            user_verification: "required".into(),
        };
        let json = serde_json::to_value(&options).unwrap();
        assert_eq!(json["rpId"], "login.contoso.example");
        assert_eq!(json["allowCredentials"], serde_json::json!([]));
        assert_eq!(json["userVerification"], "required");
    }

    #[test]
    fn the_policy_patch_checks_and_normalizes_aaguids() {
        let patch = PasskeyPolicyPatch {
            aa_guid_restriction: Some(AaGuidRestriction {
                mode: DomainMode::BlockList,
                aa_guids: vec![
                    "EA9B8D66-4D01-1D21-3CE4-B6B48CB575D4".into(),
                    "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4".into(),
                ],
            }),
            ..Default::default()
        };
        let policy = patch.apply_to(&PasskeyPolicy::default()).unwrap();
        assert_eq!(
            policy.aa_guid_restriction.aa_guids,
            ["ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4"]
        );
        assert!(!policy
            .aa_guid_restriction
            .allows("ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4"));
        assert!(policy
            .aa_guid_restriction
            .allows("00000000-0000-0000-0000-000000000000"));
        let bad = PasskeyPolicyPatch {
            aa_guid_restriction: Some(AaGuidRestriction {
                mode: DomainMode::AllowList,
                aa_guids: vec!["not-a-uuid".into()],
            }),
            ..Default::default()
        };
        assert_eq!(
            bad.apply_to(&PasskeyPolicy::default()),
            Err("aaGuidRestriction")
        );
    }

    #[test]
    fn passkey_names_are_trimmed_and_bounded() {
        assert_eq!(passkey_name("  Laptop  ").as_deref(), Some("Laptop"));
        assert_eq!(passkey_name("   "), None);
        assert_eq!(
            passkey_name(&"é".repeat(64)).map(|n| n.chars().count()),
            Some(64)
        );
        assert_eq!(passkey_name(&"é".repeat(65)), None);
        assert_eq!(passkey_name("a\u{0007}b"), None);
    }
}
