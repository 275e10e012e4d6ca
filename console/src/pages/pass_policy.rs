//! The Temporary Access Pass policy: the seed's table, each value checked as it is typed against
//! the same rules the edge applies (`TemporaryAccessPassPolicy::problems`, in the wire crate).

use guestpass_wire::tap::{
    IncludeTarget, PolicyProblem, PolicyState, TargetType, TemporaryAccessPassPolicy,
    TemporaryAccessPassPolicyPatch, ALL_USERS, LENGTH_RANGE, LIFETIME_MINUTES_RANGE,
};
use guestpass_wire::Permission;
use leptos::prelude::*;

use crate::api;
use crate::components::layout::PageTitle;
use crate::components::outcome::{Data, OutcomeMessage, Submit};
use crate::copy::Key;
use crate::gate::Admin;
use crate::tr;
use crate::Texts;

#[component]
pub fn PassPolicy() -> impl IntoView {
    let admin = Admin::get();
    let tenant = admin.tenant.clone();
    let policy = move || {
        let tenant = tenant.clone();
        async move { api::pass_policy(&tenant).await }
    };
    view! {
        <PageTitle key=Key::PassPolicyTitle />
        <p>{tr(Key::PassPolicyIntro)}</p>
        <Data load=policy render={move |policy: TemporaryAccessPassPolicy| (view! { <PolicyForm policy /> }).into_any()} />
    }
}

/// The form's fields as typed (numbers stay text until they parse).
#[derive(Clone, PartialEq)]
struct Draft {
    enabled: bool,
    everyone: bool,
    groups: String,
    minimum: String,
    maximum: String,
    default: String,
    once: bool,
    length: String,
}

impl Draft {
    fn of(policy: &TemporaryAccessPassPolicy) -> Draft {
        let everyone = policy.include_targets.iter().any(|t| t.id == ALL_USERS);
        Draft {
            enabled: policy.state == PolicyState::Enabled,
            everyone,
            groups: policy
                .include_targets
                .iter()
                .filter(|t| t.id != ALL_USERS)
                .map(|t| t.id.clone())
                .collect::<Vec<_>>()
                .join(", "),
            minimum: policy.minimum_lifetime_in_minutes.to_string(),
            maximum: policy.maximum_lifetime_in_minutes.to_string(),
            default: policy.default_lifetime_in_minutes.to_string(),
            once: policy.is_usable_once,
            length: policy.default_length.to_string(),
        }
    }

    /// The policy the draft describes; a field that is not a number becomes 0, which every
    /// range refuses.
    fn policy(&self) -> TemporaryAccessPassPolicy {
        let number = |text: &str| text.trim().parse::<u32>().unwrap_or(0);
        let include_targets = if self.everyone {
            vec![target(ALL_USERS)]
        } else {
            self.groups
                .split(',')
                .map(str::trim)
                .filter(|g| !g.is_empty())
                .map(target)
                .collect()
        };
        TemporaryAccessPassPolicy {
            state: if self.enabled {
                PolicyState::Enabled
            } else {
                PolicyState::Disabled
            },
            include_targets,
            minimum_lifetime_in_minutes: number(&self.minimum),
            maximum_lifetime_in_minutes: number(&self.maximum),
            default_lifetime_in_minutes: number(&self.default),
            is_usable_once: self.once,
            default_length: number(&self.length),
        }
    }
}

fn target(id: &str) -> IncludeTarget {
    IncludeTarget {
        id: id.to_string(),
        target_type: TargetType::Group,
    }
}

fn patch(policy: TemporaryAccessPassPolicy) -> TemporaryAccessPassPolicyPatch {
    TemporaryAccessPassPolicyPatch {
        state: Some(policy.state),
        include_targets: Some(policy.include_targets),
        minimum_lifetime_in_minutes: Some(policy.minimum_lifetime_in_minutes),
        maximum_lifetime_in_minutes: Some(policy.maximum_lifetime_in_minutes),
        default_lifetime_in_minutes: Some(policy.default_lifetime_in_minutes),
        is_usable_once: Some(policy.is_usable_once),
        default_length: Some(policy.default_length),
    }
}

