//! A member's device for black-box tests: 1Password's independent WebAuthn client around its
//! software authenticator (`allows_insecure_localhost`, so the Worker is reached at
//! `http://localhost:…`: WebAuthn refuses an IP address as RP ID).

use crate::{Api, Endpoint, Member, Reply, Tenant};
use passkey::authenticator::{Authenticator, UiHint, UserCheck, UserValidationMethod};
use passkey::client::{Client, DefaultClientData};
use passkey::types::ctap2::{Aaguid, Ctap2Error};
use passkey::types::webauthn::{CredentialCreationOptions, CredentialRequestOptions};
use passkey::types::Passkey;
use serde_json::{json, Value};
use url::Url;

/// The member touches and verifies, every time.
pub struct Verified;

#[async_trait::async_trait]
impl UserValidationMethod for Verified {
    type PasskeyItem = Passkey;

    async fn check_user<'a>(
        &self,
        _hint: UiHint<'a, Self::PasskeyItem>,
        _presence: bool,
        _verification: bool,
    ) -> Result<UserCheck, Ctap2Error> {
        Ok(UserCheck {
            presence: true,
            verification: true,
        })
    }

    fn is_verification_enabled(&self) -> Option<bool> {
        Some(true)
    }

    fn is_presence_enabled(&self) -> bool {
        true
    }
}

pub type Device = Client<Option<Passkey>, Verified, public_suffix::PublicSuffixList, ()>;

/// A member's device: an authenticator holding one passkey, and the browser around it.
pub fn device() -> Device {
    let authenticator = Authenticator::new(Aaguid::new_empty(), None, Verified);
    Client::new(authenticator).allows_insecure_localhost(true)
}

pub fn origin(api: &Api) -> Url {
    Url::parse(&api.base).unwrap()
}

/// A member signed in with a one-time pass: a registration session.
pub fn registration_session(api: &Api, tenant: &Tenant, prefix: &str) -> (Member, String) {
    let member = api.add_member(tenant, prefix, &[], &[]);
    let pass = api.issue_pass(tenant, &member.id, json!({"isUsableOnce": true}))
        ["temporaryAccessPass"]
        .as_str()
        .unwrap()
        .to_string();
    let cookie = api.session_with_pass(tenant, &member.upn, &pass);
    (member, cookie)
}

/// Asks for options, lets the device create a passkey, and sends it back: the reply.
pub async fn register(api: &Api, tenant: &Tenant, cookie: &str, device: &mut Device) -> Reply {
    let options = api
        .as_session(
            cookie,
            "POST",
            &api.tenant_path(tenant, Endpoint::PasskeyRegistrationOptions),
            Some(&json!({})),
        )
        .expect(200)
        .body;
    let request: CredentialCreationOptions =
        serde_json::from_value(json!({ "publicKey": options })).unwrap();
    let credential = device
        .register(&origin(api), request, DefaultClientData)
        .await
        .expect("the device creates a passkey");
    let body = json!({"displayName": "Laptop", "credential": credential});
    api.as_session(
        cookie,
        "POST",
        &api.tenant_path(tenant, Endpoint::RegisterPasskey),
        Some(&body),
    )
}

/// A member who has registered a passkey on `device`: the member and the new passkey.
pub async fn member_with_passkey(
    api: &Api,
    tenant: &Tenant,
    device: &mut Device,
) -> (Member, Value) {
    let (member, registration) = registration_session(api, tenant, "amelie");
    let created = register(api, tenant, &registration, device)
        .await
        .expect(201)
        .body;
    (member, created)
}

/// The device's assertion for sign-in `options` (as `POST sign-in/passkey/options` gave them).
pub async fn assertion_for(api: &Api, device: &mut Device, options: Value) -> Value {
    let request: CredentialRequestOptions =
        serde_json::from_value(json!({ "publicKey": options })).unwrap();
    let credential = device
        .authenticate(&origin(api), request, DefaultClientData)
        .await
        .expect("the device signs");
    serde_json::to_value(credential).unwrap()
}
