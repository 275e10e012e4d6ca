//! Every page under `/{tenant}/…`: loads the organization and the session together, then shows the
//! signed-in page, the invitation, or the sign-in. A valid session skips sign-in.

use super::redeem::Invitation;
use super::sign_in::SignInFlow;
use super::signed_in::SignedIn;
use super::unknown_tenant::UnknownTenantPage;
use crate::api::{self, Failure};
use crate::components::frame::{Frame, Skeleton};
use crate::components::status::Status;
use crate::flow::Problem;
use crate::i18n::Key;
use crate::route::{landing_path, TenantPage as Page};
use crate::{browser, tr, Texts};
use guestpass_wire::{
    redirect::is_acceptable_redirect, ErrorCode, Session, SignInInfo, SignInResult,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What the page knows so far.
#[derive(Clone, PartialEq)]
enum Load {
    Loading,
    Missing,
    Failed(Failure),
    Ready(SignInInfo, Option<Session>),
}

#[component]
pub fn TenantPage(tenant: String, page: Page) -> impl IntoView {
    let texts = Texts::get();
    let info = RwSignal::new(None::<Result<SignInInfo, Failure>>);
    let session = RwSignal::new(None::<Result<Option<Session>, Failure>>);
    let notice = RwSignal::new(None::<Key>);
    // A sign-in link from the console goes back there; otherwise signing in or out moves to the
    // landing page, whatever page the link opened.
    let return_to = match &page {
        Page::SignIn { return_to, .. } => return_to.clone(),
        _ => None,
    };
    let page = RwSignal::new(page);
    // Both requests leave at once: the page is ready after one round trip, not two.
    let load = {
        let tenant = tenant.clone();
        move || {
            let (a, b) = (tenant.clone(), tenant.clone());
            spawn_local(async move { info.set(Some(api::sign_in_info(&a).await)) });
            spawn_local(async move { session.set(Some(api::session(&b).await)) });
        }
    };
    load();
    let state = Memo::new(move |_| match (info.get(), session.get()) {
        (
            Some(Err(Failure::Api {
                code: ErrorCode::TenantNotFound,
                ..
            })),
            _,
        ) => Load::Missing,
        (Some(Err(failure)), _) | (_, Some(Err(failure))) => Load::Failed(failure),
        (Some(Ok(info)), Some(Ok(session))) => Load::Ready(info, session),
        _ => Load::Loading,
    });
    Effect::new(move |_| {
        if let Load::Ready(info, _) = state.get() {
            browser::set_brand_color(
                info.branding.background_color.as_deref(),
                info.branding.text_color.as_deref(),
            );
        }
    });

    let signed_in = {
        let tenant = tenant.clone();
        Callback::new(move |result: SignInResult| {
            let redirect = result
                .redirect_url
                .filter(|url| is_acceptable_redirect(url));
            match redirect.or_else(|| return_to.clone()) {
                Some(url) => browser::leave_for(&url),
                None => {
                    browser::replace_path(&landing_path(&tenant));
                    page.set(Page::Landing);
                    notice.set(None);
                    session.set(Some(Ok(Some(result.session))));
                }
            }
        })
    };
    let signed_out = {
        let tenant = tenant.clone();
        Callback::new(move |()| {
            browser::replace_path(&landing_path(&tenant));
            page.set(Page::Landing);
            notice.set(Some(Key::SignedOut));
            session.set(Some(Ok(None)));
        })
    };
    let organization = Signal::derive(move || match state.get() {
        Load::Ready(info, _) => Some(info.display_name),
        _ => None,
    });
    // The page is drawn anew for each state, so the logo is a plain value.
    let logo = move || match state.get_untracked() {
        Load::Ready(info, _) => info.branding.banner_logo_url,
        _ => None,
    };

    move || {
        let tenant = tenant.clone();
        match state.get() {
            Load::Missing => view! { <UnknownTenantPage tenant /> }.into_any(),
            Load::Loading => {
                view! { <Frame organization logo=logo()><Skeleton /></Frame> }.into_any()
            }
            Load::Failed(failure) => {
                let problem = Problem::Failed(failure);
                view! {
                    <Frame organization logo=logo()>
                        <h1 id="page-title">{tr(Key::ErrGeneric)}</h1>
                        <Status error=Signal::derive(move || Some(problem.text(texts.language()))) />
                    </Frame>
                }
                .into_any()
            }
            Load::Ready(info, Some(current)) => view! {
                <Frame organization logo=logo()>
                    <SignedIn tenant info session=current on_signed_out=signed_out />
                </Frame>
            }
            .into_any(),
            Load::Ready(info, None) => {
                let notice = notice.get();
                let content = match page.get() {
                    Page::Redeem { login_hint: Some(email) } => {
                        view! { <Invitation tenant info email on_signed_in=signed_in /> }.into_any()
                    }
                    Page::Redeem { login_hint: None } | Page::Landing => {
                        view! { <SignInFlow tenant info email=None editable=true on_signed_in=signed_in notice /> }.into_any()
                    }
                    Page::SignIn { login_hint, .. } => {
                        view! { <SignInFlow tenant info email=login_hint editable=true on_signed_in=signed_in notice /> }.into_any()
                    }
                };
                view! { <Frame organization logo=logo()>{content}</Frame> }.into_any()
            }
        }
    }
}
