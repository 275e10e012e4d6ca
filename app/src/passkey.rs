//! The browser's side of a passkey ceremony: the edge's options go to `navigator.credentials`
//! and the credential comes back, both as JSON text the app passes along unread (`webauthn.js`
//! converts between WebAuthn's JSON forms and the browser's binary ones).

use crate::flow::BrowserRefusal;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/webauthn.js")]
extern "C" {
    fn supported() -> bool;
    #[wasm_bindgen(js_name = conditionalAvailable)]
    async fn conditional_available_js() -> JsValue;
    #[wasm_bindgen(catch, js_name = create)]
    async fn create_js(options: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = get)]
    async fn get_js(
        options: &str,
        conditional: bool,
        signal: Option<web_sys::AbortSignal>,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = errorName)]
    fn error_name(error: &JsValue) -> String;
}

/// Whether the username field can offer passkeys through the browser's autofill.
pub async fn conditional_available() -> bool {
    conditional_available_js().await.is_truthy()
}

/// Creates a passkey from the edge's `CreationOptions` JSON: the `RegistrationResponseJSON` text.
pub async fn create(options: &str) -> Result<String, BrowserRefusal> {
    if !supported() {
        return Err(BrowserRefusal::Unsupported);
    }
    answer(create_js(options).await)
}

/// Asks for a passkey with the edge's `RequestOptions` JSON: the `AuthenticationResponseJSON`
/// text. `conditional` waits for a pick in the username field's autofill until `signal` aborts.
pub async fn get(
    options: &str,
    conditional: bool,
    signal: Option<web_sys::AbortSignal>,
) -> Result<String, BrowserRefusal> {
    if !supported() {
        return Err(BrowserRefusal::Unsupported);
    }
    answer(get_js(options, conditional, signal).await)
}

fn answer(result: Result<JsValue, JsValue>) -> Result<String, BrowserRefusal> {
    match result {
        Ok(json) => json.as_string().ok_or(BrowserRefusal::Failed),
        Err(error) => Err(BrowserRefusal::from_error_name(&error_name(&error))),
    }
}
