//! The invitation email's link: who invites you, what they will see, then the code sign-in for
//! the invited address.

use super::sign_in::SignInFlow;
use crate::i18n::Key;
use crate::{browser, Texts};
use guestpass_wire::{SignInInfo, SignInResult};
use leptos::prelude::*;

#[component]
pub fn Invitation(
    tenant: String,
    info: SignInInfo,
    email: String,
    on_signed_in: Callback<SignInResult>,
) -> impl IntoView {
    let texts = Texts::get();
    let accepted = RwSignal::new(false);
    let name = info.display_name.clone();
    Effect::new({
        let name = name.clone();
        move |_| {
            if !accepted.get() {
                browser::set_title(&texts.f(Key::RedeemTitle, &[("tenant", &name)]));
            }
        }
    });
    let custom_text = info.branding.sign_in_page_text.clone();
    move || {
        if accepted.get() {
            let (tenant, info, email) = (tenant.clone(), info.clone(), email.clone());
            return view! { <SignInFlow tenant info email=Some(email) editable=false on_signed_in notice=None /> }.into_any();
        }
        let (name, email, custom_text) = (name.clone(), email.clone(), custom_text.clone());
        let (name2, name3) = (name.clone(), name.clone());
        view! {
            <h1 id="page-title">{move || texts.f(Key::RedeemTitle, &[("tenant", &name)])}</h1>
            {custom_text.map(|text| view! { <p class="branding-text">{text}</p> })}
            <p>{move || texts.f(Key::RedeemIntro, &[("tenant", &name2), ("email", &email)])}</p>
            <h2>{move || texts.f(Key::RedeemSeesHeading, &[("tenant", &name3)])}</h2>
            <ul class="sees">
                <li>{move || texts.t(Key::RedeemSeesEmail)}</li>
                <li>{move || texts.t(Key::RedeemSeesName)}</li>
                <li>{move || texts.t(Key::RedeemSeesActivity)}</li>
            </ul>
            <p class="hint">{move || texts.t(Key::RedeemNoPassword)}</p>
            <button id="accept" class="button primary" type="button" on:click=move |_| accepted.set(true)>
                {move || texts.t(Key::RedeemAccept)}
            </button>
        }
        .into_any()
    }
}
