//! The Guestpass wire contract, shared by the SPA (`app/`) and the edge (`edge/`).
//!
//! Serde types only: request and response bodies in the API's camelCase, the error codes a client
//! may branch on, and the validation rules both sides apply. Nothing here does I/O, so the crate
//! compiles unchanged to wasm for the browser and to native code for tests.

#[macro_use]
mod names;
pub mod api;
pub mod application;
pub mod email;
pub mod error;
pub mod language;
pub mod oidc;
pub mod passkey;
pub mod redirect;
pub mod tap;
pub mod types;

pub use api::{Endpoint, Method, NoBody, Operation};
pub use email::{normalize_email, EmailError};
pub use error::{ApiError, ErrorBody, ErrorCode};
pub use language::{Language, Plural};
pub use types::*;
