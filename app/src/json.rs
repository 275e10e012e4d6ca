//! JSON in the SPAs goes through the browser's own parser and printer (`JSON.parse`,
//! `JSON.stringify`), with `serde-wasm-bindgen` between their values and the wire types.
//!
//! Why not serde_json: its parser, number reading, error text and a copy of every wire type's
//! decoding compiled for it are bytes each visitor downloads (about 5.8 KB gzip of the sign-in
//! wasm, 2026-11-24), and the browser already carries a JSON parser. The Worker, which has no
//! download to save, keeps serde_json; the browser tests in `tests/json.rs` hold the two to the
//! same wire.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

/// The JSON text could not be read as a `T` (not JSON, or not this shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotTheShape;

/// Reads `text` as a `T`. Fields `T` does not know are ignored; a missing optional is `None`.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, NotTheShape> {
    let value = js_sys::JSON::parse(text).map_err(|_| NotTheShape)?;
    serde_wasm_bindgen::from_value(value).map_err(|_| NotTheShape)
}

/// `value` as JSON text, as the Worker's serde_json would write it: objects for structs and
/// maps, plain numbers (never `BigInt`), `null` for `None`.
pub fn to_text<T: Serialize>(value: &T) -> Result<String, NotTheShape> {
    let value = value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|_| NotTheShape)?;
    stringify(&value).ok_or(NotTheShape)
}

/// `text` as a JSON string literal, quotes and escapes included.
pub fn string(text: &str) -> String {
    // A JavaScript string always stringifies.
    stringify(&JsValue::from_str(text)).unwrap_or_default()
}

fn stringify(value: &JsValue) -> Option<String> {
    js_sys::JSON::stringify(value).ok().map(String::from)
}
