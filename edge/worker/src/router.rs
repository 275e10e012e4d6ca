//! Routing: the wire crate's endpoint table says which operation a request names (or why none:
//! `404`, `405`); requests pass the same-origin rule; the tenant in the path is resolved; one
//! handler runs. Every error becomes the API's error shape; every response gets the security
//! headers.
//!
//! One crate, three Workers ([`served_by`]). The sign-in Worker (the default build) serves the
//! SPA's shells, sign-in and the session (`sign_in_api`). It hands a member's own account — their
//! passkeys, "My apps" — and the OpenID Connect endpoints to the account Worker (feature
//! `account`, `account_api`) through its `ACCOUNT` service binding, and every administrative
//! operation to the administration Worker (feature `admin`, `admin_api`) through `ADMIN`: the
//! code people sign in through carries neither's, so it is smaller and starts faster.

use guestpass_core::context::{Credentials, Ctx};
use guestpass_core::request_rules::{check_same_origin, is_state_changing};
use guestpass_core::time::UnixMillis;
use guestpass_core::url::{origin_of, path_and_query};
use guestpass_core::DomainError;
use guestpass_wire::api::Unrecognized;
use guestpass_wire::oidc::ProtocolEndpoint;
use guestpass_wire::{Endpoint, Method};
use worker::{Context, Date, Env, Request, Response};

use crate::config::Config;
use crate::http::{error_response, header, json, with_security_headers, HandlerResult};
use crate::ports::WorkerPorts;

/// What a handler runs its use case with.
pub type Cx<'a> = Ctx<'a, WorkerPorts<'a>>;

pub async fn handle(req: Request, env: Env, worker: Context) -> Response {
    #[cfg(not(any(feature = "admin", feature = "account")))]
    {
        if req.path() == "/" {
            return entry_page(req, &env).await;
        }
        if let Some(shell) = guestpass_core::url::bundle_shell(&req.path()) {
            return bundle_shell(&req, &env, shell).await;
        }
    }
    let response = match route(req, &env, &worker).await {
        Ok(response) => response,
        Err(err) => error_response(&err),
    };
    with_security_headers(response)
}

/// Which Worker serves a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Served {
    /// Signing in and the session: what a guest's or a member's sign-in needs.
    SignIn,
    /// A member's own passkeys, "My apps", and the OpenID Connect endpoints.
    Account,
    /// Every operation that needs an administrator's role or the operator's token, and the
    /// development outbox.
    Admin,
}

/// Which Worker serves `endpoint`. Exhaustive, so a new endpoint picks a Worker.
pub fn served_by(endpoint: Endpoint) -> Served {
    use Endpoint::*;
    match endpoint {
        Health | SignInInfo | GetBannerLogo | SendCode | VerifyCode | PassSignIn | GetSession
        | SignOut | PasskeyOptions | PasskeySignIn => Served::SignIn,
        PasskeyRegistrationOptions
        | RegisterPasskey
        | ListOwnPasskeys
        | RenameOwnPasskey
        | DeleteOwnPasskey
        | ListMyApplications => Served::Account,
        // A development deployment's outbox (404 elsewhere) lists KV, as administration does:
        // the code people sign in through need not carry it.
        DevOutbox
        | CreateTenant
        | GetGuard
        | PatchGuard
        | GetEmailOtpPolicy
        | PatchEmailOtpPolicy
        | GetPassPolicy
        | PatchPassPolicy
        | GetBranding
        | PatchBranding
        | PutBannerLogo
        | GetExternalCollaboration
        | PatchExternalCollaboration
        | Invite
        | ListUsers
        | CreateUser
        | GetUser
        | DeleteUser
        | RevokeSessions
        | ListPasses
        | CreatePass
        | GetPass
        | DeletePass
        | SignInLogs
        | SignInSummary
        | DirectoryLogs
        | ListPasskeys
        | DeletePasskey
        | GetPasskeyPolicy
        | PatchPasskeyPolicy
        | ListApplications
        | CreateApplication
        | GetApplication
        | PatchApplication
        | DeleteApplication
        | AddClientSecret
        | RemoveClientSecret => Served::Admin,
    }
}

/// The Worker this build is.
const THIS_WORKER: Served = if cfg!(feature = "admin") {
    Served::Admin
} else if cfg!(feature = "account") {
    Served::Account
} else {
    Served::SignIn
};

