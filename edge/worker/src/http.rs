//! HTTP plumbing: reading JSON bodies by the rules, writing JSON and errors, security headers.

#[cfg(any(feature = "admin", feature = "account"))]
use guestpass_core::context::Body;
#[cfg(any(feature = "admin", feature = "account"))]
use guestpass_core::request_rules::check_size_within;
use guestpass_core::request_rules::{
    check_body_size, check_json_content_type, parse_json, read_capped_to, BodyChunks,
    MAX_BODY_BYTES,
};
use guestpass_core::DomainError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use worker::wasm_bindgen::JsCast;
use worker::wasm_bindgen::JsValue;
use worker::wasm_bindgen_futures::JsFuture;
use worker::web_sys::{self, ReadableStreamDefaultReader};
use worker::{console_error, console_warn, js_sys, Request, Response};

pub type HandlerResult = Result<Response, DomainError>;

/// A `POST` of a JSON body with `headers` besides its content type, built on web-sys directly:
/// worker's `RequestInit` conversion handles every option a request can carry (about 6 KB of
/// the sign-in Worker's code) where these requests set three.
pub fn json_post(url: &str, body: &str, headers: &[(&str, &str)]) -> Result<Request, String> {
    let failed = |what: &str| format!("cannot build the request ({what})");
    let all = web_sys::Headers::new().map_err(|_| failed("headers"))?;
    for (name, value) in [("content-type", "application/json")].iter().chain(headers) {
        all.set(name, value).map_err(|_| failed(name))?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&all);
    init.set_body(&JsValue::from_str(body));
    web_sys::Request::new_with_str_and_init(url, &init)
        .map(Request::from)
        .map_err(|_| failed(url))
}

pub fn header(req: &Request, name: &str) -> Option<String> {
    req.headers().get(name).ok().flatten()
}

/// The first value of a query parameter.
#[cfg(feature = "admin")]
pub fn query_value<'q>(query: &'q [(String, String)], name: &str) -> Option<&'q str> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Reads a JSON body: declared as JSON, within the size limit, and of the expected shape.
pub async fn read_json<T: DeserializeOwned>(req: &mut Request) -> Result<T, DomainError> {
    check_json_content_type(header(req, "content-type").as_deref())?;
    let declared = header(req, "content-length").and_then(|n| n.parse().ok());
    check_body_size(declared, None)?;
    let body = match declared {
        // A declared length within the limit: the runtime holds no more than it said.
        Some(_) => req.bytes().await.map_err(unreadable)?,
        None => read_body(req, MAX_BODY_BYTES).await?,
    };
    check_body_size(None, Some(body.len()))?;
    parse_json(&body)
}

/// Reads a raw body (an image upload, a token request's form) of at most `limit` bytes: `413`
/// past it, declared or not.
#[cfg(any(feature = "admin", feature = "account"))]
pub async fn read_bytes(req: &mut Request, limit: usize) -> Result<Vec<u8>, DomainError> {
    let declared = header(req, "content-length").and_then(|n| n.parse().ok());
    check_size_within(limit, declared, None)?;
    let body = match declared {
        Some(_) => req.bytes().await.map_err(unreadable)?,
        None => read_body(req, limit).await?,
    };
    check_size_within(limit, None, Some(body.len()))?;
    Ok(body)
}

fn unreadable(e: worker::Error) -> DomainError {
    DomainError::InvalidJson(format!("unreadable body ({e})"))
}

/// The request's body stream, for `read_capped`: a body without a declared length (chunked) is
/// read chunk by chunk and never held whole before the size check.
struct Chunks(Option<ReadableStreamDefaultReader>);

impl BodyChunks for Chunks {
    async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, DomainError> {
        let Some(reader) = &self.0 else {
            return Ok(None);
        };
        let unreadable = |_| DomainError::InvalidJson("unreadable body".into());
        let read = JsFuture::from(reader.read()).await.map_err(unreadable)?;
        let field = |name: &str| js_sys::Reflect::get(&read, &name.into()).map_err(unreadable);
        if field("done")?.as_bool().unwrap_or(true) {
            return Ok(None);
        }
        Ok(Some(js_sys::Uint8Array::new(&field("value")?).to_vec()))
    }
}

