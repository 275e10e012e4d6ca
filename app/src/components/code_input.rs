//! The one-time code field: one input, digits only, at most the code's length, pasting works.

use crate::flow::sanitize_code;
use leptos::html::Input;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

/// `value` always holds the sanitized code. Typing or pasting anything else (spaces, "Code:",
/// letters) keeps only the digits. The label is the page's `<label for="code">`.
#[component]
pub fn CodeInput(
    value: RwSignal<String>,
    length: usize,
    #[prop(optional)] node_ref: NodeRef<Input>,
    #[prop(into, optional)] invalid: Signal<bool>,
) -> impl IntoView {
    let keep = move |input: &HtmlInputElement, raw: &str| {
        let clean = sanitize_code(raw, length);
        if input.value() != clean {
            input.set_value(&clean);
        }
        value.set(clean);
    };
    let on_input = move |ev: leptos::ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        keep(&input, &input.value());
    };
    // A paste replaces the field with the pasted code (an email's "Code: 1234 5678" included),
    // rather than inserting it into what was there.
    let on_paste = move |ev: leptos::ev::ClipboardEvent| {
        let Some(pasted) = ev
            .clipboard_data()
            .and_then(|data| data.get_data("text").ok())
        else {
            return;
        };
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        ev.prevent_default();
        keep(&input, &pasted);
    };
    view! {
        <input
            id="code"
            name="code"
            class="code-input"
            type="text"
            inputmode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9]*"
            spellcheck="false"
            aria-describedby="code-hint"
            aria-invalid=move || invalid.get().to_string()
            node_ref=node_ref
            prop:value=value
            on:input=on_input
            on:paste=on_paste
        />
    }
}
