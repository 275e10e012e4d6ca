//! The account bundle (`/{tenant}/security-info`): built from `app/account.html` into
//! `dist/_account/`, so the sign-in app's bundle never carries the passkey management pages.
//! Its entry is a `wasm-bindgen` start function, for the reason `src/main.rs` gives.

#![cfg_attr(target_family = "wasm", no_main)]

#[cfg(target_family = "wasm")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
fn start() {
    guestpass_app::start_account();
}

#[cfg(not(target_family = "wasm"))]
fn main() {}
