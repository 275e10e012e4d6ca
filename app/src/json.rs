//! JSON in the SPAs: CosmWasm's `serde-json-wasm`, serde_json's format for wasm programs without
//! floating point.
//!
//! Why not serde_json, which the Worker uses: every visitor downloads these bundles, and
//! serde_json's float parsing and printing, its error text and its copy of each wire type's
//! decoding cost the sign-in wasm about 10 KB gzip (2026-11-24). The wire has no floats. (The
//! browser's own `JSON.parse` with serde-wasm-bindgen was tried, and is 3 KB heavier: its error
//! messages link core's float formatting.) The tests in `tests/json.rs` hold both crates to the
//! same wire.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// The JSON text could not be read as a `T` (not JSON, or not this shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotTheShape;

/// Reads `text` as a `T`. Fields `T` does not know are ignored; a missing optional is `None`.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, NotTheShape> {
    serde_json_wasm::from_str(text).map_err(|_| NotTheShape)
}

/// `value` as JSON text, as the Worker's serde_json writes it.
pub fn to_text<T: Serialize>(value: &T) -> Result<String, NotTheShape> {
    serde_json_wasm::to_string(value).map_err(|_| NotTheShape)
}

/// `text` as a JSON string literal, quotes and escapes included.
pub fn string(text: &str) -> String {
    // A string always serializes.
    to_text(&text).unwrap_or_default()
}
