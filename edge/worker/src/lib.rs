//! The Guestpass Worker: the thin adapter between Cloudflare's runtime and the pure core.
//!
//! It implements the core's ports (KV, the guard Durable Object, the email provider, the logs,
//! the CSPRNG), reads the clock, and turns HTTP into use-case calls and back: a handler parses,
//! calls one use case of `guestpass-core` and renders. Business rules live in the core.

#[cfg(feature = "account")]
mod account_api;
#[cfg(feature = "admin")]
mod admin_api;
mod audit_log;
mod config;
mod entropy;
mod guard;
mod handlers;
mod http;
mod kv;
mod mailer;
mod ports;
mod router;
#[cfg(not(any(feature = "admin", feature = "account")))]
mod sign_in_api;
mod signatures;

use worker::{event, Context, Env, Request, Response, Result};

#[event(fetch)]
async fn fetch(req: Request, env: Env, ctx: Context) -> Result<Response> {
    Ok(router::handle(req, env, ctx).await)
}
