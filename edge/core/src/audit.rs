//! The sign-in and directory audit logs: what a line holds, and reading them. Lines go through
//! the [`AuditLog`] port, which writes them after the response, so their latency and failures
//! never show in the answer. A line never holds a code, a pass or a key.

use guestpass_wire::{
    AuthenticationMethod, DirectoryAuditEntry, Endpoint, List, SignInBucket, SignInLogEntry,
};

use crate::authz::{self, Permission, Principal};
use crate::context::{Credentials, Ctx};
use crate::directory::TenantRecord;
use crate::error::DomainError;
use crate::guard::{subject_key, FailureTally};
use crate::paging::{self, parse_top, PageCursor, Pages};
use crate::ports::{AuditLog, Ports};
use crate::time::{format_rfc3339, parse_rfc3339, UnixMillis, DAY, HOUR};

/// Failed attempts a network makes in a minute that each get a line of their own.
pub const OWN_FAILURE_LINES_PER_MINUTE: u32 = 3;

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
            count: None,
        };
        cx.ports
            .log()
            .append_sign_in(&self.tenant.id, cx.now, entry);
    }

    /// Records a failure and hands the error back, for `return Err(event.failed(..))`.
    pub fn failed<P: Ports>(&self, cx: &Ctx<'_, P>, err: DomainError) -> DomainError {
        self.record(cx, Err(&err), None);
        err
    }

    /// Records a failed attempt the guard tallied: the network's first few failures in a
    /// minute get lines of their own; the rest are folded into one line per network and minute
    /// that counts them, so a flood of garbage cannot bury a sign-in.
    pub fn failed_attempt<P: Ports>(
        &self,
        cx: &Ctx<'_, P>,
        err: DomainError,
        tally: Option<FailureTally>,
    ) -> DomainError {
        match tally {
            Some(tally) if tally.count > OWN_FAILURE_LINES_PER_MINUTE => {
                let network = cx.network();
                let entry = SignInLogEntry {
                    id: format!(
                        "folded-{}-{}",
                        tally.since,
                        subject_key(cx.settings.keys.signing(), &network)
                    ),
                    created_date_time: format_rfc3339(tally.since),
                    user_id: None,
                    address: "(several)".into(),
                    authentication_method: self.method,
                    step: self.step.into(),
                    outcome: "failure".into(),
                    reason: "repeated_failures".into(),
                    ip_address: cx.client_ip.into(),
                    count: Some(tally.count - OWN_FAILURE_LINES_PER_MINUTE),
                };
                cx.ports
                    .log()
                    .append_sign_in(&self.tenant.id, tally.since, entry);
                err
            }
            _ => self.failed(cx, err),
        }
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
    cx.ports.log().append_directory(tenant_id, cx.now, entry);
}

/// What `GET audit-logs/sign-ins` may ask for, as the query string gave it.
#[derive(Debug, Clone, Copy, Default)]
pub struct SignInQuery<'a> {
    pub top: Option<&'a str>,
    pub cursor: Option<&'a str>,
    /// RFC 3339 instants: lines at or after `from` and before `to`.
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    /// `success` or `failure`.
    pub outcome: Option<&'a str>,
    /// `emailOtp`, `temporaryAccessPass` or `passkey`.
    pub method: Option<&'a str>,
    /// A user id, or part of the address or username typed, any case.
    pub user: Option<&'a str>,
}

/// The filters of a sign-in log query, checked.
struct SignInFilter {
    from: Option<UnixMillis>,
    to: Option<UnixMillis>,
    outcome: Option<String>,
    method: Option<AuthenticationMethod>,
    user: Option<String>,
}

fn instant(target: &'static str, text: Option<&str>) -> Result<Option<UnixMillis>, DomainError> {
    text.map(|t| {
        parse_rfc3339(t).ok_or_else(|| {
            DomainError::validation(target, format!("{target} is an RFC 3339 date and time."))
        })
    })
    .transpose()
}

