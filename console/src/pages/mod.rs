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

use leptos::prelude::*;

use crate::components::layout::PageTitle;
use crate::copy::Key;
use crate::route::Page;
use crate::tr;

pub fn page(page: Page) -> AnyView {
    match page {
        Page::Overview => view! { <overview::Overview /> }.into_any(),
        Page::Users(filter) => view! { <users::Users filter /> }.into_any(),
        Page::User { id } => view! { <user::UserPage id /> }.into_any(),
        Page::EmailOtp => view! { <email_otp::EmailOtp /> }.into_any(),
        Page::TemporaryAccessPass => view! { <pass_policy::PassPolicy /> }.into_any(),
        Page::Passkeys => view! { <passkeys::PasskeyPolicyPage /> }.into_any(),
        Page::Branding => view! { <branding::CompanyBranding /> }.into_any(),
        Page::ExternalCollaboration => {
            view! { <external_collaboration::ExternalCollaboration /> }.into_any()
        }
        Page::Applications => view! { <applications::Applications /> }.into_any(),
        Page::Application { id } => view! { <applications::ApplicationPage id /> }.into_any(),
        Page::SignInLogs(filter) => view! { <sign_in_logs::SignInLogs filter /> }.into_any(),
        Page::AuditLogs(filter) => view! { <audit_logs::AuditLogs filter /> }.into_any(),
        Page::NotFound => view! { <NotFound /> }.into_any(),
    }
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
