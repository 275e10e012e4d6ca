//! The sign-in and directory logs, written after the response (`waitUntil`) so their latency
//! and failures never show in the answer. Entries never hold a code, a pass or a key.

use guestpass_core::storage_keys as keys;
use guestpass_core::time::{format_rfc3339, UnixMillis};
use guestpass_wire::{AuthenticationMethod, DirectoryAuditEntry, SignInLogEntry};
use worker::console_error;

use crate::directory::Directory;
use crate::router::Ctx;

pub struct SignInEvent<'a> {
    pub tenant_id: &'a str,
    pub user_id: Option<&'a str>,
    pub address: &'a str,
    pub method: AuthenticationMethod,
    pub step: &'a str,
    pub success: bool,
    pub reason: String,
    pub ip: &'a str,
}

pub fn sign_in_entry(
    event: &SignInEvent<'_>,
    id: String,
    at: UnixMillis,
) -> (String, SignInLogEntry) {
    let entry = SignInLogEntry {
        id: id.clone(),
        created_date_time: format_rfc3339(at),
        user_id: event.user_id.map(Into::into),
        address: event.address.into(),
        authentication_method: event.method,
        step: event.step.into(),
        outcome: if event.success { "success" } else { "failure" }.into(),
        reason: event.reason.clone(),
        ip_address: event.ip.into(),
    };
    (keys::sign_in_log(event.tenant_id, at, &id), entry)
}

pub fn directory_entry(
    tenant_id: &str,
    activity: &str,
    initiated_by: String,
    target_id: &str,
    detail: Option<String>,
    id: String,
    at: UnixMillis,
) -> (String, DirectoryAuditEntry) {
    let entry = DirectoryAuditEntry {
        id: id.clone(),
        activity_date_time: format_rfc3339(at),
        activity: activity.into(),
        initiated_by,
        target_id: target_id.into(),
        detail,
    };
    (keys::directory_log(tenant_id, at, &id), entry)
}

/// Writes a log entry after the response; a failed write is logged, never shown to the caller.
pub fn write_after_response<T: serde::Serialize + 'static>(ctx: &Ctx<'_>, key: String, entry: T) {
    let directory: Directory = ctx.directory.clone();
    ctx.after_response(async move {
        if let Err(e) = directory
            .put_listed(&key, &entry, keys::LOG_TTL_SECONDS)
            .await
        {
            console_error!("audit write failed: {e:?}");
        }
    });
}
