//! `/` (and any link without an organization): say what is missing and what to do.

use crate::components::frame::Frame;
use crate::i18n::Key;
use crate::{browser, tr, trf, Texts};
use leptos::prelude::*;

#[component]
pub fn NoTenantPage() -> impl IntoView {
    let texts = Texts::get();
    Effect::new(move |_| browser::set_title(texts.t(Key::NoTenantTitle)));
    view! {
        <Frame>
            <h1 id="page-title">{tr(Key::NoTenantTitle)}</h1>
            <p>{trf(Key::NoTenantBody, vec![("example", "/contoso.com/".into())])}</p>
            <p>{tr(Key::NoTenantAction)}</p>
        </Frame>
    }
}
