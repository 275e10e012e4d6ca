//! The one typed client the SPA talks to the edge through. Bodies are the wire crate's types;
//! failures keep the wire error code so screens map them to copy, never by reading messages.

use crate::json;
use gloo_net::http::{Method, RequestBuilder, Response};
use guestpass_wire::api::op;
use guestpass_wire::application::MyApplication;
use guestpass_wire::passkey::{PasskeyMethod, PasskeyOptionsRequest, RenamePasskeyRequest};
use guestpass_wire::tap::PassSignInRequest;
use guestpass_wire::{
    ApiError, ErrorCode, Language, List, OutboxMessage, SendCodeRequest, SendCodeResponse, Session,
    SignInInfo, SignInResult, VerifyCodeRequest,
};
use guestpass_wire::{Method as WireMethod, Operation};
use serde::de::DeserializeOwned;
use std::future::Future;
use std::pin::Pin;

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

/// Calls `O`: path parameters in order, query pairs (empty values left out), and the body when
/// the operation has one. The fetch is aborted if the returned future is dropped first — a view
/// that goes away takes its requests with it, and a late answer lands nowhere.
///
/// Only encoding the body and decoding the answer depend on `O`; the exchange itself is one
/// function for every operation, so its code is in the wasm once, not once per endpoint.
pub async fn call_op<O: Operation>(
    params: &[&str],
    query: &[(&str, &str)],
    body: Option<&O::Request>,
) -> Result<O::Response, Failure> {
    let body = match body {
        Some(body) => Some(Payload::Json(
            json::to_text(body).map_err(|_| Failure::Network)?,
        )),
        None => None,
    };
    let answer = request::<O>(params, query, body).await?;
    decode(&answer)
}

/// Calls `O` with a file as its body (an image upload), sent as it is with its own type.
pub async fn upload<O: Operation>(
    params: &[&str],
    file: web_sys::Blob,
) -> Result<O::Response, Failure> {
    let answer = request::<O>(params, &[], Some(Payload::File(file))).await?;
    decode(&answer)
}

/// `O`'s request: its method and path pattern go to [`send`] as constants, so a bundle carries
/// only the patterns of the operations it calls, not the whole endpoint table.
fn request<O: Operation>(
    params: &[&str],
    query: &[(&str, &str)],
    body: Option<Payload>,
) -> Pin<Box<dyn Future<Output = Result<Answer, Failure>>>> {
    send(
        const { O::ENDPOINT.method() },
        const { O::ENDPOINT.pattern() },
        params,
        query,
        body,
    )
}

/// The part of a call that does not depend on its types: kept out of line, so each operation's
/// code holds only its body's encoding and its answer's decoding.
#[inline(never)]
fn send(
    method: WireMethod,
    pattern: &'static str,
    params: &[&str],
    query: &[(&str, &str)],
    body: Option<Payload>,
) -> Pin<Box<dyn Future<Output = Result<Answer, Failure>>>> {
    let query = query
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    exchange(
        method,
        guestpass_wire::api::fill(pattern, params),
        query,
        body,
    )
}

/// What a request carries.
enum Payload {
    Json(String),
    File(web_sys::Blob),
}

/// Follows a list's `nextLink` (an absolute URL the API made) for the next page.
pub async fn next_page<T: DeserializeOwned>(next_link: &str) -> Result<T, Failure> {
    let answer = exchange(WireMethod::Get, next_link.to_string(), Vec::new(), None).await?;
    decode(&answer)
}

pub async fn sign_in_info(tenant: &str) -> Result<SignInInfo, Failure> {
    call_op::<op::SignInInfo>(&[tenant], &[], None).await
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
    call_op::<op::SendCode>(&[tenant], &[], Some(&body)).await
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
    call_op::<op::VerifyCode>(&[tenant], &[], Some(&body)).await
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
    call_op::<op::PassSignIn>(&[tenant], &[], Some(&body)).await
}

/// The current session, or `None` when nobody is signed in to this tenant.
pub async fn session(tenant: &str) -> Result<Option<Session>, Failure> {
    match call_op::<op::GetSession>(&[tenant], &[], None).await {
        Ok(session) => Ok(Some(session)),
        Err(Failure::Api {
            code: ErrorCode::Unauthorized,
            ..
        }) => Ok(None),
        Err(failure) => Err(failure),
    }
}

pub async fn sign_out(tenant: &str) -> Result<(), Failure> {
    call_op::<op::SignOut>(&[tenant], &[], None)
        .await
        .map(|_| ())
}

/// WebAuthn options for a passkey sign-in (`username`: the member's, or none for autofill), as
/// the JSON the browser's API is given: the app never reads them.
pub async fn passkey_options(tenant: &str, username: Option<&str>) -> Result<String, Failure> {
    let body = PasskeyOptionsRequest {
        username: username.map(str::to_string),
    };
    let body = json::to_text(&body).map_err(|_| Failure::Network)?;
    call_json::<op::PasskeyOptions>(&[tenant], Some(body)).await
}

/// Signs in with the assertion the browser made (`AuthenticationResponseJSON` text).
pub async fn passkey_sign_in(
    tenant: &str,
    username: Option<&str>,
    credential: &str,
) -> Result<SignInResult, Failure> {
    let body = ceremony_body("username", username, credential);
    call_text::<op::PasskeySignIn>(&[tenant], body).await
}

