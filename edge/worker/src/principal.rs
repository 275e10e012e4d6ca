//! Who is calling: the operator (bearer token) or a signed-in user (session cookie).

use guestpass_core::authz::Principal;
use guestpass_core::directory::{TenantRecord, UserRecord};
use guestpass_core::session::{self, SessionClaims};
use guestpass_core::DomainError;
use subtle::ConstantTimeEq;
use worker::Request;

use crate::http::header;
use crate::router::Ctx;

/// True when the request presents the operator token (compared in constant time).
fn presents_operator_token(req: &Request, ctx: &Ctx<'_>) -> Result<bool, DomainError> {
    let Some(authorization) = header(req, "authorization") else {
        return Ok(false);
    };
    let presented = authorization
        .strip_prefix("Bearer ")
        .ok_or(DomainError::NotSignedIn)?
        .trim();
    let expected = ctx
        .config
        .operator_token
        .as_deref()
        .ok_or(DomainError::NotSignedIn)?;
    let equal = presented.len() == expected.len()
        && bool::from(presented.as_bytes().ct_eq(expected.as_bytes()));
    if equal {
        Ok(true)
    } else {
        Err(DomainError::NotSignedIn)
    }
}

pub fn operator(req: &Request, ctx: &Ctx<'_>) -> Result<(), DomainError> {
    if presents_operator_token(req, ctx)? {
        Ok(())
    } else {
        Err(DomainError::NotSignedIn)
    }
}

/// The signed-in user of this tenant: a valid cookie, for this tenant, not revoked.
pub async fn session(
    req: &Request,
    ctx: &Ctx<'_>,
    tenant: &TenantRecord,
) -> Result<(SessionClaims, UserRecord), DomainError> {
    let cookies = header(req, "cookie").ok_or(DomainError::NotSignedIn)?;
    let value = session::cookie_value(&cookies).ok_or(DomainError::NotSignedIn)?;
    let claims = session::verify(&ctx.config.keys, value, &tenant.id, ctx.now)
        .map_err(DomainError::Session)?;
    let user = ctx
        .directory
        .user(&tenant.id, &claims.user_id)
        .await?
        .ok_or(DomainError::Session(session::SessionError::Revoked))?;
    session::check_epoch(&claims, user.session_epoch).map_err(DomainError::Session)?;
    Ok((claims, user))
}

/// An administrator: the operator, or a signed-in member (roles checked by the endpoint).
pub async fn admin(
    req: &Request,
    ctx: &Ctx<'_>,
    tenant: &TenantRecord,
) -> Result<Principal, DomainError> {
    if presents_operator_token(req, ctx)? {
        return Ok(Principal::Operator);
    }
    let (claims, user) = session(req, ctx, tenant).await?;
    Ok(Principal::Member {
        user_id: user.id,
        roles: user.roles,
        scope: claims.scope,
    })
}
