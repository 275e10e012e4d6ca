//! The administration Worker's operations (feature `admin`): tenants (the operator's), policies,
//! branding, external collaboration, invitations, users, passes, passkeys' administration, logs
//! and applications; and a development deployment's outbox. The sign-in Worker hands these over
//! through its `ADMIN` binding.

use guestpass_core::context::Credentials;
use guestpass_core::url::query_pairs;
use guestpass_core::DomainError;
use guestpass_wire::Endpoint;
use worker::Request;

use crate::handlers::{admin, application, dev, operator, passkey_admin, tap};
use crate::http::HandlerResult;
use crate::router::{Cx, Target};

pub async fn dispatch(
    req: &mut Request,
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    target: Target<'_>,
    raw_query: &str,
) -> HandlerResult {
    let Target::Api(endpoint, params) = target else {
        return Err(DomainError::RouteNotFound);
    };
    let query = query_pairs(raw_query);
    match endpoint {
        Endpoint::CreateTenant => return operator::create_tenant(req, cx, credentials).await,
        Endpoint::DevOutbox => return dev::outbox(cx, &query).await,
        _ => {}
    }
    // Every other operation's first parameter is the tenant.
    let tenant = cx.directory().resolve_tenant(params[0]).await?;
    let user = params.get(1).copied().unwrap_or_default();
    let method_id = params.get(2).copied().unwrap_or_default();
    match endpoint {
        Endpoint::GetGuard => operator::guard_settings(cx, credentials, &tenant),
        Endpoint::PatchGuard => operator::set_guard_shards(req, cx, credentials, tenant).await,
        Endpoint::GetEmailOtpPolicy => admin::get_email_otp_policy(cx, credentials, &tenant).await,
        Endpoint::PatchEmailOtpPolicy => {
            admin::patch_email_otp_policy(req, cx, credentials, tenant).await
        }
        Endpoint::GetPassPolicy => tap::get_policy(cx, credentials, &tenant).await,
        Endpoint::PatchPassPolicy => tap::patch_policy(req, cx, credentials, tenant).await,
        Endpoint::GetBranding => admin::get_branding(cx, credentials, &tenant).await,
        Endpoint::PatchBranding => admin::patch_branding(req, cx, credentials, tenant).await,
        Endpoint::PutBannerLogo => admin::put_banner_logo(req, cx, credentials, tenant).await,
        Endpoint::GetExternalCollaboration => {
            admin::get_external_collaboration(cx, credentials, &tenant).await
        }
        Endpoint::PatchExternalCollaboration => {
            admin::patch_external_collaboration(req, cx, credentials, tenant).await
        }
        Endpoint::Invite => admin::invite(req, cx, credentials, &tenant).await,
        Endpoint::ListUsers => admin::list_users(cx, credentials, &tenant, &query).await,
        Endpoint::CreateUser => admin::create_member(req, cx, credentials, &tenant).await,
        Endpoint::GetUser => admin::get_user(cx, credentials, &tenant, user).await,
        Endpoint::DeleteUser => admin::delete_user(cx, credentials, &tenant, user).await,
        Endpoint::RevokeSessions => admin::revoke_sessions(cx, credentials, &tenant, user).await,
        Endpoint::ListPasses => tap::list(cx, credentials, &tenant, user).await,
        Endpoint::CreatePass => tap::create(req, cx, credentials, &tenant, user).await,
        Endpoint::GetPass => tap::get(cx, credentials, &tenant, user, method_id).await,
        Endpoint::DeletePass => tap::delete(cx, credentials, &tenant, user, method_id).await,
        Endpoint::SignInLogs => admin::sign_in_logs(cx, credentials, &tenant, &query).await,
        Endpoint::SignInSummary => admin::sign_in_summary(cx, credentials, &tenant, &query).await,
        Endpoint::DirectoryLogs => admin::directory_logs(cx, credentials, &tenant, &query).await,
        Endpoint::ListPasskeys => passkey_admin::list(cx, credentials, &tenant, user).await,
        Endpoint::DeletePasskey => {
            passkey_admin::delete(cx, credentials, &tenant, user, method_id).await
        }
        Endpoint::GetPasskeyPolicy => passkey_admin::get_policy(cx, credentials, &tenant).await,
        Endpoint::PatchPasskeyPolicy => {
            passkey_admin::patch_policy(req, cx, credentials, tenant).await
        }
        // `applications/{application}[/secrets/{secret}]`: the second parameter is the
        // application, the third its secret.
        Endpoint::ListApplications => application::list(cx, credentials, &tenant).await,
        Endpoint::CreateApplication => application::create(req, cx, credentials, &tenant).await,
        Endpoint::GetApplication => application::get(cx, credentials, &tenant, user).await,
        Endpoint::PatchApplication => application::patch(req, cx, credentials, &tenant, user).await,
        Endpoint::DeleteApplication => application::delete(cx, credentials, &tenant, user).await,
        Endpoint::AddClientSecret => application::add_secret(cx, credentials, &tenant, user).await,
        Endpoint::RemoveClientSecret => {
            application::remove_secret(cx, credentials, &tenant, user, method_id).await
        }
        _ => Err(DomainError::RouteNotFound),
    }
}