async fn read_body(req: &mut Request, limit: usize) -> Result<Vec<u8>, DomainError> {
    let reader = req.inner().body().map(|body| {
        body.get_reader()
            .unchecked_into::<ReadableStreamDefaultReader>()
    });
    let mut chunks = Chunks(reader);
    let body = read_capped_to(&mut chunks, limit).await;
    if body.is_err() {
        discard_rest(&mut chunks).await;
    }
    body
}

/// How much of a refused upload is read and thrown away so the connection stays usable (as
/// HTTP servers do); past this the stream is cancelled.
const DISCARD_LIMIT: usize = 1 << 20;

/// After a refusal part-way: reads the rest of the upload, up to [`DISCARD_LIMIT`], keeping
/// none of it, then cancels whatever is left.
async fn discard_rest(chunks: &mut Chunks) {
    let mut discarded = 0;
    while discarded <= DISCARD_LIMIT {
        match chunks.next_chunk().await {
            Ok(Some(chunk)) => discarded += chunk.len(),
            Ok(None) | Err(_) => return,
        }
    }
    if let Some(reader) = &chunks.0 {
        let _ = JsFuture::from(reader.cancel()).await;
    }
}

/// A JSON body the use case reads when it is ready to (see `guestpass_core::context::Body`).
#[cfg(any(feature = "admin", feature = "account"))]
pub struct JsonBody<'a>(pub &'a mut Request);

#[cfg(any(feature = "admin", feature = "account"))]
impl<T: DeserializeOwned> Body<T> for JsonBody<'_> {
    async fn read(self) -> Result<T, DomainError> {
        read_json(self.0).await
    }
}

pub fn json<T: Serialize>(status: u16, value: &T) -> HandlerResult {
    Response::from_json(value)
        .map(|r| r.with_status(status))
        .map_err(|e| DomainError::Internal(format!("serialize response: {e}")))
}

pub fn no_content() -> HandlerResult {
    Ok(Response::empty()
        .map_err(|e| DomainError::Internal(e.to_string()))?
        .with_status(204))
}

pub fn set_header(resp: &mut Response, name: &str, value: &str) {
    if let Err(e) = resp.headers_mut().set(name, value) {
        console_error!("cannot set header {name}: {e}");
    }
}

/// Renders a domain error: the public body, the status, `Retry-After` when it applies. Server
/// faults are logged with their internal detail (which never holds a code, pass or key).
pub fn error_response(err: &DomainError) -> Response {
    let api = err.to_api();
    let status = api.error.code.http_status();
    match err {
        DomainError::StorageUnavailable(detail)
        | DomainError::Misconfigured(detail)
        | DomainError::Internal(detail) => {
            console_error!("{status} {}: {detail}", api.error.code.as_str())
        }
        _ if status >= 500 => console_warn!("{status} {}", api.error.code.as_str()),
        _ => {}
    }
    let mut resp = Response::from_json(&api)
        .map(|r| r.with_status(status))
        .unwrap_or_else(|_| {
            Response::error("error", status)
                .unwrap_or_else(|_| unreachable!("a plain error response builds"))
        });
    if let Some(seconds) = api.error.retry_after_seconds {
        set_header(&mut resp, "Retry-After", &seconds.to_string());
    }
    resp
}

/// The API's security headers: nothing cached, nothing sniffed, framed or referred. A header the
/// handler set itself (an HTML page's policy) stays.
pub fn with_security_headers(mut resp: Response) -> Response {
    for (name, value) in [
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        (
            "Content-Security-Policy",
            "default-src 'none'; frame-ancestors 'none'",
        ),
        (
            "Strict-Transport-Security",
            "max-age=63072000; includeSubDomains",
        ),
        ("X-Frame-Options", "DENY"),
    ] {
        if resp.headers().has(name).unwrap_or(false) {
            continue;
        }
        set_header(&mut resp, name, value);
    }
    resp
}
