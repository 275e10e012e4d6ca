//! One module per area of the API. Each handler parses the request, calls one use case of
//! `guestpass-core` and renders its answer: no business rule lives here.
//!
//! The sign-in Worker serves sign-in, the session, a member's own passkeys and the OpenID
//! Connect endpoints; the administration Worker (feature `admin`) everything that needs an
//! administrator's role or the operator's token (`router::administrative`).

#[cfg(feature = "admin")]
pub mod admin;
#[cfg(feature = "admin")]
pub mod application;
#[cfg(not(feature = "admin"))]
pub mod dev;
#[cfg(not(feature = "admin"))]
pub mod oidc;
#[cfg(feature = "admin")]
pub mod operator;
#[cfg(not(feature = "admin"))]
pub mod passkey;
#[cfg(feature = "admin")]
pub mod passkey_admin;
#[cfg(not(feature = "admin"))]
pub mod session;
#[cfg(not(feature = "admin"))]
pub mod signin;
#[cfg(feature = "admin")]
pub mod tap;
