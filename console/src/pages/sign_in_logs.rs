//! Sign-in logs: filters (period, outcome, method, user or address) kept in the URL, a chart of
//! sign-ins over the period by outcome, and the log itself, newest first, a page at a time.

use guestpass_wire::{AuthenticationMethod, SignInLogEntry};
use guestpass_wire::{List, SignInBucket};
use leptos::prelude::*;

use crate::api;
use crate::components::chart::SignInChart;
use crate::components::layout::PageTitle;
use crate::components::outcome::Data;
use crate::components::pager::{Pager, Pages};
use crate::copy::{method_key, Key};
use crate::gate::Admin;
use crate::nav::Nav;
use crate::route::{LogFilter, Page};
use crate::{time, tr};

const DEFAULT_DAYS: u32 = 7;

/// `days` before now, as the API's RFC 3339 (whole seconds).
pub fn days_ago(days: u32) -> String {
    crate::rfc3339(js_sys::Date::now() - f64::from(days) * 86_400_000.0)
}

#[component]
pub fn SignInLogs(filter: LogFilter) -> impl IntoView {
    let admin = Admin::get();
    let nav = Nav::get();
    let days = filter.days.unwrap_or(DEFAULT_DAYS);
    let from = days_ago(days);
    let pages = Pages::new();
    let tenant = admin.tenant.clone();
    let log = {
        let (tenant, filter, from) = (tenant.clone(), filter.clone(), from.clone());
        move || {
            let (tenant, filter, from, link) =
                (tenant.clone(), filter.clone(), from.clone(), pages.shown());
            async move {
                match link {
                    Some(link) => api::page::<SignInLogEntry>(&link).await,
                    None => {
                        let query = [
                            ("from", from.as_str()),
                            ("outcome", filter.outcome.as_deref().unwrap_or("")),
                            ("method", filter.method.as_deref().unwrap_or("")),
                            ("user", filter.user.as_deref().unwrap_or("")),
                            ("top", "50"),
                        ];
                        api::sign_ins(&tenant, &query).await
                    }
                }
            }
        }
    };
    let daily = days > 1;
    let summary = move || {
        let (tenant, from) = (tenant.clone(), from.clone());
        async move { api::sign_in_summary(&tenant, &from, if daily { "day" } else { "hour" }).await }
    };
    let draft = RwSignal::new(filter.clone());
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        nav.go(Page::SignInLogs(draft.get_untracked()));
    };
    let select = move |id: &'static str,
                       label: Key,
                       choices: Vec<(&'static str, Key)>,
                       get: fn(&LogFilter) -> Option<String>,
                       set: fn(&mut LogFilter, Option<String>)| {
        view! {
            <div class="field">
                <label for=id>{tr(label)}</label>
                <select id=id on:change=move |ev| {
                    let value = event_target_value(&ev);
                    draft.update(|f| set(f, Some(value).filter(|v| !v.is_empty())));
                }>
                    {choices.into_iter().map(|(value, key)| view! {
                        <option value=value selected=move || draft.with(get).unwrap_or_default() == value>{tr(key)}</option>
                    }).collect_view()}
                </select>
            </div>
        }
    };
    view! {
        <PageTitle key=Key::SignInLogsTitle />
        <form class="filters" on:submit=apply>
            {select("log-days", Key::PeriodLabel,
                vec![("1", Key::LastDay), ("", Key::LastWeek), ("30", Key::LastMonth)],
                |f| f.days.filter(|d| *d != DEFAULT_DAYS).map(|d| d.to_string()),
                |f, v| f.days = v.and_then(|v| v.parse().ok()))}
            {select("log-outcome", Key::OutcomeLabel,
                vec![("", Key::OutcomeAny), ("success", Key::OutcomeSuccess), ("failure", Key::OutcomeFailure)],
                |f| f.outcome.clone(), |f, v| f.outcome = v)}
            {select("log-method", Key::MethodLabel,
                vec![("", Key::MethodAny), ("emailOtp", Key::MethodEmailOtp), ("temporaryAccessPass", Key::MethodTemporaryAccessPass), ("passkey", Key::MethodPasskey)],
                |f| f.method.clone(), |f, v| f.method = v)}
            <div class="field">
                <label for="log-user">{tr(Key::UserFilterLabel)}</label>
                <input id="log-user" type="search" prop:value=move || draft.with(|f| f.user.clone().unwrap_or_default())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|f| f.user = Some(v).filter(|v| !v.trim().is_empty())) } />
            </div>
            <button id="apply-filter" class="button" type="submit">{tr(Key::Apply)}</button>
        </form>
        <Data load=summary render={move |list: List<SignInBucket>| (view! { <SignInChart buckets=list.value id="log-chart" daily /> }).into_any()} />
        <Data load=log render={move |page: List<SignInLogEntry>| ({
                        let next_link = page.next_link.clone();
                        view! {
                            <LogTable entries=page.value />
                            <Pager pages next_link />
                        }
                    }).into_any()} />
    }
}

#[component]
fn LogTable(entries: Vec<SignInLogEntry>) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p class="empty" id="no-entries">{tr(Key::NoEntries)}</p> }.into_any();
    }
    let rows = entries
        .into_iter()
        .map(|e| {
            let outcome = if e.outcome == "success" {
                Key::OutcomeSuccess
            } else {
                Key::OutcomeFailure
            };
            let method: AuthenticationMethod = e.authentication_method;
            let at = e.created_date_time.clone();
            let count = e.count.map(|n| format!(" ×{}", n + 1));
            view! {
                <tr class=format!("outcome-{}", e.outcome)>
                    <td>{time(at.clone())}</td>
                    <td>{e.address.clone()}</td>
                    <td>{tr(method_key(method))}</td>
                    <td>{e.step.clone()}</td>
                    <td>{tr(outcome)}{count.clone()}</td>
                    <td><code>{e.reason.clone()}</code></td>
                    <td>{e.ip_address.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="sign-in-log-caption">
            <table id="sign-in-log">
                <caption class="visually-hidden" id="sign-in-log-caption">{tr(Key::SignInLogsTitle)}</caption>
                <thead><tr>
                    <th scope="col">{tr(Key::ColumnTime)}</th>
                    <th scope="col">{tr(Key::ColumnAddress)}</th>
                    <th scope="col">{tr(Key::MethodLabel)}</th>
                    <th scope="col">{tr(Key::ColumnStep)}</th>
                    <th scope="col">{tr(Key::OutcomeLabel)}</th>
                    <th scope="col">{tr(Key::ColumnReason)}</th>
                    <th scope="col">{tr(Key::ColumnIp)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
