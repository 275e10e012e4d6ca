//! `POST /api/v1/operator/tenants`: a tenant, its first Global Administrator, and a multi-use
//! pass valid 8 hours so that administrator can sign in and set things up.

use guestpass_core::directory::new_tenant;
use guestpass_core::storage_keys as keys;
use guestpass_core::tap_issue::{plan_create, NewPass, PASS_ENTROPY_BYTES};
use guestpass_core::DomainError;
use guestpass_wire::tap::CreatePassRequest;
use guestpass_wire::{AdminRef, CreateTenantRequest, CreateTenantResponse, EmailOtpState};
use worker::Request;

use crate::audit;
use crate::http::{json, read_json, HandlerResult};
use crate::principal;
use crate::random;
use crate::router::Ctx;

const BOOTSTRAP_PASS_MINUTES: u32 = 8 * 60;

pub async fn create_tenant(req: &mut Request, ctx: &Ctx<'_>) -> HandlerResult {
    principal::operator(req, ctx)?;
    let request: CreateTenantRequest = read_json(req).await?;
    let (tenant, admin) = new_tenant(
        &request,
        random::uuid()?,
        random::uuid()?,
        ctx.now,
        EmailOtpState::Default,
    )?;
    for domain in &tenant.verified_domains {
        if ctx.directory.domain_taken(domain).await? {
            return Err(DomainError::Conflict(format!(
                "The domain {domain} is already verified by another organization."
            )));
        }
    }
    // The bootstrap pass is an ordinary pass, issued under the new tenant's (default) policy.
    let request = CreatePassRequest {
        lifetime_in_minutes: Some(BOOTSTRAP_PASS_MINUTES),
        ..Default::default()
    };
    let NewPass {
        record: pass,
        value,
        ..
    } = plan_create(
        &ctx.config.keys,
        &tenant.tap_policy,
        &admin,
        None,
        &request,
        random::uuid()?,
        &random::bytes::<PASS_ENTROPY_BYTES>()?,
        ctx.now,
    )?;
    // The user and pass first; the tenant (and its domains) last, which makes it all reachable.
    ctx.directory.save_user(&admin, None).await?;
    ctx.directory
        .put(&keys::pass(&tenant.id, &admin.id), &pass)
        .await?;
    ctx.directory.create_tenant(&tenant).await?;

    let (log_key, entry) = audit::directory_entry(
        &tenant.id,
        "Create tenant",
        "operator".into(),
        &tenant.id,
        None,
        random::uuid()?,
        ctx.now,
    );
    audit::write_after_response(ctx, log_key, entry);
    let response = CreateTenantResponse {
        tenant: tenant.view(),
        admin: AdminRef {
            id: admin.id.clone(),
            user_principal_name: admin.user_principal_name.clone(),
        },
        temporary_access_pass: pass.issued_view(value),
        sign_in_url: format!("{}/{}/sign-in", ctx.link_origin(), tenant.id),
    };
    json(201, &response)
}