impl SignInFilter {
    fn parse(query: &SignInQuery<'_>) -> Result<SignInFilter, DomainError> {
        let outcome = match query.outcome {
            None => None,
            Some(o @ ("success" | "failure")) => Some(o.to_string()),
            Some(_) => {
                return Err(DomainError::validation(
                    "outcome",
                    "outcome is success or failure.",
                ))
            }
        };
        let method = query
            .method
            .map(|m| {
                serde_json::from_value(serde_json::Value::String(m.into())).map_err(|_| {
                    DomainError::validation(
                        "method",
                        "method is emailOtp, temporaryAccessPass or passkey.",
                    )
                })
            })
            .transpose()?;
        Ok(SignInFilter {
            from: instant("from", query.from)?,
            to: instant("to", query.to)?,
            outcome,
            method,
            user: query
                .user
                .map(|u| u.trim().to_lowercase())
                .filter(|u| !u.is_empty()),
        })
    }

    fn at(entry: &SignInLogEntry) -> UnixMillis {
        parse_rfc3339(&entry.created_date_time).unwrap_or(0)
    }

    fn keeps(&self, entry: &SignInLogEntry) -> bool {
        let at = Self::at(entry);
        self.to.is_none_or(|to| at < to)
            && self.from.is_none_or(|from| at >= from)
            && self.outcome.as_ref().is_none_or(|o| entry.outcome == *o)
            && self.method.is_none_or(|m| entry.authentication_method == m)
            && self.user.as_ref().is_none_or(|u| {
                entry.user_id.as_deref() == Some(u.as_str())
                    || entry.address.to_lowercase().contains(u.as_str())
            })
    }

    /// The log is newest first: past `from`, nothing further can match.
    fn past(&self, entry: &SignInLogEntry) -> bool {
        self.from.is_some_and(|from| Self::at(entry) < from)
    }
}

/// A tenant's sign-in log, page by page, newest first.
struct SignIns<'a, L> {
    log: &'a L,
    tenant_id: &'a str,
}

impl<L: AuditLog> Pages<SignInLogEntry> for SignIns<'_, L> {
    async fn page(
        &self,
        cursor: Option<&str>,
    ) -> Result<(Vec<SignInLogEntry>, Option<String>), DomainError> {
        self.log.sign_ins(self.tenant_id, cursor).await
    }
}

/// `GET audit-logs/sign-ins?top=&cursor=&from=&to=&outcome=&method=&user=`: newest first, in
/// pages with `nextLink`, for those who may read logs.
pub async fn sign_ins<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    query: SignInQuery<'_>,
) -> Result<List<SignInLogEntry>, DomainError> {
    authz::authorized(cx, credentials, tenant, Permission::ReadAuditLogs).await?;
    let top = parse_top(query.top)?;
    let filter = SignInFilter::parse(&query)?;
    let start = PageCursor::decode(query.cursor)?;
    let pages = SignIns {
        log: cx.ports.log(),
        tenant_id: &tenant.id,
    };
    let keep = |e: &SignInLogEntry| filter.keeps(e);
    let stop = |e: &SignInLogEntry| filter.past(e);
    let (value, next) = paging::collect(&pages, start, top, keep, stop).await?;
    let filters = [
        ("from", query.from),
        ("to", query.to),
        ("outcome", query.outcome),
        ("method", query.method),
        ("user", query.user),
    ];
    let path = Endpoint::SignInLogs.path(&[&tenant.id]);
    let next_link = next.map(|c| paging::next_link(cx.link_origin, &path, top, &c, &filters));
    Ok(List { value, next_link })
}

/// What `GET audit-logs/sign-ins/summary` may ask for.
#[derive(Debug, Clone, Copy, Default)]
pub struct SummaryQuery<'a> {
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    /// `hour` or `day` (the default).
    pub interval: Option<&'a str>,
}

/// Most intervals one summary answers.
const MAX_BUCKETS: i64 = 24 * 31;

