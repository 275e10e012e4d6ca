//! Routing: one `match` over (path, method). Requests pass the same-origin rule first; every
//! error becomes the API's error shape; every response gets the security headers.

use std::rc::Rc;

use guestpass_core::request_rules::{check_same_origin, is_state_changing};
use guestpass_core::time::UnixMillis;
use guestpass_core::url::{origin_of, path_and_query, query_pairs};
use guestpass_core::DomainError;
use worker::{Context, Date, Env, Method, Request, Response};

use crate::config::Config;
use crate::directory::Directory;
use crate::handlers::{admin, dev, operator, session, signin, tap};
use crate::http::{error_response, header, json, with_security_headers, HandlerResult};

/// What every handler gets: configuration, storage, the time and who is asking from where.
pub struct Ctx<'a> {
    pub env: &'a Env,
    pub config: Rc<Config>,
    pub directory: Directory,
    pub now: UnixMillis,
    /// This deployment's origin as the request reached it.
    pub origin: String,
    pub client_ip: String,
    worker: &'a Context,
}

impl Ctx<'_> {
    /// Origin for links in emails: `PUBLIC_ORIGIN` when set, else the request's.
    pub fn link_origin(&self) -> String {
        self.config
            .public_origin
            .clone()
            .unwrap_or_else(|| self.origin.clone())
    }

    /// Runs work after the response is sent (mail, logs), so it adds no latency and no signal.
    pub fn after_response(&self, work: impl std::future::Future<Output = ()> + 'static) {
        self.worker.wait_until(work);
    }
}

pub async fn handle(req: Request, env: Env, worker: Context) -> Response {
    if req.path() == "/" {
        return entry_page(req, &env).await;
    }
    let response = match route(req, &env, &worker).await {
        Ok(response) => response,
        Err(err) => error_response(&err),
    };
    with_security_headers(response)
}

/// `/`: `?tenantid={tenant}` goes to `/{tenant}/`; otherwise the SPA, which explains that the
/// link is missing the organization. Served through the assets binding so its headers are the
/// SPA's (`public/_headers`), not the API's.
async fn entry_page(req: Request, env: &Env) -> Response {
    let raw_url = req.inner().url();
    let tenantid = query_pairs(path_and_query(&raw_url).1)
        .into_iter()
        .find(|(k, _)| k == "tenantid")
        .map(|(_, v)| v);
    if let Some(path) = tenantid
        .as_deref()
        .and_then(guestpass_core::url::tenant_landing_path)
    {
        let mut response = Response::empty()
            .map(|r| r.with_status(302))
            .unwrap_or_else(|_| error_response(&DomainError::Internal("redirect".into())));
        crate::http::set_header(&mut response, "Location", &path);
        return with_security_headers(response);
    }
    let served = match env.assets("ASSETS") {
        Ok(assets) => assets
            .fetch_request(req)
            .await
            .map_err(|e| DomainError::Internal(format!("assets: {e}"))),
        Err(e) => Err(DomainError::Misconfigured(format!("ASSETS binding: {e}"))),
    };
    served.unwrap_or_else(|e| with_security_headers(error_response(&e)))
}

