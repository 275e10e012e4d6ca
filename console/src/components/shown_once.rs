//! A secret shown this once — a Temporary Access Pass, a client secret — with a Copy button.

use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::copy::Key;
use crate::{tr, Texts};

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
