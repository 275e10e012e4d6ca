//! **Enter code**: the guest types (or pastes) the emailed code; Resend counts down; a code that
//! can no longer succeed offers a new one.

use super::sign_in::Flow;
use crate::api;
use crate::components::code_input::CodeInput;
use crate::components::status::Status;
use crate::flow::{Pending, Problem};
use crate::i18n::Key;
use crate::{browser, tr, tr_while, trf, Texts};
use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

#[component]
pub fn EnterCode(flow: Flow, pending: Pending) -> impl IntoView {
    let texts = Texts::get();
    let code = RwSignal::new(String::new());
    let field = NodeRef::<Input>::new();
    request_animation_frame(move || super::sign_in::focus_input(field));
    let now = RwSignal::new(browser::now_ms());
    if let Ok(tick) =
        set_interval_with_handle(move || now.set(browser::now_ms()), Duration::from_secs(1))
    {
        on_cleanup(move || tick.clear());
    }
    let pending = StoredValue::new(pending);
    let length = pending.with_value(|p| p.code_length);
    let email = pending.with_value(|p| p.email.clone());

    let verify = move || {
        let entered = code.get_untracked();
        if entered.len() != length {
            flow.fail(Problem::CodeIncomplete { length });
            super::sign_in::focus_input(field);
            return;
        }
        flow.begin();
        let challenge = pending.with_value(|p| p.challenge.clone());
        spawn_local(async move {
            match api::verify_code(&flow.tenant.get_value(), &challenge, &entered).await {
                // The page moves on; this form goes away with it.
                Ok(result) => flow.on_signed_in.run(result),
                Err(failure) => {
                    let failed = Problem::Failed(failure);
                    if failed.offers_new_code() {
                        code.set(String::new());
                    }
                    flow.fail(failed);
                    super::sign_in::focus_input(field);
                }
            }
        });
    };
    let resend = {
        let email = email.clone();
        move |_| flow.send_code(email.clone(), true)
    };
    let resend_in = Signal::derive(move || pending.with_value(|p| p.resend_in_seconds(now.get())));
    let expires = pending.with_value(|p| p.expires_at.clone());
    let sent_to = email.clone();
    let outbox_link = flow
        .info
        .with_value(|i| i.development_outbox)
        .then(|| format!("/dev/outbox?to={}", js_sys::encode_uri_component(&email)));

    view! {
        <h1 id="page-title">{tr(Key::EnterCodeTitle)}</h1>
        <p id="sent-to">{trf(Key::CodeSentTo, vec![("email", sent_to.clone())])}</p>
        <Status error=flow.error() notice=flow.polite() />
        <form novalidate on:submit=move |ev| {
            ev.prevent_default();
            verify();
        }>
            <label for="code">{tr(Key::CodeLabel)}</label>
            <CodeInput value=code length node_ref=field invalid=Signal::derive(move || flow.problem.get().is_some()) />
            <p id="code-hint" class="hint">
                {move || texts.f(Key::CodeHint, &[("length", &length.to_string()), ("time", &browser::local_date_time(&expires, texts.language()))])}
            </p>
            <button id="sign-in" class="button primary" type="submit" disabled=flow.busy aria-busy=move || flow.busy.get().to_string()>
                {tr_while(flow.busy.into(), Key::SigningIn, Key::SignIn)}
            </button>
        </form>
        <div class="secondary">
            {
                let resend = resend.clone();
                move || flow.problem.get().filter(Problem::offers_new_code).map(|_| {
                    let resend = resend.clone();
                    view! {
                        <button id="new-code" class="button" type="button" disabled=flow.busy on:click=resend>
                            {tr(Key::SendNewCode)}
                        </button>
                    }
                })
            }
            <button id="resend" class="button link" type="button" disabled=move || { flow.busy.get() || resend_in.get() > 0 } on:click=resend>
                {move || match resend_in.get() {
                    0 => texts.t(Key::Resend).to_string(),
                    seconds => texts.f(Key::ResendIn, &[("seconds", &seconds.to_string())]),
                }}
            </button>
            {flow.editable.then(|| view! {
                <button id="change-address" class="button link" type="button" on:click=move |_| flow.restart(String::new())>
                    {tr(Key::UseOtherAddress)}
                </button>
            })}
            <p class="hint">{tr(Key::CheckSpam)}</p>
            {outbox_link.map(|href| view! {
                <a id="outbox-link" href=href target="_blank" rel="noopener">{tr(Key::OpenOutbox)}</a>
            })}
        </div>
    }
}
