//! `/` (and any link without an organization): say what is missing and what to do.

use crate::components::frame::Frame;
use crate::i18n::Key;
use crate::{browser, Texts};
use leptos::prelude::*;

#[component]
pub fn NoTenantPage() -> impl IntoView {
    let texts = Texts::get();
    Effect::new(move |_| browser::set_title(texts.t(Key::NoTenantTitle)));
    view! {
        <Frame>
            <h1 id="page-title">{move || texts.t(Key::NoTenantTitle)}</h1>
            <p>{move || texts.f(Key::NoTenantBody, &[("example", "/contoso.com/")])}</p>
            <p>{move || texts.t(Key::NoTenantAction)}</p>
        </Frame>
    }
}
