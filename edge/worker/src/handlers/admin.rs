//! Tenant administration: the email-code policy, invitations, users, logs.

use guestpass_core::audit::{self, DirectoryQuery, SignInQuery, SummaryQuery};
use guestpass_core::context::Credentials;
use guestpass_core::directory::{self, branding, collaboration, TenantRecord, UserQuery};
use guestpass_core::email_otp::policy;
use guestpass_wire::Done;
use guestpass_wire::MAX_LOGO_BYTES;
use worker::Request;

use crate::http::{json, no_content, query_value, read_bytes, HandlerResult, JsonBody};
use crate::router::Cx;

pub async fn get_email_otp_policy(
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> HandlerResult {
    json(200, &policy::get(cx, credentials, tenant).await?)
}

pub async fn patch_email_otp_policy(
    req: &mut Request,
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: TenantRecord,
) -> HandlerResult {
    json(
        200,
        &policy::patch(cx, credentials, tenant, JsonBody(req)).await?,
    )
}

pub async fn get_branding(
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> HandlerResult {
    json(200, &branding::get(cx, credentials, tenant).await?)
}

pub async fn patch_branding(
    req: &mut Request,
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: TenantRecord,
) -> HandlerResult {
    json(
        200,
        &branding::patch(cx, credentials, tenant, JsonBody(req)).await?,
    )
}

/// The image is the body; what it is comes from its bytes, not from its `Content-Type`.
pub async fn put_banner_logo(
    req: &mut Request,
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: TenantRecord,
) -> HandlerResult {
    let image = read_bytes(req, MAX_LOGO_BYTES).await?;
    json(
        200,
        &branding::set_logo(cx, credentials, tenant, &image).await?,
    )
}

pub async fn get_external_collaboration(
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> HandlerResult {
    json(200, &collaboration::get(cx, credentials, tenant).await?)
}

pub async fn patch_external_collaboration(
    req: &mut Request,
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: TenantRecord,
) -> HandlerResult {
    json(
        200,
        &collaboration::patch(cx, credentials, tenant, JsonBody(req)).await?,
    )
}

pub async fn invite(
    req: &mut Request,
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> HandlerResult {
    json(
        201,
        &directory::invite(cx, credentials, tenant, JsonBody(req)).await?,
    )
}

pub async fn create_member(
    req: &mut Request,
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> HandlerResult {
    json(
        201,
        &directory::create_member(cx, credentials, tenant, JsonBody(req)).await?,
    )
}

pub async fn list_users(
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    query: &[(String, String)],
) -> HandlerResult {
    let query = UserQuery {
        top: query_value(query, "top"),
        cursor: query_value(query, "cursor"),
        search: query_value(query, "search"),
        user_type: query_value(query, "userType"),
    };
    json(
        200,
        &directory::list_users(cx, credentials, tenant, query).await?,
    )
}

pub async fn get_user(
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    id: &str,
) -> HandlerResult {
    json(
        200,
        &directory::get_user(cx, credentials, tenant, id).await?,
    )
}

pub async fn delete_user(
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    id: &str,
) -> HandlerResult {
    directory::delete_user(cx, credentials, tenant, id).await?;
    no_content()
}

pub async fn revoke_sessions(
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    id: &str,
) -> HandlerResult {
    directory::revoke_sessions(cx, credentials, tenant, id).await?;
    json(200, &Done { value: true })
}

pub async fn sign_in_logs(
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    query: &[(String, String)],
) -> HandlerResult {
    let query = SignInQuery {
        top: query_value(query, "top"),
        cursor: query_value(query, "cursor"),
        from: query_value(query, "from"),
        to: query_value(query, "to"),
        outcome: query_value(query, "outcome"),
        method: query_value(query, "method"),
        user: query_value(query, "user"),
    };
    json(200, &audit::sign_ins(cx, credentials, tenant, query).await?)
}

pub async fn sign_in_summary(
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    query: &[(String, String)],
) -> HandlerResult {
    let query = SummaryQuery {
        from: query_value(query, "from"),
        to: query_value(query, "to"),
        interval: query_value(query, "interval"),
    };
    json(
        200,
        &audit::sign_in_summary(cx, credentials, tenant, query).await?,
    )
}

pub async fn directory_logs(
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    query: &[(String, String)],
) -> HandlerResult {
    let query = DirectoryQuery {
        top: query_value(query, "top"),
        cursor: query_value(query, "cursor"),
        from: query_value(query, "from"),
        to: query_value(query, "to"),
        activity: query_value(query, "activity"),
    };
    json(
        200,
        &audit::directory_changes(cx, credentials, tenant, query).await?,
    )
}
