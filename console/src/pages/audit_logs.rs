//! Audit logs: who changed what in the directory and its policies, newest first, filtered by
//! activity and period (kept in the URL), a page at a time.

use guestpass_wire::DirectoryAuditEntry;
use guestpass_wire::List;
use leptos::prelude::*;

use super::sign_in_logs::days_ago;
use crate::api;
use crate::components::layout::PageTitle;
use crate::components::outcome::Data;
use crate::components::pager::{Pager, Pages};
use crate::copy::Key;
use crate::gate::Admin;
use crate::nav::Nav;
use crate::route::{AuditFilter, Page};
use crate::{time, tr};

#[component]
pub fn AuditLogs(filter: AuditFilter) -> impl IntoView {
    let tenant = Admin::get().tenant;
    let nav = Nav::get();
    let pages = Pages::new();
    let log = {
        let filter = filter.clone();
        move || {
            let (tenant, filter, link) = (tenant.clone(), filter.clone(), pages.shown());
            async move {
                match link {
                    Some(link) => api::page::<DirectoryAuditEntry>(&link).await,
                    None => {
                        let from = filter.days.map(days_ago).unwrap_or_default();
                        let query = [
                            ("from", from.as_str()),
                            ("activity", filter.activity.as_deref().unwrap_or("")),
                            ("top", "50"),
                        ];
                        api::directory_log(&tenant, &query).await
                    }
                }
            }
        }
    };
    let activity = RwSignal::new(filter.activity.clone().unwrap_or_default());
    let days = RwSignal::new(filter.days.map(|d| d.to_string()).unwrap_or_default());
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        nav.go(Page::AuditLogs(AuditFilter {
            activity: Some(activity.get_untracked()).filter(|a| !a.trim().is_empty()),
            days: days.get_untracked().parse().ok(),
        }));
    };
    view! {
        <PageTitle key=Key::AuditLogsTitle />
        <form class="filters" on:submit=apply>
            <div class="field">
                <label for="audit-days">{tr(Key::PeriodLabel)}</label>
                <select id="audit-days" on:change=move |ev| days.set(event_target_value(&ev))>
                    {[("", Key::AllKept), ("1", Key::LastDay), ("7", Key::LastWeek), ("30", Key::LastMonth)]
                        .into_iter()
                        .map(|(value, key)| view! { <option value=value selected=move || days.get() == value>{tr(key)}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="audit-activity">{tr(Key::ColumnActivity)}</label>
                <input id="audit-activity" type="search" prop:value=activity on:input=move |ev| activity.set(event_target_value(&ev)) />
            </div>
            <button id="apply-filter" class="button" type="submit">{tr(Key::Apply)}</button>
        </form>
        <Data load=log render={move |page: List<DirectoryAuditEntry>| ({
                        let next_link = page.next_link.clone();
                        view! {
                            <AuditTable entries=page.value />
                            <Pager pages next_link />
                        }
                    }).into_any()} />
    }
}

#[component]
fn AuditTable(entries: Vec<DirectoryAuditEntry>) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p class="empty" id="no-entries">{tr(Key::NoEntries)}</p> }.into_any();
    }
    let rows = entries
        .into_iter()
        .map(|e| {
            let at = e.activity_date_time.clone();
            view! {
                <tr>
                    <td>{time(at.clone())}</td>
                    <td><code>{e.activity.clone()}</code></td>
                    <td>{e.initiated_by.clone()}</td>
                    <td><code>{e.target_id.clone()}</code></td>
                    <td>{e.detail.clone().unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="audit-log-caption">
            <table id="audit-log">
                <caption class="visually-hidden" id="audit-log-caption">{tr(Key::AuditLogsTitle)}</caption>
                <thead><tr>
                    <th scope="col">{tr(Key::ColumnTime)}</th>
                    <th scope="col">{tr(Key::ColumnActivity)}</th>
                    <th scope="col">{tr(Key::ColumnInitiatedBy)}</th>
                    <th scope="col">{tr(Key::ColumnTarget)}</th>
                    <th scope="col">{tr(Key::ColumnDetail)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
