//! The Guestpass Worker: the thin adapter between Cloudflare's runtime and the pure core.
//!
//! It reads the clock and randomness, talks to KV, the Durable Object and the email provider, and
//! turns core results into HTTP. Business rules live in `guestpass-core`; a handler here parses,
//! calls the core, stores what it is handed and renders.

mod audit;
mod config;
mod directory;
mod guard_client;
mod guard_object;
mod handlers;
mod http;
mod mailer;
mod principal;
mod random;
mod router;

use worker::{event, Context, Env, Request, Response, Result};

pub use guard_object::Guard;

#[event(fetch)]
async fn fetch(req: Request, env: Env, ctx: Context) -> Result<Response> {
    Ok(router::handle(req, env, ctx).await)
}
