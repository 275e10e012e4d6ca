//! The `Mailer` port and its two adapters: an HTTP email API (Resend-compatible JSON) and the
//! development outbox. Mail goes out after the response (`waitUntil`), so how long a provider
//! takes — or whether an email went out at all — never shows in the sign-in answer.

use std::time::Duration;

use guestpass_core::mail::Email;
use guestpass_core::storage_keys as keys;
use guestpass_core::time::{format_rfc3339, UnixMillis};
use guestpass_wire::OutboxMessage;
use serde::Serialize;
use worker::{console_error, console_log, Delay, Fetch, Headers, Method, Request, RequestInit};

use crate::config::ProviderConfig;
use crate::directory::Directory;
use crate::router::Ctx;

/// Sends one email. Contract: `Ok` means the message was accepted for delivery; an error is
/// final for this message (retries already happened inside), and its text holds no message body.
pub trait Mailer {
    async fn send(&self, email: &Email) -> Result<(), String>;
}

/// A provider speaking the Resend JSON API: `POST {url}` with a bearer key.
pub struct HttpMailer<'a> {
    pub config: &'a ProviderConfig,
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
        let headers = Headers::new();
        let set = |name: &str, value: &str| headers.set(name, value).map_err(|e| e.to_string());
        set("content-type", "application/json")?;
        set("authorization", &format!("Bearer {}", self.config.api_key))?;
        let mut init = RequestInit::new();
        init.with_method(Method::Post)
            .with_headers(headers.clone())
            .with_body(Some(body.into()));
        let request = Request::new_with_init(&self.config.url, &init).map_err(|e| e.to_string())?;
        let response = Fetch::Request(request)
            .send()
            .await
            .map_err(|e| format!("unreachable: {e}"))?;
        Ok(response.status_code())
    }
}

impl Mailer for HttpMailer<'_> {
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

/// Development only: keeps the message in KV, readable at `GET /api/v1/dev/outbox`.
pub struct DevOutbox<'a> {
    pub directory: &'a Directory,
    pub now: UnixMillis,
    pub id: String,
}

impl Mailer for DevOutbox<'_> {
    async fn send(&self, email: &Email) -> Result<(), String> {
        let message = OutboxMessage {
            to: email.to.clone(),
            subject: email.subject.clone(),
            text: email.text.clone(),
            sent_date_time: format_rfc3339(self.now),
        };
        let key = keys::outbox(&email.to, self.now, &self.id);
        self.directory
            .put_with_ttl(&key, &message, keys::OUTBOX_TTL_SECONDS)
            .await
            .map_err(|e| format!("{e:?}"))
    }
}

/// Sends through every configured mailer: the outbox in development, the provider when set.
/// Failures are logged with the recipient's domain only.
async fn deliver(email: Email, provider: Option<&ProviderConfig>, outbox: Option<DevOutbox<'_>>) {
    let domain = email
        .to
        .rsplit_once('@')
        .map(|(_, d)| d.to_string())
        .unwrap_or_default();
    if let Some(outbox) = outbox {
        if let Err(e) = outbox.send(&email).await {
            console_error!("outbox write failed for a recipient at {domain}: {e}");
        }
    }
    if let Some(config) = provider {
        match (HttpMailer { config }).send(&email).await {
            Ok(()) => console_log!("email accepted by the provider for a recipient at {domain}"),
            Err(e) => console_error!("email to a recipient at {domain} failed: {e}"),
        }
    }
}

/// Queues an email to go out after the response: the outbox in development, the provider when
/// configured. The caller's answer is the same whether or not (or how slowly) this happens.
pub fn send_after_response(ctx: &Ctx<'_>, email: Email) -> Result<(), guestpass_core::DomainError> {
    let (config, directory, now, id) = (
        ctx.config.clone(),
        ctx.directory.clone(),
        ctx.now,
        crate::random::uuid()?,
    );
    ctx.after_response(async move {
        let outbox = config.development.then_some(DevOutbox {
            directory: &directory,
            now,
            id,
        });
        deliver(email, config.provider.as_ref(), outbox).await;
    });
    Ok(())
}
