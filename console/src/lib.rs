//! The Guestpass administrator's console: a wasm bundle of its own, served under
//! `/{tenant}/admin` only, so the guest's sign-in path never carries its bytes.
//!
//! `main.rs` only mounts [`Console`]. The URL picks the page ([`route`], pure and tested
//! natively); [`nav`] moves between pages with `pushState` and follows back/forward; [`gate`]
//! lets in a full session of a user with a role and provides it to every page; pages load their
//! data with `LocalResource` inside `Transition` and `ErrorBoundary`, and change things through
//! `Action`s. Every text is a [`copy::Key`], in English, French and Russian.

mod api;
mod components;
pub mod copy;
mod gate;
mod nav;
pub(crate) mod pages;
pub mod route;

use copy::Key;
use guestpass_app::browser;
use guestpass_wire::Language;
use leptos::prelude::*;

/// The page's language, shared by every view through a context.
#[derive(Clone, Copy)]
pub struct Texts(pub RwSignal<Language>);

impl Texts {
    pub fn get() -> Texts {
        use_context::<Texts>().unwrap_or_else(|| Texts(RwSignal::new(Language::En)))
    }

    pub fn language(self) -> Language {
        self.0.get()
    }

    /// The text for `key` in the current language (reactive).
    pub fn t(self, key: Key) -> &'static str {
        copy::text(self.0.get(), key)
    }

    /// The text for `key` with its `{placeholders}` filled.
    pub fn f(self, key: Key, values: &[(&str, &str)]) -> String {
        guestpass_app::i18n::fill(self.t(key), values)
    }

    /// `n` with the word that counts it: `key`'s text holds the plural forms (`one|few|many|other`).
    pub fn count(self, key: Key, n: u64) -> String {
        self.language().count(n, self.t(key))
    }

    /// A `YYYY-MM-DD` day as the reader's language writes it ("1 November 2026").
    pub fn date(self, day: &str) -> String {
        let date = js_sys::Date::new(&format!("{day}T00:00:00Z").into());
        if date.get_time().is_nan() {
            return day.to_string();
        }
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"long".into());
        let _ = js_sys::Reflect::set(&options, &"timeZone".into(), &"UTC".into());
        date.to_locale_date_string(self.language().tag(), &options)
            .into()
    }

    /// An RFC 3339 time as the reader's language writes it.
    pub fn time(self, rfc3339: &str) -> String {
        browser::local_date_time(rfc3339, self.language())
    }
}

/// The text for `key`, following the page's language. One function, so every text in every view
/// is the same type: the views' code is generated once for it, not once per call site (that
/// alone is most of the console's bytes).
pub fn tr(key: Key) -> impl IntoView + Clone + 'static {
    let texts = Texts::get();
    move || texts.t(key)
}

/// An RFC 3339 time as the reader's language writes it, following the page's language (one type
/// for every time shown, like [`tr`]).
pub fn time(at: String) -> impl IntoView + Clone + 'static {
    let texts = Texts::get();
    move || texts.time(&at)
}

/// An instant (ms since the epoch) as the API writes times: RFC 3339, whole seconds, UTC.
pub fn rfc3339(at_ms: f64) -> String {
    let iso: String = js_sys::Date::new(&at_ms.into()).to_iso_string().into();
    // `2026-11-22T10:00:00.000Z` → `2026-11-22T10:00:00Z`.
    format!("{}Z", iso.get(..19).unwrap_or(&iso))
}

#[component]
pub fn Console() -> impl IntoView {
    let language = RwSignal::new(browser::initial_language());
    provide_context(Texts(language));
    Effect::new(move |_| browser::set_document_language(language.get()));
    let (path, query) = browser::location();
    match route::parse(&path, &query) {
        Some(initial) => {
            let tenant = initial.tenant.clone();
            let nav = nav::Nav::provide(initial);
            view! {
                <gate::Gate tenant>
                    <components::layout::Layout>
                        {move || pages::page(nav.route().page)}
                    </components::layout::Layout>
                </gate::Gate>
            }
            .into_any()
        }
        None => view! { <gate::NotConsole /> }.into_any(),
    }
}

/// Mounts the console in place of the static shell `index.html` shows while wasm loads.
pub fn start() {
    if let Some(shell) = document().get_element_by_id("shell") {
        shell.remove();
    }
    leptos::mount::mount_to_body(Console);
    browser::mark("guestpass:first-render");
}
