//! Routing: the wire crate's endpoint table says which operation a request names (or why none:
//! `404`, `405`); requests pass the same-origin rule; the tenant in the path is resolved; one
//! handler runs. Every error becomes the API's error shape; every response gets the security
//! headers.

use guestpass_core::context::{Credentials, Ctx};
use guestpass_core::request_rules::{check_same_origin, is_state_changing};
use guestpass_core::time::UnixMillis;
use guestpass_core::url::{origin_of, path_and_query, query_pairs};
use guestpass_core::DomainError;
use guestpass_wire::api::Unrecognized;
use guestpass_wire::{Endpoint, Method};
use worker::{Context, Date, Env, Request, Response};

use crate::config::Config;
use crate::handlers::{admin, application, dev, operator, passkey, session, signin, tap};
use crate::http::{error_response, header, json, with_security_headers, HandlerResult};
use crate::ports::WorkerPorts;

/// What a handler runs its use case with.
pub type Cx<'a> = Ctx<'a, WorkerPorts<'a>>;

pub async fn handle(req: Request, env: Env, worker: Context) -> Response {
    if req.path() == "/" {
        return entry_page(req, &env).await;
    }
    if let Some(shell) = guestpass_core::url::bundle_shell(&req.path()) {
        return bundle_shell(&req, &env, shell).await;
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

    let origin = origin_of(&raw_url).unwrap_or_default();
    if is_state_changing(&method_name) {
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
    let (endpoint, params) = recognized.map_err(unrecognized)?;

    let config = Config::from_env(env)?;
    let now = Date::now().as_millis() as UnixMillis;
    let ports = WorkerPorts::new(env, worker, &config, now)?;
    let client_ip = header(&req, "cf-connecting-ip").unwrap_or_else(|| "unknown".into());
    let link_origin = config.public_origin.clone().unwrap_or(origin);
    let cx = Cx {
        ports: &ports,
        settings: &config.settings,
        now,
        client_ip: &client_ip,
        link_origin: &link_origin,
    };
    let (authorization, cookie) = (header(&req, "authorization"), header(&req, "cookie"));
    let credentials = Credentials {
        authorization: authorization.as_deref(),
        cookie: cookie.as_deref(),
    };
    let query = query_pairs(raw_query);
    let req = &mut req;

    // Operations outside a tenant.
    match endpoint {
        Endpoint::CreateTenant => return operator::create_tenant(req, &cx, credentials).await,
        Endpoint::DevOutbox => return dev::outbox(&cx, &query).await,
        _ => {}
    }
    // Every other operation's first parameter is the tenant.
    let tenant = cx.directory().resolve_tenant(params[0]).await?;
    let user = params.get(1).copied().unwrap_or_default();
    let method_id = params.get(2).copied().unwrap_or_default();
    match endpoint {
        Endpoint::Health | Endpoint::CreateTenant | Endpoint::DevOutbox => {
            Err(DomainError::Internal("routed above".into()))
        }
        Endpoint::SignInInfo => signin::info(&cx, &tenant),
        Endpoint::SendCode => signin::send(req, &cx, &tenant).await,
        Endpoint::VerifyCode => signin::verify(req, &cx, &tenant).await,
        Endpoint::PassSignIn => signin::pass(req, &cx, &tenant).await,
        Endpoint::GetSession => session::get(&cx, credentials, &tenant).await,
        Endpoint::SignOut => session::delete(&cx, credentials, &tenant).await,
        Endpoint::GetEmailOtpPolicy => admin::get_email_otp_policy(&cx, credentials, &tenant).await,
        Endpoint::PatchEmailOtpPolicy => {
            admin::patch_email_otp_policy(req, &cx, credentials, tenant).await
        }
        Endpoint::GetPassPolicy => tap::get_policy(&cx, credentials, &tenant).await,
        Endpoint::PatchPassPolicy => tap::patch_policy(req, &cx, credentials, tenant).await,
        Endpoint::GetBranding => admin::get_branding(&cx, credentials, &tenant).await,
        Endpoint::PatchBranding => admin::patch_branding(req, &cx, credentials, tenant).await,
        Endpoint::PutBannerLogo => admin::put_banner_logo(req, &cx, credentials, tenant).await,
        Endpoint::GetBannerLogo => admin::get_banner_logo(&cx, &tenant).await,
        Endpoint::GetExternalCollaboration => {
            admin::get_external_collaboration(&cx, credentials, &tenant).await
        }
        Endpoint::PatchExternalCollaboration => {
            admin::patch_external_collaboration(req, &cx, credentials, tenant).await
        }
        Endpoint::Invite => admin::invite(req, &cx, credentials, &tenant).await,
        Endpoint::ListUsers => admin::list_users(&cx, credentials, &tenant, &query).await,
        Endpoint::CreateUser => admin::create_member(req, &cx, credentials, &tenant).await,
        Endpoint::GetUser => admin::get_user(&cx, credentials, &tenant, user).await,
        Endpoint::DeleteUser => admin::delete_user(&cx, credentials, &tenant, user).await,
        Endpoint::RevokeSessions => admin::revoke_sessions(&cx, credentials, &tenant, user).await,
        Endpoint::ListPasses => tap::list(&cx, credentials, &tenant, user).await,
        Endpoint::CreatePass => tap::create(req, &cx, credentials, &tenant, user).await,
        Endpoint::GetPass => tap::get(&cx, credentials, &tenant, user, method_id).await,
        Endpoint::DeletePass => tap::delete(&cx, credentials, &tenant, user, method_id).await,
        Endpoint::SignInLogs => admin::sign_in_logs(&cx, credentials, &tenant, &query).await,
        Endpoint::SignInSummary => admin::sign_in_summary(&cx, credentials, &tenant, &query).await,
        Endpoint::DirectoryLogs => admin::directory_logs(&cx, credentials, &tenant, &query).await,
        Endpoint::PasskeyOptions => passkey::options(req, &cx, &tenant).await,
        Endpoint::PasskeySignIn => passkey::sign_in(req, &cx, &tenant).await,
        Endpoint::PasskeyRegistrationOptions => {
            passkey::registration_options(&cx, credentials, &tenant).await
        }
        Endpoint::RegisterPasskey => passkey::register(req, &cx, credentials, &tenant).await,
        Endpoint::ListOwnPasskeys => passkey::list_own(&cx, credentials, &tenant).await,
        // `me/passkeys/{passkey}`: the second parameter is the passkey, not a user.
        Endpoint::RenameOwnPasskey => {
            passkey::rename_own(req, &cx, credentials, &tenant, user).await
        }
        Endpoint::DeleteOwnPasskey => passkey::delete_own(&cx, credentials, &tenant, user).await,
        Endpoint::ListPasskeys => passkey::list(&cx, credentials, &tenant, user).await,
        Endpoint::DeletePasskey => {
            passkey::delete(&cx, credentials, &tenant, user, method_id).await
        }
        Endpoint::GetPasskeyPolicy => passkey::get_policy(&cx, credentials, &tenant).await,
        Endpoint::PatchPasskeyPolicy => passkey::patch_policy(req, &cx, credentials, tenant).await,
        // `applications/{application}[/secrets/{secret}]`: the second parameter is the
        // application, the third its secret.
        Endpoint::ListApplications => application::list(&cx, credentials, &tenant).await,
        Endpoint::CreateApplication => application::create(req, &cx, credentials, &tenant).await,
        Endpoint::GetApplication => application::get(&cx, credentials, &tenant, user).await,
        Endpoint::PatchApplication => {
            application::patch(req, &cx, credentials, &tenant, user).await
        }
        Endpoint::DeleteApplication => application::delete(&cx, credentials, &tenant, user).await,
        Endpoint::AddClientSecret => application::add_secret(&cx, credentials, &tenant, user).await,
        Endpoint::RemoveClientSecret => {
            application::remove_secret(&cx, credentials, &tenant, user, method_id).await
        }
    }
}
