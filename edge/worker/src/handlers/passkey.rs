//! Passkey sign-in: the options, then the assertion. A member's own passkeys are the account
//! Worker's (`account`), their administration `passkey_admin`'s.

use guestpass_core::directory::TenantRecord;
use guestpass_core::passkey::sign_in;
use guestpass_wire::passkey::{PasskeyOptionsRequest, PasskeySignInRequest};
use worker::Request;

use super::signin::signed_in;
use crate::http::{json, read_json, HandlerResult};
use crate::router::Cx;

pub async fn options(req: &mut Request, cx: &Cx<'_>, tenant: &TenantRecord) -> HandlerResult {
    let body: PasskeyOptionsRequest = read_json(req).await?;
    json(200, &sign_in::options(cx, tenant, &body).await?)
}

pub async fn sign_in(req: &mut Request, cx: &Cx<'_>, tenant: &TenantRecord) -> HandlerResult {
    let body: PasskeySignInRequest = read_json(req).await?;
    signed_in(sign_in::sign_in(cx, tenant, &body).await?)
}
