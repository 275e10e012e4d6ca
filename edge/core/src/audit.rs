//! The sign-in and directory audit logs: what a line holds, and reading them. Lines go through
//! the [`AuditLog`] port, which writes them after the response, so their latency and failures
//! never show in the answer. A line never holds a code, a pass or a key.

use guestpass_wire::{AuthenticationMethod, DirectoryAuditEntry, List, SignInLogEntry};

use crate::authz::{self, Permission, Principal};
use crate::context::{Credentials, Ctx};
use crate::directory::TenantRecord;
use crate::error::DomainError;
use crate::ports::{AuditLog, Ports};
use crate::time::format_rfc3339;

/// Most lines a log read returns.
pub const LIST_LIMIT: usize = 1000;

/// One sign-in step, as the sign-in log records it.
pub struct SignInEvent<'a> {
    pub tenant: &'a TenantRecord,
    pub method: AuthenticationMethod,
    /// `send`, `verify` or `pass`.
    pub step: &'a str,
    pub user_id: Option<&'a str>,
    /// The address or username as typed (normalized), or `unknown`.
    pub address: &'a str,
}

impl SignInEvent<'_> {
    /// Records the step's outcome. `reason` overrides the error's own (`code_sent`,
    /// `not_invited`, `redeemed`…); a success without one is `ok`.
    pub fn record<P: Ports>(
        &self,
        cx: &Ctx<'_, P>,
        result: Result<(), &DomainError>,
        reason: Option<&str>,
    ) {
        let Ok(id) = cx.uuid() else { return };
        let reason = match (reason, result) {
            (Some(reason), _) => reason.to_string(),
            (None, Ok(())) => "ok".into(),
            (None, Err(e)) => e.log_reason(),
        };
        let entry = SignInLogEntry {
            id,
            created_date_time: format_rfc3339(cx.now),
            user_id: self.user_id.map(Into::into),
            address: self.address.into(),
            authentication_method: self.method,
            step: self.step.into(),
            outcome: if result.is_ok() { "success" } else { "failure" }.into(),
            reason,
            ip_address: cx.client_ip.into(),
        };
        cx.ports.log().append_sign_in(&self.tenant.id, entry);
    }

    /// Records a failure and hands the error back, for `return Err(event.failed(..))`.
    pub fn failed<P: Ports>(&self, cx: &Ctx<'_, P>, err: DomainError) -> DomainError {
        self.record(cx, Err(&err), None);
        err
    }
}

/// Records a directory change by `principal`.
pub fn directory_change<P: Ports>(
    cx: &Ctx<'_, P>,
    tenant_id: &str,
    principal: &Principal,
    activity: &str,
    target_id: &str,
    detail: Option<String>,
) {
    let Ok(id) = cx.uuid() else { return };
    let entry = DirectoryAuditEntry {
        id,
        activity_date_time: format_rfc3339(cx.now),
        activity: activity.into(),
        initiated_by: principal.audit_name(),
        target_id: target_id.into(),
        detail,
    };
    cx.ports.log().append_directory(tenant_id, entry);
}

/// `GET audit-logs/sign-ins`: newest first, for those who may read logs.
pub async fn sign_ins<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> Result<List<SignInLogEntry>, DomainError> {
    authz::authorized(cx, credentials, tenant, Permission::ReadAuditLogs).await?;
    let value = cx.ports.log().sign_ins(&tenant.id, LIST_LIMIT).await?;
    Ok(List::whole(value))
}

/// `GET audit-logs/directory`: newest first, for those who may read logs.
pub async fn directory_changes<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
) -> Result<List<DirectoryAuditEntry>, DomainError> {
    authz::authorized(cx, credentials, tenant, Permission::ReadAuditLogs).await?;
    let value = cx
        .ports
        .log()
        .directory_changes(&tenant.id, LIST_LIMIT)
        .await?;
    Ok(List::whole(value))
}