#[component]
fn PolicyForm(policy: TemporaryAccessPassPolicy) -> impl IntoView {
    let texts = Texts::get();
    let admin = Admin::get();
    let may_change = admin.can(Permission::ChangeAuthenticationPolicy);
    let saved = RwSignal::new(Draft::of(&policy));
    let draft = RwSignal::new(Draft::of(&policy));
    let save = Submit::new();
    // Drawn again only when the groups field appears or goes, not on each keystroke.
    let for_groups = Memo::new(move |_| !draft.with(|d| d.everyone));
    let problems = Memo::new(move |_| draft.with(|d| d.policy().problems()));
    let tenant = admin.tenant.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if problems.with_untracked(Vec::is_empty) {
            let (tenant, body) = (tenant.clone(), patch(draft.with_untracked(Draft::policy)));
            let call = async move { api::patch_pass_policy(&tenant, body).await };
            save.send(Key::Saved, call, move |policy| {
                saved.set(Draft::of(&policy));
                draft.set(Draft::of(&policy));
            });
        }
    };
    let problem_of = move |field: &'static str| {
        Signal::derive(move || {
            problems.with(|all| {
                all.iter().find(|p| p.field() == field).map(|p| match p {
                    PolicyProblem::LifetimeOutOfRange(_) => texts.f(
                        Key::LifetimeRange,
                        &[
                            ("low", &LIFETIME_MINUTES_RANGE.0.to_string()),
                            ("high", &LIFETIME_MINUTES_RANGE.1.to_string()),
                        ],
                    ),
                    PolicyProblem::LengthOutOfRange => texts.f(
                        Key::LengthRange,
                        &[
                            ("low", &LENGTH_RANGE.0.to_string()),
                            ("high", &LENGTH_RANGE.1.to_string()),
                        ],
                    ),
                    PolicyProblem::DefaultOutsideMinimumAndMaximum => {
                        texts.t(Key::DefaultBetween).to_string()
                    }
                    PolicyProblem::EmptyTarget => texts.t(Key::GroupsNeeded).to_string(),
                })
            })
        })
    };
    let number = move |id: &'static str,
                       field: &'static str,
                       label: Key,
                       get: fn(&Draft) -> String,
                       set: fn(&mut Draft, String),
                       range: (u32, u32)| {
        let problem = problem_of(field);
        let error_id = format!("{id}-error");
        view! {
            <div class="field">
                <label for=id>{tr(label)}</label>
                <input id=id type="number" inputmode="numeric" min=range.0 max=range.1 disabled=!may_change
                    aria-invalid=move || problem.get().is_some().to_string()
                    aria-describedby=error_id.clone()
                    prop:value=move || draft.with(get)
                    on:input=move |ev| draft.update(|d| set(d, event_target_value(&ev))) />
                <p class="field-error" id=error_id>{move || problem.get()}</p>
            </div>
        }
    };
    view! {
        <form id="pass-policy-form" on:submit=submit novalidate>
            <label class="check">
                <input id="policy-enabled" type="checkbox" disabled=!may_change prop:checked=move || draft.with(|d| d.enabled)
                    on:change=move |ev| draft.update(|d| d.enabled = event_target_checked(&ev)) />
                {tr(Key::PolicyEnabled)}
            </label>
            <fieldset>
                <legend>{tr(Key::PolicyTargets)}</legend>
                <label class="check">
                    <input type="radio" name="targets" id="targets-all" disabled=!may_change prop:checked=move || draft.with(|d| d.everyone)
                        on:change=move |_| draft.update(|d| d.everyone = true) />
                    {tr(Key::TargetsAll)}
                </label>
                <label class="check">
                    <input type="radio" name="targets" id="targets-groups" disabled=!may_change prop:checked=move || !draft.with(|d| d.everyone)
                        on:change=move |_| draft.update(|d| d.everyone = false) />
                    {tr(Key::TargetsGroups)}
                </label>
                {move || for_groups.get().then(|| view! {
                    <label for="target-groups">{tr(Key::GroupsLabel)}</label>
                    <input id="target-groups" type="text" disabled=!may_change aria-describedby="target-groups-error"
                        prop:value=move || draft.with(|d| d.groups.clone())
                        on:input=move |ev| draft.update(|d| d.groups = event_target_value(&ev)) />
                    <p class="field-error" id="target-groups-error">{move || problem_of("includeTargets").get()}</p>
                })}
            </fieldset>
            <div class="field-row">
                {number("minimum-lifetime", "minimumLifetimeInMinutes", Key::MinimumLifetime, |d| d.minimum.clone(), |d, v| d.minimum = v, LIFETIME_MINUTES_RANGE)}
                {number("maximum-lifetime", "maximumLifetimeInMinutes", Key::MaximumLifetime, |d| d.maximum.clone(), |d, v| d.maximum = v, LIFETIME_MINUTES_RANGE)}
                {number("default-lifetime", "defaultLifetimeInMinutes", Key::DefaultLifetime, |d| d.default.clone(), |d, v| d.default = v, LIFETIME_MINUTES_RANGE)}
                {number("default-length", "defaultLength", Key::DefaultLength, |d| d.length.clone(), |d, v| d.length = v, LENGTH_RANGE)}
            </div>
            <label class="check">
                <input id="policy-once" type="checkbox" disabled=!may_change prop:checked=move || draft.with(|d| d.once)
                    on:change=move |ev| draft.update(|d| d.once = event_target_checked(&ev)) />
                {tr(Key::PolicyOnce)}
            </label>
            <button id="save" class="button primary" type="submit"
                disabled=move || !may_change || save.pending().get() || !problems.with(Vec::is_empty) || draft.get() == saved.get()>
                {move || texts.t(if save.pending().get() { Key::Saving } else { Key::Save })}
            </button>
            {(!may_change).then(|| view! { <p class="hint" id="read-only">{tr(Key::ReadOnly)}</p> })}
        </form>
        <OutcomeMessage outcome=save.outcome id="save-outcome" />
    }
}
