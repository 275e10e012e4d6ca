//! External collaboration: whether guests may be invited from any domain, only listed ones, or
//! all but listed ones. The invitations API refuses the others (`403 domain_not_allowed`).

use guestpass_wire::{ExternalCollaborationPolicy, InvitationDomains, Permission};
use leptos::prelude::*;

use crate::api;
use crate::components::layout::PageTitle;
use crate::components::mode_list::{entries_of, ModeList, ModeWords};
use crate::components::outcome::{Data, OutcomeMessage, Submit};
use crate::copy::Key;
use crate::gate::Admin;
use crate::tr;

#[component]
pub fn ExternalCollaboration() -> impl IntoView {
    let tenant = Admin::get().tenant;
    let policy = move || {
        let tenant = tenant.clone();
        async move { api::external_collaboration(&tenant).await }
    };
    view! {
        <PageTitle key=Key::CollaborationTitle />
        <p>{tr(Key::CollaborationIntro)}</p>
        <Data load=policy render={move |policy: ExternalCollaborationPolicy| (view! { <CollaborationForm policy /> }).into_any()} />
    }
}

#[component]
fn CollaborationForm(policy: ExternalCollaborationPolicy) -> impl IntoView {
    let admin = Admin::get();
    let may_change = admin.can(Permission::ManageGuests);
    let mode = RwSignal::new(policy.invitation_domains.mode);
    let domains = RwSignal::new(policy.invitation_domains.domains.join("\n"));
    let save = Submit::new();
    let tenant = admin.tenant.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = ExternalCollaborationPolicy {
            invitation_domains: InvitationDomains {
                mode: mode.get_untracked(),
                domains: entries_of(&domains.get_untracked()),
            },
        };
        let tenant = tenant.clone();
        let call = async move { api::patch_external_collaboration(&tenant, body).await };
        save.send(Key::Saved, call, move |policy| {
            domains.set(policy.invitation_domains.domains.join("\n"));
        });
    };
    let words = ModeWords {
        legend: Key::CollaborationLegend,
        allow_all: Key::DomainsAllowAll,
        allow_list: Key::DomainsAllowList,
        block_list: Key::DomainsBlockList,
        list: Key::DomainsLabel,
        hint: Key::DomainsHint,
    };
    view! {
        <form id="collaboration-form" on:submit=submit>
            <ModeList id="domains" words mode entries=domains may_change />
            <button id="save" class="button primary" type="submit" disabled=move || !may_change || save.pending().get()>
                {tr(Key::Save)}
            </button>
            {(!may_change).then(|| view! { <p class="hint" id="read-only">{tr(Key::ReadOnly)}</p> })}
        </form>
        <OutcomeMessage outcome=save.outcome id="save-outcome" />
    }
}
