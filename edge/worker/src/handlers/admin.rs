//! Tenant administration: the email-code policy, invitations, users, logs.

use guestpass_core::authz::{authorize, refuse_self, Permission, Principal};
use guestpass_core::directory::{
    check_invitation, new_member, plan_invitation, redeem_url, TenantRecord,
};
use guestpass_core::mail::invitation_email;
use guestpass_core::storage_keys as keys;
use guestpass_core::{policy, DomainError};
use guestpass_wire::CreateUserRequest;
use guestpass_wire::{
    DirectoryAuditEntry, EmailOtpPolicyPatch, Invitation, InvitationRequest, List, SignInLogEntry,
    UserRef, UserType,
};
use worker::Request;

use crate::audit;
use crate::http::{json, read_json, HandlerResult};
use crate::mailer::send_after_response;
use crate::principal;
use crate::random;
use crate::router::Ctx;

/// Most rows a list endpoint returns.
const LIST_LIMIT: usize = 1000;

async fn authorized(
    req: &Request,
    ctx: &Ctx<'_>,
    tenant: &TenantRecord,
    permission: Permission,
) -> Result<Principal, DomainError> {
    let principal = principal::admin(req, ctx, tenant).await?;
    authorize(&principal, permission)?;
    Ok(principal)
}

/// Adds a directory audit line after the response.
pub(crate) fn audit(
    ctx: &Ctx<'_>,
    tenant: &TenantRecord,
    principal: &Principal,
    activity: &str,
    target_id: &str,
    detail: Option<String>,
) {
    let Ok(id) = random::uuid() else { return };
    let (key, entry) = audit::directory_entry(
        &tenant.id,
        activity,
        principal.audit_name(),
        target_id,
        detail,
        id,
        ctx.now,
    );
    audit::write_after_response(ctx, key, entry);
}

pub async fn get_email_otp_policy(
    req: &Request,
    ctx: &Ctx<'_>,
    tenant: &TenantRecord,
) -> HandlerResult {
    authorized(req, ctx, tenant, Permission::ReadPolicies).await?;
    json(
        200,
        &policy::view(tenant.email_otp_state, ctx.config.email_otp, ctx.now),
    )
}

pub async fn patch_email_otp_policy(
    req: &mut Request,
    ctx: &Ctx<'_>,
    mut tenant: TenantRecord,
) -> HandlerResult {
    let principal = authorized(req, ctx, &tenant, Permission::ChangeAuthenticationPolicy).await?;
    let patch: EmailOtpPolicyPatch = read_json(req).await?;
    let before = tenant.email_otp_state;
    tenant.email_otp_state = patch.state;
    ctx.directory.save_tenant(&tenant).await?;
    audit(
        ctx,
        &tenant,
        &principal,
        "Update email one-time passcode policy",
        &tenant.id,
        Some(format!("{before:?} -> {:?}", patch.state)),
    );
    json(
        200,
        &policy::view(tenant.email_otp_state, ctx.config.email_otp, ctx.now),
    )
}

/// `POST invitations`: creates a pending guest (or re-invites, or resets redemption) and, when
/// asked, emails the redeem link.
pub async fn invite(req: &mut Request, ctx: &Ctx<'_>, tenant: &TenantRecord) -> HandlerResult {
    let principal = authorized(req, ctx, tenant, Permission::ManageGuests).await?;
    let request: InvitationRequest = read_json(req).await?;
    let checked = check_invitation(&request)?;
    let by_address = ctx
        .directory
        .user_by_sign_in_name(&tenant.id, &checked.email)
        .await?;
    let by_id = match &request.invited_user {
        Some(UserRef { id }) if request.reset_redemption => {
            ctx.directory.user(&tenant.id, id).await?
        }
        _ => None,
    };
    let plan = plan_invitation(
        tenant,
        &request,
        checked,
        by_address,
        by_id,
        random::uuid()?,
        ctx.now,
    )?;
    ctx.directory
        .save_user(&plan.guest, plan.previous_address.as_deref())
        .await?;

    let invitation_id = random::uuid()?;
    let email = plan.guest.mail.clone().unwrap_or_default();
    let url = redeem_url(&ctx.link_origin(), &tenant.id, &invitation_id, &email);
    let activity = match (request.reset_redemption, plan.created) {
        (true, _) => "Reset redemption status",
        (false, true) => "Invite external user",
        (false, false) => "Re-invite external user",
    };
    audit(
        ctx,
        tenant,
        &principal,
        activity,
        &plan.guest.id,
        Some(format!("invitation {invitation_id}")),
    );
    if plan.send_message {
        let message = invitation_email(
            &email,
            &tenant.display_name,
            &url,
            plan.custom_message.as_deref(),
            plan.language,
        );
        send_after_response(ctx, message)?;
    }
    let invitation = Invitation {
        id: invitation_id,
        invited_user_email_address: email,
        invite_redeem_url: url,
        invite_redirect_url: plan.guest.invite_redirect_url.clone(),
        send_invitation_message: plan.send_message,
        reset_redemption: request.reset_redemption,
        invited_user: UserRef {
            id: plan.guest.id.clone(),
        },
        status: plan
            .guest
            .external_user_state
            .unwrap_or(guestpass_wire::ExternalUserState::PendingAcceptance),
    };
    json(201, &invitation)
}

