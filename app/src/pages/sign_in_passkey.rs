//! **Sign in with a passkey**: a member's everyday sign-in, with **Use a Temporary Access Pass
//! instead** beside it whenever pass sign-in is on (every member sees the same screen, so it
//! tells nobody who has a passkey or a pass).

use super::sign_in::Flow;
use crate::components::status::Status;
use crate::flow::Step;
use crate::i18n::Key;
use crate::{tr, tr_while, trf};
use leptos::html::Button;
use leptos::prelude::*;

#[component]
pub fn SignInPasskey(flow: Flow, username: String) -> impl IntoView {
    let button = NodeRef::<Button>::new();
    request_animation_frame(move || {
        if let Some(button) = button.get_untracked() {
            let _ = button.focus();
        }
    });
    let username = StoredValue::new(username);
    let passes_on = flow
        .info
        .with_value(|info| info.methods.temporary_access_pass);
    let use_pass = move |_| {
        flow.problem.set(None);
        flow.step.set(Step::Pass {
            username: username.get_value(),
        });
    };
    view! {
        <h1 id="page-title">{tr(Key::PasskeyTitle)}</h1>
        <Status error=flow.error() notice=flow.polite() />
        <form novalidate on:submit=move |ev| {
            ev.prevent_default();
            flow.sign_in_with_passkey(username.get_value());
        }>
            <p>{trf(Key::PasskeyIntro, vec![("username", username.get_value())])}</p>
            <button id="passkey-sign-in" class="button primary" type="submit" node_ref=button disabled=flow.busy aria-busy=move || flow.busy.get().to_string()>
                {tr_while(flow.busy.into(), Key::SigningIn, Key::PasskeyTitle)}
            </button>
        </form>
        <div class="secondary">
            {passes_on.then(|| view! {
                <button id="use-pass" class="button link" type="button" on:click=use_pass>
                    {tr(Key::UsePassInstead)}
                </button>
            })}
            <button id="change-address" class="button link" type="button" on:click=move |_| flow.restart(String::new())>
                {tr(Key::UseOtherAddress)}
            </button>
        </div>
    }
}
