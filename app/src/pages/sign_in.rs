//! Username first, then **Send code** → **Enter code** for a guest, or **Sign in with a passkey**
//! / **Enter Temporary Access Pass** for a member: the state machine in [`crate::flow`], one view
//! a step. The username field also offers passkeys through the browser's autofill.

use super::enter_code::EnterCode;
use super::enter_pass::EnterPass;
use super::sign_in_passkey::SignInPasskey;
use crate::api;
use crate::components::status::Status;
use crate::flow::{after_username, Pending, Problem, Step};
use crate::i18n::Key;
use crate::{browser, passkey, tr, tr_while, trf, Texts};
use guestpass_wire::{SignInInfo, SignInResult};
use leptos::html::{Button, Input};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// One sign-in's state, shared by its step views.
#[derive(Clone, Copy)]
pub struct Flow {
    /// The page's language, taken when the flow starts (handlers run outside the view tree).
    pub texts: Texts,
    pub tenant: StoredValue<String>,
    pub info: StoredValue<SignInInfo>,
    pub step: RwSignal<Step>,
    pub problem: RwSignal<Option<Problem>>,
    pub notice: RwSignal<Option<Key>>,
    pub busy: RwSignal<bool>,
    /// A direct link: the address can be changed. An invitation names it.
    pub editable: bool,
    pub on_signed_in: Callback<SignInResult>,
}

impl Flow {
    /// A request leaves: the button shows it, earlier messages go.
    pub fn begin(self) {
        self.busy.set(true);
        self.problem.set(None);
        self.notice.set(None);
    }

    pub fn fail(self, problem: Problem) {
        self.problem.set(Some(problem));
        self.busy.set(false);
    }

    /// Back to the username (a direct link) or the Send code step (an invitation).
    pub fn restart(self, email: String) {
        self.problem.set(None);
        self.notice.set(None);
        self.step.set(if self.editable {
            Step::Username
        } else {
            Step::SendCode { email }
        });
    }

    /// Sends a code to `email` and moves to Enter code (`resend`: says a new one is coming).
    pub fn send_code(self, email: String, resend: bool) {
        self.begin();
        let language = self.texts.0.get_untracked();
        spawn_local(async move {
            match api::send_code(&self.tenant.get_value(), &email, language).await {
                Ok(sent) => {
                    self.step
                        .set(Step::Code(Pending::new(email, sent, browser::now_ms())));
                    self.notice.set(resend.then_some(Key::CodeResent));
                    self.busy.set(false);
                }
                Err(failure) => self.fail(Problem::Failed(failure)),
            }
        });
    }

    /// Asks the browser for one of `username`'s passkeys and signs in with it.
    pub fn sign_in_with_passkey(self, username: String) {
        self.begin();
        spawn_local(async move {
            let tenant = self.tenant.get_value();
            match passkey_sign_in(&tenant, Some(&username), None).await {
                Ok(result) => self.on_signed_in.run(result),
                Err(problem) => self.fail(problem),
            }
        });
    }

    /// Offers the tenant's passkeys in the username field's autofill until `signal` aborts (the
    /// step goes); a pick signs in. The browser's own refusals are not news: the member is
    /// typing, or has moved on.
    async fn offer_passkeys_in_autofill(self, signal: web_sys::AbortSignal) {
        if !passkey::conditional_available().await {
            return;
        }
        let tenant = self.tenant.get_value();
        match passkey_sign_in(&tenant, None, Some(signal)).await {
            Ok(result) => self.on_signed_in.run(result),
            Err(Problem::Passkey(_)) => {}
            Err(problem) => self.fail(problem),
        }
    }

    pub fn error(self) -> Signal<Option<String>> {
        Signal::derive(move || self.problem.get().map(|p| p.text(self.texts.language())))
    }

    pub fn polite(self) -> Signal<Option<String>> {
        Signal::derive(move || self.notice.get().map(|key| self.texts.t(key).to_string()))
    }
}

/// A passkey sign-in: options from the edge, a credential from the browser, a session from the
/// edge. `autofill` is the conditional request's abort signal; without it the browser prompts.
pub(crate) async fn passkey_sign_in(
    tenant: &str,
    username: Option<&str>,
    autofill: Option<web_sys::AbortSignal>,
) -> Result<SignInResult, Problem> {
    let options = api::passkey_options(tenant, username).await?;
    let conditional = autofill.is_some();
    let credential = passkey::get(&options, conditional, autofill).await?;
    Ok(api::passkey_sign_in(tenant, username, &credential).await?)
}

