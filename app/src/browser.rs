//! The few browser facilities the app uses, in one place: language preference, document title and
//! language, history, timing marks and dates. Failures here are cosmetic, so they are ignored.

use guestpass_wire::Language;
use wasm_bindgen::JsValue;

const LANGUAGE_STORAGE_KEY: &str = "guestpass.language";

/// The language remembered from an earlier visit, else the browser's first supported preference.
pub fn initial_language() -> Language {
    let window = leptos::prelude::window();
    let remembered = window
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(LANGUAGE_STORAGE_KEY).ok().flatten());
    if let Some(language) = remembered.as_deref().and_then(Language::from_tag) {
        return language;
    }
    let preferences: Vec<String> = window
        .navigator()
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    Language::negotiate(preferences.iter().map(String::as_str))
}

/// Keeps a choice made on the page for the next visit.
pub fn remember_language(language: Language) {
    if let Ok(Some(storage)) = leptos::prelude::window().local_storage() {
        let _ = storage.set_item(LANGUAGE_STORAGE_KEY, language.tag());
    }
}

/// `<html lang>` follows the page's language, so screen readers pronounce it right.
pub fn set_document_language(language: Language) {
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("lang", language.tag());
    }
}

pub fn set_title(title: &str) {
    leptos::prelude::document().set_title(title);
}

/// The current path and query string.
pub fn location() -> (String, String) {
    let location = leptos::prelude::window().location();
    (
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default(),
    )
}

/// Changes the address bar without a reload (the app re-renders from the new route itself).
pub fn replace_path(path: &str) {
    if let Ok(history) = leptos::prelude::window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(path));
    }
}

/// Leaves the app for another page (an invitation's vetted redirect URL).
pub fn leave_for(url: &str) {
    let _ = leptos::prelude::window().location().assign(url);
}

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A `performance.mark`, read by `cargo xtask bench` to time first render and interactivity.
pub fn mark(name: &str) {
    if let Some(performance) = leptos::prelude::window().performance() {
        let _ = performance.mark(name);
    }
}

/// An RFC 3339 time as the reader's language writes a date and time.
pub fn local_date_time(rfc3339: &str, language: Language) -> String {
    let date = js_sys::Date::new(&JsValue::from_str(rfc3339));
    if date.get_time().is_nan() {
        return rfc3339.to_string();
    }
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    date.to_locale_string(language.tag(), &options).into()
}

/// A tenant's brand colour and the text colour that reads on it (both from the edge), applied
/// through the CSSOM (allowed by our CSP, unlike a style attribute).
pub fn set_brand_color(color: Option<&str>, text: Option<&str>) {
    let Some(root) = leptos::prelude::document().document_element() else {
        return;
    };
    let Ok(root) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(root) else {
        return;
    };
    let style = root.style();
    let valid = |c: &&str| guestpass_wire::is_hex_color(c);
    let _ = match (color.filter(valid), text.filter(valid)) {
        (Some(color), Some(text)) => style
            .set_property("--brand", color)
            .and_then(|()| style.set_property("--on-brand", text)),
        _ => style
            .remove_property("--brand")
            .and_then(|_| style.remove_property("--on-brand"))
            .map(|_| ()),
    };
}
