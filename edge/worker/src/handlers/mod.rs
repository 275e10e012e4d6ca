//! One module per area of the API. Each handler parses the request, calls one use case of
//! `guestpass-core` and renders its answer: no business rule lives here.
//!
//! One crate, three Workers (`router::served_by` says which serves what): the sign-in Worker
//! (the default build) serves sign-in and the session; the account Worker (feature `account`) a
//! member's own passkeys, "My apps" and the OpenID Connect endpoints; the administration Worker
//! (feature `admin`) everything that needs an administrator's role or the operator's token, and
//! a development deployment's outbox.

#[cfg(feature = "account")]
pub mod account;
#[cfg(feature = "admin")]
pub mod admin;
#[cfg(feature = "admin")]
pub mod application;
#[cfg(feature = "admin")]
pub mod dev;
#[cfg(feature = "account")]
pub mod oidc;
#[cfg(feature = "admin")]
pub mod operator;
#[cfg(not(any(feature = "admin", feature = "account")))]
pub mod passkey;
#[cfg(feature = "admin")]
pub mod passkey_admin;
#[cfg(not(any(feature = "admin", feature = "account")))]
pub mod session;
#[cfg(not(any(feature = "admin", feature = "account")))]
pub mod signin;
#[cfg(feature = "admin")]
pub mod tap;
