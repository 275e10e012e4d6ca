//! Users: members and guests in one paged table with search and a type filter; inviting a guest
//! and adding a member, for the roles that may.

use guestpass_wire::List;
use guestpass_wire::{
    CreateUserRequest, ExternalUserState, InvitationRequest, InvitedUserMessageInfo, Language,
    Permission, Role, User, UserType,
};
use leptos::prelude::*;

use crate::api;
use crate::components::layout::PageTitle;
use crate::components::outcome::{Data, OutcomeMessage, Submit};
use crate::components::pager::{Pager, Pages};
use crate::copy::{role_key, Key};
use crate::gate::Admin;
use crate::nav::{Link, Nav};
use crate::route::{Page, UserFilter};
use crate::Texts;
use crate::{time, tr};

const PAGE_SIZE: usize = 25;

#[component]
pub fn Users(filter: UserFilter) -> impl IntoView {
    let admin = Admin::get();
    let nav = Nav::get();
    let pages = Pages::new();
    let changed = RwSignal::new(0u32);
    let tenant = admin.tenant.clone();
    let list = {
        let filter = filter.clone();
        move || {
            changed.track();
            let (tenant, filter, link) = (tenant.clone(), filter.clone(), pages.shown());
            async move {
                match link {
                    Some(link) => api::page::<User>(&link).await,
                    None => {
                        let (search, kind) =
                            (filter.search.as_deref(), filter.user_type.as_deref());
                        api::users(&tenant, search, kind, PAGE_SIZE).await
                    }
                }
            }
        }
    };
    let search = RwSignal::new(filter.search.clone().unwrap_or_default());
    let kind = RwSignal::new(filter.user_type.clone().unwrap_or_default());
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        nav.go(Page::Users(UserFilter {
            search: Some(search.get_untracked()).filter(|s| !s.trim().is_empty()),
            user_type: Some(kind.get_untracked()).filter(|k| !k.is_empty()),
        }));
    };
    let refresh = Callback::new(move |()| {
        pages.reset();
        changed.update(|n| *n += 1);
    });
    view! {
        <PageTitle key=Key::UsersTitle />
        <form class="filters" role="search" on:submit=apply>
            <div class="field">
                <label for="user-search">{tr(Key::SearchLabel)}</label>
                <input id="user-search" type="search" prop:value=search on:input=move |ev| search.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="user-type">{tr(Key::TypeLabel)}</label>
                <select id="user-type" on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="" selected=move || kind.get().is_empty()>{tr(Key::TypeAll)}</option>
                    <option value="Member" selected=move || kind.get() == "Member">{tr(Key::TypeMember)}</option>
                    <option value="Guest" selected=move || kind.get() == "Guest">{tr(Key::TypeGuest)}</option>
                </select>
            </div>
            <button id="apply-filter" class="button" type="submit">{tr(Key::Apply)}</button>
        </form>
        <Data load=list render={move |page: List<User>| ({
                        let next_link = page.next_link.clone();
                        view! {
                            <UserTable users=page.value />
                            <Pager pages next_link />
                        }
                    }).into_any()} />
        {admin.can(Permission::ManageGuests).then(|| view! { <InviteGuest on_done=refresh /> })}
        {admin.can(Permission::ManageUsers).then(|| view! { <AddMember on_done=refresh /> })}
    }
}

