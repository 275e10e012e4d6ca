//! Every page of the sign-in app under `/{tenant}/…`: loads the organization and the session
//! together, then shows the signed-in page, the invitation, or the sign-in. A valid session skips
//! sign-in. The loading and the frame are shared with the account bundle's security info.

use super::redeem::Invitation;
use super::sign_in::SignInFlow;
use super::signed_in::SignedIn;
use super::unknown_tenant::UnknownTenantPage;
use crate::api::{self, Failure};
use crate::components::frame::{Frame, Skeleton};
use crate::components::status::Status;
use crate::flow::Problem;
use crate::i18n::Key;
use crate::route::{landing_path, security_info_path, TenantPage as Page};
use crate::{browser, tr, Texts};
use guestpass_wire::{
    redirect::is_acceptable_redirect, ErrorCode, Session, SessionScope, SignInInfo, SignInResult,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What a tenant's page knows so far. (A memo's one value per page load: boxing `Ready` would only
/// add an allocation. The lint fires for native builds only, whose pointers are twice as wide.)
#[derive(Clone, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub(crate) enum Load {
    Loading,
    Missing,
    Failed(Failure),
    Ready(SignInInfo, Option<Session>),
}

/// A tenant's organization and session as they load.
pub(crate) struct Loaded {
    pub state: Memo<Load>,
    /// Signing in or out changes it.
    pub session: RwSignal<Option<Result<Option<Session>, Failure>>>,
}

/// Asks for `tenant`'s organization and the session together (the page is ready after one round
/// trip, not two), and applies the tenant's brand colour when they come.
pub(crate) fn load(tenant: &str) -> Loaded {
    let info = RwSignal::new(None::<Result<SignInInfo, Failure>>);
    let session = RwSignal::new(None::<Result<Option<Session>, Failure>>);
    let (a, b) = (tenant.to_string(), tenant.to_string());
    spawn_local(async move { info.set(Some(api::sign_in_info(&a).await)) });
    spawn_local(async move { session.set(Some(api::session(&b).await)) });
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
    Loaded { state, session }
}

/// A tenant's page in its frame: the skeleton while it loads, the unknown-tenant page, the
/// failure, or what `ready` draws for the organization and the session.
pub(crate) fn in_frame(
    tenant: String,
    state: Memo<Load>,
    ready: impl Fn(SignInInfo, Option<Session>) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    let texts = Texts::get();
    let organization = Signal::derive(move || match state.get() {
        Load::Ready(info, _) => Some(info.display_name),
        _ => None,
    });
    // The page is drawn anew for each state, so the logo is a plain value.
    let logo = move || match state.get_untracked() {
        Load::Ready(info, _) => info.branding.banner_logo_url,
        _ => None,
    };
    move || match state.get() {
        Load::Missing => {
            let tenant = tenant.clone();
            view! { <UnknownTenantPage tenant /> }.into_any()
        }
        Load::Loading => view! { <Frame organization logo=logo()><Skeleton /></Frame> }.into_any(),
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
        Load::Ready(info, session) => {
            let content = ready(info, session);
            view! { <Frame organization logo=logo()>{content}</Frame> }.into_any()
        }
    }
}

#[component]
pub fn TenantPage(tenant: String, page: Page) -> impl IntoView {
    let notice = RwSignal::new(None::<Key>);
    // A sign-in link from the console, security info or an application's authorization request
    // goes back there; otherwise signing in or out moves to the landing page, whatever page the
    // link opened. The authorization endpoint may ask for a new sign-in over a session.
    let (return_to, again) = match &page {
        Page::SignIn {
            return_to, again, ..
        } => (return_to.clone(), *again),
        _ => (None, false),
    };
    let page = RwSignal::new(page);
    let Loaded { state, session } = load(&tenant);

    let signed_in = {
        let tenant = tenant.clone();
        Callback::new(move |result: SignInResult| {
            // A registration session may only register a passkey: it goes where that is done.
            let registration = (result.session.scope == SessionScope::Registration)
                .then(|| security_info_path(&tenant));
            let redirect = result
                .redirect_url
                .clone()
                .filter(|url| is_acceptable_redirect(url));
            // Where the visitor was going comes before an invitation's first destination.
            match registration.or_else(|| return_to.clone()).or(redirect) {
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

    in_frame(tenant.clone(), state, move |info, current| {
        let tenant = tenant.clone();
        if let Some(current) = current.filter(|_| !again) {
            return view! { <SignedIn tenant info session=current on_signed_out=signed_out /> }
                .into_any();
        }
        let notice = notice.get();
        match page.get() {
            Page::Redeem {
                login_hint: Some(email),
            } => view! { <Invitation tenant info email on_signed_in=signed_in /> }.into_any(),
            Page::SignIn { login_hint, .. } => {
                view! { <SignInFlow tenant info email=login_hint editable=true on_signed_in=signed_in notice /> }.into_any()
            }
            Page::Redeem { login_hint: None }
            | Page::Landing
            | Page::SecurityInfo
            | Page::MyApps => {
                view! { <SignInFlow tenant info email=None editable=true on_signed_in=signed_in notice /> }.into_any()
            }
        }
    })
}
