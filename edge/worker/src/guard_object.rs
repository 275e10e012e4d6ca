//! The guard Durable Object: parses a command and runs `guestpass_core::guard::protocol::apply`
//! on its own storage. One instance per tenant (its addresses, send counter and pass sign-in
//! lockouts) and one per client IP. Requests to one instance run one at a time, and storage calls
//! hold other events off, so each load → decide → store is atomic.

use guestpass_core::guard::protocol::{apply, GuardCommand, GuardStorage};
use guestpass_core::DomainError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use worker::{console_error, durable_object, DurableObject, Env, Request, Response, Result, State};

#[durable_object]
pub struct Guard {
    state: State,
}

struct InstanceStorage(worker::Storage);

fn unavailable(what: &str, e: worker::Error) -> DomainError {
    DomainError::StorageUnavailable(format!("guard storage {what}: {e}"))
}

impl GuardStorage for InstanceStorage {
    async fn load<T: DeserializeOwned>(
        &self,
        key: &str,
    ) -> std::result::Result<Option<T>, DomainError> {
        self.0.get(key).await.map_err(|e| unavailable("get", e))
    }

    async fn store<T: Serialize>(
        &self,
        key: &str,
        value: &T,
    ) -> std::result::Result<(), DomainError> {
        self.0
            .put(key, value)
            .await
            .map_err(|e| unavailable("put", e))
    }
}

impl DurableObject for Guard {
    fn new(state: State, _env: Env) -> Self {
        Guard { state }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let command: GuardCommand = match req.json().await {
            Ok(command) => command,
            Err(e) => return Response::error(format!("bad guard command: {e}"), 400),
        };
        match apply(&InstanceStorage(self.state.storage()), command).await {
            Ok(reply) => Response::from_json(&reply),
            Err(e) => {
                console_error!("guard: {e:?}");
                Response::error("guard storage failed", 503)
            }
        }
    }
}
