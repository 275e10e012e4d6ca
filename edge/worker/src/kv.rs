//! The [`KeyValueStore`] port on Workers KV (binding `DIRECTORY`).

use guestpass_core::ports::{KeyValueStore, ListedKey, PutOptions};
use guestpass_core::DomainError;
use worker::kv::KvStore;
use worker::Env;

pub const BINDING: &str = "DIRECTORY";
/// KV's own page size for one list call.
const PAGE: u64 = 1000;

#[derive(Clone)]
pub struct Kv(KvStore);

fn unavailable(what: &str, e: impl std::fmt::Display) -> DomainError {
    DomainError::StorageUnavailable(format!("kv {what}: {e}"))
}

impl Kv {
    pub fn from_env(env: &Env) -> Result<Kv, DomainError> {
        env.kv(BINDING)
            .map(Kv)
            .map_err(|e| DomainError::Misconfigured(format!("KV binding {BINDING}: {e}")))
    }
}

impl KeyValueStore for Kv {
    async fn get(&self, key: &str) -> Result<Option<String>, DomainError> {
        self.0
            .get(key)
            .text()
            .await
            .map_err(|e| unavailable("get", e))
    }

    async fn put(&self, key: &str, value: String, options: PutOptions) -> Result<(), DomainError> {
        let mut builder = self.0.put(key, value).map_err(|e| unavailable("put", e))?;
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

    async fn delete(&self, key: &str) -> Result<(), DomainError> {
        self.0
            .delete(key)
            .await
            .map_err(|e| unavailable("delete", e))
    }

    async fn list(&self, prefix: &str, limit: usize) -> Result<Vec<ListedKey>, DomainError> {
        let mut found = Vec::new();
        let mut cursor = None;
        loop {
            let mut request = self.0.list().prefix(prefix.into()).limit(PAGE);
            if let Some(c) = cursor.take() {
                request = request.cursor(c);
            }
            let page = request
                .execute()
                .await
                .map_err(|e| unavailable("list", e))?;
            found.extend(page.keys.into_iter().map(|key| ListedKey {
                name: key.name,
                metadata: key.metadata,
            }));
            if page.list_complete || found.len() >= limit || page.cursor.is_none() {
                break;
            }
            cursor = page.cursor;
        }
        found.truncate(limit);
        Ok(found)
    }
}
