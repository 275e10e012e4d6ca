//! `/{tenant}/security-info`: a member adds, names, renames and deletes their passkeys. A
//! one-time pass leads here (its registration session may do only this); once a passkey is
//! added there, the page offers to sign in with it.

use super::sign_in::passkey_sign_in;
use crate::api;
use crate::components::status::Status;
use crate::flow::Problem;
use crate::i18n::{AccountKey, Key};
use crate::route::landing_path;
use crate::{browser, passkey, tr, tr_while, trf, Texts};
use guestpass_wire::passkey::{PasskeyMethod, MAX_PASSKEY_NAME};
use guestpass_wire::{Session, SessionScope, SignInResult, UserType};
use leptos::html::H1;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;
use std::pin::Pin;

/// The page's state, shared by the list and the form.
#[derive(Clone, Copy)]
struct Page {
    texts: Texts,
    tenant: StoredValue<String>,
    passkeys: RwSignal<Option<Vec<PasskeyMethod>>>,
    /// The passkey being renamed, or whose deletion is being confirmed (its id).
    renaming: RwSignal<Option<String>>,
    deleting: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
    problem: RwSignal<Option<Problem>>,
    notice: RwSignal<Option<AccountKey>>,
}

impl Page {
    /// Runs `job` with the page busy; its success says `done`, its failure is shown.
    fn run(self, done: AccountKey, job: impl Future<Output = Result<(), Problem>> + 'static) {
        self.run_boxed(done, Box::pin(job));
    }

    /// [`Page::run`]'s body, compiled once for every job.
    fn run_boxed(self, done: AccountKey, job: Pin<Box<dyn Future<Output = Result<(), Problem>>>>) {
        self.busy.set(true);
        self.problem.set(None);
        self.notice.set(None);
        spawn_local(async move {
            match job.await {
                Ok(()) => {
                    self.renaming.set(None);
                    self.deleting.set(None);
                    self.notice.set(Some(done));
                }
                Err(problem) => self.problem.set(Some(problem)),
            }
            self.busy.set(false);
        });
    }

    fn replace(self, method: PasskeyMethod) {
        self.passkeys.update(|list| {
            let list = list.get_or_insert_with(Vec::new);
            match list.iter_mut().find(|m| m.id == method.id) {
                Some(old) => *old = method,
                None => list.push(method),
            }
        });
    }

    fn date(self, rfc3339: &str) -> String {
        browser::local_date_time(rfc3339, self.texts.language())
    }
}

#[component]
pub fn SecurityInfo(
    tenant: String,
    session: Session,
    /// A sign-in with the passkey just added (from a registration session).
    on_signed_in: Callback<SignInResult>,
) -> impl IntoView {
    let texts = Texts::get();
    let heading = NodeRef::<H1>::new();
    request_animation_frame(move || {
        if let Some(heading) = heading.get_untracked() {
            let _ = heading.focus();
        }
    });
    Effect::new(move |_| browser::set_title(texts.t(AccountKey::SecurityInfoTitle)));
    let page = Page {
        texts,
        tenant: StoredValue::new(tenant.clone()),
        passkeys: RwSignal::new(None),
        renaming: RwSignal::new(None),
        deleting: RwSignal::new(None),
        busy: RwSignal::new(false),
        problem: RwSignal::new(None),
        notice: RwSignal::new(None),
    };
    let error = Signal::derive(move || page.problem.get().map(|p| p.text(texts.language())));
    let notice = Signal::derive(move || page.notice.get().map(|key| texts.t(key).to_string()));
    let done = landing_path(&tenant);

    if session.user.user_type == UserType::Guest {
        return view! {
            <h1 id="page-title" tabindex="-1" node_ref=heading>{tr(AccountKey::SecurityInfoTitle)}</h1>
            <p>{tr(AccountKey::SecurityInfoGuest)}</p>
            <a id="done" class="button" href=done>{tr(AccountKey::Done)}</a>
        }
        .into_any();
    }

    spawn_local(async move {
        match api::own_passkeys(&page.tenant.get_value()).await {
            Ok(list) => page.passkeys.set(Some(list.value)),
            Err(failure) => page.problem.set(Some(Problem::Failed(failure))),
        }
    });
    let registration =
        (session.scope == SessionScope::Registration).then(|| session.expires_date_time.clone());
    let in_registration = registration.is_some();
    let username = session.user.user_principal_name;
    view! {
        <h1 id="page-title" tabindex="-1" node_ref=heading>{tr(AccountKey::SecurityInfoTitle)}</h1>
        <Status error notice />
        <p>{tr(AccountKey::SecurityInfoIntro)}</p>
        {registration.map(|until| view! {
            <p id="scope">{move || texts.f(Key::ScopeRegistration, &[("time", &page.date(&until))])}</p>
        })}
        <h2>{tr(AccountKey::PasskeysHeading)}</h2>
        <PasskeyList page />
        <AddPasskey page />
        {in_registration.then(|| view! {
            <SignInWithNew page username on_signed_in />
        })}
        <div class="secondary">
            <a id="done" href=done>{tr(AccountKey::Done)}</a>
        </div>
    }
    .into_any()
}

