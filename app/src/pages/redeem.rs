//! The invitation email's link: who invites you, what they will see, then the code sign-in for
//! the invited address.

use super::sign_in::SignInFlow;
use crate::i18n::Key;
use crate::{browser, tr, trf, Texts};
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
            <h1 id="page-title">{trf(Key::RedeemTitle, vec![("tenant", name.clone())])}</h1>
            {custom_text.map(|text| view! { <p class="branding-text">{text}</p> })}
            <p>{trf(Key::RedeemIntro, vec![("tenant", name2.clone()), ("email", email.clone())])}</p>
            <h2>{trf(Key::RedeemSeesHeading, vec![("tenant", name3.clone())])}</h2>
            <ul class="sees">
                <li>{tr(Key::RedeemSeesEmail)}</li>
                <li>{tr(Key::RedeemSeesName)}</li>
                <li>{tr(Key::RedeemSeesActivity)}</li>
            </ul>
            <p class="hint">{tr(Key::RedeemNoPassword)}</p>
            <button id="accept" class="button primary" type="button" on:click=move |_| accepted.set(true)>
                {tr(Key::RedeemAccept)}
            </button>
        }
        .into_any()
    }
}
