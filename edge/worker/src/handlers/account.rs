//! A signed-in member's own account (the account Worker, feature `account`): their passkeys —
//! registration, list, rename, delete — and "My apps", the applications they may open. The
//! account pages' bundle (`/{tenant}/security-info`, `/{tenant}/apps`) calls these.

use guestpass_core::context::Credentials;
use guestpass_core::directory::TenantRecord;
use guestpass_core::oidc::application;
use guestpass_core::passkey::register;
use worker::Request;

use crate::http::{json, no_content, HandlerResult, JsonBody};
use crate::router::Cx;

pub async fn registration_options(
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> HandlerResult {
    json(
        200,
        &register::registration_options(cx, credentials, tenant).await?,
    )
}

pub async fn register(
    req: &mut Request,
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> HandlerResult {
    json(
        201,
        &register::register(cx, credentials, tenant, JsonBody(req)).await?,
    )
}

pub async fn list_own(
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> HandlerResult {
    json(200, &register::list_own(cx, credentials, tenant).await?)
}

pub async fn rename_own(
    req: &mut Request,
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    method_id: &str,
) -> HandlerResult {
    json(
        200,
        &register::rename_own(cx, credentials, tenant, method_id, JsonBody(req)).await?,
    )
}

pub async fn delete_own(
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    method_id: &str,
) -> HandlerResult {
    register::delete_own(cx, credentials, tenant, method_id).await?;
    no_content()
}

/// "My apps": the applications the signed-in user may open.
pub async fn my_applications(
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> HandlerResult {
    json(200, &application::mine(cx, credentials, tenant).await?)
}
