//! One file a screen.

pub mod account;
pub mod enter_code;
pub mod enter_pass;
pub mod my_apps;
pub mod no_tenant;
pub mod outbox;
pub mod redeem;
pub mod security_info;
pub mod sign_in;
pub mod sign_in_passkey;
pub mod signed_in;
pub mod tenant;
pub mod unknown_tenant;
