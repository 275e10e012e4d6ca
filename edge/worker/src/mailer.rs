//! The [`Mailer`] port on an HTTP email API (Resend-compatible JSON) and, in development, the
//! outbox in KV. Mail goes out after the response (`waitUntil`), so how long a provider takes —
//! or whether an email went out at all — never shows in the sign-in answer.

use std::time::Duration;

use guestpass_core::directory::store::Directory;
use guestpass_core::mail::Email;
use guestpass_core::ports::Mailer;
use guestpass_core::storage_keys as keys;
use guestpass_core::time::{format_rfc3339, UnixMillis};
use guestpass_core::DomainError;
use guestpass_wire::OutboxMessage;
use serde::Serialize;
use worker::{console_error, console_log, Context, Delay, Fetch};

use crate::config::ProviderConfig;
use crate::http::json_post;
use crate::kv::Kv;

/// A provider speaking the Resend JSON API: `POST {url}` with a bearer key. `Ok` means the
/// message was accepted for delivery; an error is final (retries happened inside) and holds no
/// message body.
struct HttpMailer<'a> {
    config: &'a ProviderConfig,
}

#[derive(Serialize)]
struct ProviderMessage<'a> {
    from: &'a str,
    to: [&'a str; 1],
    subject: &'a str,
    text: &'a str,
}

/// Waits before attempts 2 and 3 when the provider answers 5xx or cannot be reached.
const RETRY_DELAYS_MS: [u64; 2] = [200, 800];

impl HttpMailer<'_> {
    async fn attempt(&self, body: &str) -> Result<u16, String> {
        let authorization = format!("Bearer {}", self.config.api_key);
        let request = json_post(
            &self.config.url,
            body,
            &[("authorization", authorization.as_str())],
        )?;
        let response = Fetch::Request(request)
            .send()
            .await
            .map_err(|e| format!("unreachable: {e}"))?;
        Ok(response.status_code())
    }
}

impl HttpMailer<'_> {
    async fn send(&self, email: &Email) -> Result<(), String> {
        let message = ProviderMessage {
            from: &self.config.from,
            to: [&email.to],
            subject: &email.subject,
            text: &email.text,
        };
        let body = serde_json::to_string(&message).map_err(|e| e.to_string())?;
        let mut last = String::new();
        for attempt in 0..=RETRY_DELAYS_MS.len() {
            if attempt > 0 {
                Delay::from(Duration::from_millis(RETRY_DELAYS_MS[attempt - 1])).await;
            }
            match self.attempt(&body).await {
                Ok(status) if (200..300).contains(&status) => return Ok(()),
                // A 4xx will not get better by repeating it.
                Ok(status) if status < 500 => {
                    return Err(format!("provider refused with {status}"))
                }
                Ok(status) => last = format!("provider answered {status}"),
                Err(e) => last = e,
            }
        }
        Err(format!(
            "{last} after {} attempts",
            RETRY_DELAYS_MS.len() + 1
        ))
    }
}

/// Keeps a development message in KV, readable at `GET /api/v1/dev/outbox`.
async fn keep_in_outbox(
    kv: &Kv,
    email: &Email,
    now: UnixMillis,
    id: &str,
) -> Result<(), DomainError> {
    let message = OutboxMessage {
        to: email.to.clone(),
        subject: email.subject.clone(),
        text: email.text.clone(),
        sent_date_time: format_rfc3339(now),
    };
    let key = keys::outbox(&email.to, now, id);
    Directory::new(kv)
        .put_listed(&key, &message, keys::OUTBOX_TTL_SECONDS)
        .await
}

/// The Worker's mailer: the outbox in development, the provider when configured, both after the
/// response. Failures are logged with the recipient's domain only.
pub struct WorkerMailer<'a> {
    pub worker: &'a Context,
    pub kv: Kv,
    pub provider: Option<ProviderConfig>,
    pub development: bool,
    pub now: UnixMillis,
}

impl Mailer for WorkerMailer<'_> {
    fn send(&self, email: Email) {
        let outbox_id = match self.development.then(crate::entropy::uuid).transpose() {
            Ok(id) => id,
            Err(e) => return console_error!("no id for an outbox message: {}", e.log_detail()),
        };
        let (kv, provider, now) = (self.kv.clone(), self.provider.clone(), self.now);
        self.worker.wait_until(async move {
            let domain = email
                .to
                .rsplit_once('@')
                .map(|(_, d)| d.to_string())
                .unwrap_or_default();
            if let Some(id) = outbox_id {
                if let Err(e) = keep_in_outbox(&kv, &email, now, &id).await {
                    console_error!(
                        "outbox write failed for a recipient at {domain}: {}",
                        e.log_detail()
                    );
                }
            }
            if let Some(config) = provider.as_ref() {
                match (HttpMailer { config }).send(&email).await {
                    Ok(()) => {
                        console_log!("email accepted by the provider for a recipient at {domain}")
                    }
                    Err(e) => console_error!("email to a recipient at {domain} failed: {e}"),
                }
            }
        });
    }

    async fn outbox(&self, to: Option<&str>) -> Result<Vec<OutboxMessage>, DomainError> {
        let mut value: Vec<OutboxMessage> = Directory::new(&self.kv)
            .list_values(&keys::outbox_prefix(to), keys::OUTBOX_LIMIT)
            .await?;
        // Keys sort by recipient then time; across recipients, order by time (RFC 3339 sorts as
        // text).
        value.sort_by(|a, b| a.sent_date_time.cmp(&b.sent_date_time));
        Ok(value)
    }
}
