//! The [`Guard`] port on the `Guard` Durable Object (binding `GUARD`). Any failure to reach it
//! fails closed: the caller gets `StorageUnavailable` and nobody signs in on a guess.

use guestpass_core::guard::{GuardCommand, GuardReply};
use guestpass_core::ports::Guard;
use guestpass_core::DomainError;
use worker::Env;

use crate::http::json_post;

pub const BINDING: &str = "GUARD";

pub struct DurableGuard<'a> {
    pub env: &'a Env,
}

impl Guard for DurableGuard<'_> {
    async fn call(&self, instance: &str, command: GuardCommand) -> Result<GuardReply, DomainError> {
        let fail = |what: &str, e: &dyn std::fmt::Display| {
            DomainError::StorageUnavailable(format!("guard {what}: {e}"))
        };
        let namespace = self
            .env
            .durable_object(BINDING)
            .map_err(|e| fail("binding", &e))?;
        let stub = namespace
            .get_by_name(instance)
            .map_err(|e| fail("stub", &e))?;
        let body =
            serde_json::to_string(&command).map_err(|e| DomainError::Internal(e.to_string()))?;
        let request =
            json_post("https://guard.internal/", &body, &[]).map_err(|e| fail("request", &e))?;
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
}
