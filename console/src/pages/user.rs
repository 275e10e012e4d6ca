//! A user's page: who they are (type, source, redemption, groups, roles), the actions on them
//! (reset redemption, revoke sessions, delete — each confirmed), and a member's authentication
//! methods: Temporary Access Passes (create one — its value shown once, with Copy and its end
//! time — and delete it) and passkeys (`passkeys.rs`).

use guestpass_wire::tap::{CreatePassRequest, TemporaryAccessPassMethod};
use guestpass_wire::{InvitationRequest, Permission, User, UserRef, UserType};
use leptos::prelude::*;

use super::passkeys::UserPasskeys;
use super::users::state_key;
use crate::api;
use crate::components::confirm::Confirm;
use crate::components::layout::NamedPageTitle;
use crate::components::outcome::{Data, OutcomeMessage, Submit};
use crate::components::shown_once::ShownOnce;
use crate::copy::{role_key, Key};
use crate::gate::Admin;
use crate::nav::{Link, Nav};
use crate::route::{Page, UserFilter};
use crate::Texts;
use crate::{time, tr};

#[component]
pub fn UserPage(id: String) -> impl IntoView {
    let texts = Texts::get();
    let admin = Admin::get();
    let changed = RwSignal::new(0u32);
    let user = {
        let (tenant, id) = (admin.tenant.clone(), id.clone());
        move || {
            changed.track();
            let (tenant, id) = (tenant.clone(), id.clone());
            async move { api::user(&tenant, &id).await }
        }
    };
    // The heading names the user once loaded (`Some(None)`: there is no such user).
    let found = RwSignal::new(None::<Option<String>>);
    let title = Signal::derive(move || match found.get() {
        Some(Some(name)) => name,
        Some(None) => texts.t(Key::UserGone).to_string(),
        None => texts.t(Key::UserTitle).to_string(),
    });
    let reload = Callback::new(move |()| changed.update(|n| *n += 1));
    // Kept above the details, which are drawn anew when the user reloads after an action.
    let act = Submit::new();
    view! {
        <p class="breadcrumb"><Link page=Page::Users(UserFilter::default())>{tr(Key::BackToUsers)}</Link></p>
        <NamedPageTitle title />
        <OutcomeMessage outcome=act.outcome id="user-outcome" />
        <Data load=user render={move |user: Option<User>| (match user {
                        Some(user) => {
                            found.set(Some(Some(user.display_name.clone())));
                            view! { <UserDetails user act on_changed=reload /> }.into_any()
                        }
                        None => {
                            found.set(Some(None));
                            view! { <p id="user-gone">{tr(Key::UserGoneBody)}</p> }.into_any()
                        }
                    }).into_any()} />
    }
}

