//! The directory in Workers KV: tenants, users, the sign-in index, passes, logs.
//!
//! KV is eventually consistent (up to 60 s across locations, last write wins, one write per
//! second per key). It holds directory data only; nothing here decides "once" — that is the
//! guard's job. Multi-key changes are ordered so a failure part-way leaves nothing reachable that
//! is inconsistent: records first, then the indexes that make them findable.

use guestpass_core::directory::{TenantRecord, UserRecord};
use guestpass_core::ids::is_uuid;
use guestpass_core::storage_keys as keys;
use guestpass_core::DomainError;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use worker::kv::KvStore;
use worker::Env;

pub const BINDING: &str = "DIRECTORY";
/// Upper bound of rows one list call returns (KV's own page size).
const PAGE: u64 = 1000;

#[derive(Clone)]
pub struct Directory {
    kv: KvStore,
}

fn unavailable(what: &str, e: impl std::fmt::Display) -> DomainError {
    DomainError::StorageUnavailable(format!("kv {what}: {e}"))
}

#[derive(Serialize, Deserialize)]
struct DomainEntry {
    tenant_id: String,
}

impl Directory {
    pub fn from_env(env: &Env) -> Result<Directory, DomainError> {
        Ok(Directory {
            kv: env
                .kv(BINDING)
                .map_err(|e| DomainError::Misconfigured(format!("KV binding {BINDING}: {e}")))?,
        })
    }

    pub async fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, DomainError> {
        self.kv
            .get(key)
            .json::<T>()
            .await
            .map_err(|e| unavailable("get", e))
    }

    /// The one KV write: serialized once; with a TTL when given; and, when `listed` and small
    /// enough for KV's 1024-byte metadata, also as the key's metadata so a list needs no reads.
    async fn write<T: Serialize>(
        &self,
        key: &str,
        value: &T,
        ttl_seconds: Option<u64>,
        listed: bool,
    ) -> Result<(), DomainError> {
        let json =
            serde_json::to_string(value).map_err(|e| DomainError::Internal(e.to_string()))?;
        let fits_metadata = json.len() <= 1000;
        let mut builder = self.kv.put(key, json).map_err(|e| unavailable("put", e))?;
        if let Some(ttl) = ttl_seconds {
            builder = builder.expiration_ttl(ttl);
        }
        if listed && fits_metadata {
            builder = builder
                .metadata(value)
                .map_err(|e| unavailable("put metadata", e))?;
        }
        builder.execute().await.map_err(|e| unavailable("put", e))
    }

    pub async fn put<T: Serialize>(&self, key: &str, value: &T) -> Result<(), DomainError> {
        self.write(key, value, None, false).await
    }

    /// An expiring entry that lists read back without a second fetch (logs).
    pub async fn put_listed<T: Serialize>(
        &self,
        key: &str,
        value: &T,
        ttl_seconds: u64,
    ) -> Result<(), DomainError> {
        self.write(key, value, Some(ttl_seconds), true).await
    }

    pub async fn put_with_ttl<T: Serialize>(
        &self,
        key: &str,
        value: &T,
        ttl_seconds: u64,
    ) -> Result<(), DomainError> {
        self.write(key, value, Some(ttl_seconds), false).await
    }

    pub async fn delete(&self, key: &str) -> Result<(), DomainError> {
        self.kv
            .delete(key)
            .await
            .map_err(|e| unavailable("delete", e))
    }

    /// Keys under a prefix, in key order, up to `limit`.
    async fn list(&self, prefix: &str, limit: usize) -> Result<Vec<worker::kv::Key>, DomainError> {
        let mut found = Vec::new();
        let mut cursor = None;
        loop {
            let mut request = self.kv.list().prefix(prefix.into()).limit(PAGE);
            if let Some(c) = cursor.take() {
                request = request.cursor(c);
            }
            let page = request
                .execute()
                .await
                .map_err(|e| unavailable("list", e))?;
            found.extend(page.keys);
            if page.list_complete || found.len() >= limit || page.cursor.is_none() {
                break;
            }
            cursor = page.cursor;
        }
        found.truncate(limit);
        Ok(found)
    }

