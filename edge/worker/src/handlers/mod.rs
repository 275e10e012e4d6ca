//! One module per area of the API. Each handler: authenticate, parse, one core decision, store,
//! render.

pub mod admin;
pub mod dev;
pub mod operator;
pub mod session;
pub mod signin;
pub mod tap;
