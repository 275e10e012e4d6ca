//! The tenant's OpenID Connect endpoints (`guestpass_wire::oidc::ProtocolEndpoint`): each
//! parses, calls one use case of `guestpass_core::oidc::provider` and renders it the protocol's
//! way — redirects and HTML pages for the browser, RFC 6749 JSON and errors for applications.
//! The endpoints applications call from browsers (discovery, keys, token, userinfo) allow any
//! origin: they never read the cookie.

use guestpass_core::context::Credentials;
use guestpass_core::directory::TenantRecord;
use guestpass_core::oidc::claims::discovery;
use guestpass_core::oidc::page;
use guestpass_core::oidc::provider::{self, Answer};
use guestpass_core::oidc::token::TokenError;
use guestpass_core::request_rules::MAX_BODY_BYTES;
use guestpass_core::session;
use guestpass_core::DomainError;
use guestpass_wire::oidc::ProtocolEndpoint;
use guestpass_wire::Language;
use serde::Serialize;
use worker::{Request, Response};

use crate::http::{header, json, read_bytes, set_header, HandlerResult};
use crate::router::Cx;

pub async fn handle(
    req: &mut Request,
    cx: &Cx<'_>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    endpoint: ProtocolEndpoint,
    raw_query: &str,
) -> HandlerResult {
    use ProtocolEndpoint::*;
    let method = req.method().to_string();
    let cross_origin = !matches!(endpoint, Authorize | EndSession);
    let mut response = match (endpoint, method.as_str()) {
        (_, "OPTIONS") if cross_origin => preflight(),
        (Discovery, "GET") => json(200, &discovery(cx.link_origin, &tenant.id)),
        (Keys, "GET") => json(200, &provider::keys(cx, tenant).await?),
        (Authorize, "GET") => {
            let answer = provider::authorize(cx, credentials, tenant, raw_query).await?;
            render(req, answer, tenant)
        }
        (Authorize, "POST") => {
            let form = read_form(req).await?;
            let answer = provider::authorize(cx, credentials, tenant, &form).await?;
            render(req, answer, tenant)
        }
        (Token, "POST") => token(req, cx, tenant).await,
        (UserInfo, "GET" | "POST") => user_info(req, cx, tenant).await,
        (EndSession, "GET" | "POST") => {
            let query = match method.as_str() {
                "POST" => read_form(req).await?,
                _ => raw_query.to_string(),
            };
            let (answer, signed_out) =
                provider::end_session(cx, credentials, tenant, &query).await?;
            let mut response = render(req, answer, tenant)?;
            if signed_out {
                set_header(&mut response, "Set-Cookie", &session::clear_cookie_header());
            }
            Ok(response)
        }
        _ => Err(DomainError::MethodNotAllowed),
    }?;
    if cross_origin {
        set_header(&mut response, "Access-Control-Allow-Origin", "*");
    }
    Ok(response)
}

/// A browser's CORS preflight for an application's request from its own origin.
fn preflight() -> HandlerResult {
    let mut response = empty(204)?;
    set_header(&mut response, "Access-Control-Allow-Methods", "GET, POST");
    set_header(
        &mut response,
        "Access-Control-Allow-Headers",
        "Authorization, Content-Type",
    );
    set_header(&mut response, "Access-Control-Max-Age", "86400");
    Ok(response)
}

fn empty(status: u16) -> HandlerResult {
    Ok(Response::empty()
        .map_err(|e| DomainError::Internal(e.to_string()))?
        .with_status(status))
}

/// An `application/x-www-form-urlencoded` body, within the API's size limit.
async fn read_form(req: &mut Request) -> Result<String, DomainError> {
    let body = read_bytes(req, MAX_BODY_BYTES).await?;
    String::from_utf8(body).map_err(|_| DomainError::InvalidJson("the form is not UTF-8".into()))
}

/// A redirect, or an error page in the visitor's language.
fn render(req: &Request, answer: Answer, tenant: &TenantRecord) -> HandlerResult {
    match answer {
        Answer::Redirect(url) | Answer::Visit(url) => {
            let mut response = empty(302)?;
            set_header(&mut response, "Location", &url);
            Ok(response)
        }
        Answer::Page(problem) => {
            let accepted = header(req, "accept-language").unwrap_or_default();
            let preferences = accepted
                .split(',')
                .map(|tag| tag.split(';').next().unwrap_or(""));
            let (status, html) =
                page::render(problem, Language::negotiate(preferences), &tenant.id);
            let mut response = Response::from_html(html)
                .map_err(|e| DomainError::Internal(e.to_string()))?
                .with_status(status);
            set_header(
                &mut response,
                "Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
            );
            Ok(response)
        }
    }
}

/// RFC 6749 §5.2's error body.
#[derive(Serialize)]
struct OAuthError {
    error: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_description: Option<&'static str>,
}

async fn token(req: &mut Request, cx: &Cx<'_>, tenant: &TenantRecord) -> HandlerResult {
    let form = read_form(req).await?;
    let authorization = header(req, "authorization");
    match provider::token(cx, tenant, authorization.as_deref(), &form).await? {
        Ok(tokens) => {
            let mut response = json(200, &tokens)?;
            set_header(&mut response, "Pragma", "no-cache");
            Ok(response)
        }
        Err(error) => {
            let description = match error {
                TokenError::InvalidRequest(why) | TokenError::InvalidGrant(why) => Some(why),
                TokenError::InvalidClient | TokenError::UnsupportedGrantType => None,
            };
            let body = OAuthError {
                error: error.code(),
                error_description: description,
            };
            let mut response = json(error.status(), &body)?;
            if error == TokenError::InvalidClient && authorization.is_some() {
                set_header(&mut response, "WWW-Authenticate", "Basic realm=\"token\"");
            }
            Ok(response)
        }
    }
}

async fn user_info(req: &Request, cx: &Cx<'_>, tenant: &TenantRecord) -> HandlerResult {
    let authorization = header(req, "authorization");
    match provider::user_info(cx, tenant, authorization.as_deref()).await? {
        Some(info) => json(200, &info),
        None => {
            let mut response = empty(401)?;
            let challenge = match authorization {
                Some(_) => "Bearer error=\"invalid_token\"",
                None => "Bearer",
            };
            set_header(&mut response, "WWW-Authenticate", challenge);
            Ok(response)
        }
    }
}
