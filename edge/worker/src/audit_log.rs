//! The [`AuditLog`] port on Workers KV: one expiring key per line, newest first by key, the line
//! itself in the key's metadata so a listing needs no read per line. Written after the response.

use guestpass_core::directory::store::Directory;
use guestpass_core::ports::AuditLog;
use guestpass_core::storage_keys as keys;
use guestpass_core::time::UnixMillis;

use guestpass_core::DomainError;
use guestpass_wire::{DirectoryAuditEntry, SignInLogEntry};
use serde::Serialize;
use worker::{console_error, Context};

use crate::kv::Kv;

pub struct KvAuditLog<'a> {
    pub worker: &'a Context,
    pub kv: Kv,
}

impl KvAuditLog<'_> {
    fn write_after_response<T: Serialize + 'static>(&self, key: String, entry: T) {
        let kv = self.kv.clone();
        self.worker.wait_until(async move {
            if let Err(e) = Directory::new(&kv)
                .put_listed(&key, &entry, keys::LOG_TTL_SECONDS)
                .await
            {
                console_error!("audit write failed: {}", e.log_detail());
            }
        });
    }
}

impl AuditLog for KvAuditLog<'_> {
    /// Keyed by the line's instant and id, so a line written again (an aggregate that grew)
    /// replaces itself.
    fn append_sign_in(&self, tenant_id: &str, at: UnixMillis, entry: SignInLogEntry) {
        let key = keys::sign_in_log(tenant_id, at, &entry.id);
        self.write_after_response(key, entry);
    }

    fn append_directory(&self, tenant_id: &str, at: UnixMillis, entry: DirectoryAuditEntry) {
        let key = keys::directory_log(tenant_id, at, &entry.id);
        self.write_after_response(key, entry);
    }

    async fn sign_ins(
        &self,
        tenant_id: &str,
        cursor: Option<&str>,
    ) -> Result<(Vec<SignInLogEntry>, Option<String>), DomainError> {
        Directory::new(&self.kv)
            .values_page(&keys::sign_in_log_prefix(tenant_id), cursor)
            .await
    }

    async fn directory_changes(
        &self,
        tenant_id: &str,
        cursor: Option<&str>,
    ) -> Result<(Vec<DirectoryAuditEntry>, Option<String>), DomainError> {
        Directory::new(&self.kv)
            .values_page(&keys::directory_log_prefix(tenant_id), cursor)
            .await
    }
}
