//! Administrators and passkeys: a member's passkeys (read and delete, with the role rules of
//! passes) and the tenant's passkey policy.

use guestpass_wire::passkey::{PasskeyMethod, PasskeyPolicy, PasskeyPolicyPatch};
use guestpass_wire::{List, Permission};

use super::record::PasskeyRecord;
use crate::audit;
use crate::authz::{self, authorize_pass, PassAction};
use crate::context::{Body, Credentials, Ctx};
use crate::directory::tenant::change_setting;
use crate::directory::TenantRecord;
use crate::error::DomainError;
use crate::ports::Ports;
use crate::session;

/// `GET users/{id}/authentication/passkey-methods`.
pub async fn list<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    user_id: &str,
) -> Result<List<PasskeyMethod>, DomainError> {
    let principal = authz::administrator(cx, credentials, tenant).await?;
    let user = cx.directory().existing_user(&tenant.id, user_id).await?;
    authorize_pass(&principal, &user, PassAction::Read)?;
    let passkeys = cx.directory().passkeys(&user).await?;
    Ok(List::whole(
        passkeys.iter().map(PasskeyRecord::view).collect(),
    ))
}

/// `DELETE …/passkey-methods/{methodId}`: the passkey stops signing in, and the member's
/// sessions end (one may have been opened with it).
pub async fn delete<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    user_id: &str,
    method_id: &str,
) -> Result<(), DomainError> {
    let principal = authz::administrator(cx, credentials, tenant).await?;
    let directory = cx.directory();
    let user = directory.existing_user(&tenant.id, user_id).await?;
    authorize_pass(&principal, &user, PassAction::Manage)?;
    directory
        .passkey(&user, method_id)
        .await?
        .ok_or(DomainError::PasskeyNotFound)?;
    directory.delete_passkey(&user, method_id).await?;
    session::revoke_all(cx, &tenant.id, &user.id).await?;
    audit::directory_change(
        cx,
        &tenant.id,
        &principal,
        "Delete passkey",
        &user.id,
        Some(format!("passkey {method_id}; sessions revoked")),
    );
    Ok(())
}

/// `GET policies/passkey`.
pub async fn policy<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> Result<PasskeyPolicy, DomainError> {
    authz::authorized(cx, credentials, tenant, Permission::ReadPolicies).await?;
    Ok(tenant.passkey_policy.clone())
}

/// `PATCH policies/passkey`: Global and Authentication Policy Administrators only.
pub async fn patch_policy<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: TenantRecord,
    body: impl Body<PasskeyPolicyPatch>,
) -> Result<PasskeyPolicy, DomainError> {
    let tenant = change_setting(
        cx,
        credentials,
        tenant,
        Permission::ChangeAuthenticationPolicy,
        body,
        "Update passkey policy",
        |tenant, patch: PasskeyPolicyPatch| {
            tenant.passkey_policy = patch.apply_to(&tenant.passkey_policy).map_err(|target| {
                DomainError::validation(
                    target,
                    "List at most 100 authenticator models, each as a UUID (8-4-4-4-12 hex digits).",
                )
            })?;
            Ok(None)
        },
    )
    .await?;
    Ok(tenant.passkey_policy)
}
