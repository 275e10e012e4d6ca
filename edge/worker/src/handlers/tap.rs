//! Temporary Access Pass administration: the policy, and a user's pass (create, read, delete).
//! Rules live in `guestpass_core::{tap_policy, tap_issue, authz}`; this only loads and stores.

use guestpass_core::authz::{authorize, authorize_pass, PassAction, Permission, Principal};
use guestpass_core::directory::{TenantRecord, UserRecord};
use guestpass_core::storage_keys as keys;
use guestpass_core::tap::PassRecord;
use guestpass_core::tap_issue::{plan_create, PASS_ENTROPY_BYTES};
use guestpass_core::DomainError;
use guestpass_wire::tap::{CreatePassRequest, TemporaryAccessPassPolicyPatch};
use guestpass_wire::List;
use worker::Request;

use crate::handlers::admin::audit;
use crate::http::{json, no_content, read_json, HandlerResult};
use crate::principal;
use crate::random;
use crate::router::Ctx;

pub async fn get_policy(req: &Request, ctx: &Ctx<'_>, tenant: &TenantRecord) -> HandlerResult {
    let principal = principal::admin(req, ctx, tenant).await?;
    authorize(&principal, Permission::ReadPolicies)?;
    json(200, &tenant.tap_policy.view())
}

pub async fn patch_policy(
    req: &mut Request,
    ctx: &Ctx<'_>,
    mut tenant: TenantRecord,
) -> HandlerResult {
    let principal = principal::admin(req, ctx, &tenant).await?;
    authorize(&principal, Permission::ChangeAuthenticationPolicy)?;
    let patch: TemporaryAccessPassPolicyPatch = read_json(req).await?;
    tenant.tap_policy = tenant.tap_policy.patched(&patch)?;
    ctx.directory.save_tenant(&tenant).await?;
    let detail = serde_json::to_string(&patch).ok();
    audit(
        ctx,
        &tenant,
        &principal,
        "Update Temporary Access Pass policy",
        &tenant.id,
        detail,
    );
    json(200, &tenant.tap_policy.view())
}

/// The principal, the target user and their pass, once `action` on that user's pass is allowed.
async fn load(
    req: &Request,
    ctx: &Ctx<'_>,
    tenant: &TenantRecord,
    user_id: &str,
    action: PassAction,
) -> Result<(Principal, UserRecord, Option<PassRecord>), DomainError> {
    let principal = principal::admin(req, ctx, tenant).await?;
    let user = ctx
        .directory
        .user(&tenant.id, user_id)
        .await?
        .ok_or(DomainError::UserNotFound)?;
    authorize_pass(&principal, &user, action)?;
    let pass = ctx.directory.get(&keys::pass(&tenant.id, &user.id)).await?;
    Ok((principal, user, pass))
}

/// The user's pass when it is the one the path names.
fn named(pass: Option<PassRecord>, method_id: &str) -> Result<PassRecord, DomainError> {
    pass.filter(|p| p.id == method_id)
        .ok_or(DomainError::PassNotFound)
}

pub async fn list(
    req: &Request,
    ctx: &Ctx<'_>,
    tenant: &TenantRecord,
    user_id: &str,
) -> HandlerResult {
    let (_, user, pass) = load(req, ctx, tenant, user_id, PassAction::Read).await?;
    let value = pass
        .iter()
        .map(|p| p.view(&tenant.tap_policy, &user.groups, ctx.now, None))
        .collect();
    json(200, &List { value })
}

pub async fn get(
    req: &Request,
    ctx: &Ctx<'_>,
    tenant: &TenantRecord,
    user_id: &str,
    method_id: &str,
) -> HandlerResult {
    let (_, user, pass) = load(req, ctx, tenant, user_id, PassAction::Read).await?;
    let pass = named(pass, method_id)?;
    json(
        200,
        &pass.view(&tenant.tap_policy, &user.groups, ctx.now, None),
    )
}

/// `POST`: the value is in this response and nowhere else, ever.
pub async fn create(
    req: &mut Request,
    ctx: &Ctx<'_>,
    tenant: &TenantRecord,
    user_id: &str,
) -> HandlerResult {
    let (principal, user, existing) = load(req, ctx, tenant, user_id, PassAction::Manage).await?;
    let request: CreatePassRequest = read_json(req).await?;
    let new = plan_create(
        &ctx.config.keys,
        &tenant.tap_policy,
        &user,
        existing.as_ref(),
        &request,
        random::uuid()?,
        &random::bytes::<PASS_ENTROPY_BYTES>()?,
        ctx.now,
    )?;
    ctx.directory
        .put(&keys::pass(&tenant.id, &user.id), &new.record)
        .await?;
    let detail = match &new.replaces {
        Some(old) => format!(
            "pass {} (replaces expired or used pass {old})",
            new.record.id
        ),
        None => format!("pass {}", new.record.id),
    };
    audit(
        ctx,
        tenant,
        &principal,
        "Create Temporary Access Pass",
        &user.id,
        Some(detail),
    );
    json(
        201,
        &new.record
            .view(&tenant.tap_policy, &user.groups, ctx.now, Some(new.value)),
    )
}

/// `DELETE`: deleting a pass that could still sign in also ends the user's sessions.
pub async fn delete(
    req: &Request,
    ctx: &Ctx<'_>,
    tenant: &TenantRecord,
    user_id: &str,
    method_id: &str,
) -> HandlerResult {
    let (principal, mut user, pass) = load(req, ctx, tenant, user_id, PassAction::Manage).await?;
    let pass = named(pass, method_id)?;
    let revoke = pass.is_current(ctx.now);
    ctx.directory
        .delete(&keys::pass(&tenant.id, &user.id))
        .await?;
    if revoke {
        user.revoke_sessions();
        ctx.directory.update_user(&user).await?;
    }
    let detail = format!(
        "pass {}{}",
        pass.id,
        if revoke { "; sessions revoked" } else { "" }
    );
    audit(
        ctx,
        tenant,
        &principal,
        "Delete Temporary Access Pass",
        &user.id,
        Some(detail),
    );
    no_content()
}
