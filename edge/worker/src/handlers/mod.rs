//! One module per area of the API. Each handler parses the request, calls one use case of
//! `guestpass-core` and renders its answer: no business rule lives here.

pub mod admin;
pub mod application;
pub mod dev;
pub mod operator;
pub mod passkey;
pub mod session;
pub mod signin;
pub mod tap;
