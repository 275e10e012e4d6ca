//! The [`KeyValueStore`] port on Workers KV (binding `DIRECTORY`).

use std::future::Future;
use std::time::Duration;

use guestpass_core::ports::{KeyValueStore, ListPage, ListedKey, PutOptions, KV_LIST_PAGE};
use guestpass_core::DomainError;
use worker::js_sys::{self, Array, Function, Object, Promise, Reflect};
use worker::kv::KvStore;
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::wasm_bindgen_futures::JsFuture;
use worker::{console_warn, Delay, Env};

pub const BINDING: &str = "DIRECTORY";

/// The namespace through worker's wrapper, and the environment to reach the runtime's own
/// object for listing: worker decodes a list's answer with serde-wasm-bindgen, which links
/// float formatting and a decoder for any value (about 11 KiB gzip in each Worker that lists),
/// where reading four fields needs none of it.
#[derive(Clone)]
pub struct Kv(KvStore, Env);

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

fn field(object: &JsValue, name: &str) -> Result<JsValue, JsValue> {
    Reflect::get(object, &JsValue::from_str(name))
}

impl Kv {
    pub fn from_env(env: &Env) -> Result<Kv, DomainError> {
        env.kv(BINDING)
            .map(|store| Kv(store, env.clone()))
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

    async fn get_many(&self, keys: &[&str]) -> Result<Vec<Option<String>>, DomainError> {
        twice("bulk get", || self.get_many_once(keys)).await
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

    /// Calls the runtime's namespace object's `method` with `argument` (worker's `KvStore` has
    /// neither a bulk read nor a list without serde-wasm-bindgen).
    async fn call_namespace(&self, method: &str, argument: &JsValue) -> Result<JsValue, JsValue> {
        let namespace = field(&self.1, BINDING)?;
        let function: Function = field(&namespace, method)?.dyn_into()?;
        let promise: Promise = function.call1(&namespace, argument)?.dyn_into()?;
        JsFuture::from(promise).await
    }

    /// KV's bulk read: `get` with an array of keys answers a `Map` of key to text or null.
    async fn get_many_once(&self, keys: &[&str]) -> Result<Vec<Option<String>>, DomainError> {
        let failed = |_| unavailable("bulk get", "the namespace refused the call");
        let names: Array = keys.iter().map(|key| JsValue::from_str(key)).collect();
        let values: js_sys::Map = self
            .call_namespace("get", &names)
            .await
            .and_then(JsCast::dyn_into)
            .map_err(failed)?;
        Ok(keys
            .iter()
            .map(|key| values.get(&JsValue::from_str(key)).as_string())
            .collect())
    }

    async fn list_once(
        &self,
        prefix: &str,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<ListPage, DomainError> {
        let failed = |_| unavailable("list", "the namespace refused the call");
        let options = Object::new();
        let limit = limit.clamp(1, KV_LIST_PAGE) as f64;
        let mut set = vec![
            ("prefix", JsValue::from_str(prefix)),
            ("limit", limit.into()),
        ];
        if let Some(cursor) = cursor {
            set.push(("cursor", JsValue::from_str(cursor)));
        }
        for (name, value) in set {
            Reflect::set(&options, &JsValue::from_str(name), &value).map_err(failed)?;
        }
        let page = self
            .call_namespace("list", &options)
            .await
            .map_err(failed)?;
        let listed: Array = field(&page, "keys")
            .and_then(JsCast::dyn_into)
            .map_err(failed)?;
        let mut keys = Vec::with_capacity(listed.length() as usize);
        for key in listed.iter() {
            let name = field(&key, "name").ok().and_then(|n| n.as_string());
            let Some(name) = name else {
                return Err(unavailable("list", "a key without a name"));
            };
            // Metadata is JSON the runtime parsed: back to text, then to a value.
            let metadata = field(&key, "metadata")
                .ok()
                .filter(|m| !m.is_undefined() && !m.is_null())
                .and_then(|m| js_sys::JSON::stringify(&m).ok())
                .and_then(|text| text.as_string())
                .and_then(|text| serde_json::from_str(&text).ok());
            keys.push(ListedKey { name, metadata });
        }
        let complete = field(&page, "list_complete").ok().and_then(|c| c.as_bool());
        let cursor = field(&page, "cursor")
            .ok()
            .and_then(|c| c.as_string())
            .filter(|_| complete == Some(false));
        Ok(ListPage { keys, cursor })
    }
}
