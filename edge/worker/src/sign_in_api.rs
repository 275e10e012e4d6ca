//! The sign-in Worker's operations: sign-in, the session, a member's own passkeys, the public
//! sign-in page data, the development outbox, and each tenant's OpenID Connect endpoints.

use guestpass_core::context::Credentials;
use guestpass_core::url::query_pairs;
use guestpass_core::DomainError;
use guestpass_wire::Endpoint;
use worker::Request;

use crate::handlers::{dev, oidc, passkey, session, signin};
use crate::http::HandlerResult;
use crate::router::{Cx, Target};

pub async fn dispatch(
    req: &mut Request,
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    target: Target<'_>,
    raw_query: &str,
) -> HandlerResult {
    let (endpoint, params) = match target {
        Target::Protocol(endpoint, tenant) => {
            let tenant = cx.directory().resolve_tenant(tenant).await?;
            return oidc::handle(req, cx, credentials, &tenant, endpoint, raw_query).await;
        }
        Target::Api(endpoint, params) => (endpoint, params),
    };
    match endpoint {
        Endpoint::DevOutbox => return dev::outbox(cx, &query_pairs(raw_query)).await,
        // The most frequent check resolves its tenant alongside the session's own reads.
        Endpoint::GetSession => return session::get(cx, credentials, params[0]).await,
        _ => {}
    }
    // Every other operation's first parameter is the tenant.
    let tenant = cx.directory().resolve_tenant(params[0]).await?;
    let passkey_id = params.get(1).copied().unwrap_or_default();
    match endpoint {
        Endpoint::SignInInfo => signin::info(cx, &tenant),
        Endpoint::SendCode => signin::send(req, cx, &tenant).await,
        Endpoint::VerifyCode => signin::verify(req, cx, &tenant).await,
        Endpoint::PassSignIn => signin::pass(req, cx, &tenant).await,
        Endpoint::SignOut => session::delete(cx, credentials, &tenant).await,
        Endpoint::GetBannerLogo => signin::get_banner_logo(cx, &tenant).await,
        Endpoint::PasskeyOptions => passkey::options(req, cx, &tenant).await,
        Endpoint::PasskeySignIn => passkey::sign_in(req, cx, &tenant).await,
        Endpoint::PasskeyRegistrationOptions => {
            passkey::registration_options(cx, credentials, &tenant).await
        }
        Endpoint::RegisterPasskey => passkey::register(req, cx, credentials, &tenant).await,
        Endpoint::ListOwnPasskeys => passkey::list_own(cx, credentials, &tenant).await,
        // `me/passkeys/{passkey}`: the second parameter is the passkey, not a user.
        Endpoint::RenameOwnPasskey => {
            passkey::rename_own(req, cx, credentials, &tenant, passkey_id).await
        }
        Endpoint::DeleteOwnPasskey => {
            passkey::delete_own(cx, credentials, &tenant, passkey_id).await
        }
        Endpoint::ListMyApplications => session::my_applications(cx, credentials, &tenant).await,
        _ => Err(DomainError::RouteNotFound),
    }
}
