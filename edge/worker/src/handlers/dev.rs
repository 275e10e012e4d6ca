//! `GET /api/v1/dev/outbox`: what a development deployment "sent". Absent (404) elsewhere.

use guestpass_core::storage_keys as keys;
use guestpass_core::DomainError;
use guestpass_wire::{normalize_email, List, OutboxMessage};

use crate::http::{json, HandlerResult};
use crate::router::Ctx;

const OUTBOX_LIMIT: usize = 1000;

pub async fn outbox(ctx: &Ctx<'_>, query: &[(String, String)]) -> HandlerResult {
    if !ctx.config.development {
        return Err(DomainError::RouteNotFound);
    }
    let to = match query.iter().find(|(k, _)| k == "to") {
        Some((_, address)) => Some(normalize_email(address).map_err(DomainError::InvalidEmail)?),
        None => None,
    };
    let mut value: Vec<OutboxMessage> = ctx
        .directory
        .list_values(&keys::outbox_prefix(to.as_deref()), OUTBOX_LIMIT)
        .await?;
    // Keys sort by recipient then time; across recipients, order by time (RFC 3339 sorts as text).
    value.sort_by(|a, b| a.sent_date_time.cmp(&b.sent_date_time));
    json(200, &List { value })
}