#[component]
fn UserTable(users: Vec<User>) -> impl IntoView {
    let texts = Texts::get();
    if users.is_empty() {
        return view! { <p class="empty" id="no-users">{tr(Key::NoUsers)}</p> }.into_any();
    }
    let rows = users
        .into_iter()
        .map(|user| {
            let address = user.mail.clone().unwrap_or_else(|| user.user_principal_name.clone());
            let kind = match user.user_type {
                UserType::Member => Key::TypeMember,
                UserType::Guest => Key::TypeGuest,
            };
            let state = state_key(&user);
            let created = user.created_date_time.clone();
            view! {
                <tr>
                    <th scope="row"><Link page=Page::User { id: user.id.clone() }>{user.display_name.clone()}</Link></th>
                    <td>{address}</td>
                    <td>{tr(kind)}</td>
                    <td>{move || state.map(|k| texts.t(k)).unwrap_or("—")}</td>
                    <td>{time(created.clone())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="users-caption">
            <table id="users">
                <caption class="visually-hidden" id="users-caption">{tr(Key::UsersTitle)}</caption>
                <thead><tr>
                    <th scope="col">{tr(Key::ColumnName)}</th>
                    <th scope="col">{tr(Key::ColumnAddress)}</th>
                    <th scope="col">{tr(Key::TypeLabel)}</th>
                    <th scope="col">{tr(Key::ColumnRedemption)}</th>
                    <th scope="col">{tr(Key::ColumnCreated)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// A guest's redemption state; members have none.
pub fn state_key(user: &User) -> Option<Key> {
    match user.external_user_state {
        Some(ExternalUserState::Accepted) => Some(Key::StateAccepted),
        Some(ExternalUserState::PendingAcceptance) => Some(Key::StatePending),
        None => None,
    }
}

#[component]
fn InviteGuest(on_done: Callback<()>) -> impl IntoView {
    let texts = Texts::get();
    let admin = Admin::get();
    let email = RwSignal::new(String::new());
    let redirect = RwSignal::new(String::new());
    let language = RwSignal::new(texts.language().tag().to_string());
    let send = RwSignal::new(true);
    let invite = Submit::new();
    let invited = RwSignal::new(None::<String>);
    let tenant = admin.tenant.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        invited.set(None);
        let redirect = redirect.get_untracked();
        let body = InvitationRequest {
            invited_user_email_address: email.get_untracked().trim().to_string(),
            invite_redirect_url: Some(redirect.trim().to_string()).filter(|r| !r.is_empty()),
            send_invitation_message: send.get_untracked(),
            invited_user_display_name: None,
            invited_user_message_info: Some(InvitedUserMessageInfo {
                customized_message_body: None,
                message_language: Some(language.get_untracked()),
            }),
            reset_redemption: false,
            invited_user: None,
        };
        let tenant = tenant.clone();
        invite.send(
            Key::GuestInvited,
            async move { api::invite(&tenant, body).await },
            move |invitation| {
                invited.set(Some(invitation.invited_user.id));
                email.set(String::new());
                on_done.run(());
            },
        );
    };
    view! {
        <section class="panel" aria-labelledby="invite-title">
            <h2 id="invite-title">{tr(Key::InviteTitle)}</h2>
            <form id="invite-form" on:submit=submit>
                <label for="invite-email">{tr(Key::InviteEmail)}</label>
                <input id="invite-email" type="email" required autocomplete="off" prop:value=email on:input=move |ev| email.set(event_target_value(&ev)) />
                <label for="invite-redirect">{tr(Key::InviteRedirect)}</label>
                <input id="invite-redirect" type="url" placeholder="https://" prop:value=redirect on:input=move |ev| redirect.set(event_target_value(&ev)) />
                <label for="invite-language">{tr(Key::InviteLanguage)}</label>
                <select id="invite-language" on:change=move |ev| language.set(event_target_value(&ev))>
                    {Language::ALL.into_iter().map(|l| view! {
                        <option value=l.tag() lang=l.tag() selected=move || language.get() == l.tag()>{l.native_name()}</option>
                    }).collect_view()}
                </select>
                <label class="check">
                    <input id="invite-send" type="checkbox" prop:checked=send on:change=move |ev| send.set(event_target_checked(&ev)) />
                    {tr(Key::InviteSend)}
                </label>
                <button id="invite-submit" class="button primary" type="submit" disabled=invite.pending()>
                    {tr(Key::InviteSubmit)}
                </button>
            </form>
            <OutcomeMessage outcome=invite.outcome id="invite-outcome" />
            {move || invited.get().map(|id| view! {
                <p><Link page=Page::User { id } id="invited-user">{tr(Key::OpenUser)}</Link></p>
            })}
        </section>
    }
}

#[component]
fn AddMember(on_done: Callback<()>) -> impl IntoView {
    let texts = Texts::get();
    let admin = Admin::get();
    let name = RwSignal::new(String::new());
    let username = RwSignal::new(String::new());
    let groups = RwSignal::new(String::new());
    let roles = RwSignal::new(Vec::<Role>::new());
    let add = Submit::new();
    let added = RwSignal::new(None::<String>);
    let tenant = admin.tenant.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        added.set(None);
        let body = CreateUserRequest {
            display_name: name.get_untracked().trim().to_string(),
            user_principal_name: username.get_untracked().trim().to_string(),
            roles: roles.get_untracked(),
            groups: groups
                .get_untracked()
                .split(',')
                .map(str::trim)
                .filter(|g| !g.is_empty())
                .map(String::from)
                .collect(),
        };
        let tenant = tenant.clone();
        add.send(
            Key::MemberAdded,
            async move { api::add_member(&tenant, body).await },
            move |user| {
                added.set(Some(user.id));
                name.set(String::new());
                username.set(String::new());
                on_done.run(());
            },
        );
    };
    let domains = admin.info.verified_domains.join(", ");
    view! {
        <section class="panel" aria-labelledby="member-title">
            <h2 id="member-title">{tr(Key::AddMemberTitle)}</h2>
            <form id="member-form" on:submit=submit>
                <label for="member-name">{tr(Key::MemberName)}</label>
                <input id="member-name" type="text" required prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
                <label for="member-username">{tr(Key::MemberUsername)}</label>
                <input id="member-username" type="email" required aria-describedby="member-username-hint" prop:value=username on:input=move |ev| username.set(event_target_value(&ev)) />
                <p class="hint" id="member-username-hint">{move || texts.f(Key::MemberUsernameHint, &[("domains", &domains)])}</p>
                <fieldset>
                    <legend>{tr(Key::RolesLabel)}</legend>
                    {Role::ALL.into_iter().map(|role| {
                        let id = format!("role-{}", role.as_str());
                        view! {
                            <label class="check">
                                <input id=id type="checkbox" prop:checked=move || roles.with(|r| r.contains(&role))
                                    on:change=move |ev| roles.update(|r| {
                                        r.retain(|x| *x != role);
                                        if event_target_checked(&ev) { r.push(role) }
                                    }) />
                                {tr(role_key(role))}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <label for="member-groups">{tr(Key::GroupsLabel)}</label>
                <input id="member-groups" type="text" aria-describedby="member-groups-hint" prop:value=groups on:input=move |ev| groups.set(event_target_value(&ev)) />
                <p class="hint" id="member-groups-hint">{tr(Key::GroupsHint)}</p>
                <button id="member-submit" class="button primary" type="submit" disabled=add.pending()>
                    {tr(Key::AddMemberSubmit)}
                </button>
            </form>
            <OutcomeMessage outcome=add.outcome id="member-outcome" />
            {move || added.get().map(|id| view! {
                <p><Link page=Page::User { id } id="added-user">{tr(Key::OpenUser)}</Link></p>
            })}
        </section>
    }
}
