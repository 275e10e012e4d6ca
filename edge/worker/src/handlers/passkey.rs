//! Passkeys: sign-in (options, assertion) and a member's own passkeys (registration, list,
//! rename, delete). Their administration is `passkey_admin`'s.

use guestpass_core::context::Credentials;
use guestpass_core::directory::TenantRecord;
use guestpass_core::passkey::{register, sign_in};
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