/// `POST users`: a member in one of the tenant's verified domains, with roles and groups.
pub async fn create_member(
    req: &mut Request,
    ctx: &Ctx<'_>,
    tenant: &TenantRecord,
) -> HandlerResult {
    let principal = authorized(req, ctx, tenant, Permission::ManageUsers).await?;
    let request: CreateUserRequest = read_json(req).await?;
    let member = new_member(tenant, &request, random::uuid()?, ctx.now)?;
    if ctx
        .directory
        .user_by_sign_in_name(&tenant.id, member.sign_in_name())
        .await?
        .is_some()
    {
        return Err(DomainError::Conflict(format!(
            "{} is already in the directory.",
            member.user_principal_name
        )));
    }
    ctx.directory.save_user(&member, None).await?;
    let detail = format!("roles {:?}; groups {:?}", member.roles, member.groups);
    audit(
        ctx,
        tenant,
        &principal,
        "Add user",
        &member.id,
        Some(detail),
    );
    json(201, &member.view())
}

pub async fn list_users(
    req: &Request,
    ctx: &Ctx<'_>,
    tenant: &TenantRecord,
    query: &[(String, String)],
) -> HandlerResult {
    authorized(req, ctx, tenant, Permission::ReadDirectory).await?;
    let filter = match query
        .iter()
        .find(|(k, _)| k == "userType")
        .map(|(_, v)| v.as_str())
    {
        None => None,
        Some("Guest") => Some(UserType::Guest),
        Some("Member") => Some(UserType::Member),
        Some(_) => {
            return Err(DomainError::validation(
                "userType",
                "userType is Guest or Member.",
            ))
        }
    };
    let users = ctx.directory.users(&tenant.id, LIST_LIMIT).await?;
    let value = users
        .iter()
        .filter(|u| filter.is_none_or(|t| u.user_type == t))
        .map(|u| u.view())
        .collect();
    json(200, &List { value })
}

pub async fn get_user(
    req: &Request,
    ctx: &Ctx<'_>,
    tenant: &TenantRecord,
    id: &str,
) -> HandlerResult {
    authorized(req, ctx, tenant, Permission::ReadDirectory).await?;
    let user = ctx
        .directory
        .user(&tenant.id, id)
        .await?
        .ok_or(DomainError::UserNotFound)?;
    json(200, &user.view())
}

pub async fn delete_user(
    req: &Request,
    ctx: &Ctx<'_>,
    tenant: &TenantRecord,
    id: &str,
) -> HandlerResult {
    let principal = authorized(req, ctx, tenant, Permission::ManageGuests).await?;
    let user = ctx
        .directory
        .user(&tenant.id, id)
        .await?
        .ok_or(DomainError::UserNotFound)?;
    refuse_self(&principal, &user.id, "You cannot delete yourself.")?;
    ctx.directory.delete_user(&user).await?;
    audit(ctx, tenant, &principal, "Delete user", &user.id, None);
    crate::http::no_content()
}

pub async fn revoke_sessions(
    req: &Request,
    ctx: &Ctx<'_>,
    tenant: &TenantRecord,
    id: &str,
) -> HandlerResult {
    let principal = authorized(req, ctx, tenant, Permission::ManageGuests).await?;
    let mut user = ctx
        .directory
        .user(&tenant.id, id)
        .await?
        .ok_or(DomainError::UserNotFound)?;
    user.revoke_sessions();
    ctx.directory.update_user(&user).await?;
    audit(
        ctx,
        tenant,
        &principal,
        "Revoke sign-in sessions",
        &user.id,
        None,
    );
    json(200, &serde_json::json!({ "value": true }))
}

pub async fn sign_in_logs(req: &Request, ctx: &Ctx<'_>, tenant: &TenantRecord) -> HandlerResult {
    log_list::<SignInLogEntry>(req, ctx, tenant, &keys::sign_in_log_prefix(&tenant.id)).await
}

pub async fn directory_logs(req: &Request, ctx: &Ctx<'_>, tenant: &TenantRecord) -> HandlerResult {
    log_list::<DirectoryAuditEntry>(req, ctx, tenant, &keys::directory_log_prefix(&tenant.id)).await
}

/// A log, newest first (its keys sort that way), for those who may read logs.
async fn log_list<T: serde::de::DeserializeOwned + serde::Serialize>(
    req: &Request,
    ctx: &Ctx<'_>,
    tenant: &TenantRecord,
    prefix: &str,
) -> HandlerResult {
    authorized(req, ctx, tenant, Permission::ReadAuditLogs).await?;
    let value: Vec<T> = ctx.directory.list_values(prefix, LIST_LIMIT).await?;
    json(200, &List { value })
}