async fn route(mut req: Request, env: &Env, worker: &Context) -> HandlerResult {
    let raw_url = req.inner().url();
    let (path, raw_query) = path_and_query(&raw_url);
    let mut segments: Vec<&str> = path.split('/').skip(1).collect();
    if segments.last().is_some_and(|s| s.is_empty()) {
        segments.pop();
    }
    let method = req.method();

    if segments == ["api", "health"] {
        return match method {
            Method::Get | Method::Head => json(
                200,
                &guestpass_wire::Health {
                    status: "ok".into(),
                },
            ),
            _ => Err(DomainError::MethodNotAllowed),
        };
    }

    let origin = origin_of(&raw_url).unwrap_or_default();
    if is_state_changing(method.as_ref()) {
        check_same_origin(
            header(&req, "sec-fetch-site").as_deref(),
            header(&req, "origin").as_deref(),
            &origin,
            header(&req, "cookie").is_some(),
        )?;
    }
    let config = Rc::new(Config::from_env(env)?);
    let ctx = Ctx {
        env,
        config,
        directory: Directory::from_env(env)?,
        now: Date::now().as_millis() as UnixMillis,
        origin,
        client_ip: header(&req, "cf-connecting-ip").unwrap_or_else(|| "unknown".into()),
        worker,
    };
    let query = query_pairs(raw_query);

    match segments.as_slice() {
        ["api", "v1", "operator", "tenants"] => match method {
            Method::Post => operator::create_tenant(&mut req, &ctx).await,
            _ => Err(DomainError::MethodNotAllowed),
        },
        ["api", "v1", "dev", "outbox"] => match method {
            Method::Get => dev::outbox(&ctx, &query).await,
            _ => Err(DomainError::MethodNotAllowed),
        },
        ["api", "v1", "tenants"] | ["api", "v1", "tenants", ""] => Err(DomainError::TenantMissing),
        ["api", "v1", "tenants", reference, rest @ ..] => {
            let tenant = ctx.directory.resolve_tenant(reference).await?;
            match (rest, method) {
                (["sign-in"], Method::Get) => signin::info(&ctx, &tenant),
                (["sign-in", "email-otp", "send"], Method::Post) => {
                    signin::send(&mut req, &ctx, &tenant).await
                }
                (["sign-in", "email-otp", "verify"], Method::Post) => {
                    signin::verify(&mut req, &ctx, &tenant).await
                }
                (["sign-in", "temporary-access-pass"], Method::Post) => {
                    signin::pass(&mut req, &ctx, &tenant).await
                }
                (["session"], Method::Get) => session::get(&req, &ctx, &tenant).await,
                (["session"], Method::Delete) => session::delete(&req, &ctx, &tenant).await,
                (["policies", "email-otp"], Method::Get) => {
                    admin::get_email_otp_policy(&req, &ctx, &tenant).await
                }
                (["policies", "email-otp"], Method::Patch) => {
                    admin::patch_email_otp_policy(&mut req, &ctx, tenant).await
                }
                (["policies", "temporary-access-pass"], Method::Get) => {
                    tap::get_policy(&req, &ctx, &tenant).await
                }
                (["policies", "temporary-access-pass"], Method::Patch) => {
                    tap::patch_policy(&mut req, &ctx, tenant).await
                }
                (["invitations"], Method::Post) => admin::invite(&mut req, &ctx, &tenant).await,
                (["users"], Method::Post) => admin::create_member(&mut req, &ctx, &tenant).await,
                (["users", id, "authentication", "temporary-access-pass-methods"], Method::Get) => {
                    tap::list(&req, &ctx, &tenant, id).await
                }
                (
                    ["users", id, "authentication", "temporary-access-pass-methods"],
                    Method::Post,
                ) => tap::create(&mut req, &ctx, &tenant, id).await,
                (
                    ["users", id, "authentication", "temporary-access-pass-methods", method_id],
                    Method::Get,
                ) => tap::get(&req, &ctx, &tenant, id, method_id).await,
                (
                    ["users", id, "authentication", "temporary-access-pass-methods", method_id],
                    Method::Delete,
                ) => tap::delete(&req, &ctx, &tenant, id, method_id).await,
                (["users"], Method::Get) => admin::list_users(&req, &ctx, &tenant, &query).await,
                (["users", id], Method::Get) => admin::get_user(&req, &ctx, &tenant, id).await,
                (["users", id], Method::Delete) => {
                    admin::delete_user(&req, &ctx, &tenant, id).await
                }
                (["users", id, "revoke-sign-in-sessions"], Method::Post) => {
                    admin::revoke_sessions(&req, &ctx, &tenant, id).await
                }
                (["audit-logs", "sign-ins"], Method::Get) => {
                    admin::sign_in_logs(&req, &ctx, &tenant).await
                }
                (["audit-logs", "directory"], Method::Get) => {
                    admin::directory_logs(&req, &ctx, &tenant).await
                }
                (
                    ["sign-in"]
                    | ["sign-in", "email-otp", "send" | "verify"]
                    | ["sign-in", "temporary-access-pass"]
                    | ["session"]
                    | ["policies", "email-otp" | "temporary-access-pass"]
                    | ["users", _, "authentication", "temporary-access-pass-methods"]
                    | ["users", _, "authentication", "temporary-access-pass-methods", _]
                    | ["invitations"]
                    | ["users"]
                    | ["users", _]
                    | ["users", _, "revoke-sign-in-sessions"]
                    | ["audit-logs", "sign-ins" | "directory"],
                    _,
                ) => Err(DomainError::MethodNotAllowed),
                _ => Err(DomainError::RouteNotFound),
            }
        }
        _ => Err(DomainError::RouteNotFound),
    }
}
