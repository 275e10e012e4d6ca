//! The page's message area: always in the DOM, so screen readers announce each new message.

use leptos::prelude::*;

/// An error (`assertive`) or a notice (`polite`); empty when there is nothing to say.
#[component]
pub fn Status(
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(into, optional)] notice: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <div id="message" class="message" role="alert" aria-live="assertive" aria-atomic="true">
            {move || error.get().map(|text| view! { <p class="message-error">{text}</p> })}
        </div>
        <div class="message" role="status" aria-live="polite" aria-atomic="true">
            {move || notice.get().map(|text| view! { <p class="message-notice">{text}</p> })}
        </div>
    }
}