#[component]
fn PasskeyList(page: Page) -> impl IntoView {
    let texts = page.texts;
    move || {
        let Some(list) = page.passkeys.get() else {
            return view! { <p aria-busy="true">{tr(Key::Loading)}</p> }.into_any();
        };
        if list.is_empty() {
            return view! { <p id="passkeys-empty">{tr(AccountKey::PasskeysEmpty)}</p> }.into_any();
        }
        let items = list
            .into_iter()
            .enumerate()
            .map(|(row, method)| {
                let id = StoredValue::new(method.id.clone());
                // Each row's buttons are described by its name: "Rename", "Laptop".
                let name_id = format!("passkey-{row}-name");
                let added = texts.f(AccountKey::PasskeyAddedOn, &[("time", &page.date(&method.created_date_time))]);
                let used = match &method.last_used_date_time {
                    Some(time) => texts.f(AccountKey::PasskeyLastUsed, &[("time", &page.date(time))]),
                    None => texts.t(AccountKey::PasskeyNeverUsed).to_string(),
                };
                let editing = page.renaming.with(|id| id.as_deref() == Some(&method.id));
                let confirming = page.deleting.with(|id| id.as_deref() == Some(&method.id));
                let name = method.display_name.clone();
                let body = if editing {
                    view! { <RenameForm page id name /> }.into_any()
                } else if confirming {
                    view! { <ConfirmDelete page id name /> }.into_any()
                } else {
                    view! {
                        <div class="passkey-actions">
                            <button class="button" type="button" aria-describedby=name_id.clone() disabled=page.busy on:click=move |_| {
                                page.notice.set(None);
                                page.renaming.set(Some(id.get_value()));
                            }>{tr(AccountKey::Rename)}</button>
                            <button class="button" type="button" aria-describedby=name_id.clone() disabled=page.busy on:click=move |_| {
                                page.notice.set(None);
                                page.deleting.set(Some(id.get_value()));
                            }>{tr(AccountKey::Delete)}</button>
                        </div>
                    }
                    .into_any()
                };
                view! {
                    <li class="passkey">
                        <p class="passkey-name" id=name_id>{method.display_name}</p>
                        <p class="hint">{added}" · "{used}</p>
                        {method.backed_up.then(|| view! { <p class="badge">{tr(AccountKey::PasskeySynced)}</p> })}
                        {body}
                    </li>
                }
            })
            .collect_view();
        view! { <ul id="passkeys" class="passkeys">{items}</ul> }.into_any()
    }
}

/// Moves focus to the element with `id` once it is drawn (a form that replaced a button).
fn focus_when_drawn(id: &'static str) {
    request_animation_frame(move || {
        if let Some(element) = document().get_element_by_id(id) {
            if let Ok(element) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element) {
                let _ = element.focus();
            }
        }
    });
}

