//! One file per console page; [`page`] picks the view for a route.

mod applications;
mod audit_logs;
mod branding;
mod email_otp;
mod external_collaboration;
mod overview;
mod pass_policy;
mod passkeys;
mod sign_in_logs;
mod user;
mod users;

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use send_wrapper::SendWrapper;

use crate::components::layout::PageTitle;
use crate::copy::Key;
use crate::route::Page;
use crate::tr;

/// The view for `page`. The overview, the page an administrator lands on, is in the console's main
/// wasm; the other pages are split off in four groups (`#[wasm_split(group)]`, what Leptos's
/// `#[lazy]` is made of; xtask splits the wasm at build time as `cargo leptos --split` does):
/// the directory (users, a user), the settings, the applications and the logs. A group's code is
/// fetched the first time one of its pages is shown, with the loading state meanwhile; what
/// groups share is in chunks fetched with the first group that needs them.
pub fn page(page: Page) -> AnyView {
    match page {
        Page::Overview => view! { <overview::Overview /> }.into_any(),
        Page::Users(filter) => split(users_page(filter)),
        Page::User { id } => split(user_page(id)),
        Page::EmailOtp => split(email_otp_page()),
        Page::TemporaryAccessPass => split(pass_policy_page()),
        Page::Passkeys => split(passkeys_page()),
        Page::Branding => split(branding_page()),
        Page::ExternalCollaboration => split(external_collaboration_page()),
        Page::Applications => split(applications_page()),
        Page::Application { id } => split(application_page(id)),
        Page::SignInLogs(filter) => split(sign_in_logs_page(filter)),
        Page::AuditLogs(filter) => split(audit_logs_page(filter)),
        Page::NotFound => view! { <NotFound /> }.into_any(),
    }
}

/// Starts fetching the part `page` is in when the administrator shows the intent to open it (a
/// pointer over its link, or focus on it), so the part is often there by the click and the
/// page's own data does not wait behind it. A failed fetch is left for the visit to retry.
pub fn prefetch(page: &Page) {
    type Preload = Pin<Box<dyn Future<Output = Result<(), SplitLoaderError>>>>;
    let preload: Preload = match page {
        Page::Overview | Page::NotFound => return,
        Page::Users(_) | Page::User { .. } => Box::pin(preload_directory()),
        Page::EmailOtp
        | Page::TemporaryAccessPass
        | Page::Passkeys
        | Page::Branding
        | Page::ExternalCollaboration => Box::pin(preload_settings()),
        Page::Applications | Page::Application { .. } => Box::pin(preload_applications()),
        Page::SignInLogs(_) | Page::AuditLogs(_) => Box::pin(preload_logs()),
    };
    leptos::task::spawn_local(async move {
        let _ = preload.await;
    });
}

/// A split-off page: the loading state until its part has arrived, then the page. The future
/// runs under this view's owner, so the page sees the console's contexts; it is dropped with
/// the view, so a part that arrives after the administrator moved on renders nothing. A part
/// that cannot be fetched (the network dropped) is said as such, and the next visit to the page
/// fetches it again.
fn split(view: impl Future<Output = Result<AnyView, SplitLoaderError>> + 'static) -> AnyView {
    let view = SendWrapper::new(async move {
        view.await.unwrap_or_else(|_| {
            view! { <p class="message message-error" role="alert">{tr(Key::ErrNetwork)}</p> }
                .into_any()
        })
    });
    view! { <Suspense fallback=Loading>{Suspend::new(view)}</Suspense> }.into_any()
}

#[wasm_split(directory, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_directory))]
fn users_page(filter: crate::route::UserFilter) -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <users::Users filter /> }.into_any())
}

#[wasm_split(directory, wasm_split_path = ::leptos::wasm_split, fallible)]
fn user_page(id: String) -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <user::UserPage id /> }.into_any())
}

#[wasm_split(settings, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_settings))]
fn email_otp_page() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <email_otp::EmailOtp /> }.into_any())
}

#[wasm_split(settings, wasm_split_path = ::leptos::wasm_split, fallible)]
fn pass_policy_page() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <pass_policy::PassPolicy /> }.into_any())
}

#[wasm_split(settings, wasm_split_path = ::leptos::wasm_split, fallible)]
fn passkeys_page() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <passkeys::PasskeyPolicyPage /> }.into_any())
}

#[wasm_split(settings, wasm_split_path = ::leptos::wasm_split, fallible)]
fn branding_page() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <branding::CompanyBranding /> }.into_any())
}

#[wasm_split(settings, wasm_split_path = ::leptos::wasm_split, fallible)]
fn external_collaboration_page() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <external_collaboration::ExternalCollaboration /> }.into_any())
}

#[wasm_split(applications, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_applications))]
fn applications_page() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <applications::Applications /> }.into_any())
}

#[wasm_split(applications, wasm_split_path = ::leptos::wasm_split, fallible)]
fn application_page(id: String) -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <applications::ApplicationPage id /> }.into_any())
}

#[wasm_split(logs, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_logs))]
fn sign_in_logs_page(filter: crate::route::LogFilter) -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <sign_in_logs::SignInLogs filter /> }.into_any())
}

#[wasm_split(logs, wasm_split_path = ::leptos::wasm_split, fallible)]
fn audit_logs_page(filter: crate::route::AuditFilter) -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <audit_logs::AuditLogs filter /> }.into_any())
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <PageTitle key=Key::NotFoundTitle />
        <p>{tr(Key::NotFoundBody)}</p>
    }
}

/// The loading state of a page's data: grey lines where the content will be.
#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <div class="skeleton" aria-busy="true">
            <span class="visually-hidden">{tr(Key::Loading)}</span>
            <div class="skeleton-line"></div>
            <div class="skeleton-line skeleton-short"></div>
        </div>
    }
}
