//! The [`KeyValueStore`] port on Workers KV (binding `DIRECTORY`).

use std::future::Future;
use std::time::Duration;

use guestpass_core::ports::{KeyValueStore, ListPage, ListedKey, PutOptions, KV_LIST_PAGE};
use guestpass_core::DomainError;
use worker::kv::KvStore;
use worker::{console_warn, Delay, Env};

pub const BINDING: &str = "DIRECTORY";

#[derive(Clone)]
pub struct Kv(KvStore);

fn unavailable(what: &str, e: impl std::fmt::Display) -> DomainError {
    DomainError::StorageUnavailable(format!("kv {what}: {e}"))
}

/// Runs a KV call, and once more after a short pause if it fails: KV's calls are idempotent
/// (a put of the same value, a delete, a read), and a transient failure — KV's write rate on one
/// key, or the local simulator's store being busy under parallel tests — should not fail the
/// request. A second failure does (callers fail closed).
async fn twice<T, F, Fut>(what: &str, call: F) -> Result<T, DomainError>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, DomainError>>,
{
    match call().await {
        Ok(value) => Ok(value),
        Err(first) => {
            console_warn!("kv {what} failed, retrying once: {}", first.log_detail());
            Delay::from(Duration::from_millis(RETRY_AFTER_MS)).await;
            call().await
        }
    }
}

const RETRY_AFTER_MS: u64 = 100;

impl Kv {
    pub fn from_env(env: &Env) -> Result<Kv, DomainError> {
        env.kv(BINDING)
            .map(Kv)
            .map_err(|e| DomainError::Misconfigured(format!("KV binding {BINDING}: {e}")))
    }
}

impl KeyValueStore for Kv {
    async fn get(&self, key: &str) -> Result<Option<String>, DomainError> {
        twice("get", || async {
            self.0
                .get(key)
                .text()
                .await
                .map_err(|e| unavailable("get", e))
        })
        .await
    }

    async fn put(&self, key: &str, value: String, options: PutOptions) -> Result<(), DomainError> {
        twice("put", || self.put_once(key, value.clone(), options.clone())).await
    }

    async fn delete(&self, key: &str) -> Result<(), DomainError> {
        twice("delete", || async {
            self.0
                .delete(key)
                .await
                .map_err(|e| unavailable("delete", e))
        })
        .await
    }

    async fn list(
        &self,
        prefix: &str,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<ListPage, DomainError> {
        twice("list", || self.list_once(prefix, cursor, limit)).await
    }
}

impl Kv {
    async fn put_once(
        &self,
        key: &str,
        value: String,
        options: PutOptions,
    ) -> Result<(), DomainError> {
        // As bytes: `put` with a `String` would go through serde-wasm-bindgen and
        // `JSON.stringify` only to end as the same text.
        let mut builder = self
            .0
            .put_bytes(key, value.as_bytes())
            .map_err(|e| unavailable("put", e))?;
        if let Some(ttl) = options.expiration_ttl {
            builder = builder.expiration_ttl(ttl);
        }
        if let Some(metadata) = options.metadata {
            builder = builder
                .metadata(metadata)
                .map_err(|e| unavailable("put metadata", e))?;
        }
        builder.execute().await.map_err(|e| unavailable("put", e))
    }

    async fn list_once(
        &self,
        prefix: &str,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<ListPage, DomainError> {
        let limit = limit.clamp(1, KV_LIST_PAGE) as u64;
        let mut request = self.0.list().prefix(prefix.into()).limit(limit);
        if let Some(cursor) = cursor {
            request = request.cursor(cursor.into());
        }
        let page = request
            .execute()
            .await
            .map_err(|e| unavailable("list", e))?;
        let keys = page
            .keys
            .into_iter()
            .map(|key| ListedKey {
                name: key.name,
                metadata: key.metadata,
            })
            .collect();
        let cursor = page.cursor.filter(|_| !page.list_complete);
        Ok(ListPage { keys, cursor })
    }
}
