//! Passkeys' administration: a user's passkeys (list, delete) and the tenant's passkey policy.

use guestpass_core::context::Credentials;
use guestpass_core::directory::TenantRecord;
use guestpass_core::passkey::admin;
use worker::Request;

use crate::http::{json, no_content, HandlerResult, JsonBody};
use crate::router::Cx;

pub async fn list(
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    user_id: &str,
) -> HandlerResult {
    json(200, &admin::list(cx, credentials, tenant, user_id).await?)
}

pub async fn delete(
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    user_id: &str,
    method_id: &str,
) -> HandlerResult {
    admin::delete(cx, credentials, tenant, user_id, method_id).await?;
    no_content()
}

pub async fn get_policy(
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> HandlerResult {
    json(200, &admin::policy(cx, credentials, tenant).await?)
}

pub async fn patch_policy(
    req: &mut Request,
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: TenantRecord,
) -> HandlerResult {
    json(
        200,
        &admin::patch_policy(cx, credentials, tenant, JsonBody(req)).await?,
    )
}
