//! Members: people inside the organization, named in one of its verified domains.

use guestpass_wire::{normalize_email, CreateUserRequest, User};

use super::tenant::TenantRecord;
use super::user::{check_display_name, member_record, UserRecord};
use crate::audit;
use crate::authz::{self, Permission};
use crate::context::{Body, Credentials, Ctx};
use crate::error::DomainError;
use crate::ports::Ports;
use crate::time::UnixMillis;

const MAX_GROUPS: usize = 20;

/// `POST users`: a member whose name is in one of the tenant's verified domains.
pub fn new_member(
    tenant: &TenantRecord,
    request: &CreateUserRequest,
    id: String,
    now: UnixMillis,
) -> Result<UserRecord, DomainError> {
    let display_name = check_display_name("displayName", &request.display_name)?;
    let upn = normalize_email(&request.user_principal_name).map_err(DomainError::InvalidEmail)?;
    let upn_domain = upn.rsplit_once('@').map(|(_, d)| d).unwrap_or_default();
    if !tenant.verified_domains.iter().any(|d| d == upn_domain) {
        return Err(DomainError::validation(
            "userPrincipalName",
            "A member's name must be in one of the organization's verified domains.",
        ));
    }
    let mut roles = request.roles.clone();
    roles.sort();
    roles.dedup();
    let mut groups: Vec<String> = Vec::new();
    for group in &request.groups {
        let group = group.trim().to_ascii_lowercase();
        let valid = !group.is_empty()
            && group.len() <= 64
            && group
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !valid || group == guestpass_wire::tap::ALL_USERS {
            return Err(DomainError::validation(
                "groups",
                "A group id is 1 to 64 letters, digits, '-' or '_' (and not all_users).",
            ));
        }
        if !groups.contains(&group) {
            groups.push(group);
        }
    }
    if groups.len() > MAX_GROUPS {
        return Err(DomainError::validation(
            "groups",
            format!("A member may be in at most {MAX_GROUPS} groups."),
        ));
    }
    Ok(member_record(
        tenant.id.clone(),
        id,
        display_name,
        upn,
        roles,
        groups,
        now,
    ))
}

/// `POST users`: a member, unless someone in the tenant already signs in with that name.
pub async fn create_member<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    body: impl Body<CreateUserRequest>,
) -> Result<User, DomainError> {
    let principal = authz::authorized(cx, credentials, tenant, Permission::ManageUsers).await?;
    let member = new_member(tenant, &body.read().await?, cx.uuid()?, cx.now)?;
    let directory = cx.directory();
    if directory
        .user_by_sign_in_name(&tenant.id, member.sign_in_name())
        .await?
        .is_some()
    {
        return Err(DomainError::Conflict(format!(
            "{} is already in the directory.",
            member.user_principal_name
        )));
    }
    directory.save_user(&member, None).await?;
    let detail = format!("roles {:?}; groups {:?}", member.roles, member.groups);
    audit::directory_change(
        cx,
        &tenant.id,
        &principal,
        "Add user",
        &member.id,
        Some(detail),
    );
    Ok(member.view())
}
