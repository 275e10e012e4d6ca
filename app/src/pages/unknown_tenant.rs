//! A link naming no known organization.

use crate::components::frame::Frame;
use crate::i18n::Key;
use crate::{browser, Texts};
use leptos::prelude::*;

#[component]
pub fn UnknownTenantPage(tenant: String) -> impl IntoView {
    let texts = Texts::get();
    Effect::new(move |_| browser::set_title(texts.t(Key::UnknownTenantTitle)));
    view! {
        <Frame>
            <h1 id="page-title">{move || texts.t(Key::UnknownTenantTitle)}</h1>
            <p>{move || texts.f(Key::UnknownTenantBody, &[("tenant", &tenant)])}</p>
            <p>{move || texts.t(Key::UnknownTenantAction)}</p>
        </Frame>
    }
}
