//! The Guestpass single-page app: the guest's sign-in screens, in English, French and Russian.
//!
//! `main.rs` only mounts [`App`]. The app reads the route from the address bar ([`route`]), keeps
//! the page's language in a context ([`Texts`]), and talks to the edge through one typed client
//! ([`api`]). Sign-in itself is the state machine in [`flow`]; pages live in `pages/`, one a file;
//! the browser's WebAuthn calls are in [`passkey`].

pub mod api;
pub mod browser;
pub mod components;
pub mod flow;
pub mod i18n;
pub mod json;
mod pages;
pub mod passkey;
pub mod route;

pub use components::code_input::CodeInput;

use guestpass_wire::Language;
use i18n::CopyKey;
use leptos::prelude::*;
use route::Route;

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

    /// The text for `key` in the current language (reactive: views re-render when it changes).
    pub fn t(self, key: impl CopyKey) -> &'static str {
        key.text(self.0.get())
    }

    /// The text for `key` with its `{placeholders}` filled.
    pub fn f(self, key: impl CopyKey, values: &[(&str, &str)]) -> String {
        i18n::fill(self.t(key), values)
    }
}

/// The text for `key`, following the page's language. One function, so every such text in every
/// view is the same type and the views' code for it is generated once, not once per call site.
pub fn tr(key: impl CopyKey) -> impl IntoView + Clone + 'static {
    let texts = Texts::get();
    move || texts.t(key)
}

/// `busy`'s text while `busy` holds, `idle`'s otherwise (a button that says what it is doing).
pub fn tr_while<K: CopyKey>(
    busy: Signal<bool>,
    busy_key: K,
    idle: K,
) -> impl IntoView + Clone + 'static {
    let texts = Texts::get();
    move || texts.t(if busy.get() { busy_key } else { idle })
}

/// [`tr`] with its `{placeholders}` filled from `values` (fixed for the view's life).
pub fn trf(
    key: impl CopyKey,
    values: Vec<(&'static str, String)>,
) -> impl IntoView + Clone + 'static {
    let texts = Texts::get();
    move || {
        let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        texts.f(key, &values)
    }
}

#[component]
pub fn App() -> impl IntoView {
    let language = RwSignal::new(browser::initial_language());
    provide_context(Texts(language));
    Effect::new(move |_| browser::set_document_language(language.get()));

    let (path, query) = browser::location();
    let here = RwSignal::new(route::parse(&path, &query));
    // Pages change the address bar with `replaceState`; back and forward re-render from it.
    let _ = window_event_listener(leptos::ev::popstate, move |_| {
        let (path, query) = browser::location();
        here.set(route::parse(&path, &query));
    });

    move || match here.get() {
        Route::NoTenant => view! { <pages::no_tenant::NoTenantPage /> }.into_any(),
        Route::UnknownTenant { tenant } => {
            view! { <pages::unknown_tenant::UnknownTenantPage tenant /> }.into_any()
        }
        // The account bundle serves `/dev/outbox` (`url::bundle_shell`): a development page has
        // no place in the bytes every guest downloads.
        Route::Outbox { .. } => view! { <pages::no_tenant::NoTenantPage /> }.into_any(),
        Route::Tenant { tenant, page } => {
            view! { <pages::tenant::TenantPage tenant page /> }.into_any()
        }
    }
}

/// Mounts the app in place of the static shell `index.html` shows while wasm loads.
pub fn start() {
    mount(App);
}

/// The account bundle's app (`/{tenant}/security-info`, `/{tenant}/apps`, and a development
/// deployment's `/dev/outbox`): the page's language, then the page.
#[component]
pub fn Account() -> impl IntoView {
    let language = RwSignal::new(browser::initial_language());
    provide_context(Texts(language));
    Effect::new(move |_| browser::set_document_language(language.get()));
    let (path, query) = browser::location();
    match route::parse(&path, &query) {
        Route::Tenant { tenant, page } => {
            view! { <pages::account::AccountPage tenant page /> }.into_any()
        }
        Route::UnknownTenant { tenant } => {
            view! { <pages::unknown_tenant::UnknownTenantPage tenant /> }.into_any()
        }
        Route::Outbox { to } => view! { <pages::outbox::OutboxPage to /> }.into_any(),
        _ => view! { <pages::no_tenant::NoTenantPage /> }.into_any(),
    }
}

/// Mounts the account bundle's app in place of its static shell.
pub fn start_account() {
    mount(Account);
}

fn mount<V: IntoView + 'static>(app: fn() -> V) {
    if let Some(shell) = document().get_element_by_id("shell") {
        shell.remove();
    }
    leptos::mount::mount_to_body(app);
    browser::mark("guestpass:first-render");
}
