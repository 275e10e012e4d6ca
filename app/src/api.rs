//! The one typed client the SPA talks to the edge through. Bodies are the wire crate's types;
//! failures keep the wire error code so screens map them to copy, never by reading messages.

use gloo_net::http::{Method, RequestBuilder, Response};
use guestpass_wire::api::op;
use guestpass_wire::tap::PassSignInRequest;
use guestpass_wire::{
    ApiError, ErrorCode, Language, List, OutboxMessage, SendCodeRequest, SendCodeResponse, Session,
    SignInInfo, SignInResult, VerifyCodeRequest,
};
use guestpass_wire::{Method as WireMethod, NoBody, Operation};
use serde::de::DeserializeOwned;

/// Why a call failed, as much as a screen needs to know.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The API answered with its error shape.
    Api {
        code: ErrorCode,
        attempts_remaining: Option<u32>,
        retry_after_seconds: Option<u64>,
    },
    /// No answer (offline, DNS, connection reset) or one that was not the API's.
    Network,
}

/// The request for `O` at its path (parameters filled in order) — the endpoint table decides
/// both the method and the path.
fn request<O: Operation>(params: &[&str]) -> RequestBuilder {
    // Path parameters passed `route::parse`: letters, digits, dots and hyphens only.
    let method = match O::ENDPOINT.method() {
        WireMethod::Get | WireMethod::Head => Method::GET,
        WireMethod::Post => Method::POST,
        WireMethod::Patch => Method::PATCH,
        WireMethod::Put => Method::PUT,
        WireMethod::Delete => Method::DELETE,
    };
    RequestBuilder::new(&O::ENDPOINT.path(params)).method(method)
}

pub async fn sign_in_info(tenant: &str) -> Result<SignInInfo, Failure> {
    call(request::<op::SignInInfo>(&[tenant])).await
}

pub async fn send_code(
    tenant: &str,
    email: &str,
    language: Language,
) -> Result<SendCodeResponse, Failure> {
    let body = SendCodeRequest {
        email: email.to_string(),
        language: Some(language),
    };
    call_with::<op::SendCode>(&[tenant], &body).await
}

pub async fn verify_code(
    tenant: &str,
    challenge: &str,
    code: &str,
) -> Result<SignInResult, Failure> {
    let body = VerifyCodeRequest {
        challenge: challenge.to_string(),
        code: code.to_string(),
    };
    call_with::<op::VerifyCode>(&[tenant], &body).await
}

pub async fn pass_sign_in(
    tenant: &str,
    username: &str,
    pass: &str,
) -> Result<SignInResult, Failure> {
    let body = PassSignInRequest {
        username: username.to_string(),
        temporary_access_pass: pass.to_string(),
    };
    call_with::<op::PassSignIn>(&[tenant], &body).await
}

/// The current session, or `None` when nobody is signed in to this tenant.
pub async fn session(tenant: &str) -> Result<Option<Session>, Failure> {
    match call(request::<op::GetSession>(&[tenant])).await {
        Ok(session) => Ok(Some(session)),
        Err(Failure::Api {
            code: ErrorCode::Unauthorized,
            ..
        }) => Ok(None),
        Err(failure) => Err(failure),
    }
}

pub async fn sign_out(tenant: &str) -> Result<(), Failure> {
    let response = request::<op::SignOut>(&[tenant])
        .send()
        .await
        .map_err(|_| Failure::Network)?;
    if response.ok() {
        Ok(())
    } else {
        Err(failure_of(response).await)
    }
}

pub async fn outbox(to: Option<&str>) -> Result<List<OutboxMessage>, Failure> {
    let request = request::<op::DevOutbox>(&[]);
    let request = match to {
        Some(to) => request.query([("to", to)]),
        None => request,
    };
    call(request).await
}

/// Calls `O`: path parameters in order, query pairs (empty values left out), and the body when
/// the operation has one. The fetch is aborted if the returned future is dropped first — a view
/// that goes away takes its requests with it, and a late answer lands nowhere.
pub async fn call_op<O: Operation>(
    params: &[&str],
    query: &[(&str, &str)],
    body: Option<&O::Request>,
) -> Result<O::Response, Failure> {
    let query = query.iter().filter(|(_, v)| !v.is_empty()).copied();
    let request = request::<O>(params).query(query);
    send(request, body).await
}

/// Follows a list's `nextLink` (an absolute URL the API made) for the next page.
pub async fn next_page<T: DeserializeOwned>(next_link: &str) -> Result<T, Failure> {
    send::<NoBody, T>(RequestBuilder::new(next_link), None).await
}

async fn send<B: serde::Serialize, T: DeserializeOwned>(
    request: RequestBuilder,
    body: Option<&B>,
) -> Result<T, Failure> {
    let abort = AbortOnDrop::new();
    let request = request.abort_signal(abort.signal().as_ref());
    let request = match body {
        Some(body) => request.json(body),
        None => request.build(),
    }
    .map_err(|_| Failure::Network)?;
    let response = request.send().await.map_err(|_| Failure::Network)?;
    if response.status() == 204 {
        // A `204`'s response type is `NoBody`, a unit struct.
        return T::deserialize(
            serde::de::value::UnitDeserializer::<serde::de::value::Error>::new(),
        )
        .map_err(|_| Failure::Network);
    }
    let read = read(response).await;
    abort.disarm();
    read
}

/// Aborts its fetch when dropped before [`AbortOnDrop::disarm`].
struct AbortOnDrop(Option<web_sys::AbortController>);

impl AbortOnDrop {
    fn new() -> AbortOnDrop {
        AbortOnDrop(web_sys::AbortController::new().ok())
    }

    fn signal(&self) -> Option<web_sys::AbortSignal> {
        self.0.as_ref().map(|c| c.signal())
    }

    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(controller) = self.0.take() {
            controller.abort();
        }
    }
}

async fn call<T: DeserializeOwned>(request: RequestBuilder) -> Result<T, Failure> {
    read(request.send().await.map_err(|_| Failure::Network)?).await
}

async fn call_with<O: Operation>(
    params: &[&str],
    body: &O::Request,
) -> Result<O::Response, Failure> {
    let request = request::<O>(params)
        .json(body)
        .map_err(|_| Failure::Network)?;
    read(request.send().await.map_err(|_| Failure::Network)?).await
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, Failure> {
    if response.ok() {
        response.json::<T>().await.map_err(|_| Failure::Network)
    } else {
        Err(failure_of(response).await)
    }
}

async fn failure_of(response: Response) -> Failure {
    let header_retry = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.trim().parse().ok());
    match response.json::<ApiError>().await {
        Ok(ApiError { error }) => Failure::Api {
            code: error.code,
            attempts_remaining: error.attempts_remaining,
            retry_after_seconds: error.retry_after_seconds.or(header_retry),
        },
        // Something between us and the API answered (a proxy's HTML error page, say).
        Err(_) => Failure::Network,
    }
}
