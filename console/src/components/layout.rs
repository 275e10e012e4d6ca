//! The console's frame: the organization and the signed-in administrator on top, the language
//! switcher and sign-out, the pages' navigation, and the page itself.

use guestpass_app::browser;
use guestpass_app::components::frame::LanguagePicker;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::copy::Key;
use crate::gate::Admin;
use crate::nav::{Link, Nav};
use crate::route::{AuditFilter, LogFilter, Page, UserFilter};
use crate::{api, tr, Texts};

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let texts = Texts::get();
    let admin = Admin::get();
    let nav = Nav::get();
    let tenant = admin.tenant.clone();
    let signing_out = RwSignal::new(false);
    let sign_out = move |_| {
        signing_out.set(true);
        let tenant = tenant.clone();
        spawn_local(async move {
            let _ = api::sign_out(&tenant).await;
            // Signed out or not, the sign-in page is where to go next; it shows who is signed in.
            browser::leave_for(&format!("/{tenant}/"));
        });
    };
    let item = move |page: Page, key: Key| {
        let here = page.clone();
        let current = Signal::derive(move || same_page(&nav.route().page, &here));
        view! { <li><Link page current>{tr(key)}</Link></li> }
    };
    view! {
        <div class="console">
            <a class="skip-link" href="#page-title">{tr(Key::SkipToContent)}</a>
            <header class="console-top">
                <p class="organization">{admin.info.display_name.clone()}</p>
                <div class="console-account">
                    <LanguageSwitcher />
                    <span class="console-user">{admin.session.user.display_name.clone()}</span>
                    <button id="sign-out" class="button small" type="button" disabled=signing_out on:click=sign_out>
                        {tr(Key::SignOut)}
                    </button>
                </div>
            </header>
            <div class="console-body">
                <nav class="console-nav" aria-label=move || texts.t(Key::NavLabel)>
                    <ul>
                        {item(Page::Overview, Key::NavOverview)}
                        {item(Page::Users(UserFilter::default()), Key::NavUsers)}
                        {item(Page::EmailOtp, Key::NavEmailOtp)}
                        {item(Page::TemporaryAccessPass, Key::NavTemporaryAccessPass)}
                        {item(Page::Passkeys, Key::NavPasskeys)}
                        {item(Page::Branding, Key::NavBranding)}
                        {item(Page::ExternalCollaboration, Key::NavExternalCollaboration)}
                        {item(Page::Applications, Key::NavApplications)}
                        {item(Page::SignInLogs(LogFilter::default()), Key::NavSignInLogs)}
                        {item(Page::AuditLogs(AuditFilter::default()), Key::NavAuditLogs)}
                    </ul>
                </nav>
                <main class="console-main" id="main">{children()}</main>
            </div>
        </div>
    }
}

/// Whether `here` is (under) the page a navigation item names: a user's page is under Users,
/// an application's under Applications.
fn same_page(here: &Page, item: &Page) -> bool {
    std::mem::discriminant(here) == std::mem::discriminant(item)
        || (matches!(here, Page::User { .. }) && matches!(item, Page::Users(_)))
        || (matches!(here, Page::Application { .. }) && matches!(item, Page::Applications))
}

#[component]
fn LanguageSwitcher() -> impl IntoView {
    let texts = Texts::get();
    view! { <LanguagePicker language=texts.0 label=|l| crate::copy::text(l, Key::LanguageLabel) /> }
}

/// A page's heading and document title, from its copy key. The heading takes focus after a
/// navigation.
#[component]
pub fn PageTitle(key: Key) -> impl IntoView {
    let texts = Texts::get();
    Effect::new(move |_| browser::set_title(texts.t(key)));
    take_pending_focus();
    view! { <h1 id="page-title" tabindex="-1">{crate::tr(key)}</h1> }
}

/// [`PageTitle`] for a title that is data (a user's name).
#[component]
pub fn NamedPageTitle(#[prop(into)] title: Signal<String>) -> impl IntoView {
    Effect::new(move |_| browser::set_title(&title.get()));
    take_pending_focus();
    view! { <h1 id="page-title" tabindex="-1">{move || title.get()}</h1> }
}

/// A split-off page's heading arrives after the navigation that asked it to take focus.
fn take_pending_focus() {
    if let Some(nav) = use_context::<Nav>() {
        Effect::new(move |_| nav.heading_drawn());
    }
}
