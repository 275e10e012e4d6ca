//! **Enter Temporary Access Pass**: a member signs in with the pass an administrator gave them
//! (to register their first passkey, or to recover when they have none at hand).

use super::sign_in::Flow;
use crate::api;
use crate::components::status::Status;
use crate::flow::{Problem, Step};
use crate::i18n::Key;
use crate::{tr, tr_while, trf};
use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn EnterPass(flow: Flow, username: String) -> impl IntoView {
    let pass = RwSignal::new(String::new());
    let field = NodeRef::<Input>::new();
    request_animation_frame(move || super::sign_in::focus_input(field));
    let username = StoredValue::new(username);
    let sign_in = move || {
        let typed = pass.get_untracked();
        if typed.trim().is_empty() {
            super::sign_in::focus_input(field);
            return;
        }
        flow.begin();
        spawn_local(async move {
            match api::pass_sign_in(
                &flow.tenant.get_value(),
                &username.get_value(),
                typed.trim(),
            )
            .await
            {
                Ok(result) => flow.on_signed_in.run(result),
                Err(failure) => {
                    pass.set(String::new());
                    flow.fail(Problem::of_pass(failure));
                    super::sign_in::focus_input(field);
                }
            }
        });
    };
    let passkeys_on = flow.info.with_value(|info| info.methods.passkey);
    let use_passkey = move |_| {
        flow.problem.set(None);
        flow.step.set(Step::Passkey {
            username: username.get_value(),
        });
    };
    view! {
        <h1 id="page-title">{tr(Key::PassTitle)}</h1>
        <Status error=flow.error() notice=flow.polite() />
        <form novalidate on:submit=move |ev| {
            ev.prevent_default();
            sign_in();
        }>
            <p>{trf(Key::PassIntro, vec![("username", username.get_value())])}</p>
            // The username travels with the form for password managers and screen readers.
            <input type="hidden" name="username" autocomplete="username" prop:value=move || username.get_value() />
            <label for="pass">{tr(Key::PassLabel)}</label>
            <input
                id="pass"
                name="temporary-access-pass"
                type="password"
                autocomplete="off"
                spellcheck="false"
                aria-describedby="message"
                aria-invalid=move || flow.problem.get().is_some().to_string()
                node_ref=field
                prop:value=pass
                on:input=move |ev| pass.set(event_target_value(&ev))
            />
            <button id="pass-sign-in" class="button primary" type="submit" disabled=flow.busy aria-busy=move || flow.busy.get().to_string()>
                {tr_while(flow.busy.into(), Key::SigningIn, Key::SignIn)}
            </button>
        </form>
        <div class="secondary">
            {passkeys_on.then(|| view! {
                <button id="use-passkey" class="button link" type="button" on:click=use_passkey>
                    {tr(Key::UsePasskeyInstead)}
                </button>
            })}
            <button id="change-address" class="button link" type="button" on:click=move |_| flow.restart(String::new())>
                {tr(Key::UseOtherAddress)}
            </button>
        </div>
    }
}