/// `email` prefills the address; `editable` starts at the username (a direct link) rather than
/// at Send code for the invited address. `notice` is a first polite message ("You signed out.").
#[component]
pub fn SignInFlow(
    tenant: String,
    info: SignInInfo,
    email: Option<String>,
    editable: bool,
    on_signed_in: Callback<SignInResult>,
    notice: Option<Key>,
) -> impl IntoView {
    let texts = Texts::get();
    let name = info.display_name.clone();
    let first = match (editable, email.clone()) {
        (false, Some(email)) => Step::SendCode { email },
        _ => Step::Username,
    };
    let flow = Flow {
        texts,
        tenant: StoredValue::new(tenant),
        info: StoredValue::new(info),
        step: RwSignal::new(first),
        problem: RwSignal::new(None),
        notice: RwSignal::new(notice),
        busy: RwSignal::new(false),
        editable,
        on_signed_in,
    };
    let typed = RwSignal::new(email.unwrap_or_default());
    request_animation_frame(|| browser::mark("guestpass:interactive"));
    Effect::new(move |_| {
        let title = match flow.step.get() {
            Step::Username | Step::SendCode { .. } => {
                texts.f(Key::SignInTitle, &[("tenant", &name)])
            }
            Step::Code(_) => texts.t(Key::EnterCodeTitle).to_string(),
            Step::Passkey { .. } => texts.t(Key::PasskeyTitle).to_string(),
            Step::Pass { .. } => texts.t(Key::PassTitle).to_string(),
        };
        browser::set_title(&title);
    });
    move || match flow.step.get() {
        Step::Username => view! { <UsernameStep flow typed /> }.into_any(),
        Step::SendCode { email } => view! { <SendCodeStep flow email /> }.into_any(),
        Step::Code(pending) => view! { <EnterCode flow pending /> }.into_any(),
        Step::Passkey { username } => view! { <SignInPasskey flow username /> }.into_any(),
        Step::Pass { username } => view! { <EnterPass flow username /> }.into_any(),
    }
}

/// The organization's name as the page heading of the first steps.
fn sign_in_heading(flow: Flow) -> impl IntoView {
    let name = flow.info.with_value(|i| i.display_name.clone());
    view! { <h1 id="page-title">{trf(Key::SignInTitle, vec![("tenant", name)])}</h1> }
}

#[component]
fn UsernameStep(flow: Flow, typed: RwSignal<String>) -> impl IntoView {
    let field = NodeRef::<Input>::new();
    request_animation_frame(move || focus_input(field));
    if flow.info.with_value(|info| info.methods.passkey) {
        offer_passkeys_while_shown(flow);
    }
    let next = move || match flow
        .info
        .with_value(|info| after_username(&typed.get_untracked(), info))
    {
        Ok(step) => {
            flow.problem.set(None);
            flow.notice.set(None);
            flow.step.set(step);
        }
        Err(problem) => {
            flow.fail(problem);
            focus_input(field);
        }
    };
    // The tenant's branding: its words on the first screen, and its hint in the empty field.
    let (custom_text, hint) = flow.info.with_value(|info| {
        (
            info.branding.sign_in_page_text.clone(),
            info.branding.username_hint_text.clone(),
        )
    });
    view! {
        {sign_in_heading(flow)}
        <Status error=flow.error() notice=flow.polite() />
        {custom_text.map(|text| view! { <p class="branding-text" id="branding-text">{text}</p> })}
        <form novalidate on:submit=move |ev| {
            ev.prevent_default();
            next();
        }>
            <p>{tr(Key::UsernameIntro)}</p>
            <label for="email">{tr(Key::EmailLabel)}</label>
            <input
                id="email"
                name="username"
                type="email"
                autocomplete="username webauthn"
                placeholder=hint
                spellcheck="false"
                aria-describedby="message"
                aria-invalid=move || matches!(flow.problem.get(), Some(Problem::InvalidEmail)).to_string()
                node_ref=field
                prop:value=typed
                on:input=move |ev| typed.set(event_target_value(&ev))
            />
            <button id="next" class="button primary" type="submit">{tr(Key::Next)}</button>
        </form>
    }
}

#[component]
fn SendCodeStep(flow: Flow, email: String) -> impl IntoView {
    let button = NodeRef::<Button>::new();
    request_animation_frame(move || {
        if let Some(button) = button.get_untracked() {
            let _ = button.focus();
        }
    });
    let address = StoredValue::new(email);
    view! {
        {sign_in_heading(flow)}
        <Status error=flow.error() notice=flow.polite() />
        <form novalidate on:submit=move |ev| {
            ev.prevent_default();
            flow.send_code(address.get_value(), false);
        }>
            <p id="send-to">{trf(Key::SendIntroFixed, vec![("email", address.get_value())])}</p>
            <button id="send" class="button primary" type="submit" node_ref=button disabled=flow.busy aria-busy=move || flow.busy.get().to_string()>
                {tr_while(flow.busy.into(), Key::Sending, Key::SendCode)}
            </button>
        </form>
        {flow.editable.then(|| view! {
            <div class="secondary">
                <button id="change-address" class="button link" type="button" on:click=move |_| flow.restart(String::new())>
                    {tr(Key::UseOtherAddress)}
                </button>
            </div>
        })}
    }
}

/// Starts the autofill offer, and aborts it when the username step goes: a browser runs one
/// WebAuthn request at a time, and the passkey step's own must not find this one pending.
fn offer_passkeys_while_shown(flow: Flow) {
    let Ok(controller) = web_sys::AbortController::new() else {
        return;
    };
    let signal = controller.signal();
    let controller = send_wrapper::SendWrapper::new(controller);
    on_cleanup(move || controller.abort());
    spawn_local(flow.offer_passkeys_in_autofill(signal));
}

pub fn focus_input(input: NodeRef<Input>) {
    if let Some(input) = input.get_untracked() {
        let _ = input.focus();
    }
}
