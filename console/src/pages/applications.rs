//! Applications (OpenID Connect clients): the list and a register form; an application's page
//! with its settings (redirect URIs, home page, public or confidential, ID token signature,
//! assignment), its client secrets (a new one shown once with Copy; each deleted behind a
//! confirmation) and its deletion. Only a Global Administrator changes them; readers see them.

use guestpass_wire::application::{
    Application, ApplicationPatch, Assignment, AssignmentType, CreateApplicationRequest,
    IdTokenAlgorithm, NewClientSecret,
};
use guestpass_wire::Permission;
use leptos::prelude::*;

use crate::api;
use crate::components::confirm::Confirm;
use crate::components::layout::{NamedPageTitle, PageTitle};
use crate::components::outcome::{Data, OutcomeMessage, Submit};
use crate::components::shown_once::ShownOnce;
use crate::copy::Key;
use crate::gate::Admin;
use crate::nav::{Link, Nav};
use crate::route::Page;
use crate::{time, tr, Texts};

/// The non-empty lines of a text area, trimmed (a group's name may hold spaces).
fn lines_of(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(String::from)
        .collect()
}

fn may_change() -> bool {
    Admin::get().can(Permission::ManageApplications)
}

#[component]
pub fn Applications() -> impl IntoView {
    let tenant = Admin::get().tenant;
    let list = move || {
        let tenant = tenant.clone();
        async move { api::applications(&tenant).await.map(|list| list.value) }
    };
    view! {
        <PageTitle key=Key::ApplicationsTitle />
        <p>{tr(Key::ApplicationsIntro)}</p>
        <Data load=list render={move |apps: Vec<Application>| (view! { <ApplicationList apps /> }).into_any()} />
        {may_change().then(|| view! { <RegisterApplication /> })}
    }
}

