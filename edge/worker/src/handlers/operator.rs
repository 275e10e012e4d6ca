//! The operator's own operations: `POST /api/v1/operator/tenants` (a tenant, its first Global
//! Administrator and a bootstrap pass) and a tenant's guard shards (`…/tenants/{tenant}/guard`).

use guestpass_core::context::Credentials;
use guestpass_core::directory::{self, TenantRecord};
use worker::Request;

use crate::http::{json, HandlerResult, JsonBody};
use crate::router::Cx;

pub async fn create_tenant(
    req: &mut Request,
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
) -> HandlerResult {
    let body = JsonBody(req);
    json(201, &directory::create_tenant(cx, credentials, body).await?)
}

pub fn guard_settings(
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> HandlerResult {
    json(
        200,
        &directory::tenant::guard_settings(cx.settings, credentials, tenant)?,
    )
}

pub async fn set_guard_shards(
    req: &mut Request,
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: TenantRecord,
) -> HandlerResult {
    let body = JsonBody(req);
    json(
        200,
        &directory::tenant::set_guard_shards(cx, credentials, tenant, body).await?,
    )
}
