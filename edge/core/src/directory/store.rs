//! The directory in the key-value store: tenants, the domain index, users, the sign-in index and
//! passes, as typed records over the [`KeyValueStore`] port (Workers KV in production).
//!
//! KV is eventually consistent (reads up to 60 s stale, last write wins). It holds directory data
//! only; nothing here decides "once" — that is the guard's job. Multi-key changes are ordered so a
//! failure part-way leaves nothing reachable that is inconsistent: records first, then the indexes
//! that make them findable; on removal, indexes first.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::tenant::TenantRecord;
use super::user::UserRecord;
use crate::error::DomainError;
use crate::ids::is_uuid;
use crate::oidc::ApplicationRecord;
use crate::passkey::record::PasskeyRecord;
use crate::ports::{KeyValueStore, PutOptions, KV_LIST_PAGE};
use crate::storage_keys as keys;
use crate::tap::pass::PassRecord;
use crate::time::UnixMillis;

/// A user id no user has (ids are random version-4 UUIDs): read in place of a missing user, so
/// a lookup does the same work whether or not someone exists.
const NOBODY: &str = "00000000-0000-0000-0000-000000000000";

/// KV metadata holds at most 1024 bytes; entries this small are listed without a read each.
const METADATA_LIMIT: usize = 1000;
/// A member registers a handful of passkeys; a listing reads at most this many.
const MAX_PASSKEYS_LISTED: usize = 100;
/// The most applications one tenant lists (its registry is read whole).
pub const MAX_APPLICATIONS: usize = 200;

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RevocationMark {
    sessions_issued_before: UnixMillis,
}

#[derive(Serialize, Deserialize)]
struct DomainEntry {
    tenant_id: String,
}

pub struct Directory<'a, S> {
    kv: &'a S,
}

fn corrupt(key: &str, e: serde_json::Error) -> DomainError {
    DomainError::StorageUnavailable(format!("kv value at {key} unreadable: {e}"))
}

/// A value read at `key`, decoded.
fn decode<T: DeserializeOwned>(key: &str, text: Option<String>) -> Result<Option<T>, DomainError> {
    text.map(|text| serde_json::from_str(&text).map_err(|e| corrupt(key, e)))
        .transpose()
}

impl<'a, S: KeyValueStore> Directory<'a, S> {
    pub fn new(kv: &'a S) -> Self {
        Directory { kv }
    }

    pub async fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, DomainError> {
        decode(key, self.kv.get(key).await?)
    }

    pub async fn put<T: Serialize>(&self, key: &str, value: &T) -> Result<(), DomainError> {
        let text =
            serde_json::to_string(value).map_err(|e| DomainError::Internal(e.to_string()))?;
        self.kv.put(key, text, PutOptions::default()).await
    }

    /// An expiring entry that a listing reads back from its metadata, without a second fetch.
    pub async fn put_listed<T: Serialize>(
        &self,
        key: &str,
        value: &T,
        ttl_seconds: u64,
    ) -> Result<(), DomainError> {
        let value =
            serde_json::to_value(value).map_err(|e| DomainError::Internal(e.to_string()))?;
        let text = value.to_string();
        let metadata = (text.len() <= METADATA_LIMIT).then_some(value);
        let options = PutOptions {
            expiration_ttl: Some(ttl_seconds),
            metadata,
        };
        self.kv.put(key, text, options).await
    }

