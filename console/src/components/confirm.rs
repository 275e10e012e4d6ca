//! A destructive action behind a confirmation: the button opens a modal `<dialog>` (focus moves
//! into it, Escape cancels, focus returns to the button), which states what will happen. And a
//! secret shown once, with Copy: a pass, a client secret.

use leptos::html::Dialog;
use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::copy::Key;
use crate::{tr, Texts};

#[component]
pub fn Confirm(
    /// The id of the button that opens the dialog; the dialog's own ids derive from it.
    #[prop(into)]
    id: String,
    /// The button's and the dialog's confirming action.
    action: Key,
    /// What will happen, in words.
    #[prop(into)]
    question: Signal<String>,
    #[prop(into)] disabled: Signal<bool>,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let dialog = NodeRef::<Dialog>::new();
    let title_id = format!("{id}-title");
    let open = move |_| {
        if let Some(dialog) = dialog.get() {
            let _ = dialog.show_modal();
        }
    };
    let close = move || {
        if let Some(dialog) = dialog.get() {
            dialog.close();
        }
    };
    view! {
        <button id=id.clone() class="button danger" type="button" disabled=disabled on:click=open>
            {tr(action)}
        </button>
        <dialog node_ref=dialog class="confirm" aria-labelledby=title_id.clone()>
            <h2 id=title_id.clone()>{tr(action)}</h2>
            <p>{move || question.get()}</p>
            <div class="actions">
                <button id=format!("{id}-cancel") class="button" type="button" autofocus on:click=move |_| close()>
                    {tr(Key::Cancel)}
                </button>
                <button id=format!("{id}-confirm") class="button danger" type="button" on:click=move |_| {
                    close();
                    on_confirm.run(());
                }>
                    {tr(action)}
                </button>
            </div>
        </dialog>
    }
}

/// A value shown this once (`{id}-value`), with a Copy button (`copy-{id}`) that says whether
/// the clipboard took it (`copy-status`).
#[component]
pub fn ShownOnce(id: &'static str, value: String) -> impl IntoView {
    let texts = Texts::get();
    let copied = RwSignal::new(None::<bool>);
    let copy = {
        let value = value.clone();
        move |_| {
            let value = value.clone();
            leptos::task::spawn_local(async move {
                let clipboard = window().navigator().clipboard();
                let done = JsFuture::from(clipboard.write_text(&value)).await.is_ok();
                copied.set(Some(done));
            });
        }
    };
    view! {
        <p class="pass-value"><code id=format!("{id}-value")>{value}</code></p>
        <button id=format!("copy-{id}") class="button" type="button" on:click=copy>{tr(Key::Copy)}</button>
        <span role="status" id="copy-status">
            {move || copied.get().map(|ok| texts.t(if ok { Key::Copied } else { Key::CopyFailed }))}
        </span>
    }
}
