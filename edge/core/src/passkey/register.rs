//! A member's own passkeys: registration (options, then the new credential), list, rename and
//! delete. A registration session (a one-time pass's ten minutes) may do exactly these; a guest
//! may not have a passkey at all.

use guestpass_wire::passkey::{
    passkey_name, AuthenticatorSelection, CreationOptions, CredentialDescriptor,
    CredentialParameters, PasskeyMethod, RegisterPasskeyRequest, RelyingParty,
    RenamePasskeyRequest, UserEntity, MAX_PASSKEY_NAME,
};
use guestpass_wire::tap::PolicyState;
use guestpass_wire::{AuthenticationMethod, List, UserType};

use super::ceremony::{verify_registration, Attestation};
use super::challenge::{self, Ceremony};
use super::client_data;
use super::record::PasskeyRecord;
use super::Algorithm;
use super::{base64url, expectation, relying_party, unbase64url, user_verification};
use crate::audit::{self, SignInEvent};
use crate::authz::Principal;
use crate::context::{Body, Credentials, Ctx};
use crate::directory::user::UserRecord;
use crate::directory::TenantRecord;
use crate::error::DomainError;
use crate::limits::PASSKEY_CHALLENGE_MS;
use crate::ports::{Entropy, Ports};
use crate::session;

/// The signed-in member (any session scope) as the audit log names them; guests are refused.
async fn member<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> Result<(Principal, UserRecord), DomainError> {
    let (claims, user) = session::current(cx, credentials, tenant).await?;
    if user.user_type == UserType::Guest {
        return Err(DomainError::Forbidden(
            "Guests sign in with an email code; passkeys are for members.",
        ));
    }
    let principal = Principal::Member {
        user_id: user.id.clone(),
        roles: user.roles.clone(),
        scope: claims.scope,
    };
    Ok((principal, user))
}

pub(crate) fn require_enabled(tenant: &TenantRecord) -> Result<(), DomainError> {
    match tenant.passkey_policy.state {
        PolicyState::Enabled => Ok(()),
        PolicyState::Disabled => Err(DomainError::PasskeyNotAllowed("disabled")),
    }
}

/// A passkey's name as typed, or why it is not one.
fn display_name(typed: &str) -> Result<String, DomainError> {
    passkey_name(typed).ok_or_else(|| {
        DomainError::validation(
            "displayName",
            format!("Name the passkey in 1 to {MAX_PASSKEY_NAME} characters."),
        )
    })
}

fn descriptor(record: &PasskeyRecord) -> CredentialDescriptor {
    CredentialDescriptor {
        kind: "public-key".into(),
        id: record.credential_id.clone(),
        transports: record.transports.clone(),
    }
}

/// `POST me/passkeys/registration-options`: what `navigator.credentials.create` needs, with the
/// member's existing passkeys excluded (an authenticator holds one per member).
pub async fn registration_options<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> Result<CreationOptions, DomainError> {
    let (_, user) = member(cx, credentials, tenant).await?;
    require_enabled(tenant)?;
    let existing = cx.directory().passkeys(&user).await?;
    let nonce = cx.ports.entropy().bytes::<16>()?;
    let challenge = challenge::issue(
        &cx.settings.keys,
        Ceremony::Registration,
        &tenant.id,
        &user.id,
        tenant.guard_shards,
        nonce,
        cx.now,
        PASSKEY_CHALLENGE_MS,
    );
    let (_, rp_id) = relying_party(cx.link_origin);
    Ok(CreationOptions {
        rp: RelyingParty {
            id: rp_id.into(),
            name: tenant.display_name.clone(),
        },
        user: UserEntity {
            id: base64url(user.id.as_bytes()),
            name: user.user_principal_name.clone(),
            display_name: user.display_name.clone(),
        },
        challenge: base64url(&challenge),
        pub_key_cred_params: Algorithm::OFFERED
            .iter()
            .map(|a| CredentialParameters {
                kind: "public-key".into(),
                alg: a.cose_id(),
            })
            .collect(),
        timeout: PASSKEY_CHALLENGE_MS as u32,
        exclude_credentials: existing.iter().map(descriptor).collect(),
        authenticator_selection: AuthenticatorSelection {
            resident_key: "required".into(),
            require_resident_key: true,
            user_verification: user_verification(
                tenant.passkey_policy.is_user_verification_required,
            ),
        },
        attestation: "none".into(),
    })
}

