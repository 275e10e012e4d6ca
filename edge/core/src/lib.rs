//! The Guestpass domain core.
//!
//! **Contract: this crate is pure.** It never reads a clock, draws randomness, touches the network
//! or storage. The current time comes in as [`time::UnixMillis`] and entropy as byte arrays, so
//! every rule here is tested natively with a fixed clock, and the Worker adapter (`edge/worker`)
//! only parses, calls one function, stores what it is handed and renders the result.

pub mod authz;
pub mod challenge;
pub mod directory;
pub mod error;
pub mod guard;
pub mod ids;
pub mod keys;
pub mod limits;
pub mod mail;
pub mod policy;
pub mod request_rules;
pub mod session;
pub mod signin;
pub mod storage_keys;
pub mod tap;
pub mod tap_issue;
pub mod tap_policy;
pub mod tap_signin;
pub mod time;
pub mod url;

pub use error::DomainError;