#[component]
fn RenameForm(page: Page, id: StoredValue<String>, name: String) -> impl IntoView {
    let typed = RwSignal::new(name);
    focus_when_drawn("rename");
    let save = move || {
        let name = typed.get_untracked().trim().to_string();
        if name.is_empty() {
            focus_when_drawn("rename");
            return;
        }
        let tenant = page.tenant.get_value();
        page.run(AccountKey::PasskeyRenamed, async move {
            let method = api::rename_own_passkey(&tenant, &id.get_value(), &name).await?;
            page.replace(method);
            Ok(())
        });
    };
    view! {
        <form class="inline-form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            save();
        }>
            <label for="rename">{tr(AccountKey::PasskeyNameLabel)}</label>
            <input id="rename" type="text" maxlength=MAX_PASSKEY_NAME.to_string() required
                prop:value=typed on:input=move |ev| typed.set(event_target_value(&ev)) />
            <div class="passkey-actions">
                <button id="save-rename" class="button" type="submit" disabled=page.busy>{tr(AccountKey::Save)}</button>
                <button class="button" type="button" on:click=move |_| page.renaming.set(None)>{tr(AccountKey::Cancel)}</button>
            </div>
        </form>
    }
}

#[component]
fn ConfirmDelete(page: Page, id: StoredValue<String>, name: String) -> impl IntoView {
    focus_when_drawn("cancel-delete");
    let delete = move |_| {
        let tenant = page.tenant.get_value();
        page.run(AccountKey::PasskeyDeleted, async move {
            api::delete_own_passkey(&tenant, &id.get_value()).await?;
            page.passkeys.update(|list| {
                list.iter_mut()
                    .for_each(|l| l.retain(|m| m.id != id.get_value()))
            });
            Ok(())
        });
    };
    view! {
        <div role="group" aria-labelledby="confirm-delete-text">
            <p id="confirm-delete-text">{trf(AccountKey::DeletePasskeyConfirm, vec![("name", name)])}</p>
            <div class="passkey-actions">
                <button id="confirm-delete" class="button danger" type="button" disabled=page.busy on:click=delete>{tr(AccountKey::Delete)}</button>
                <button id="cancel-delete" class="button" type="button" on:click=move |_| page.deleting.set(None)>{tr(AccountKey::Cancel)}</button>
            </div>
        </div>
    }
}

#[component]
fn AddPasskey(page: Page) -> impl IntoView {
    let typed = RwSignal::new(page.texts.t(AccountKey::PasskeyDefaultName).to_string());
    let add = move || {
        let name = typed.get_untracked().trim().to_string();
        let name = if name.is_empty() {
            page.texts.t(AccountKey::PasskeyDefaultName).to_string()
        } else {
            name
        };
        let tenant = page.tenant.get_value();
        page.run(AccountKey::PasskeyAdded, async move {
            let options = api::passkey_registration_options(&tenant).await?;
            let credential = passkey::create(&options).await?;
            let method = api::register_passkey(&tenant, &name, &credential).await?;
            page.replace(method);
            Ok(())
        });
    };
    view! {
        <form novalidate on:submit=move |ev| {
            ev.prevent_default();
            add();
        }>
            <label for="passkey-name">{tr(AccountKey::PasskeyNameLabel)}</label>
            <input id="passkey-name" type="text" maxlength=MAX_PASSKEY_NAME.to_string()
                prop:value=typed on:input=move |ev| typed.set(event_target_value(&ev)) />
            <button id="add-passkey" class="button primary" type="submit" disabled=page.busy aria-busy=move || page.busy.get().to_string()>
                {tr_while(page.busy.into(), AccountKey::AddingPasskey, AccountKey::AddPasskey)}
            </button>
        </form>
    }
}

/// After a passkey is added in a registration session: sign in with it for a full session.
#[component]
fn SignInWithNew(
    page: Page,
    username: String,
    on_signed_in: Callback<SignInResult>,
) -> impl IntoView {
    let username = StoredValue::new(username);
    let has_one = move || {
        page.passkeys
            .with(|l| l.as_ref().is_some_and(|l| !l.is_empty()))
    };
    let sign_in = move |_| {
        page.busy.set(true);
        page.problem.set(None);
        spawn_local(async move {
            let tenant = page.tenant.get_value();
            match passkey_sign_in(&tenant, Some(&username.get_value()), None).await {
                Ok(result) => on_signed_in.run(result),
                Err(problem) => {
                    page.problem.set(Some(problem));
                    page.busy.set(false);
                }
            }
        });
    };
    move || {
        has_one().then(|| {
            view! {
                <div class="secondary">
                    <button id="sign-in-new-passkey" class="button primary" type="button" disabled=page.busy on:click=sign_in>
                        {tr(AccountKey::SignInWithNewPasskey)}
                    </button>
                </div>
            }
        })
    }
}
