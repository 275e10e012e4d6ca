//! **Send code** then **Enter code**: the guest's email one-time passcode, rendered from the
//! state machine in [`crate::flow`].

use crate::api;
use crate::components::code_input::CodeInput;
use crate::components::status::Status;
use crate::flow::{Pending, Problem, Step};
use crate::i18n::Key;
use crate::{browser, Texts};
use guestpass_wire::{normalize_email, SignInInfo, SignInResult};
use leptos::html::{Button, Input};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

/// `email` prefills the address; `editable` lets the guest change it (a direct link) or not (an
/// invitation, which names the invited address). `notice` is a first polite message ("You signed out.").
#[component]
pub fn SignInFlow(
    tenant: String,
    info: SignInInfo,
    email: Option<String>,
    editable: bool,
    on_signed_in: Callback<SignInResult>,
    notice: Option<Key>,
    #[prop(optional)] focus_send: bool,
) -> impl IntoView {
    let texts = Texts::get();
    let tenant = StoredValue::new(tenant);
    let step = RwSignal::new(Step::Email);
    let problem = RwSignal::new(None::<Problem>);
    let notice = RwSignal::new(notice);
    let busy = RwSignal::new(false);
    let address = RwSignal::new(email.unwrap_or_default());
    let code = RwSignal::new(String::new());
    let now = RwSignal::new(browser::now_ms());
    if let Ok(tick) =
        set_interval_with_handle(move || now.set(browser::now_ms()), Duration::from_secs(1))
    {
        on_cleanup(move || tick.clear());
    }
    let email_ref = NodeRef::<Input>::new();
    let send_ref = NodeRef::<Button>::new();
    let code_ref = NodeRef::<Input>::new();

    // Focus follows the step: the address (or Send code) first, the code field once it is sent.
    Effect::new(move |_| {
        let on_code = matches!(step.get(), Step::Code(_));
        request_animation_frame(move || match (on_code, editable && !focus_send) {
            (true, _) => focus(code_ref),
            (false, true) => focus(email_ref),
            (false, false) => focus_button(send_ref),
        });
    });
    request_animation_frame(|| browser::mark("guestpass:interactive"));
    let name = info.display_name.clone();
    Effect::new({
        let name = name.clone();
        move |_| {
            let title = match step.get() {
                Step::Email => texts.f(Key::SignInTitle, &[("tenant", &name)]),
                Step::Code(_) => texts.t(Key::EnterCodeTitle).to_string(),
            };
            browser::set_title(&title);
        }
    });

    let send = move |resend: bool| {
        let Ok(normalized) = normalize_email(&address.get_untracked()) else {
            problem.set(Some(Problem::InvalidEmail));
            focus(email_ref);
            return;
        };
        busy.set(true);
        problem.set(None);
        notice.set(None);
        let language = texts.0.get_untracked();
        spawn_local(async move {
            match api::send_code(&tenant.get_value(), &normalized, language).await {
                Ok(sent) => {
                    code.set(String::new());
                    step.set(Step::Code(Pending::new(
                        normalized,
                        sent,
                        browser::now_ms(),
                    )));
                    notice.set(resend.then_some(Key::CodeResent));
                }
                Err(failure) => problem.set(Some(Problem::Failed(failure))),
            }
            busy.set(false);
        });
    };
    let verify = move || {
        let Step::Code(pending) = step.get_untracked() else {
            return;
        };
        let entered = code.get_untracked();
        if entered.len() != pending.code_length {
            problem.set(Some(Problem::CodeIncomplete {
                length: pending.code_length,
            }));
            focus(code_ref);
            return;
        }
        busy.set(true);
        problem.set(None);
        notice.set(None);
        spawn_local(async move {
            match api::verify_code(&tenant.get_value(), &pending.challenge, &entered).await {
                // The page moves on; this form goes away with it.
                Ok(result) => on_signed_in.run(result),
                Err(failure) => {
                    let failed = Problem::Failed(failure);
                    if failed.offers_new_code() {
                        code.set(String::new());
                    }
                    problem.set(Some(failed));
                    busy.set(false);
                    focus(code_ref);
                }
            }
        });
    };

    let error = Signal::derive(move || problem.get().map(|p| p.text(texts.language())));
    let polite = Signal::derive(move || notice.get().map(|key| texts.t(key).to_string()));
    let outbox = info.development_outbox;

    move || match step.get() {
        Step::Email => {
            let name = name.clone();
            view! {
                <h1 id="page-title">{move || texts.f(Key::SignInTitle, &[("tenant", &name)])}</h1>
                <Status error notice=polite />
                <form novalidate on:submit=move |ev| {
                    ev.prevent_default();
                    send(false);
                }>
                    {if editable {
                        view! {
                            <p>{move || texts.t(Key::SendIntroEditable)}</p>
                            <label for="email">{move || texts.t(Key::EmailLabel)}</label>
                            <input
                                id="email"
                                name="email"
                                type="email"
                                autocomplete="email"
                                spellcheck="false"
                                aria-describedby="message"
                                aria-invalid=move || matches!(problem.get(), Some(Problem::InvalidEmail)).to_string()
                                node_ref=email_ref
                                prop:value=move || address.get()
                                on:input=move |ev| address.set(event_target_value(&ev))
                            />
                        }
                        .into_any()
                    } else {
                        view! { <p>{move || texts.f(Key::SendIntroFixed, &[("email", &address.get())])}</p> }.into_any()
                    }}
                    <button id="send" class="button primary" type="submit" node_ref=send_ref disabled=move || busy.get() aria-busy=move || busy.get().to_string()>
                        {move || texts.t(if busy.get() { Key::Sending } else { Key::SendCode })}
                    </button>
                </form>
            }
            .into_any()
        }
        Step::Code(pending) => {
            let length = pending.code_length;
            let sent_to = pending.email.clone();
            let outbox_link = format!(
                "/dev/outbox?to={}",
                js_sys::encode_uri_component(&pending.email)
            );
            let expires = pending.expires_at.clone();
            let resend_in = {
                let pending = pending.clone();
                Signal::derive(move || pending.resend_in_seconds(now.get()))
            };
            view! {
                <h1 id="page-title">{move || texts.t(Key::EnterCodeTitle)}</h1>
                <p id="sent-to">{move || texts.f(Key::CodeSentTo, &[("email", &sent_to)])}</p>
                <Status error notice=polite />
                <form novalidate on:submit=move |ev| {
                    ev.prevent_default();
                    verify();
                }>
                    <label for="code">{move || texts.t(Key::CodeLabel)}</label>
                    <CodeInput value=code length node_ref=code_ref invalid=Signal::derive(move || problem.get().is_some()) />
                    <p id="code-hint" class="hint">
                        {move || texts.f(Key::CodeHint, &[("length", &length.to_string()), ("time", &browser::local_date_time(&expires, texts.language()))])}
                    </p>
                    <button id="sign-in" class="button primary" type="submit" disabled=move || busy.get() aria-busy=move || busy.get().to_string()>
                        {move || texts.t(if busy.get() { Key::SigningIn } else { Key::SignIn })}
                    </button>
                </form>
                <div class="secondary">
                    {move || problem.get().filter(Problem::offers_new_code).map(|_| view! {
                        <button id="new-code" class="button" type="button" disabled=move || busy.get() on:click=move |_| send(true)>
                            {move || texts.t(Key::SendNewCode)}
                        </button>
                    })}
                    <button id="resend" class="button link" type="button" disabled=move || { busy.get() || resend_in.get() > 0 } on:click=move |_| send(true)>
                        {move || match resend_in.get() {
                            0 => texts.t(Key::Resend).to_string(),
                            seconds => texts.f(Key::ResendIn, &[("seconds", &seconds.to_string())]),
                        }}
                    </button>
                    {editable.then(|| view! {
                        <button id="change-address" class="button link" type="button" on:click=move |_| {
                            problem.set(None);
                            notice.set(None);
                            step.set(Step::Email);
                        }>
                            {move || texts.t(Key::UseOtherAddress)}
                        </button>
                    })}
                    <p class="hint">{move || texts.t(Key::CheckSpam)}</p>
                    {outbox.then(|| view! {
                        <a id="outbox-link" href=outbox_link target="_blank" rel="noopener">{move || texts.t(Key::OpenOutbox)}</a>
                    })}
                </div>
            }
            .into_any()
        }
    }
}

fn focus(input: NodeRef<Input>) {
    if let Some(input) = input.get_untracked() {
        let _ = input.focus();
    }
}

fn focus_button(button: NodeRef<Button>) {
    if let Some(button) = button.get_untracked() {
        let _ = button.focus();
    }
}
