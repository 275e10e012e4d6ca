//! The tenant's applications (OpenID Connect clients) and their client secrets.

use guestpass_core::context::Credentials;
use guestpass_core::directory::TenantRecord;
use guestpass_core::oidc::application;
use worker::Request;

use crate::http::{json, no_content, HandlerResult, JsonBody};
use crate::router::Cx;

pub async fn list(
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> HandlerResult {
    json(200, &application::list(cx, credentials, tenant).await?)
}

pub async fn create(
    req: &mut Request,
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> HandlerResult {
    json(
        201,
        &application::create(cx, credentials, tenant, JsonBody(req)).await?,
    )
}

pub async fn get(
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    id: &str,
) -> HandlerResult {
    json(200, &application::get(cx, credentials, tenant, id).await?)
}

pub async fn patch(
    req: &mut Request,
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    id: &str,
) -> HandlerResult {
    json(
        200,
        &application::patch(cx, credentials, tenant, id, JsonBody(req)).await?,
    )
}

pub async fn delete(
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    id: &str,
) -> HandlerResult {
    application::delete(cx, credentials, tenant, id).await?;
    no_content()
}

pub async fn add_secret(
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    id: &str,
) -> HandlerResult {
    json(
        201,
        &application::add_secret(cx, credentials, tenant, id).await?,
    )
}

pub async fn remove_secret(
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    id: &str,
    secret_id: &str,
) -> HandlerResult {
    application::remove_secret(cx, credentials, tenant, id, secret_id).await?;
    no_content()
}
