//! Passkeys in the console: a member's passkeys on their page (name, added, last used, synced,
//! possibly copied; delete), and the passkey policy page (on or off, user verification, which
//! authenticator models may register, whether a possibly copied passkey is refused). The role
//! rules are the passes' (`Role::reads_passes`, `manages_passes_of`, the policy permission).

use guestpass_wire::passkey::{
    AaGuidRestriction, PasskeyMethod, PasskeyPolicy, PasskeyPolicyPatch,
};
use guestpass_wire::tap::PolicyState;
use guestpass_wire::{Permission, User};
use leptos::prelude::*;

use crate::api;
use crate::components::confirm::Confirm;
use crate::components::layout::PageTitle;
use crate::components::mode_list::{entries_of, ModeList, ModeWords};
use crate::components::outcome::{Data, OutcomeMessage, Submit};
use crate::copy::Key;
use crate::gate::Admin;
use crate::{time, tr, Texts};

/// A member's passkeys, on their page.
#[component]
pub fn UserPasskeys(user: User) -> impl IntoView {
    let admin = Admin::get();
    let (may_read, may_manage) = (admin.reads_methods(), admin.manages_methods_of(&user));
    let changed = RwSignal::new(0u32);
    let act = Submit::new();
    let (tenant, id) = (admin.tenant.clone(), user.id.clone());
    let passkeys = {
        let (tenant, id) = (tenant.clone(), id.clone());
        move || {
            changed.track();
            let (tenant, id) = (tenant.clone(), id.clone());
            async move {
                if may_read {
                    api::passkeys(&tenant, &id).await.map(|l| l.value)
                } else {
                    Ok(Vec::new())
                }
            }
        }
    };
    let delete = Callback::new(move |method: String| {
        let (tenant, id) = (tenant.clone(), id.clone());
        let call = async move { api::delete_passkey(&tenant, &id, &method).await };
        act.send(Key::PasskeyDeleted, call, move |_| {
            changed.update(|n| *n += 1)
        });
    });
    view! {
        <section class="panel" aria-labelledby="passkeys-title">
            <h2 id="passkeys-title">{tr(Key::PasskeysTitle)}</h2>
            <OutcomeMessage outcome=act.outcome id="passkey-outcome" />
            <Data load=passkeys render={move |passkeys: Vec<PasskeyMethod>| (view! { <PasskeyTable passkeys may_manage on_delete=delete /> }).into_any()} />
        </section>
    }
}

#[component]
fn PasskeyTable(
    passkeys: Vec<PasskeyMethod>,
    may_manage: bool,
    on_delete: Callback<String>,
) -> impl IntoView {
    let texts = Texts::get();
    if passkeys.is_empty() {
        return view! { <p class="empty" id="no-passkeys">{tr(Key::NoPasskeys)}</p> }.into_any();
    }
    let rows = passkeys
        .into_iter()
        .enumerate()
        .map(|(i, passkey)| {
            let name = passkey.display_name.clone();
            let method = passkey.id.clone();
            let flags = [
                (passkey.backed_up, Key::PasskeySynced),
                (passkey.possibly_cloned, Key::PasskeyPossiblyCloned),
            ];
            view! {
                <tr>
                    <th scope="row">{passkey.display_name}</th>
                    <td>{time(passkey.created_date_time)}</td>
                    <td>{match passkey.last_used_date_time {
                        Some(at) => time(at).into_any(),
                        None => tr(Key::Never).into_any(),
                    }}</td>
                    <td>{move || flags.iter().filter(|(on, _)| *on).map(|(_, key)| texts.t(*key)).collect::<Vec<_>>().join(", ")}</td>
                    <td>
                        <Confirm id=format!("delete-passkey-{i}") action=Key::DeletePasskey
                            question=Signal::derive(move || texts.f(Key::DeletePasskeyQuestion, &[("name", &name)]))
                            disabled=move || !may_manage
                            on_confirm=Callback::new(move |()| on_delete.run(method.clone())) />
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table" id="passkeys">
            <thead><tr>
                <th scope="col">{tr(Key::ColumnName)}</th>
                <th scope="col">{tr(Key::ColumnCreated)}</th>
                <th scope="col">{tr(Key::ColumnLastUsed)}</th>
                <th scope="col">{tr(Key::ColumnState)}</th>
                <th scope="col"><span class="visually-hidden">{tr(Key::ActionsTitle)}</span></th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

#[component]
pub fn PasskeyPolicyPage() -> impl IntoView {
    let tenant = Admin::get().tenant;
    let policy = move || {
        let tenant = tenant.clone();
        async move { api::passkey_policy(&tenant).await }
    };
    view! {
        <PageTitle key=Key::PasskeyPolicyTitle />
        <p>{tr(Key::PasskeyPolicyIntro)}</p>
        <Data load=policy render={move |policy: PasskeyPolicy| (view! { <PasskeyPolicyForm policy /> }).into_any()} />
    }
}

#[component]
fn PasskeyPolicyForm(policy: PasskeyPolicy) -> impl IntoView {
    let admin = Admin::get();
    let may_change = admin.can(Permission::ChangeAuthenticationPolicy);
    let enabled = RwSignal::new(policy.state == PolicyState::Enabled);
    let verification = RwSignal::new(policy.is_user_verification_required);
    let refuse_clones = RwSignal::new(policy.refuse_possible_clones);
    let mode = RwSignal::new(policy.aa_guid_restriction.mode);
    let models = RwSignal::new(policy.aa_guid_restriction.aa_guids.join("\n"));
    let save = Submit::new();
    let tenant = admin.tenant.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = PasskeyPolicyPatch {
            state: Some(if enabled.get_untracked() {
                PolicyState::Enabled
            } else {
                PolicyState::Disabled
            }),
            is_user_verification_required: Some(verification.get_untracked()),
            aa_guid_restriction: Some(AaGuidRestriction {
                mode: mode.get_untracked(),
                aa_guids: entries_of(&models.get_untracked()),
            }),
            refuse_possible_clones: Some(refuse_clones.get_untracked()),
        };
        let tenant = tenant.clone();
        let call = async move { api::patch_passkey_policy(&tenant, body).await };
        save.send(Key::Saved, call, move |policy| {
            models.set(policy.aa_guid_restriction.aa_guids.join("\n"));
        });
    };
    let check = move |id: &'static str, value: RwSignal<bool>, label: Key| {
        view! {
            <label class="check">
                <input id=id type="checkbox" disabled=!may_change prop:checked=value
                    on:change=move |ev| value.set(event_target_checked(&ev)) />
                {tr(label)}
            </label>
        }
    };
    let words = ModeWords {
        legend: Key::AaGuidLegend,
        allow_all: Key::AaGuidAllowAll,
        allow_list: Key::AaGuidAllowList,
        block_list: Key::AaGuidBlockList,
        list: Key::AaGuidLabel,
        hint: Key::AaGuidHint,
    };
    view! {
        <form id="passkey-policy-form" on:submit=submit>
            {check("passkeys-enabled", enabled, Key::PasskeysEnabled)}
            {check("passkey-verification", verification, Key::PasskeyVerification)}
            {check("passkey-refuse-clones", refuse_clones, Key::PasskeyRefuseClones)}
            <ModeList id="aaguids" words mode entries=models may_change />
            <button id="save" class="button primary" type="submit" disabled=move || !may_change || save.pending().get()>
                {tr(Key::Save)}
            </button>
            {(!may_change).then(|| view! { <p class="hint" id="read-only">{tr(Key::ReadOnly)}</p> })}
        </form>
        <OutcomeMessage outcome=save.outcome id="save-outcome" />
    }
}
