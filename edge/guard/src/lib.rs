//! The guard Worker: the `Guard` Durable Object class, bound by the main Worker through
//! `script_name`, so the main Worker's upload carries none of this code.
//!
//! The object parses a command and runs `guestpass_core::guard::protocol::apply`
//! on its own storage; its alarm runs `sweep`. One instance per tenant (its addresses, send
//! counter, attempts per network and pass sign-in lockouts) and one per client network. Requests
//! to one instance run one at a time, and storage calls hold other events off, so each load →
//! decide → store is atomic.

use guestpass_core::guard::protocol::{apply, sweep, GuardCommand, GuardStorage};
use guestpass_core::limits::GUARD_SWEEP_INTERVAL_MS;
use guestpass_core::time::UnixMillis;
use guestpass_core::DomainError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use worker::{
    console_error, durable_object, event, js_sys, wasm_bindgen::JsCast, Context, Date,
    DurableObject, Env, ListOptions, Request, Response, Result, State,
};

/// The script's own URL (it has none in production: `workers_dev = false`) serves nothing.
#[event(fetch)]
async fn fetch(_req: Request, _env: Env, _ctx: Context) -> Result<Response> {
    Response::error("Not Found", 404)
}

#[durable_object]
pub struct Guard {
    state: State,
}

struct InstanceStorage(worker::Storage);

fn unavailable(what: &str, e: worker::Error) -> DomainError {
    DomainError::StorageUnavailable(format!("guard storage {what}: {e}"))
}

fn now() -> UnixMillis {
    Date::now().as_millis() as UnixMillis
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

    async fn delete(&self, key: &str) -> std::result::Result<(), DomainError> {
        self.0
            .delete(key)
            .await
            .map(|_| ())
            .map_err(|e| unavailable("delete", e))
    }

    async fn keys(&self, prefix: &str) -> std::result::Result<Vec<String>, DomainError> {
        let listed = self
            .0
            .list_with_options(ListOptions::new().prefix(prefix))
            .await
            .map_err(|e| unavailable("list", e))?;
        Ok(listed
            .keys()
            .into_iter()
            .filter_map(|key| key.ok().and_then(|k| k.dyn_into::<js_sys::JsString>().ok()))
            .map(String::from)
            .collect())
    }

    async fn schedule_sweep(&self, at: UnixMillis) -> std::result::Result<(), DomainError> {
        let set = self
            .0
            .get_alarm()
            .await
            .map_err(|e| unavailable("get alarm", e))?;
        if set.is_some_and(|set| set <= at) {
            return Ok(());
        }
        self.0
            .set_alarm(at - now())
            .await
            .map_err(|e| unavailable("set alarm", e))
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
                console_error!("guard: {}", e.log_detail());
                Response::error("guard storage failed", 503)
            }
        }
    }

    /// Sweeps out what no longer matters, and comes back while anything is left.
    async fn alarm(&self) -> Result<Response> {
        match sweep(&InstanceStorage(self.state.storage()), now()).await {
            Ok(true) => {
                self.state
                    .storage()
                    .set_alarm(GUARD_SWEEP_INTERVAL_MS)
                    .await?
            }
            Ok(false) => {}
            Err(e) => console_error!("guard sweep: {}", e.log_detail()),
        }
        Response::ok("swept")
    }
}