    /// Values under a prefix, in key order: from metadata when present, else fetched.
    pub async fn list_values<T: DeserializeOwned>(
        &self,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<T>, DomainError> {
        let listed = self.list(prefix, limit).await?;
        let mut values = Vec::with_capacity(listed.len());
        for key in listed {
            if let Some(value) = key
                .metadata
                .and_then(|m| serde_json::from_value::<T>(m).ok())
            {
                values.push(value);
            } else if let Some(value) = self.get::<T>(&key.name).await? {
                // A key listed but gone by the time it is read was deleted meanwhile: skip it.
                values.push(value);
            }
        }
        Ok(values)
    }

    /// Finds a tenant by id or verified domain, as it appears in a path.
    pub async fn resolve_tenant(&self, reference: &str) -> Result<TenantRecord, DomainError> {
        let reference = reference.trim().to_ascii_lowercase();
        let tenant_id = if is_uuid(&reference) {
            reference
        } else if guestpass_wire::email::is_valid_domain(&reference) {
            match self.get::<DomainEntry>(&keys::domain(&reference)).await? {
                Some(entry) => entry.tenant_id,
                None => return Err(DomainError::TenantNotFound),
            }
        } else {
            return Err(DomainError::TenantNotFound);
        };
        self.get(&keys::tenant(&tenant_id))
            .await?
            .ok_or(DomainError::TenantNotFound)
    }

    pub async fn domain_taken(&self, domain: &str) -> Result<bool, DomainError> {
        Ok(self
            .get::<DomainEntry>(&keys::domain(domain))
            .await?
            .is_some())
    }

    /// Writes a new tenant: the record first, the domain indexes last.
    pub async fn create_tenant(&self, tenant: &TenantRecord) -> Result<(), DomainError> {
        self.put(&keys::tenant(&tenant.id), tenant).await?;
        for domain in &tenant.verified_domains {
            self.put(
                &keys::domain(domain),
                &DomainEntry {
                    tenant_id: tenant.id.clone(),
                },
            )
            .await?;
        }
        Ok(())
    }

    pub async fn save_tenant(&self, tenant: &TenantRecord) -> Result<(), DomainError> {
        self.put(&keys::tenant(&tenant.id), tenant).await
    }

    pub async fn user(
        &self,
        tenant_id: &str,
        user_id: &str,
    ) -> Result<Option<UserRecord>, DomainError> {
        if !is_uuid(user_id) {
            return Ok(None);
        }
        self.get(&keys::user(tenant_id, user_id)).await
    }

    pub async fn user_by_sign_in_name(
        &self,
        tenant_id: &str,
        address: &str,
    ) -> Result<Option<UserRecord>, DomainError> {
        let Some(user_id) = self
            .get::<String>(&keys::sign_in_name(tenant_id, address))
            .await?
        else {
            return Ok(None);
        };
        // The index may briefly outlive a deleted user, or point at one that moved address.
        Ok(self
            .user(tenant_id, &user_id)
            .await?
            .filter(|u| u.sign_in_name() == address))
    }

    /// Saves a user and (re)points the sign-in index at it.
    pub async fn save_user(
        &self,
        user: &UserRecord,
        previous_address: Option<&str>,
    ) -> Result<(), DomainError> {
        self.put(&keys::user(&user.tenant_id, &user.id), user)
            .await?;
        self.put(
            &keys::sign_in_name(&user.tenant_id, user.sign_in_name()),
            &user.id,
        )
        .await?;
        if let Some(old) = previous_address {
            self.delete(&keys::sign_in_name(&user.tenant_id, old))
                .await?;
        }
        Ok(())
    }

    /// Saves changes to a user whose address did not change.
    pub async fn update_user(&self, user: &UserRecord) -> Result<(), DomainError> {
        self.put(&keys::user(&user.tenant_id, &user.id), user).await
    }

    /// Removes a user: the index first (so sign-in stops finding them), then pass and record.
    pub async fn delete_user(&self, user: &UserRecord) -> Result<(), DomainError> {
        self.delete(&keys::sign_in_name(&user.tenant_id, user.sign_in_name()))
            .await?;
        self.delete(&keys::pass(&user.tenant_id, &user.id)).await?;
        self.delete(&keys::user(&user.tenant_id, &user.id)).await
    }

    pub async fn users(
        &self,
        tenant_id: &str,
        limit: usize,
    ) -> Result<Vec<UserRecord>, DomainError> {
        self.list_values(&keys::users_prefix(tenant_id), limit)
            .await
    }
}