/// Options for registering a passkey, as the JSON `navigator.credentials.create` is given.
pub async fn passkey_registration_options(tenant: &str) -> Result<String, Failure> {
    call_json::<op::PasskeyRegistrationOptions>(&[tenant], None).await
}

/// Registers the passkey the browser created (`RegistrationResponseJSON` text) under `name`.
pub async fn register_passkey(
    tenant: &str,
    name: &str,
    credential: &str,
) -> Result<PasskeyMethod, Failure> {
    let body = ceremony_body("displayName", Some(name), credential);
    call_text::<op::RegisterPasskey>(&[tenant], body).await
}

pub async fn my_applications(tenant: &str) -> Result<List<MyApplication>, Failure> {
    call_op::<op::ListMyApplications>(&[tenant], &[], None).await
}

pub async fn own_passkeys(tenant: &str) -> Result<List<PasskeyMethod>, Failure> {
    call_op::<op::ListOwnPasskeys>(&[tenant], &[], None).await
}

pub async fn rename_own_passkey(
    tenant: &str,
    passkey: &str,
    name: &str,
) -> Result<PasskeyMethod, Failure> {
    let body = RenamePasskeyRequest {
        display_name: name.to_string(),
    };
    call_op::<op::RenameOwnPasskey>(&[tenant, passkey], &[], Some(&body)).await
}

pub async fn delete_own_passkey(tenant: &str, passkey: &str) -> Result<(), Failure> {
    call_op::<op::DeleteOwnPasskey>(&[tenant, passkey], &[], None)
        .await
        .map(|_| ())
}

/// A ceremony's request body (`PasskeySignInRequest`, `RegisterPasskeyRequest`): `field`'s
/// value, then the browser's credential spliced in as the JSON it came as (`webauthn.js` made
/// it with `JSON.stringify`), rather than decoded and encoded again by code shipped for that.
pub fn ceremony_body(field: &str, value: Option<&str>, credential: &str) -> String {
    let mut body = String::from("{");
    if let Some(value) = value {
        body.push_str(&json::string(field));
        body.push(':');
        body.push_str(&json::string(value));
        body.push(',');
    }
    body.push_str("\"credential\":");
    body.push_str(credential);
    body.push('}');
    body
}

/// Calls `O` with a JSON body already encoded.
async fn call_text<O: Operation>(params: &[&str], body: String) -> Result<O::Response, Failure> {
    let answer = request::<O>(params, &[], Some(Payload::Json(body))).await?;
    decode(&answer)
}

/// Calls `O` with a JSON body as text, and gives its answer's JSON as text.
async fn call_json<O: Operation>(params: &[&str], body: Option<String>) -> Result<String, Failure> {
    let answer = request::<O>(params, &[], body.map(Payload::Json)).await?;
    Ok(answer.text)
}

pub async fn outbox(to: Option<&str>) -> Result<List<OutboxMessage>, Failure> {
    call_op::<op::DevOutbox>(&[], &[("to", to.unwrap_or(""))], None).await
}

/// A successful answer: its status and body text.
struct Answer {
    status: u16,
    text: String,
}

fn decode<T: DeserializeOwned>(answer: &Answer) -> Result<T, Failure> {
    // A `204`'s response type is `NoBody`, a unit struct: JSON's `null`.
    let text = if answer.status == 204 {
        "null"
    } else {
        answer.text.as_str()
    };
    json::parse(text).map_err(|_| Failure::Network)
}

/// One request and its answer, for every operation: a failure is the API's error shape, or
/// `Network` when no answer (or not the API's) came back. Boxed, so it is compiled once.
fn exchange(
    method: WireMethod,
    url: String,
    query: Vec<(String, String)>,
    body: Option<Payload>,
) -> Pin<Box<dyn Future<Output = Result<Answer, Failure>>>> {
    Box::pin(async move {
        let abort = AbortOnDrop::new();
        let method = match method {
            WireMethod::Get | WireMethod::Head => Method::GET,
            WireMethod::Post => Method::POST,
            WireMethod::Patch => Method::PATCH,
            WireMethod::Put => Method::PUT,
            WireMethod::Delete => Method::DELETE,
        };
        // Path parameters passed `route::parse`: letters, digits, dots and hyphens only.
        let request = RequestBuilder::new(&url)
            .method(method)
            .query(query.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .abort_signal(abort.signal().as_ref());
        let request = match body {
            Some(Payload::Json(body)) => request
                .header("content-type", "application/json")
                .body(body),
            Some(Payload::File(file)) => {
                let kind = file.type_();
                request.header("content-type", &kind).body(file)
            }
            None => request.build(),
        }
        .map_err(|_| Failure::Network)?;
        let response = request.send().await.map_err(|_| Failure::Network)?;
        let status = response.status();
        if !response.ok() {
            return Err(failure_of(response).await);
        }
        let text = response.text().await.map_err(|_| Failure::Network)?;
        abort.disarm();
        Ok(Answer { status, text })
    })
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

async fn failure_of(response: Response) -> Failure {
    let header_retry = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.trim().parse().ok());
    let body = response.text().await.unwrap_or_default();
    match json::parse::<ApiError>(&body) {
        Ok(ApiError { error }) => Failure::Api {
            code: error.code,
            attempts_remaining: error.attempts_remaining,
            retry_after_seconds: error.retry_after_seconds.or(header_retry),
        },
        // Something between us and the API answered (a proxy's HTML error page, say).
        Err(_) => Failure::Network,
    }
}
