//! Component tests of the code field in a real browser (`wasm-bindgen-test`, headless Chromium):
//! what a person types or pastes becomes the code, digits only, at most the code's length.

#![cfg(target_arch = "wasm32")]

use guestpass_app::CodeInput;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{
    ClipboardEvent, ClipboardEventInit, DataTransfer, Event, EventInit, HtmlElement,
    HtmlInputElement,
};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts a fresh eight-digit code field; returns its value signal and its `<input>`.
fn code_field() -> (RwSignal<String>, HtmlInputElement) {
    let value = RwSignal::new(String::new());
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    leptos::mount::mount_to(
        container.clone(),
        move || view! { <CodeInput value length=8 /> },
    )
    .forget();
    let input = container
        .query_selector("input")
        .unwrap()
        .expect("the code input")
        .unchecked_into();
    (value, input)
}

fn type_text(input: &HtmlInputElement, text: &str) {
    input.set_value(text);
    let init = EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
}

/// Dispatches a paste of `text`; returns whether the browser's own paste was allowed to run.
fn paste(input: &HtmlInputElement, text: &str) -> bool {
    let clipboard = DataTransfer::new().unwrap();
    clipboard.set_data("text", text).unwrap();
    let init = ClipboardEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_clipboard_data(Some(&clipboard));
    input
        .dispatch_event(&ClipboardEvent::new_with_event_init_dict("paste", &init).unwrap())
        .unwrap()
}

#[wasm_bindgen_test]
fn typed_letters_and_spaces_are_dropped() {
    let (value, input) = code_field();
    type_text(&input, "12a3 4-");
    assert_eq!(input.value(), "1234");
    assert_eq!(value.get_untracked(), "1234");
}

#[wasm_bindgen_test]
fn pasting_a_code_from_an_email_keeps_its_digits_and_replaces_the_field() {
    let (value, input) = code_field();
    type_text(&input, "99");
    let browser_paste_ran = paste(&input, "Your code: 1234 5678");
    assert!(!browser_paste_ran, "the field handles the paste itself");
    assert_eq!(input.value(), "12345678");
    assert_eq!(value.get_untracked(), "12345678");
}

#[wasm_bindgen_test]
fn no_more_digits_than_the_code_has_are_kept() {
    let (value, input) = code_field();
    type_text(&input, "1234567890");
    assert_eq!(input.value(), "12345678");
    paste(&input, "000011112222");
    assert_eq!(value.get_untracked(), "00001111");
}

#[wasm_bindgen_test]
fn the_field_asks_for_a_numeric_one_time_code() {
    let (_, input) = code_field();
    assert_eq!(
        input.get_attribute("autocomplete").as_deref(),
        Some("one-time-code")
    );
    assert_eq!(input.get_attribute("inputmode").as_deref(), Some("numeric"));
    assert_eq!(input.id(), "code", "the page's <label for=code> names it");
}
