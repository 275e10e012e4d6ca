//! The console's entry: a `wasm-bindgen` start function and no Rust `main`, for the reason the
//! sign-in app's `main.rs` gives.

#![cfg_attr(target_family = "wasm", no_main)]

#[cfg(target_family = "wasm")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
fn start() {
    guestpass_console::start();
}

#[cfg(not(target_family = "wasm"))]
fn main() {}
