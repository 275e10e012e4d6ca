//! `POST /api/v1/operator/tenants`: a tenant, its first Global Administrator and a bootstrap pass.

use guestpass_core::context::Credentials;
use guestpass_core::directory;
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
