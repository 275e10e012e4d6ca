//! Company branding: the banner logo (uploaded at once), the background colour, the sign-in
//! page text and the username hint, with a live preview of the sign-in screen. The rules are
//! the edge's (`BrandingPatch::problems`, `LogoFormat` in the wire crate).

use guestpass_wire::{Branding, BrandingPatch, Permission, MAX_LOGO_BYTES};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api;
use crate::components::layout::PageTitle;
use crate::components::outcome::{Data, Outcome, OutcomeMessage, Submit};
use crate::copy::Key;
use crate::gate::Admin;
use crate::{tr, Texts};

#[component]
pub fn CompanyBranding() -> impl IntoView {
    let tenant = Admin::get().tenant;
    let branding = move || {
        let tenant = tenant.clone();
        async move { api::branding(&tenant).await }
    };
    view! {
        <PageTitle key=Key::BrandingTitle />
        <p>{tr(Key::BrandingIntro)}</p>
        <Data load=branding render={move |branding: Branding| (view! { <BrandingForm branding /> }).into_any()} />
    }
}

#[component]
fn BrandingForm(branding: Branding) -> impl IntoView {
    let texts = Texts::get();
    let admin = Admin::get();
    let may_change = admin.can(Permission::ManageUsers);
    let logo = RwSignal::new(branding.banner_logo_url.clone());
    let color = RwSignal::new(branding.background_color.clone().unwrap_or_default());
    let text = RwSignal::new(branding.sign_in_page_text.clone().unwrap_or_default());
    let hint = RwSignal::new(branding.username_hint_text.clone().unwrap_or_default());
    let save = Submit::new();
    let upload = Submit::new();
    let patch = Memo::new(move |_| BrandingPatch {
        sign_in_page_text: Some(text.get()),
        background_color: Some(color.get()),
        username_hint_text: Some(hint.get()),
    });
    let problems = Memo::new(move |_| patch.with(BrandingPatch::problems));
    let tenant = admin.tenant.clone();
    let choose = move |ev: leptos::ev::Event| {
        let input: Option<web_sys::HtmlInputElement> = ev.target().and_then(|t| t.dyn_into().ok());
        let Some(file) = input.and_then(|i| i.files()).and_then(|f| f.get(0)) else {
            return;
        };
        // Told here as the edge would answer, without sending what it would refuse.
        if file.size() > MAX_LOGO_BYTES as f64 {
            upload.outcome.set(Some(Outcome::Failed(Key::LogoTooLarge)));
            return;
        }
        let tenant = tenant.clone();
        upload.send(
            Key::LogoUploaded,
            async move { api::upload_logo(&tenant, file).await },
            move |branding| logo.set(branding.banner_logo_url),
        );
    };
    let tenant = admin.tenant.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if problems.with_untracked(Vec::is_empty) {
            let (tenant, body) = (tenant.clone(), patch.get_untracked());
            save.send(
                Key::Saved,
                async move { api::patch_branding(&tenant, body).await },
                drop,
            );
        }
    };
    let problem = move |field: &'static str, key: Key| {
        move || problems.with(|p| p.contains(&field)).then(|| texts.t(key))
    };
    // The preview is drawn from the fields as typed; a colour the edge would refuse is not used.
    let preview_color = move || {
        let c = color.get();
        guestpass_wire::is_hex_color(&c).then_some(c)
    };
    // Through the CSSOM: the CSP allows no inline style attribute.
    let preview = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |_| {
        let colour = preview_color();
        if let Some(section) = preview.get() {
            let style = section.style();
            let text = colour.as_deref().and_then(guestpass_wire::text_color_on);
            let _ = match (colour.as_deref(), text) {
                (Some(c), Some(t)) => style
                    .set_property("--preview-brand", c)
                    .and_then(|()| style.set_property("--preview-on-brand", t)),
                _ => style
                    .remove_property("--preview-brand")
                    .and_then(|_| style.remove_property("--preview-on-brand"))
                    .map(|_| ()),
            };
        }
    });
    view! {
        <div class="branding-layout">
            <form id="branding-form" class="panel" on:submit=submit novalidate>
                <label for="banner-logo-file">{tr(Key::LogoLabel)}</label>
                <input id="banner-logo-file" type="file" accept="image/png,image/jpeg,image/svg+xml" disabled=!may_change
                    aria-describedby="banner-logo-hint" on:change=choose />
                <p class="hint" id="banner-logo-hint">{tr(Key::LogoHint)}</p>
                <OutcomeMessage outcome=upload.outcome id="logo-outcome" />
                <label for="background-color">{tr(Key::ColorLabel)}</label>
                <div class="color-row">
                    <input id="background-color-picker" type="color" aria-label=move || texts.t(Key::ColorLabel) disabled=!may_change
                        prop:value=move || preview_color().unwrap_or_else(|| "#dfe6f5".into())
                        on:input=move |ev| color.set(event_target_value(&ev)) />
                    <input id="background-color" type="text" placeholder="#0a5fa0" disabled=!may_change
                        aria-invalid=move || problems.with(|p| p.contains(&"backgroundColor")).to_string()
                        aria-describedby="background-color-error"
                        prop:value=color on:input=move |ev| color.set(event_target_value(&ev)) />
                </div>
                <p class="field-error" id="background-color-error">{problem("backgroundColor", Key::ColorInvalid)}</p>
                <label for="sign-in-text">{tr(Key::SignInTextLabel)}</label>
                <textarea id="sign-in-text" rows="3" disabled=!may_change aria-describedby="sign-in-text-error"
                    prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                <p class="field-error" id="sign-in-text-error">{problem("signInPageText", Key::SignInTextTooLong)}</p>
                <label for="username-hint">{tr(Key::UsernameHintLabel)}</label>
                <input id="username-hint" type="text" placeholder="someone@example.com" disabled=!may_change
                    aria-describedby="username-hint-error"
                    prop:value=hint on:input=move |ev| hint.set(event_target_value(&ev)) />
                <p class="field-error" id="username-hint-error">{problem("usernameHintText", Key::UsernameHintTooLong)}</p>
                <button id="save" class="button primary" type="submit"
                    disabled=move || !may_change || save.pending().get() || !problems.with(Vec::is_empty)>
                    {tr(Key::Save)}
                </button>
                {(!may_change).then(|| view! { <p class="hint" id="read-only">{tr(Key::ReadOnly)}</p> })}
                <OutcomeMessage outcome=save.outcome id="save-outcome" />
            </form>
            <section class="preview" aria-labelledby="preview-title" id="branding-preview" node_ref=preview>
                <h2 id="preview-title">{tr(Key::PreviewTitle)}</h2>
                <div class="preview-band">
                    {move || logo.get().map(|src| view! { <img id="preview-logo" src=src alt="" /> })}
                    <span>{admin.info.display_name.clone()}</span>
                </div>
                <div class="preview-card">
                    <p>{move || (!text.get().trim().is_empty()).then(|| text.get())}</p>
                    <div class="preview-field">{move || {
                        let h = hint.get();
                        if h.trim().is_empty() { "someone@example.com".to_string() } else { h }
                    }}</div>
                </div>
            </section>
        </div>
    }
}
