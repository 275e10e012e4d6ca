//! A link naming no known organization.

use crate::components::frame::Frame;
use crate::i18n::Key;
use crate::{browser, tr, trf, Texts};
use leptos::prelude::*;

#[component]
pub fn UnknownTenantPage(tenant: String) -> impl IntoView {
    let texts = Texts::get();
    Effect::new(move |_| browser::set_title(texts.t(Key::UnknownTenantTitle)));
    view! {
        <Frame>
            <h1 id="page-title">{tr(Key::UnknownTenantTitle)}</h1>
            <p>{trf(Key::UnknownTenantBody, vec![("tenant", tenant.clone())])}</p>
            <p>{tr(Key::UnknownTenantAction)}</p>
        </Frame>
    }
}
