//! Email one-time passcode for guests: the seed's three choices, in its words. As in the seed, the
//! automatic choice is offered only while the tenant is still on it; once enabled or disabled,
//! going back to the default is an API call (`PATCH policies/email-otp {"state":"default"}`).

use guestpass_wire::{EmailOtpPolicy, EmailOtpPolicyPatch, EmailOtpState, Permission};
use leptos::prelude::*;

use crate::api;
use crate::components::layout::PageTitle;
use crate::components::outcome::{Data, OutcomeMessage, Submit};
use crate::copy::Key;
use crate::gate::Admin;
use crate::tr;
use crate::Texts;

#[component]
pub fn EmailOtp() -> impl IntoView {
    let admin = Admin::get();
    let tenant = admin.tenant.clone();
    let policy = move || {
        let tenant = tenant.clone();
        async move { api::email_otp_policy(&tenant).await }
    };
    view! {
        <PageTitle key=Key::EmailOtpTitle />
        <p>{tr(Key::EmailOtpIntro)}</p>
        <Data load=policy render={move |policy: EmailOtpPolicy| (view! { <EmailOtpForm policy /> }).into_any()} />
    }
}

#[component]
fn EmailOtpForm(policy: EmailOtpPolicy) -> impl IntoView {
    let texts = Texts::get();
    let admin = Admin::get();
    let may_change = admin.can(Permission::ChangeAuthenticationPolicy);
    let saved = RwSignal::new(policy);
    let choice = RwSignal::new(saved.get_untracked().state);
    let save = Submit::new();
    let tenant = admin.tenant.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (tenant, state) = (tenant.clone(), choice.get_untracked());
        save.send(
            Key::Saved,
            async move { api::patch_email_otp_policy(&tenant, EmailOtpPolicyPatch { state }).await },
            move |policy| {
                choice.set(policy.state);
                saved.set(policy);
            },
        );
    };
    let option = move |state: EmailOtpState, id: &'static str| {
        let label = move || match state {
            EmailOtpState::Default => texts.f(
                Key::EmailOtpAutomatic,
                &[(
                    "date",
                    &texts.date(&saved.with(|p| p.auto_enable_on.clone())),
                )],
            ),
            EmailOtpState::Enabled => texts.t(Key::EmailOtpEnableNow).to_string(),
            EmailOtpState::Disabled => texts.t(Key::EmailOtpDisable).to_string(),
        };
        // The automatic choice is the seed's default: gone once the tenant has chosen.
        let unavailable = move || {
            !may_change
                || (state == EmailOtpState::Default
                    && saved.with(|p| p.state != EmailOtpState::Default))
        };
        view! {
            <label class="check">
                <input type="radio" name="email-otp-state" id=id
                    prop:checked=move || choice.get() == state
                    disabled=unavailable
                    on:change=move |_| choice.set(state) />
                {label}
            </label>
        }
    };
    view! {
        <form id="email-otp-form" on:submit=submit>
            <fieldset>
                <legend>{tr(Key::EmailOtpLegend)}</legend>
                {option(EmailOtpState::Default, "email-otp-default")}
                {option(EmailOtpState::Enabled, "email-otp-enabled")}
                {option(EmailOtpState::Disabled, "email-otp-disabled")}
            </fieldset>
            <p id="email-otp-effective">
                {move || texts.t(if saved.with(|p| p.is_effectively_enabled) { Key::EmailOtpIsOn } else { Key::EmailOtpIsOff })}
            </p>
            <button id="save" class="button primary" type="submit"
                disabled=move || !may_change || save.pending().get() || choice.get() == saved.with(|p| p.state)>
                {move || texts.t(if save.pending().get() { Key::Saving } else { Key::Save })}
            </button>
            {(!may_change).then(|| view! { <p class="hint" id="read-only">{tr(Key::ReadOnly)}</p> })}
        </form>
        <OutcomeMessage outcome=save.outcome id="save-outcome" />
    }
}
