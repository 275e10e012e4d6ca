//! A destructive action behind a confirmation: the button opens a modal `<dialog>` (focus moves
//! into it, Escape cancels, focus returns to the button), which states what will happen.

use leptos::html::Dialog;
use leptos::prelude::*;

use crate::copy::Key;
use crate::tr;

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
