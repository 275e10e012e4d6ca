//! Who may enter the console: a full session of a user with a role. Anyone else is sent to
//! sign-in (and brought back afterwards) or told why not. The server checks every call anyway;
//! this only decides what to show.

use guestpass_app::api::Failure;
use guestpass_app::browser;
use guestpass_wire::{ErrorCode, Permission, Session, SessionScope, SignInInfo, User};
use leptos::prelude::*;

use crate::copy::Key;
use crate::route::sign_in_href;
use crate::{api, tr, Texts};

/// The signed-in administrator and their organization, for every page.
#[derive(Clone)]
pub struct Admin {
    pub tenant: String,
    pub info: SignInInfo,
    pub session: Session,
}

impl Admin {
    pub fn get() -> Admin {
        expect_context::<Admin>()
    }

    /// Whether the administrator reads the details of members' authentication methods (passes,
    /// passkeys), never a pass's value.
    pub fn reads_methods(&self) -> bool {
        self.session.user.roles.iter().any(|r| r.reads_passes())
    }

    /// Whether the administrator creates and deletes `user`'s authentication methods: the
    /// passes' rules (seed 001) for passkeys too, and never their own.
    pub fn manages_methods_of(&self, user: &User) -> bool {
        let target_is_admin = !user.roles.is_empty();
        self.session.user.id != user.id
            && self
                .session
                .user
                .roles
                .iter()
                .any(|r| r.manages_passes_of(target_is_admin))
    }

    /// Whether the administrator's roles allow `permission` (the controls they see).
    pub fn can(&self, permission: Permission) -> bool {
        self.session
            .user
            .roles
            .iter()
            .any(|role| role.grants(permission))
    }
}

/// Why the console is not shown.
#[derive(Clone, Copy, PartialEq)]
enum Refusal {
    Registration,
    NoRole,
    UnknownTenant,
}

#[derive(Clone)]
enum Entry {
    Admitted(Box<Admin>),
    SignIn,
    Refused(Refusal),
    Failed(Failure),
}

async fn entry(tenant: String) -> Entry {
    // Both requests leave at once: one round trip, not two.
    let (info, session) =
        futures::future::join(api::sign_in_info(&tenant), api::session(&tenant)).await;
    match (info, session) {
        (
            Err(Failure::Api {
                code: ErrorCode::TenantNotFound,
                ..
            }),
            _,
        ) => Entry::Refused(Refusal::UnknownTenant),
        (Err(failure), _) | (_, Err(failure)) => Entry::Failed(failure),
        (Ok(_), Ok(None)) => Entry::SignIn,
        (Ok(_), Ok(Some(session))) if session.scope == SessionScope::Registration => {
            Entry::Refused(Refusal::Registration)
        }
        (Ok(_), Ok(Some(session))) if session.user.roles.is_empty() => {
            Entry::Refused(Refusal::NoRole)
        }
        (Ok(info), Ok(Some(session))) => Entry::Admitted(Box::new(Admin {
            tenant,
            info,
            session,
        })),
    }
}

#[component]
pub fn Gate(tenant: String, children: ChildrenFn) -> impl IntoView {
    let load = LocalResource::new({
        let tenant = tenant.clone();
        move || entry(tenant.clone())
    });
    let children = StoredValue::new(children);
    let shell = || view! { <ShellSkeleton /> };
    view! {
        <Suspense fallback=shell>
            {move || {
                let tenant = tenant.clone();
                Suspend::new(async move {
                    match load.await {
                        Entry::Admitted(admin) => {
                            browser::set_brand_color(
                admin.info.branding.background_color.as_deref(),
                admin.info.branding.text_color.as_deref(),
            );
                            provide_context(*admin);
                            let console = children.with_value(|children| children()).into_any();
                            // Read by `cargo xtask bench`: the console is usable from here on.
                            browser::mark("guestpass:interactive");
                            console
                        }
                        Entry::SignIn => {
                            let (path, query) = browser::location();
                            let here = format!("{path}{query}");
                            let _ = window().location().replace(&sign_in_href(&tenant, &here));
                            view! { <Refused key=Key::GateSigningIn tenant /> }.into_any()
                        }
                        Entry::Refused(Refusal::Registration) => {
                            view! { <Refused key=Key::GateRegistration tenant /> }.into_any()
                        }
                        Entry::Refused(Refusal::NoRole) => {
                            view! { <Refused key=Key::GateNoRole tenant /> }.into_any()
                        }
                        Entry::Refused(Refusal::UnknownTenant) => {
                            view! { <Refused key=Key::GateUnknownTenant tenant /> }.into_any()
                        }
                        Entry::Failed(failure) => {
                            let key = crate::components::outcome::failure_key(&failure);
                            view! { <Refused key tenant /> }.into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

/// The console's frame, empty, as `index.html` draws it while wasm loads.
#[component]
fn ShellSkeleton() -> impl IntoView {
    view! {
        <div class="console" aria-busy="true">
            <header class="console-top"><p class="organization"></p><div class="language"></div></header>
            <div class="console-body">
                <nav class="console-nav"></nav>
                <main class="console-main">
                    <span class="visually-hidden">{tr(Key::Loading)}</span>
                    <div class="skeleton-line skeleton-title"></div>
                    <div class="skeleton-line"></div>
                    <div class="skeleton-line skeleton-short"></div>
                </main>
            </div>
        </div>
    }
}

/// Why this visitor cannot use the console, with the way to sign in as someone who can.
#[component]
fn Refused(key: Key, tenant: String) -> impl IntoView {
    let texts = Texts::get();
    Effect::new(move |_| browser::set_title(texts.t(Key::ConsoleTitle)));
    let sign_in = format!("/{tenant}/sign-in");
    view! {
        <div class="page">
            <main class="card" id="main">
                <h1 id="page-title" tabindex="-1">{tr(Key::ConsoleTitle)}</h1>
                <p id="gate-reason">{tr(key)}</p>
                <p><a href=sign_in>{tr(Key::GateSignInLink)}</a></p>
            </main>
        </div>
    }
}

/// `/_console/` itself, or any path that is not a tenant's console.
#[component]
pub fn NotConsole() -> impl IntoView {
    view! {
        <div class="page">
            <main class="card" id="main">
                <h1 id="page-title">{tr(Key::ConsoleTitle)}</h1>
                <p>{tr(Key::NotConsole)}</p>
            </main>
        </div>
    }
}
