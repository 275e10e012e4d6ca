//! The layout of every screen: the organization's name on top, the language switcher, one card.

use crate::i18n::Key;
use crate::{browser, tr, Texts};
use guestpass_wire::Language;
use leptos::prelude::*;

/// `organization` is the tenant's display name, when there is one to show.
#[component]
pub fn Frame(
    #[prop(into, optional)] organization: Signal<Option<String>>,
    /// The tenant's banner logo, beside its name (so the image itself says nothing more).
    #[prop(default = None)]
    logo: Option<String>,
    children: Children,
) -> impl IntoView {
    let texts = Texts::get();
    view! {
        <div class="page">
            <header class="topbar">
                {logo.map(|src| view! { <img class="banner-logo" id="banner-logo" src=src alt="" /> })}
                <p class="organization">
                    {move || organization.get().unwrap_or_else(|| texts.t(Key::PoweredBy).to_string())}
                </p>
                <LanguageSwitcher />
            </header>
            <main class="card" id="main">
                {children()}
            </main>
            <footer class="footer">{tr(Key::PoweredBy)}</footer>
        </div>
    }
}

#[component]
fn LanguageSwitcher() -> impl IntoView {
    let texts = Texts::get();
    view! { <LanguagePicker language=texts.0 label=|l| crate::i18n::text(l, Key::LanguageLabel) /> }
}

/// The language switcher of every page (the sign-in app's and the console's): a labelled
/// `<select>` of the languages in their own names; a choice is remembered for the next visit.
#[component]
pub fn LanguagePicker(
    language: RwSignal<Language>,
    /// The label's text in a language.
    label: fn(Language) -> &'static str,
) -> impl IntoView {
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(chosen) = Language::from_tag(&event_target_value(&ev)) {
            browser::remember_language(chosen);
            language.set(chosen);
        }
    };
    view! {
        <div class="language">
            <label for="language">{move || label(language.get())}</label>
            <select id="language" on:change=on_change>
                {Language::ALL
                    .into_iter()
                    .map(|option| {
                        view! {
                            <option value=option.tag() lang=option.tag() selected=move || language.get() == option>
                                {option.native_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// What the card shows while the organization loads: the same blocks as `index.html`'s shell,
/// so nothing moves when wasm takes over.
#[component]
pub fn Skeleton() -> impl IntoView {
    view! {
        <div class="skeleton" aria-busy="true">
            <span class="visually-hidden">{tr(Key::Loading)}</span>
            <div class="skeleton-line skeleton-title"></div>
            <div class="skeleton-line"></div>
            <div class="skeleton-line skeleton-short"></div>
            <div class="skeleton-button"></div>
        </div>
    }
}