/// What a request names: an API operation and its path's parameters, or a tenant's OpenID
/// Connect endpoint and the tenant as the path names it.
pub enum Target<'p> {
    Api(Endpoint, Vec<&'p str>),
    // The account Worker serves these alone.
    #[cfg_attr(not(feature = "account"), allow(dead_code))]
    Protocol(ProtocolEndpoint, &'p str),
}

/// The answer of the Worker that serves the request, handed over as it came through the
/// service binding `binding` (that Worker checks everything again).
#[cfg(not(any(feature = "admin", feature = "account")))]
async fn forward(req: Request, env: &Env, binding: &str) -> HandlerResult {
    let worker = env
        .service(binding)
        .map_err(|e| DomainError::Misconfigured(format!("{binding} binding: {e}")))?;
    worker
        .fetch_request(req)
        .await
        .map_err(|e| DomainError::StorageUnavailable(format!("{binding} Worker: {e}")))
}

/// `/`: `?tenantid={tenant}` goes to `/{tenant}/`; otherwise the SPA, which explains that the
/// link is missing the organization. Served through the assets binding so its headers are the
/// SPA's (`public/_headers`), not the API's.
#[cfg(not(any(feature = "admin", feature = "account")))]
async fn entry_page(req: Request, env: &Env) -> Response {
    let raw_url = req.inner().url();
    let tenantid = guestpass_core::url::query_pairs(path_and_query(&raw_url).1)
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

#[cfg(not(any(feature = "admin", feature = "account")))]
/// `/{tenant}/admin…` and `/{tenant}/security-info`: the shell of the console's or the account
/// pages' bundle, which is not the sign-in app's (the assets' single-page fallback would serve
/// the sign-in app). Its headers are the SPA's.
async fn bundle_shell(req: &Request, env: &Env, shell: &str) -> Response {
    let origin = origin_of(&req.inner().url()).unwrap_or_default();
    let shell = format!("{origin}{shell}");
    let served = match env.assets("ASSETS") {
        Ok(assets) => assets
            .fetch(shell, None)
            .await
            .map_err(|e| DomainError::Internal(format!("assets: {e}"))),
        Err(e) => Err(DomainError::Misconfigured(format!("ASSETS binding: {e}"))),
    };
    served.unwrap_or_else(|e| with_security_headers(error_response(&e)))
}

/// The data centre that received the request: Cloudflare's `request.cf.colo` (an airport code),
/// read without worker's `Cf::colo`, which panics when it is missing. The core decides what a
/// usable name is (`guard::network_instance`).
fn data_centre(req: &Request) -> Option<String> {
    js_sys::Reflect::get(req.inner(), &"cf".into())
        .ok()
        .filter(|cf| cf.is_object())
        .and_then(|cf| js_sys::Reflect::get(&cf, &"colo".into()).ok())
        .and_then(|colo| colo.as_string())
}

fn unrecognized(why: Unrecognized) -> DomainError {
    match why {
        Unrecognized::NotFound => DomainError::RouteNotFound,
        Unrecognized::MethodNotAllowed => DomainError::MethodNotAllowed,
    }
}

async fn route(mut req: Request, env: &Env, worker: &Context) -> HandlerResult {
    let raw_url = req.inner().url();
    let (path, raw_query) = path_and_query(&raw_url);
    let method_name = req.method().to_string();
    let recognized = Method::parse(&method_name)
        .ok_or(Unrecognized::MethodNotAllowed)
        .and_then(|method| Endpoint::recognize(method, path));

    // The health check answers before anything is configured or read.
    if let Ok((Endpoint::Health, _)) = recognized {
        let health = guestpass_wire::Health {
            status: "ok".into(),
        };
        return json(200, &health);
    }
    if Endpoint::Health.captures(path).is_some() {
        return Err(DomainError::MethodNotAllowed);
    }

    let protocol = ProtocolEndpoint::recognize(path);
    let served = match (&recognized, protocol) {
        (Ok((endpoint, _)), _) => served_by(*endpoint),
        (Err(_), Some(_)) => Served::Account,
        // Refused below, by whichever Worker received it.
        (Err(_), None) => THIS_WORKER,
    };
    #[cfg(not(any(feature = "admin", feature = "account")))]
    match served {
        Served::Admin => return forward(req, env, "ADMIN").await,
        Served::Account => return forward(req, env, "ACCOUNT").await,
        Served::SignIn => {}
    }
    if served != THIS_WORKER {
        return Err(DomainError::RouteNotFound);
    }

    let origin = origin_of(&raw_url).unwrap_or_default();
    // The OpenID Connect endpoints are called from applications' origins by design; they
    // authenticate clients and tokens, never a request by its cookie alone.
    if protocol.is_none() && is_state_changing(&method_name) {
        check_same_origin(
            header(&req, "sec-fetch-site").as_deref(),
            header(&req, "origin").as_deref(),
            &origin,
            header(&req, "cookie").is_some(),
        )?;
    }
    if path.trim_end_matches('/') == "/api/v1/tenants" {
        return Err(DomainError::TenantMissing);
    }
    let recognized = match protocol {
        Some(_) => None,
        None => Some(recognized.map_err(unrecognized)?),
    };

    let config = Config::from_env(env)?;
    let now = Date::now().as_millis() as UnixMillis;
    let ports = WorkerPorts::new(env, worker, &config, now)?;
    let client_ip = header(&req, "cf-connecting-ip").unwrap_or_else(|| "unknown".into());
    let data_centre = data_centre(&req);
    let link_origin = config.public_origin.clone().unwrap_or(origin);
    let cx = Cx {
        ports: &ports,
        settings: &config.settings,
        now,
        client_ip: &client_ip,
        data_centre: data_centre.as_deref(),
        link_origin: &link_origin,
    };
    let (authorization, cookie) = (header(&req, "authorization"), header(&req, "cookie"));
    let credentials = Credentials {
        authorization: authorization.as_deref(),
        cookie: cookie.as_deref(),
    };
    let target = match (recognized, protocol) {
        (Some((endpoint, params)), _) => Target::Api(endpoint, params),
        (None, Some((endpoint, tenant))) => Target::Protocol(endpoint, tenant),
        (None, None) => return Err(DomainError::RouteNotFound),
    };
    #[cfg(not(any(feature = "admin", feature = "account")))]
    let dispatch = crate::sign_in_api::dispatch;
    #[cfg(feature = "account")]
    let dispatch = crate::account_api::dispatch;
    #[cfg(feature = "admin")]
    let dispatch = crate::admin_api::dispatch;
    dispatch(&mut req, &cx, credentials, target, raw_query).await
}