    /// Values under a prefix, in key order, at most `limit`: [`Self::values_page`] after page.
    pub async fn list_values<T: DeserializeOwned>(
        &self,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<T>, DomainError> {
        let mut values = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let (page, next) = self.values_page(prefix, cursor.as_deref()).await?;
            values.extend(page);
            cursor = next;
            if cursor.is_none() || values.len() >= limit {
                break;
            }
        }
        values.truncate(limit);
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
        self.save_tenant(tenant).await?;
        for domain in &tenant.verified_domains {
            let entry = DomainEntry {
                tenant_id: tenant.id.clone(),
            };
            self.put(&keys::domain(domain), &entry).await?;
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

    /// A user who exists, or `UserNotFound`.
    pub async fn existing_user(
        &self,
        tenant_id: &str,
        user_id: &str,
    ) -> Result<UserRecord, DomainError> {
        self.user(tenant_id, user_id)
            .await?
            .ok_or(DomainError::UserNotFound)
    }

    /// The user who signs in as `address`. Always two reads — the index, then a user record
    /// (a record that never exists when the index has none) — so the lookup costs the same
    /// whether or not the address is in the directory.
    pub async fn user_by_sign_in_name(
        &self,
        tenant_id: &str,
        address: &str,
    ) -> Result<Option<UserRecord>, DomainError> {
        let user_id: Option<String> = self.get(&keys::sign_in_name(tenant_id, address)).await?;
        let user = self
            .user(tenant_id, user_id.as_deref().unwrap_or(NOBODY))
            .await?;
        // The index may briefly outlive a deleted user, or point at one that moved address.
        Ok(user.filter(|u| user_id.is_some() && u.sign_in_name() == address))
    }

    /// Saves a user and (re)points the sign-in index at it.
    pub async fn save_user(
        &self,
        user: &UserRecord,
        previous_address: Option<&str>,
    ) -> Result<(), DomainError> {
        self.update_user(user).await?;
        self.put(
            &keys::sign_in_name(&user.tenant_id, user.sign_in_name()),
            &user.id,
        )
        .await?;
        if let Some(old) = previous_address {
            self.kv
                .delete(&keys::sign_in_name(&user.tenant_id, old))
                .await?;
        }
        Ok(())
    }

    /// Saves changes to a user whose address did not change. The record is also the key's
    /// metadata when it fits, so the users list reads no record one by one.
    pub async fn update_user(&self, user: &UserRecord) -> Result<(), DomainError> {
        let value = serde_json::to_value(user).map_err(|e| DomainError::Internal(e.to_string()))?;
        let text = value.to_string();
        let options = PutOptions {
            expiration_ttl: None,
            metadata: (text.len() <= METADATA_LIMIT).then_some(value),
        };
        self.kv
            .put(&keys::user(&user.tenant_id, &user.id), text, options)
            .await
    }

    /// One store page of values under `prefix` from `cursor` on — from the keys' metadata when
    /// present, else read — with the cursor of the page after.
    pub async fn values_page<T: DeserializeOwned>(
        &self,
        prefix: &str,
        cursor: Option<&str>,
    ) -> Result<(Vec<T>, Option<String>), DomainError> {
        let page = self.kv.list(prefix, cursor, KV_LIST_PAGE).await?;
        let mut values = Vec::with_capacity(page.keys.len());
        for key in page.keys {
            let listed = key.metadata.and_then(|m| serde_json::from_value(m).ok());
            let value = match listed {
                Some(value) => Some(value),
                // Listed but gone by the time it is read: deleted meanwhile, skipped.
                None => self.get::<T>(&key.name).await?,
            };
            values.extend(value);
        }
        Ok((values, page.cursor))
    }

    /// Removes a user: the index first (so sign-in stops finding them), then pass and record.
    pub async fn delete_user(&self, user: &UserRecord) -> Result<(), DomainError> {
        self.kv
            .delete(&keys::sign_in_name(&user.tenant_id, user.sign_in_name()))
            .await?;
        self.delete_pass(user).await?;
        self.kv.delete(&keys::user(&user.tenant_id, &user.id)).await
    }

    /// The user and their revocation mark, in one bulk read: what every session, token and
    /// grant check needs.
    pub async fn user_and_revocation_mark(
        &self,
        tenant_id: &str,
        user_id: &str,
    ) -> Result<(Option<UserRecord>, Option<UnixMillis>), DomainError> {
        // A name that is not a user id is nobody, as `user` says, and nobody has sessions.
        if !is_uuid(user_id) {
            return Ok((None, None));
        }
        let (user_key, mark_key) = (
            keys::user(tenant_id, user_id),
            keys::revoked(tenant_id, user_id),
        );
        let mut values = self.kv.get_many(&[&user_key, &mark_key]).await?.into_iter();
        let (user, mark) = (values.next().flatten(), values.next().flatten());
        let user: Option<UserRecord> = decode(&user_key, user)?;
        let mark: Option<RevocationMark> = decode(&mark_key, mark)?;
        Ok((user, mark.map(|m| m.sessions_issued_before)))
    }

    /// Ends the user's sessions issued up to `at`. Written by revocation, sign-out, pass and
    /// user deletion only; it expires once no session it ends could still be alive.
    pub async fn mark_revoked(
        &self,
        tenant_id: &str,
        user_id: &str,
        at: UnixMillis,
    ) -> Result<(), DomainError> {
        let mark = RevocationMark {
            sessions_issued_before: at,
        };
        let text =
            serde_json::to_string(&mark).map_err(|e| DomainError::Internal(e.to_string()))?;
        let options = PutOptions {
            expiration_ttl: Some(keys::REVOCATION_TTL_SECONDS),
            metadata: None,
        };
        self.kv
            .put(&keys::revoked(tenant_id, user_id), text, options)
            .await
    }

    /// The pass of `user`, or of nobody: one read either way, like [`Self::user_by_sign_in_name`].
    pub async fn pass_of(
        &self,
        tenant_id: &str,
        user: Option<&UserRecord>,
    ) -> Result<Option<PassRecord>, DomainError> {
        let user_id = user.map_or(NOBODY, |u| u.id.as_str());
        let pass = self.get(&keys::pass(tenant_id, user_id)).await?;
        Ok(pass.filter(|_| user.is_some()))
    }

    /// The user's Temporary Access Pass (a user has at most one).
    pub async fn pass(&self, user: &UserRecord) -> Result<Option<PassRecord>, DomainError> {
        self.get(&keys::pass(&user.tenant_id, &user.id)).await
    }

    pub async fn save_pass(&self, user: &UserRecord, pass: &PassRecord) -> Result<(), DomainError> {
        self.put(&keys::pass(&user.tenant_id, &user.id), pass).await
    }

    pub async fn delete_pass(&self, user: &UserRecord) -> Result<(), DomainError> {
        self.kv.delete(&keys::pass(&user.tenant_id, &user.id)).await
    }

    /// The member's passkeys, oldest id first (a member has a handful).
    pub async fn passkeys(&self, user: &UserRecord) -> Result<Vec<PasskeyRecord>, DomainError> {
        let prefix = keys::passkeys_prefix(&user.tenant_id, &user.id);
        self.list_values(&prefix, MAX_PASSKEYS_LISTED).await
    }

    pub async fn passkey(
        &self,
        user: &UserRecord,
        method_id: &str,
    ) -> Result<Option<PasskeyRecord>, DomainError> {
        self.get(&keys::passkey(&user.tenant_id, &user.id, method_id))
            .await
    }

    /// Whose passkey a method id is, from the credential index.
    pub async fn passkey_owner(
        &self,
        tenant_id: &str,
        method_id: &str,
    ) -> Result<Option<String>, DomainError> {
        self.get(&keys::passkey_owner(tenant_id, method_id)).await
    }

    /// Stores the passkey, then its index entry (a sign-in that finds the index finds the key).
    pub async fn save_passkey(
        &self,
        user: &UserRecord,
        passkey: &PasskeyRecord,
    ) -> Result<(), DomainError> {
        self.update_passkey(user, passkey).await?;
        self.put(&keys::passkey_owner(&user.tenant_id, &passkey.id), &user.id)
            .await
    }

    /// Updates a passkey after a sign-in or a rename (the index does not change).
    pub async fn update_passkey(
        &self,
        user: &UserRecord,
        passkey: &PasskeyRecord,
    ) -> Result<(), DomainError> {
        self.put(
            &keys::passkey(&user.tenant_id, &user.id, &passkey.id),
            passkey,
        )
        .await
    }

    /// Removes the index entry first: no sign-in finds a passkey being deleted.
    pub async fn delete_passkey(
        &self,
        user: &UserRecord,
        method_id: &str,
    ) -> Result<(), DomainError> {
        self.kv
            .delete(&keys::passkey_owner(&user.tenant_id, method_id))
            .await?;
        self.kv
            .delete(&keys::passkey(&user.tenant_id, &user.id, method_id))
            .await
    }

    /// The tenant's applications, oldest id first.
    pub async fn applications(
        &self,
        tenant_id: &str,
    ) -> Result<Vec<ApplicationRecord>, DomainError> {
        self.list_values(&keys::applications_prefix(tenant_id), MAX_APPLICATIONS)
            .await
    }

    pub async fn application(
        &self,
        tenant_id: &str,
        id: &str,
    ) -> Result<Option<ApplicationRecord>, DomainError> {
        self.get(&keys::application(tenant_id, id)).await
    }

    /// The application a client names by its `client_id`, through the index.
    pub async fn application_by_client_id(
        &self,
        tenant_id: &str,
        client_id: &str,
    ) -> Result<Option<ApplicationRecord>, DomainError> {
        let Some(id) = self
            .get::<String>(&keys::client_id(tenant_id, client_id))
            .await?
        else {
            return Ok(None);
        };
        self.application(tenant_id, &id).await
    }

    /// Stores a new application, then its client-id index (a client found through the index
    /// always finds its record).
    pub async fn save_application(&self, app: &ApplicationRecord) -> Result<(), DomainError> {
        self.update_application(app).await?;
        self.put(&keys::client_id(&app.tenant_id, &app.client_id), &app.id)
            .await
    }

    pub async fn update_application(&self, app: &ApplicationRecord) -> Result<(), DomainError> {
        self.put(&keys::application(&app.tenant_id, &app.id), app)
            .await
    }

    /// Removes the client-id index first: no client is found while its record goes.
    pub async fn delete_application(&self, app: &ApplicationRecord) -> Result<(), DomainError> {
        self.kv
            .delete(&keys::client_id(&app.tenant_id, &app.client_id))
            .await?;
        self.kv
            .delete(&keys::application(&app.tenant_id, &app.id))
            .await
    }
}
