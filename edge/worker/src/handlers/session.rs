//! `GET` / `DELETE session`: who am I, and sign out.

use guestpass_core::context::Credentials;
use guestpass_core::directory::TenantRecord;
use guestpass_core::session;

use crate::http::{json, no_content, set_header, HandlerResult};
use crate::router::Cx;

/// `tenant` as the path names it: the use case resolves it.
pub async fn get(cx: &Cx<'_>, credentials: Credentials<'_>, tenant: &str) -> HandlerResult {
    json(200, &session::get_for(cx, credentials, tenant).await?)
}

/// Signs out and clears the cookie.
pub async fn delete(
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> HandlerResult {
    session::sign_out(cx, credentials, tenant).await?;
    let mut response = no_content()?;
    set_header(&mut response, "Set-Cookie", &session::clear_cookie_header());
    Ok(response)
}
