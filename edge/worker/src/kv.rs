//! The [`KeyValueStore`] port on Workers KV (binding `DIRECTORY`).

use guestpass_core::ports::{KeyValueStore, ListPage, ListedKey, PutOptions, KV_LIST_PAGE};
use guestpass_core::DomainError;
use worker::kv::KvStore;
use worker::Env;

pub const BINDING: &str = "DIRECTORY";

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

    async fn list(
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
