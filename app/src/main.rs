//! The sign-in app's entry. In the browser, `wasm-bindgen` calls [`start`] when the module is
//! instantiated and there is no Rust `main`: the standard library's runtime around one (its
//! stdout machinery, which a browser bundle never uses) is not linked. A native build (tests,
//! lints) gets an empty `main`.

#![cfg_attr(target_family = "wasm", no_main)]

#[cfg(target_family = "wasm")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
fn start() {
    guestpass_app::start();
}

#[cfg(not(target_family = "wasm"))]
fn main() {}
