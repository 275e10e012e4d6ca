//! The Guestpass domain core.
//!
//! **Contract: this crate is pure.** It never reads a clock, draws randomness, touches the network
//! or storage by itself. The current time comes in as [`time::UnixMillis`]; entropy, storage, the
//! guard, mail and the logs come in through the [`ports`]. Each API operation is one use case
//! here — e.g. [`email_otp::send`], [`tap::sign_in`], [`directory::invite`] — that takes a
//! [`context::Ctx`] (ports, settings, time), the caller's credentials and the parsed request, and
//! returns the response body or a [`DomainError`]. The Worker adapter (`edge/worker`) only parses,
//! calls one use case and renders; `memory` (feature `test-support`) runs the same use cases
//! natively on in-memory ports that obey KV's and the Durable Object's rules.
//!
//! Layout, by concept: `directory/` (tenants, users, members, invitations, the KV store),
//! `email_otp/` (challenge, policy, send, verify), `tap/` (pass, policy, issue, sign-in),
//! `guard/` (counter, codes, passes, protocol), then `session`, `authz`, `audit`, `keys`, `error`,
//! `time` and the small helpers.

pub mod audit;
pub mod authz;
pub mod context;
pub mod dev;
pub mod directory;
pub mod email_otp;
pub mod error;
pub mod guard;
pub mod ids;
pub mod join;
pub mod keys;
pub mod limits;
pub mod mail;
#[cfg(any(test, feature = "test-support"))]
pub mod memory;
pub mod network;
pub mod oidc;
pub mod paging;
pub mod passkey;
pub mod ports;
pub mod request_rules;
pub mod session;
pub mod storage_keys;
pub mod tap;
pub mod time;
pub mod url;

pub use error::DomainError;
