//! External collaboration: whether guests may be invited from any domain, only listed ones, or
//! all but listed ones. The invitations API refuses the others (`403 domain_not_allowed`).

use guestpass_wire::{DomainMode, ExternalCollaborationPolicy, InvitationDomains, Permission};
use leptos::prelude::*;

use crate::api;
use crate::components::layout::PageTitle;
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
    let saved = RwSignal::new(policy.invitation_domains);
    let mode = RwSignal::new(saved.get_untracked().mode);
    let domains = RwSignal::new(saved.get_untracked().domains.join("\n"));
    let save = Submit::new();
    // Drawn again only when the list appears or goes, not on each change of mode.
    let listed = Memo::new(move |_| mode.get() != DomainMode::AllowAll);
    let tenant = admin.tenant.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let list = domains
            .get_untracked()
            .split(['\n', ',', ' '])
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(String::from)
            .collect();
        let body = ExternalCollaborationPolicy {
            invitation_domains: InvitationDomains {
                mode: mode.get_untracked(),
                domains: list,
            },
        };
        let tenant = tenant.clone();
        let call = async move { api::patch_external_collaboration(&tenant, body).await };
        save.send(Key::Saved, call, move |policy| {
            domains.set(policy.invitation_domains.domains.join("\n"));
            saved.set(policy.invitation_domains);
        });
    };
    let option = move |value: DomainMode, id: &'static str, label: Key| {
        view! {
            <label class="check">
                <input type="radio" name="domain-mode" id=id disabled=!may_change
                    prop:checked=move || mode.get() == value on:change=move |_| mode.set(value) />
                {tr(label)}
            </label>
        }
    };
    view! {
        <form id="collaboration-form" on:submit=submit>
            <fieldset>
                <legend>{tr(Key::CollaborationLegend)}</legend>
                {option(DomainMode::AllowAll, "domains-allow-all", Key::DomainsAllowAll)}
                {option(DomainMode::AllowList, "domains-allow-list", Key::DomainsAllowList)}
                {option(DomainMode::BlockList, "domains-block-list", Key::DomainsBlockList)}
            </fieldset>
            {move || listed.get().then(|| view! {
                <label for="domains">{tr(Key::DomainsLabel)}</label>
                <textarea id="domains" rows="6" disabled=!may_change aria-describedby="domains-hint"
                    prop:value=domains on:input=move |ev| domains.set(event_target_value(&ev))></textarea>
                <p class="hint" id="domains-hint">{tr(Key::DomainsHint)}</p>
            })}
            <button id="save" class="button primary" type="submit" disabled=move || !may_change || save.pending().get()>
                {tr(Key::Save)}
            </button>
            {(!may_change).then(|| view! { <p class="hint" id="read-only">{tr(Key::ReadOnly)}</p> })}
        </form>
        <OutcomeMessage outcome=save.outcome id="save-outcome" />
    }
}