/// `POST me/passkeys`: verifies the new credential (WebAuthn §7.1) against a challenge issued
/// to this member and not used before, checks the policy, and stores it.
pub async fn register<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    body: impl Body<RegisterPasskeyRequest>,
) -> Result<PasskeyMethod, DomainError> {
    let (principal, user) = member(cx, credentials, tenant).await?;
    require_enabled(tenant)?;
    let request = body.read().await?;
    let name = display_name(&request.display_name)?;
    let event = SignInEvent {
        tenant,
        method: AuthenticationMethod::Passkey,
        step: "register",
        user_id: Some(&user.id),
        address: user.sign_in_name(),
    };
    let result = verify_new(cx, tenant, &user, &request).await;
    let credential = result.map_err(|err| event.failed(cx, err))?;
    let record = PasskeyRecord::new(
        &user.id,
        &credential,
        name,
        request.credential.response.transports.clone(),
        cx.now,
    );
    let directory = cx.directory();
    if directory
        .passkey_owner(&tenant.id, &record.id)
        .await?
        .is_some()
    {
        let err = DomainError::Conflict("This passkey is registered already.".into());
        return Err(event.failed(cx, err));
    }
    directory.save_passkey(&user, &record).await?;
    event.record(cx, Ok(()), None);
    audit::directory_change(
        cx,
        &tenant.id,
        &principal,
        "Register passkey",
        &user.id,
        Some(format!("passkey {}", record.id)),
    );
    Ok(record.view())
}

/// The ceremony's checks, the challenge's once, and the policy's authenticator models.
async fn verify_new<P: Ports>(
    cx: &Ctx<'_, P>,
    tenant: &TenantRecord,
    user: &UserRecord,
    request: &RegisterPasskeyRequest,
) -> Result<super::NewCredential, DomainError> {
    let response = &request.credential.response;
    let client_data_json = unbase64url(&response.client_data_json, "clientDataJSON")?;
    let attestation_object = unbase64url(&response.attestation_object, "attestationObject")?;
    let raw_id = unbase64url(&request.credential.raw_id, "rawId")?;
    let challenge = client_data::challenge_of(&client_data_json)
        .ok_or(DomainError::PasskeyNotAccepted("client_data"))?;
    let opened = challenge::open(
        &cx.settings.keys,
        &challenge,
        Ceremony::Registration,
        &tenant.id,
        &user.id,
        cx.now,
    )
    .map_err(|e| match e {
        challenge::ChallengeError::Expired => DomainError::PasskeyNotAccepted("challenge_expired"),
        challenge::ChallengeError::Invalid => DomainError::PasskeyNotAccepted("challenge_invalid"),
    })?;
    let nonce = base64url(&opened.nonce);
    let instance = crate::guard::shards::instance(&tenant.id, opened.shard);
    let first = crate::guard::use_challenge(
        cx.ports.guard(),
        &instance,
        &nonce,
        opened.expires_at,
        cx.now,
    )
    .await?;
    if !first {
        return Err(DomainError::PasskeyNotAccepted("challenge_used"));
    }
    let expect = expectation(cx.link_origin, tenant, &challenge);
    let attestation = Attestation {
        client_data_json: &client_data_json,
        attestation_object: &attestation_object,
    };
    let credential = verify_registration(&expect, &attestation, cx.ports.signatures())
        .await
        .map_err(|refusal| DomainError::PasskeyNotAccepted(refusal.reason()))?;
    if credential.credential_id != raw_id {
        return Err(DomainError::PasskeyNotAccepted("credential_id_mismatch"));
    }
    let aaguid = crate::ids::format_uuid(&credential.aaguid);
    if !tenant.passkey_policy.aa_guid_restriction.allows(&aaguid) {
        return Err(DomainError::PasskeyNotAllowed("authenticator_model"));
    }
    Ok(credential)
}

/// `GET me/passkeys`.
pub async fn list_own<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> Result<List<PasskeyMethod>, DomainError> {
    let (_, user) = member(cx, credentials, tenant).await?;
    let passkeys = cx.directory().passkeys(&user).await?;
    Ok(List::whole(
        passkeys.iter().map(PasskeyRecord::view).collect(),
    ))
}

/// `PATCH me/passkeys/{id}`: a new name.
pub async fn rename_own<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    method_id: &str,
    body: impl Body<RenamePasskeyRequest>,
) -> Result<PasskeyMethod, DomainError> {
    let (_, user) = member(cx, credentials, tenant).await?;
    let directory = cx.directory();
    let mut record = directory
        .passkey(&user, method_id)
        .await?
        .ok_or(DomainError::PasskeyNotFound)?;
    let request = body.read().await?;
    record.display_name = display_name(&request.display_name)?;
    directory.update_passkey(&user, &record).await?;
    Ok(record.view())
}

/// `DELETE me/passkeys/{id}`.
pub async fn delete_own<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    method_id: &str,
) -> Result<(), DomainError> {
    let (principal, user) = member(cx, credentials, tenant).await?;
    let directory = cx.directory();
    directory
        .passkey(&user, method_id)
        .await?
        .ok_or(DomainError::PasskeyNotFound)?;
    directory.delete_passkey(&user, method_id).await?;
    audit::directory_change(
        cx,
        &tenant.id,
        &principal,
        "Delete passkey",
        &user.id,
        Some(format!("passkey {method_id}")),
    );
    Ok(())
}
