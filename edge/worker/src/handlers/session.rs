//! `GET` / `DELETE session`: who am I, and sign out.

use guestpass_core::directory::TenantRecord;
use guestpass_core::session::{self, clear_cookie_header};
use worker::Request;

use crate::http::{no_content, set_header, HandlerResult};
use crate::principal;
use crate::router::Ctx;

pub async fn get(req: &Request, ctx: &Ctx<'_>, tenant: &TenantRecord) -> HandlerResult {
    let (claims, user) = principal::session(req, ctx, tenant).await?;
    crate::http::json(200, &session::view(&user, &claims))
}

/// Signs out: ends every session of the user (the cookie is stateless, so the epoch is what
/// makes a copied cookie stop working too) and clears the cookie. Without a session it only
/// clears the cookie: signing out twice is not an error.
pub async fn delete(req: &Request, ctx: &Ctx<'_>, tenant: &TenantRecord) -> HandlerResult {
    if let Ok((_, mut user)) = principal::session(req, ctx, tenant).await {
        user.revoke_sessions();
        ctx.directory.update_user(&user).await?;
    }
    let mut response = no_content()?;
    set_header(&mut response, "Set-Cookie", &clear_cookie_header());
    Ok(response)
}
