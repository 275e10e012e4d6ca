//! The account Worker's operations (feature `account`): a member's own passkeys, "My apps" and
//! each tenant's OpenID Connect endpoints. The sign-in Worker hands these over through its
//! `ACCOUNT` binding, so the code people sign in through carries none of them.

use guestpass_core::context::Credentials;
use guestpass_core::DomainError;
use guestpass_wire::Endpoint;
use worker::Request;

use crate::handlers::{account, oidc};
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
    // Every operation's first parameter is the tenant.
    let tenant = cx.directory().resolve_tenant(params[0]).await?;
    // `me/passkeys/{passkey}`: the second parameter is the passkey, not a user.
    let passkey_id = params.get(1).copied().unwrap_or_default();
    match endpoint {
        Endpoint::PasskeyRegistrationOptions => {
            account::registration_options(cx, credentials, &tenant).await
        }
        Endpoint::RegisterPasskey => account::register(req, cx, credentials, &tenant).await,
        Endpoint::ListOwnPasskeys => account::list_own(cx, credentials, &tenant).await,
        Endpoint::RenameOwnPasskey => {
            account::rename_own(req, cx, credentials, &tenant, passkey_id).await
        }
        Endpoint::DeleteOwnPasskey => {
            account::delete_own(cx, credentials, &tenant, passkey_id).await
        }
        Endpoint::ListMyApplications => account::my_applications(cx, credentials, &tenant).await,
        _ => Err(DomainError::RouteNotFound),
    }
}
