//! Temporary Access Pass administration: the policy, and a user's pass (create, read, delete).

use guestpass_core::context::Credentials;
use guestpass_core::directory::TenantRecord;
use guestpass_core::tap::{issue, policy};
use worker::Request;

use crate::http::{json, no_content, HandlerResult, JsonBody};
use crate::router::Cx;

pub async fn get_policy(
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> HandlerResult {
    json(200, &policy::get(cx, credentials, tenant).await?)
}

pub async fn patch_policy(
    req: &mut Request,
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: TenantRecord,
) -> HandlerResult {
    json(
        200,
        &policy::patch(cx, credentials, tenant, JsonBody(req)).await?,
    )
}

pub async fn list(
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    user_id: &str,
) -> HandlerResult {
    json(200, &issue::list(cx, credentials, tenant, user_id).await?)
}

pub async fn get(
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    user_id: &str,
    method_id: &str,
) -> HandlerResult {
    json(
        200,
        &issue::get(cx, credentials, tenant, user_id, method_id).await?,
    )
}

/// `POST`: the value is in this response and nowhere else, ever.
pub async fn create(
    req: &mut Request,
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    user_id: &str,
) -> HandlerResult {
    json(
        201,
        &issue::create(cx, credentials, tenant, user_id, JsonBody(req)).await?,
    )
}

pub async fn delete(
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    user_id: &str,
    method_id: &str,
) -> HandlerResult {
    issue::delete(cx, credentials, tenant, user_id, method_id).await?;
    no_content()
}
