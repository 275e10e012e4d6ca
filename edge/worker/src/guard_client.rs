//! Calls into the guard Durable Object. Any failure to reach it fails closed: the caller gets
//! `StorageUnavailable` and nobody signs in on a guess.

use guestpass_core::guard::{GuardCommand, GuardReply, PassOutcome, SendOutcome, VerifyOutcome};
use guestpass_core::DomainError;
use worker::{Env, Headers, Method, Request, RequestInit};

pub const BINDING: &str = "GUARD";

async fn call(
    env: &Env,
    instance: &str,
    command: &GuardCommand,
) -> Result<GuardReply, DomainError> {
    let fail = |what: &str, e: &dyn std::fmt::Display| {
        DomainError::StorageUnavailable(format!("guard {what}: {e}"))
    };
    let namespace = env
        .durable_object(BINDING)
        .map_err(|e| fail("binding", &e))?;
    let stub = namespace
        .get_by_name(instance)
        .map_err(|e| fail("stub", &e))?;
    let body = serde_json::to_string(command).map_err(|e| DomainError::Internal(e.to_string()))?;
    let headers = Headers::new();
    headers
        .set("content-type", "application/json")
        .map_err(|e| fail("header", &e))?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(body.into()));
    let request = Request::new_with_init("https://guard.internal/", &init)
        .map_err(|e| fail("request", &e))?;
    let mut response = stub
        .fetch_with_request(request)
        .await
        .map_err(|e| fail("fetch", &e))?;
    if response.status_code() != 200 {
        return Err(DomainError::StorageUnavailable(format!(
            "guard answered {}",
            response.status_code()
        )));
    }
    response
        .json::<GuardReply>()
        .await
        .map_err(|e| fail("reply", &e))
}

/// A send (`Send` or `IpSend`): accepted, or throttled for how long.
pub async fn send(
    env: &Env,
    instance: &str,
    command: &GuardCommand,
) -> Result<SendOutcome, DomainError> {
    match call(env, instance, command).await? {
        GuardReply::Send { outcome } => Ok(outcome),
        other => Err(mismatch("send", &other)),
    }
}

/// A verification attempt: the guard's verdict.
pub async fn verify(
    env: &Env,
    instance: &str,
    command: &GuardCommand,
) -> Result<VerifyOutcome, DomainError> {
    match call(env, instance, command).await? {
        GuardReply::Verify { outcome } => Ok(outcome),
        other => Err(mismatch("verify", &other)),
    }
}

/// A pass sign-in attempt (`Pass`): the guard's verdict on lockout and one-time use.
pub async fn pass(
    env: &Env,
    instance: &str,
    command: &GuardCommand,
) -> Result<PassOutcome, DomainError> {
    match call(env, instance, command).await? {
        GuardReply::Pass { outcome } => Ok(outcome),
        other => Err(mismatch("pass", &other)),
    }
}

fn mismatch(asked: &str, reply: &GuardReply) -> DomainError {
    DomainError::StorageUnavailable(format!("guard answered {reply:?} to a {asked}"))
}