#[component]
fn ApplicationList(apps: Vec<Application>) -> impl IntoView {
    if apps.is_empty() {
        return view! { <p class="empty" id="no-applications">{tr(Key::NoApplications)}</p> }
            .into_any();
    }
    let rows = apps
        .into_iter()
        .map(|app| {
            let client = if app.public_client { Key::ClientPublic } else { Key::ClientConfidential };
            let open_to = if app.assignment_required { Key::AssignmentListed } else { Key::AssignmentEveryone };
            view! {
                <tr>
                    <th scope="row"><Link page=Page::Application { id: app.id }>{app.display_name}</Link></th>
                    <td><code>{app.client_id}</code></td>
                    <td>{tr(client)}</td>
                    <td>{tr(open_to)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="applications-caption">
            <table id="applications">
                <caption class="visually-hidden" id="applications-caption">{tr(Key::ApplicationsTitle)}</caption>
                <thead><tr>
                    <th scope="col">{tr(Key::ColumnName)}</th>
                    <th scope="col">{tr(Key::ColumnClientId)}</th>
                    <th scope="col">{tr(Key::ColumnClientType)}</th>
                    <th scope="col">{tr(Key::ColumnAssignment)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// A text field and its label, the value in `value`.
#[component]
fn Field(
    id: &'static str,
    label: Key,
    value: RwSignal<String>,
    #[prop(optional)] hint: Option<Key>,
    #[prop(optional)] multiline: bool,
) -> impl IntoView {
    let disabled = !may_change();
    let hint_id = hint.map(|_| format!("{id}-hint"));
    let field = if multiline {
        view! {
            <textarea id=id rows="3" disabled=disabled aria-describedby=hint_id.clone()
                prop:value=value on:input=move |ev| value.set(event_target_value(&ev))></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id type="text" disabled=disabled aria-describedby=hint_id.clone()
                prop:value=value on:input=move |ev| value.set(event_target_value(&ev)) />
        }
        .into_any()
    };
    view! {
        <label for=id>{tr(label)}</label>
        {field}
        {hint.map(|hint| view! { <p class="hint" id=hint_id>{tr(hint)}</p> })}
    }
}

/// A checkbox and its words, the value in `value`.
#[component]
fn Check(id: &'static str, label: Key, value: RwSignal<bool>) -> impl IntoView {
    view! {
        <label class="check">
            <input id=id type="checkbox" disabled=!may_change() prop:checked=value
                on:change=move |ev| value.set(event_target_checked(&ev)) />
            {tr(label)}
        </label>
    }
}

#[component]
fn RegisterApplication() -> impl IntoView {
    let nav = Nav::get();
    let name = RwSignal::new(String::new());
    let uris = RwSignal::new(String::new());
    let public = RwSignal::new(false);
    let register = Submit::new();
    let tenant = Admin::get().tenant;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = CreateApplicationRequest {
            display_name: name.get_untracked(),
            redirect_uris: lines_of(&uris.get_untracked()),
            public_client: public.get_untracked(),
            ..Default::default()
        };
        let tenant = tenant.clone();
        let call = async move { api::create_application(&tenant, body).await };
        register.send(Key::ApplicationRegistered, call, move |app| {
            nav.go(Page::Application { id: app.id })
        });
    };
    view! {
        <form id="register-form" class="inline-form" on:submit=submit>
            <h2>{tr(Key::RegisterApplicationTitle)}</h2>
            <Field id="application-name" label=Key::ApplicationName value=name />
            <Field id="redirect-uris" label=Key::RedirectUrisLabel value=uris hint=Key::RedirectUrisHint multiline=true />
            <Check id="public-client" label=Key::PublicClientLabel value=public />
            <button id="register" class="button primary" type="submit" disabled=register.pending()>
                {tr(Key::RegisterSubmit)}
            </button>
        </form>
        <OutcomeMessage outcome=register.outcome id="register-outcome" />
    }
}

#[component]
pub fn ApplicationPage(id: String) -> impl IntoView {
    let texts = Texts::get();
    let tenant = Admin::get().tenant;
    let app = move || {
        let (tenant, id) = (tenant.clone(), id.clone());
        async move { api::application(&tenant, &id).await }
    };
    // The heading names the application once loaded (`Some(None)`: there is no such one).
    let found = RwSignal::new(None::<Option<String>>);
    let title = Signal::derive(move || match found.get() {
        Some(Some(name)) => name,
        Some(None) => texts.t(Key::ApplicationGone).to_string(),
        None => texts.t(Key::ApplicationsTitle).to_string(),
    });
    view! {
        <p class="breadcrumb"><Link page=Page::Applications>{tr(Key::BackToApplications)}</Link></p>
        <NamedPageTitle title />
        <Data load=app render={move |app: Option<Application>| (match app {
            Some(app) => {
                found.set(Some(Some(app.display_name.clone())));
                view! { <ApplicationDetails app found /> }.into_any()
            }
            None => {
                found.set(Some(None));
                view! { <p id="application-gone">{tr(Key::ApplicationGoneBody)}</p> }.into_any()
            }
        }).into_any()} />
    }
}

/// The application's ids of `kind`, one a line.
fn assigned(app: &Application, kind: AssignmentType) -> String {
    let ids: Vec<&str> = app
        .assignments
        .iter()
        .filter(|a| a.kind == kind)
        .map(|a| a.id.as_str())
        .collect();
    ids.join("\n")
}

#[component]
fn ApplicationDetails(app: Application, found: RwSignal<Option<Option<String>>>) -> impl IntoView {
    let texts = Texts::get();
    let nav = Nav::get();
    let may_change = may_change();
    let tenant = Admin::get().tenant;
    let id = app.id.clone();
    let name = RwSignal::new(app.display_name.clone());
    let uris = RwSignal::new(app.redirect_uris.join("\n"));
    let logout_uris = RwSignal::new(app.post_logout_redirect_uris.join("\n"));
    let home = RwSignal::new(app.home_page_url.clone().unwrap_or_default());
    let public = RwSignal::new(app.public_client);
    // Secrets follow the saved client type, not the unsaved checkbox.
    let confidential = RwSignal::new(!app.public_client);
    let rs256 = RwSignal::new(app.id_token_signed_response_alg == IdTokenAlgorithm::Rs256);
    let required = RwSignal::new(app.assignment_required);
    let users = RwSignal::new(assigned(&app, AssignmentType::User));
    let groups = RwSignal::new(assigned(&app, AssignmentType::Group));
    let secrets = RwSignal::new(app.secrets.clone());
    let save = Submit::new();
    let submit = {
        let (tenant, id) = (tenant.clone(), id.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let assignment = |text: &str, kind| {
                lines_of(text)
                    .into_iter()
                    .map(move |id| Assignment { id, kind })
            };
            let body = ApplicationPatch {
                display_name: Some(name.get_untracked()),
                redirect_uris: Some(lines_of(&uris.get_untracked())),
                post_logout_redirect_uris: Some(lines_of(&logout_uris.get_untracked())),
                public_client: Some(public.get_untracked()),
                assignment_required: Some(required.get_untracked()),
                assignments: Some(
                    assignment(&users.get_untracked(), AssignmentType::User)
                        .chain(assignment(&groups.get_untracked(), AssignmentType::Group))
                        .collect(),
                ),
                id_token_signed_response_alg: Some(if rs256.get_untracked() {
                    IdTokenAlgorithm::Rs256
                } else {
                    IdTokenAlgorithm::Es256
                }),
                home_page_url: Some(home.get_untracked()),
            };
            let (tenant, id) = (tenant.clone(), id.clone());
            let call = async move { api::patch_application(&tenant, &id, body).await };
            save.send(Key::Saved, call, move |app| {
                found.set(Some(Some(app.display_name)));
                confidential.set(!app.public_client);
                secrets.set(app.secrets);
            });
        }
    };
    let delete = {
        let (tenant, id) = (tenant.clone(), id.clone());
        Callback::new(move |()| {
            let (tenant, id) = (tenant.clone(), id.clone());
            let call = async move { api::delete_application(&tenant, &id).await };
            save.send(Key::ApplicationDeleted, call, move |_| {
                nav.go(Page::Applications)
            });
        })
    };
    let display_name = app.display_name.clone();
    view! {
        <dl class="facts" id="application-facts">
            <dt>{tr(Key::ColumnClientId)}</dt><dd><code id="client-id">{app.client_id.clone()}</code></dd>
            <dt>{tr(Key::ColumnCreated)}</dt><dd>{time(app.created_date_time.clone())}</dd>
        </dl>
        <form id="application-form" on:submit=submit>
            <Field id="application-name" label=Key::ApplicationName value=name />
            <Field id="redirect-uris" label=Key::RedirectUrisLabel value=uris hint=Key::RedirectUrisHint multiline=true />
            <Field id="logout-uris" label=Key::LogoutUrisLabel value=logout_uris multiline=true />
            <Field id="home-page" label=Key::HomePageLabel value=home hint=Key::HomePageHint />
            <Check id="public-client" label=Key::PublicClientLabel value=public />
            <fieldset>
                <legend>{tr(Key::IdTokenAlgorithmLabel)}</legend>
                <label class="check">
                    <input type="radio" name="alg" id="alg-es256" disabled=!may_change prop:checked=move || !rs256.get() on:change=move |_| rs256.set(false) />
                    "ES256"
                </label>
                <label class="check">
                    <input type="radio" name="alg" id="alg-rs256" disabled=!may_change prop:checked=rs256 on:change=move |_| rs256.set(true) />
                    "RS256"
                </label>
            </fieldset>
            <Check id="assignment-required" label=Key::AssignmentRequiredLabel value=required />
            <Field id="assigned-users" label=Key::AssignedUsersLabel value=users multiline=true />
            <Field id="assigned-groups" label=Key::AssignedGroupsLabel value=groups multiline=true />
            <button id="save" class="button primary" type="submit" disabled=move || !may_change || save.pending().get()>
                {tr(Key::Save)}
            </button>
            {(!may_change).then(|| view! { <p class="hint" id="read-only">{tr(Key::ReadOnly)}</p> })}
        </form>
        <OutcomeMessage outcome=save.outcome id="save-outcome" />
        {move || confidential.get().then(|| view! { <Secrets id=id.clone() secrets /> })}
        <section class="panel" aria-labelledby="danger-title">
            <h2 id="danger-title">{tr(Key::ActionsTitle)}</h2>
            <Confirm id="delete-application" action=Key::DeleteApplication
                question=Signal::derive(move || texts.f(Key::DeleteApplicationQuestion, &[("name", &display_name)]))
                disabled=move || !may_change || save.pending().get() on_confirm=delete />
        </section>
    }
}

/// A confidential client's secrets: each by its first characters, deleted behind a
/// confirmation; a new one shown once.
#[component]
fn Secrets(
    id: String,
    secrets: RwSignal<Vec<guestpass_wire::application::ClientSecret>>,
) -> impl IntoView {
    let texts = Texts::get();
    let may_change = may_change();
    let tenant = Admin::get().tenant;
    let act = Submit::new();
    let added = RwSignal::new(None::<NewClientSecret>);
    let add = {
        let (tenant, id) = (tenant.clone(), id.clone());
        move |_| {
            added.set(None);
            let (tenant, id) = (tenant.clone(), id.clone());
            let call = async move { api::add_client_secret(&tenant, &id).await };
            act.send(Key::SecretAdded, call, move |secret: NewClientSecret| {
                secrets.update(|list| {
                    list.push(guestpass_wire::application::ClientSecret {
                        id: secret.id.clone(),
                        hint: secret.hint.clone(),
                        created_date_time: secret.created_date_time.clone(),
                    })
                });
                added.set(Some(secret));
            });
        }
    };
    let remove = Callback::new(move |secret: String| {
        let (tenant, id) = (tenant.clone(), id.clone());
        let gone = secret.clone();
        let call = async move { api::remove_client_secret(&tenant, &id, &secret).await };
        act.send(Key::SecretDeleted, call, move |_| {
            added.set(None);
            secrets.update(|list| list.retain(|s| s.id != gone));
        });
    });
    let list = move || {
        let list = secrets.get();
        if list.is_empty() {
            return view! { <p class="empty" id="no-secrets">{tr(Key::NoSecrets)}</p> }.into_any();
        }
        let items = list
            .into_iter()
            .enumerate()
            .map(|(row, secret)| {
                let hint = format!("{}…", secret.hint);
                let question = {
                    let hint = hint.clone();
                    Signal::derive(move || texts.f(Key::DeleteSecretQuestion, &[("hint", &hint)]))
                };
                let secret_id = secret.id.clone();
                view! {
                    <li class="secret">
                        <code>{hint}</code>" · "{time(secret.created_date_time.clone())}
                        <Confirm id=format!("delete-secret-{row}") action=Key::DeleteSecret question
                            disabled=move || !may_change || act.pending().get()
                            on_confirm=Callback::new(move |()| remove.run(secret_id.clone())) />
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="secrets" id="secrets">{items}</ul> }.into_any()
    };
    view! {
        <section class="panel" aria-labelledby="secrets-title">
            <h2 id="secrets-title">{tr(Key::SecretsTitle)}</h2>
            <OutcomeMessage outcome=act.outcome id="secret-outcome" />
            {move || added.get().map(|secret| view! {
                <div class="issued" id="new-secret">
                    <p>{tr(Key::SecretShownOnce)}</p>
                    <ShownOnce id="secret" value=secret.secret_text />
                </div>
            })}
            {list}
            <button id="new-secret-button" class="button" type="button" disabled=move || !may_change || act.pending().get() on:click=add>
                {tr(Key::NewSecret)}
            </button>
        </section>
    }
}
