//! The tenant's landing page for a signed-in person: who, how, until when, and **Sign out**.

use crate::api;
use crate::components::status::Status;
use crate::flow::Problem;
use crate::i18n::Key;
use crate::{browser, tr, tr_while, trf, Texts};
use guestpass_wire::{AuthenticationMethod, Session, SessionScope, SignInInfo, UserType};
use leptos::html::H1;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn SignedIn(
    tenant: String,
    info: SignInInfo,
    session: Session,
    on_signed_out: Callback<()>,
) -> impl IntoView {
    let texts = Texts::get();
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<Problem>);
    let heading = NodeRef::<H1>::new();
    // A finished sign-in lands here: focus the heading so a screen reader says where it is.
    request_animation_frame(move || {
        if let Some(heading) = heading.get_untracked() {
            let _ = heading.focus();
        }
    });
    Effect::new(move |_| browser::set_title(texts.t(Key::SignedInTitle)));

    // The console needs a full session of a user with a role; nobody else is offered it.
    let administers = session.scope == SessionScope::Full && !session.user.roles.is_empty();
    let console = crate::route::console_path(&tenant);
    let security_info = crate::route::security_info_path(&tenant);
    let my_apps = crate::route::my_apps_path(&tenant);
    let full = session.scope == SessionScope::Full;
    let member = session.user.user_type == UserType::Member;
    let sign_out = move |_| {
        busy.set(true);
        let tenant = tenant.clone();
        spawn_local(async move {
            match api::sign_out(&tenant).await {
                Ok(()) => on_signed_out.run(()),
                Err(failure) => {
                    problem.set(Some(Problem::Failed(failure)));
                    busy.set(false);
                }
            }
        });
    };
    let user = session.user;
    let method = match session.authentication_method {
        AuthenticationMethod::EmailOtp => Key::MethodEmailOtp,
        AuthenticationMethod::TemporaryAccessPass => Key::MethodTemporaryAccessPass,
        AuthenticationMethod::Passkey => Key::MethodPasskey,
    };
    let user_type = match user.user_type {
        UserType::Guest => Key::UserTypeGuest,
        UserType::Member => Key::UserTypeMember,
    };
    let address = user
        .mail
        .clone()
        .unwrap_or_else(|| user.user_principal_name.clone());
    let until = session.expires_date_time;
    let scope = match session.scope {
        SessionScope::Full => Key::ScopeFull,
        SessionScope::Registration => Key::ScopeRegistration,
    };
    let name = info.display_name;
    view! {
        <h1 id="page-title" tabindex="-1" node_ref=heading>{tr(Key::SignedInTitle)}</h1>
        <Status error=Signal::derive(move || problem.get().map(|p| p.text(texts.language()))) />
        <p>{trf(Key::SignedInAs, vec![("tenant", name.clone())])}</p>
        <div class="identity" id="identity">
            <p class="identity-name">{user.display_name}</p>
            <p class="identity-address">{address}</p>
            <p class="badge">{tr(user_type)}</p>
        </div>
        <p>{move || texts.f(Key::SignedInWith, &[("method", texts.t(method))])}</p>
        <p id="scope">{move || texts.f(scope, &[("time", &browser::local_date_time(&until, texts.language()))])}</p>
        <p hidden=!full><a id="my-apps" href=my_apps>{tr(Key::MyAppsLink)}</a></p>
        <p hidden=!member><a id="security-info" href=security_info>{tr(Key::SecurityInfoLink)}</a></p>
        <p hidden=!administers><a id="open-console" href=console>{tr(Key::OpenConsole)}</a></p>
        <button id="sign-out" class="button" type="button" disabled=busy aria-busy=move || busy.get().to_string() on:click=sign_out>
            {tr_while(busy.into(), Key::SigningOut, Key::SignOut)}
        </button>
    }
}
