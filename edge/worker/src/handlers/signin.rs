//! Sign-in: the public page data (and its logo), email codes (send, verify) and the Temporary
//! Access Pass.

use guestpass_core::directory::{self, branding, TenantRecord};
use guestpass_core::session::SignedIn;
use guestpass_core::DomainError;
use guestpass_core::{email_otp, tap};
use guestpass_wire::tap::PassSignInRequest;
use guestpass_wire::{SendCodeRequest, VerifyCodeRequest};
use worker::{Request, Response};

use crate::http::{json, read_json, set_header, HandlerResult};
use crate::router::Cx;

pub fn info(cx: &Cx<'_>, tenant: &TenantRecord) -> HandlerResult {
    json(200, &directory::sign_in_info(cx.settings, tenant, cx.now))
}

pub async fn send(req: &mut Request, cx: &Cx<'_>, tenant: &TenantRecord) -> HandlerResult {
    let body: SendCodeRequest = read_json(req).await?;
    json(202, &email_otp::send(cx, tenant, &body).await?)
}

pub async fn verify(req: &mut Request, cx: &Cx<'_>, tenant: &TenantRecord) -> HandlerResult {
    let body: VerifyCodeRequest = read_json(req).await?;
    signed_in(email_otp::verify(cx, tenant, &body).await?)
}

pub async fn pass(req: &mut Request, cx: &Cx<'_>, tenant: &TenantRecord) -> HandlerResult {
    let body: PassSignInRequest = read_json(req).await?;
    signed_in(tap::sign_in(cx, tenant, &body).await?)
}

/// A sign-in's answer: the session and where to go, with the signed cookie.
pub fn signed_in(signed_in: SignedIn) -> HandlerResult {
    let mut response = json(200, &signed_in.body)?;
    set_header(&mut response, "Set-Cookie", &signed_in.set_cookie);
    Ok(response)
}

/// The tenant's banner logo, which the sign-in screens show (public).
pub async fn get_banner_logo(cx: &Cx<'_>, tenant: &TenantRecord) -> HandlerResult {
    let (content_type, image) = branding::logo(cx, tenant).await?;
    let mut response = Response::from_bytes(image)
        .map_err(|e| DomainError::Internal(format!("logo response: {e}")))?;
    set_header(&mut response, "Content-Type", &content_type);
    Ok(response)
}
