//! The sign-in Worker's operations: sign-in (email codes, passes, passkeys), the session and the
//! public sign-in page data.

use guestpass_core::context::Credentials;
use guestpass_core::DomainError;
use guestpass_wire::Endpoint;
use worker::Request;

use crate::handlers::{passkey, session, signin};
use crate::http::HandlerResult;
use crate::router::{Cx, Target};

pub async fn dispatch(
    req: &mut Request,
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    target: Target<'_>,
    _raw_query: &str,
) -> HandlerResult {
    let Target::Api(endpoint, params) = target else {
        return Err(DomainError::RouteNotFound);
    };
    // The most frequent check resolves its tenant itself (or needs none: `session::get_for`).
    if endpoint == Endpoint::GetSession {
        return session::get(cx, credentials, params[0]).await;
    }
    // Every other operation's first parameter is the tenant.
    let tenant = cx.directory().resolve_tenant(params[0]).await?;
    match endpoint {
        Endpoint::SignInInfo => signin::info(cx, &tenant),
        Endpoint::SendCode => signin::send(req, cx, &tenant).await,
        Endpoint::VerifyCode => signin::verify(req, cx, &tenant).await,
        Endpoint::PassSignIn => signin::pass(req, cx, &tenant).await,
        Endpoint::SignOut => session::delete(cx, credentials, &tenant).await,
        Endpoint::GetBannerLogo => signin::get_banner_logo(cx, &tenant).await,
        Endpoint::PasskeyOptions => passkey::options(req, cx, &tenant).await,
        Endpoint::PasskeySignIn => passkey::sign_in(req, cx, &tenant).await,
        _ => Err(DomainError::RouteNotFound),
    }
}
