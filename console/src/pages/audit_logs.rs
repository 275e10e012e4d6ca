//! Audit logs: who changed what in the directory and its policies, newest first.

use guestpass_wire::DirectoryAuditEntry;
use leptos::prelude::*;

use super::Loading;
use crate::api;
use crate::components::layout::PageTitle;
use crate::components::outcome::LoadFailed;
use crate::copy::Key;
use crate::gate::Admin;
use crate::{time, tr};

#[component]
pub fn AuditLogs() -> impl IntoView {
    let tenant = Admin::get().tenant;
    let log = LocalResource::new(move || {
        let tenant = tenant.clone();
        async move { api::directory_log(&tenant).await }
    });
    view! {
        <PageTitle key=Key::AuditLogsTitle />
        <Transition fallback=Loading>
            <ErrorBoundary fallback=|errors| view! { <LoadFailed errors /> }>
                {move || Suspend::new(async move { log.await.map(|list| view! { <AuditTable entries=list.value /> }) })}
            </ErrorBoundary>
        </Transition>
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