#[component]
fn UserDetails(user: User, act: Submit, on_changed: Callback<()>) -> impl IntoView {
    let texts = Texts::get();
    let admin = Admin::get();
    let nav = Nav::get();
    let busy = act.pending();
    let is_self = admin.session.user.id == user.id;
    let tenant = admin.tenant.clone();
    let kind = match user.user_type {
        UserType::Member => Key::TypeMember,
        UserType::Guest => Key::TypeGuest,
    };
    let state = state_key(&user);
    let roles = user.roles.iter().map(|r| role_key(*r)).collect::<Vec<_>>();
    let groups = user.groups.join(", ");
    let address = user
        .mail
        .clone()
        .unwrap_or_else(|| user.user_principal_name.clone());
    let changed_at = user.external_user_state_change_date_time.clone();
    let source = user.source.clone();
    let created = user.created_date_time.clone();
    // The edge's rules (`directory::delete_user`, `revoke_sessions`, `invite`): the Global
    // Administrator's permission to manage guests, and never on oneself.
    let manage_guests = admin.can(Permission::ManageGuests);
    let acts_on_user = manage_guests && !is_self;

    let resend = RwSignal::new(true);
    let reset = {
        let (tenant, id) = (tenant.clone(), user.id.clone());
        let email = user.mail.clone().unwrap_or_default();
        Callback::new(move |()| {
            let body = InvitationRequest {
                invited_user_email_address: email.clone(),
                invite_redirect_url: None,
                send_invitation_message: resend.get_untracked(),
                invited_user_display_name: None,
                invited_user_message_info: None,
                reset_redemption: true,
                invited_user: Some(UserRef { id: id.clone() }),
            };
            let tenant = tenant.clone();
            let call = async move { api::invite(&tenant, body).await };
            act.send(Key::RedemptionReset, call, move |_| on_changed.run(()));
        })
    };
    let revoke = {
        let (tenant, id) = (tenant.clone(), user.id.clone());
        Callback::new(move |()| {
            let (tenant, id) = (tenant.clone(), id.clone());
            let call = async move { api::revoke_sessions(&tenant, &id).await };
            act.send(Key::SessionsRevoked, call, move |_| on_changed.run(()));
        })
    };
    let delete = {
        let (tenant, id) = (tenant.clone(), user.id.clone());
        Callback::new(move |()| {
            let (tenant, id) = (tenant.clone(), id.clone());
            let call = async move { api::delete_user(&tenant, &id).await };
            act.send(Key::UserDeleted, call, move |_| {
                nav.go(Page::Users(UserFilter::default()))
            });
        })
    };
    let name = user.display_name.clone();
    let is_guest = user.user_type == UserType::Guest;
    view! {
        <dl class="facts" id="user-facts">
            <dt>{tr(Key::ColumnAddress)}</dt><dd>{address}</dd>
            <dt>{tr(Key::TypeLabel)}</dt><dd>{tr(kind)}</dd>
            {source.map(|source| view! { <dt>{tr(Key::SourceLabel)}</dt><dd>{source}</dd> })}
            {state.map(|state| view! {
                <dt>{tr(Key::ColumnRedemption)}</dt>
                <dd id="redemption-state">{tr(state)}
                    {changed_at.clone().map(|at| view! { " · " {time(at.clone())} })}
                </dd>
            })}
            <dt>{tr(Key::ColumnCreated)}</dt><dd>{time(created.clone())}</dd>
            <dt>{tr(Key::RolesLabel)}</dt>
            <dd>{move || if roles.is_empty() { texts.t(Key::NoRoles).to_string() } else { roles.iter().map(|k| texts.t(*k)).collect::<Vec<_>>().join(", ") }}</dd>
            <dt>{tr(Key::GroupsLabel)}</dt>
            <dd>{move || if groups.is_empty() { texts.t(Key::NoGroups).to_string() } else { groups.clone() }}</dd>
        </dl>
        <section class="panel" aria-labelledby="actions-title">
            <h2 id="actions-title">{tr(Key::ActionsTitle)}</h2>
            <div class="actions">
                {is_guest.then(|| view! {
                    <label class="check">
                        <input id="resend-invitation" type="checkbox" disabled=!manage_guests prop:checked=resend
                            on:change=move |ev| resend.set(event_target_checked(&ev)) />
                        {tr(Key::ResendInvitation)}
                    </label>
                    <Confirm id="reset-redemption" action=Key::ResetRedemption
                        question=Signal::derive(move || texts.t(Key::ResetRedemptionQuestion).to_string())
                        disabled=move || busy.get() || !manage_guests on_confirm=reset />
                })}
                <Confirm id="revoke-sessions" action=Key::RevokeSessions
                    question=Signal::derive(move || texts.t(Key::RevokeSessionsQuestion).to_string())
                    disabled=move || busy.get() || !acts_on_user on_confirm=revoke />
                <Confirm id="delete-user" action=Key::DeleteUser
                    question=Signal::derive(move || texts.f(Key::DeleteUserQuestion, &[("name", &name)]))
                    disabled=move || busy.get() || !acts_on_user on_confirm=delete />
            </div>
        </section>
        {(!is_guest).then(|| view! {
            <Passes user=user.clone() />
            <UserPasskeys user=user.clone() />
        })}
    }
}