/// `GET audit-logs/sign-ins/summary?from=&to=&interval=hour|day`: sign-ins succeeded and failed
/// per interval (UTC), oldest first — the chart's series. The last 7 days by default.
pub async fn sign_in_summary<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    query: SummaryQuery<'_>,
) -> Result<List<SignInBucket>, DomainError> {
    authz::authorized(cx, credentials, tenant, Permission::ReadAuditLogs).await?;
    let width = match query.interval {
        None | Some("day") => DAY,
        Some("hour") => HOUR,
        Some(_) => {
            return Err(DomainError::validation(
                "interval",
                "interval is hour or day.",
            ))
        }
    };
    let to = instant("to", query.to)?.unwrap_or(cx.now);
    let from = instant("from", query.from)?.unwrap_or(to - 7 * DAY);
    let first = from - from.rem_euclid(width);
    let buckets = (to - first + width - 1) / width;
    if to <= from || buckets > MAX_BUCKETS {
        return Err(DomainError::validation(
            "from",
            format!("from must be before to, at most {MAX_BUCKETS} intervals apart."),
        ));
    }
    let mut value: Vec<SignInBucket> = (0..buckets)
        .map(|i| SignInBucket {
            start: format_rfc3339(first + i * width),
            success: 0,
            failure: 0,
        })
        .collect();
    let pages = SignIns {
        log: cx.ports.log(),
        tenant_id: &tenant.id,
    };
    let mut cursor: Option<String> = None;
    'pages: loop {
        let (entries, next) = pages.page(cursor.as_deref()).await?;
        for entry in &entries {
            let at = SignInFilter::at(entry);
            if at < from {
                break 'pages;
            }
            if at >= to {
                continue;
            }
            let bucket = &mut value[((at - first) / width) as usize];
            let n = entry.count.unwrap_or(1);
            match entry.outcome.as_str() {
                "success" => bucket.success += n,
                _ => bucket.failure += n,
            }
        }
        match next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    Ok(List::whole(value))
}

/// What `GET audit-logs/directory` may ask for, as the query string gave it.
#[derive(Debug, Clone, Copy, Default)]
pub struct DirectoryQuery<'a> {
    pub top: Option<&'a str>,
    pub cursor: Option<&'a str>,
    /// RFC 3339 instants: changes at or after `from` and before `to`.
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    /// Part of the activity's name, any case ("branding", "pass").
    pub activity: Option<&'a str>,
}

/// A tenant's directory log, page by page, newest first.
struct Changes<'a, L> {
    log: &'a L,
    tenant_id: &'a str,
}

impl<L: AuditLog> Pages<DirectoryAuditEntry> for Changes<'_, L> {
    async fn page(
        &self,
        cursor: Option<&str>,
    ) -> Result<(Vec<DirectoryAuditEntry>, Option<String>), DomainError> {
        self.log.directory_changes(self.tenant_id, cursor).await
    }
}

/// `GET audit-logs/directory?top=&cursor=&from=&to=&activity=`: newest first, in pages with
/// `nextLink`, for those who may read logs.
pub async fn directory_changes<P: Ports>(
    cx: &Ctx<'_, P>,
    credentials: Credentials<'_>,
    tenant: &TenantRecord,
    query: DirectoryQuery<'_>,
) -> Result<List<DirectoryAuditEntry>, DomainError> {
    authz::authorized(cx, credentials, tenant, Permission::ReadAuditLogs).await?;
    let top = parse_top(query.top)?;
    let (from, to) = (instant("from", query.from)?, instant("to", query.to)?);
    let activity = query
        .activity
        .map(|a| a.trim().to_lowercase())
        .filter(|a| !a.is_empty());
    let start = PageCursor::decode(query.cursor)?;
    let pages = Changes {
        log: cx.ports.log(),
        tenant_id: &tenant.id,
    };
    let at = |e: &DirectoryAuditEntry| parse_rfc3339(&e.activity_date_time).unwrap_or(0);
    let keep = |e: &DirectoryAuditEntry| {
        to.is_none_or(|to| at(e) < to)
            && from.is_none_or(|from| at(e) >= from)
            && activity
                .as_ref()
                .is_none_or(|a| e.activity.to_lowercase().contains(a.as_str()))
    };
    // Newest first: past `from`, nothing further can match.
    let stop = |e: &DirectoryAuditEntry| from.is_some_and(|from| at(e) < from);
    let (value, next) = paging::collect(&pages, start, top, keep, stop).await?;
    let filters = [
        ("from", query.from),
        ("to", query.to),
        ("activity", query.activity),
    ];
    let path = Endpoint::DirectoryLogs.path(&[&tenant.id]);
    let next_link = next.map(|c| paging::next_link(cx.link_origin, &path, top, &c, &filters));
    Ok(List { value, next_link })
}
