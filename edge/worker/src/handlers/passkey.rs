//! Passkeys: sign-in (options, assertion), a member's own passkeys (registration, list, rename,
//! delete), and their administration (a user's passkeys, the policy).

use guestpass_core::context::Credentials;
use guestpass_core::directory::TenantRecord;
use guestpass_core::passkey::{admin, register, sign_in};
use guestpass_wire::passkey::{PasskeyOptionsRequest, PasskeySignInRequest};
use worker::Request;

use super::signin::signed_in;
use crate::http::{json, no_content, read_json, HandlerResult, JsonBody};
use crate::router::Cx;

pub async fn options(req: &mut Request, cx: &Cx<'_>, tenant: &TenantRecord) -> HandlerResult {
    let body: PasskeyOptionsRequest = read_json(req).await?;
    json(200, &sign_in::options(cx, tenant, &body).await?)
}

pub async fn sign_in(req: &mut Request, cx: &Cx<'_>, tenant: &TenantRecord) -> HandlerResult {
    let body: PasskeySignInRequest = read_json(req).await?;
    signed_in(sign_in::sign_in(cx, tenant, &body).await?)
}

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
