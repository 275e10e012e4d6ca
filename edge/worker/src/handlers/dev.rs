//! `GET /api/v1/dev/outbox`: what a development deployment "sent". Absent (404) elsewhere.

use guestpass_core::dev;

use crate::http::{json, query_value, HandlerResult};
use crate::router::Cx;

pub async fn outbox(cx: &Cx<'_>, query: &[(String, String)]) -> HandlerResult {
    let to = query_value(query, "to");
    json(200, &dev::outbox(cx.settings, cx.ports, to).await?)
}
