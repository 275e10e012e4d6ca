//! `POST /api/v1/operator/tenants`: a tenant, its first Global Administrator and a bootstrap pass.

use guestpass_core::context::Credentials;
use guestpass_core::directory;
use guestpass_wire::CreateTenantRequest;
use worker::Request;

use crate::http::{json, read_json, HandlerResult};
use crate::router::Cx;

pub async fn create_tenant(
    req: &mut Request,
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
) -> HandlerResult {
    // Who is asking is checked before the body is read: a stranger learns nothing about shapes.
    guestpass_core::authz::require_operator(cx.settings, credentials)?;
    let request: CreateTenantRequest = read_json(req).await?;
    json(
        201,
        &directory::create_tenant(cx, credentials, &request).await?,
    )
}