/// The member's Temporary Access Passes.
#[component]
fn Passes(user: User) -> impl IntoView {
    let admin = Admin::get();
    let (may_read, may_manage) = (admin.reads_methods(), admin.manages_methods_of(&user));
    let changed = RwSignal::new(0u32);
    let issued = RwSignal::new(None::<TemporaryAccessPassMethod>);
    let act = Submit::new();
    let tenant = admin.tenant.clone();
    let id = user.id.clone();
    let passes = {
        let (tenant, id) = (tenant.clone(), id.clone());
        move || {
            changed.track();
            let (tenant, id) = (tenant.clone(), id.clone());
            async move {
                if may_read {
                    api::passes(&tenant, &id).await.map(|l| l.value)
                } else {
                    Ok(Vec::new())
                }
            }
        }
    };
    let lifetime = RwSignal::new(String::new());
    let once = RwSignal::new(true);
    let start = RwSignal::new(String::new());
    let submit = {
        let (tenant, id) = (tenant.clone(), id.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            issued.set(None);
            let start = start.get_untracked();
            let body = CreatePassRequest {
                start_date_time: local_input_to_rfc3339(&start),
                lifetime_in_minutes: lifetime.get_untracked().trim().parse().ok(),
                is_usable_once: Some(once.get_untracked()),
            };
            let (tenant, id) = (tenant.clone(), id.clone());
            let call = async move { api::create_pass(&tenant, &id, body).await };
            act.send(Key::PassCreated, call, move |pass| {
                issued.set(Some(pass));
                changed.update(|n| *n += 1);
            });
        }
    };
    let delete = {
        let (tenant, id) = (tenant.clone(), id.clone());
        Callback::new(move |method: String| {
            let (tenant, id) = (tenant.clone(), id.clone());
            let call = async move { api::delete_pass(&tenant, &id, &method).await };
            act.send(Key::PassDeleted, call, move |_| {
                issued.set(None);
                changed.update(|n| *n += 1);
            });
        })
    };
    view! {
        <section class="panel" aria-labelledby="passes-title">
            <h2 id="passes-title">{tr(Key::PassesTitle)}</h2>
            <OutcomeMessage outcome=act.outcome id="pass-outcome" />
            {move || issued.get().and_then(|pass| pass.temporary_access_pass.clone().map(|value| view! { <IssuedPass pass value /> }))}
            <Data load=passes render={move |passes: Vec<TemporaryAccessPassMethod>| (view! { <PassList passes may_manage on_delete=delete /> }).into_any()} />
            {if may_manage { view! {
                <form id="pass-form" class="inline-form" on:submit=submit>
                    <h3>{tr(Key::CreatePassTitle)}</h3>
                    <label for="pass-start">{tr(Key::PassStart)}</label>
                    <input id="pass-start" type="datetime-local" aria-describedby="pass-start-hint" prop:value=start on:input=move |ev| start.set(event_target_value(&ev)) />
                    <p class="hint" id="pass-start-hint">{tr(Key::PassStartHint)}</p>
                    <label for="pass-lifetime">{tr(Key::PassLifetime)}</label>
                    <input id="pass-lifetime" type="number" min="10" max="43200" inputmode="numeric" aria-describedby="pass-lifetime-hint" prop:value=lifetime on:input=move |ev| lifetime.set(event_target_value(&ev)) />
                    <p class="hint" id="pass-lifetime-hint">{tr(Key::PassLifetimeHint)}</p>
                    <label class="check">
                        <input id="pass-once" type="checkbox" prop:checked=once on:change=move |ev| once.set(event_target_checked(&ev)) />
                        {tr(Key::PassOnce)}
                    </label>
                    <button id="create-pass" class="button primary" type="submit" disabled=act.pending()>
                        {tr(Key::CreatePass)}
                    </button>
                </form>
            }.into_any() } else { view! {
                <p class="hint" id="pass-not-allowed">{tr(Key::PassNotAllowed)}</p>
            }.into_any() }}
        </section>
    }
}

#[component]
fn PassList(
    passes: Vec<TemporaryAccessPassMethod>,
    may_manage: bool,
    on_delete: Callback<String>,
) -> impl IntoView {
    let texts = Texts::get();
    if passes.is_empty() {
        return view! { <p class="empty" id="no-passes">{tr(Key::NoPasses)}</p> }.into_any();
    }
    passes
        .into_iter()
        .map(|pass| {
            let ends = end_time(&pass);
            let starts = pass.start_date_time.clone();
            let usable = if pass.is_usable { Key::PassUsable } else { Key::PassNotUsable };
            let locked = pass.locked_until_new_pass;
            let method = pass.id.clone();
            view! {
                <dl class="facts pass" id="pass-details">
                    <dt>{tr(Key::PassStart)}</dt><dd>{time(starts.clone())}</dd>
                    <dt>{tr(Key::PassEnds)}</dt><dd>{time(ends.clone())}</dd>
                    <dt>{tr(Key::PassOnce)}</dt><dd>{tr(if pass.is_usable_once { Key::Yes } else { Key::No })}</dd>
                    <dt>{tr(Key::PassState)}</dt><dd id="pass-usable">{tr(usable)}</dd>
                </dl>
                {locked.then(|| view! { <p class="message message-error" id="pass-locked">{tr(Key::PassLocked)}</p> })}
                <Confirm id="delete-pass" action=Key::DeletePass
                    question=Signal::derive(move || texts.t(Key::DeletePassQuestion).to_string())
                    disabled=move || !may_manage
                    on_confirm=Callback::new(move |()| on_delete.run(method.clone())) />
            }
        })
        .collect_view()
        .into_any()
}

/// The new pass's value, shown once, with a Copy button and its end time.
#[component]
fn IssuedPass(pass: TemporaryAccessPassMethod, value: String) -> impl IntoView {
    let texts = Texts::get();
    let ends = end_time(&pass);
    view! {
        <div class="issued" id="issued-pass">
            <p>{tr(Key::PassShownOnce)}</p>
            <ShownOnce id="pass" value />
            <p>{move || texts.f(Key::PassEndsAt, &[("time", &texts.time(&ends))])}</p>
        </div>
    }
}

/// When a pass stops working: its start plus its lifetime, as RFC 3339.
fn end_time(pass: &TemporaryAccessPassMethod) -> String {
    let start = js_sys::Date::new(&pass.start_date_time.as_str().into());
    crate::rfc3339(start.get_time() + f64::from(pass.lifetime_in_minutes) * 60_000.0)
}

/// A `datetime-local` value (the reader's local time) as RFC 3339; empty means now (`None`).
fn local_input_to_rfc3339(value: &str) -> Option<String> {
    if value.trim().is_empty() {
        return None;
    }
    let date = js_sys::Date::new(&value.into());
    if date.get_time().is_nan() {
        return None;
    }
    Some(crate::rfc3339(date.get_time()))
}
