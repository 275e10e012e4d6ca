//! The overview: the organization, how many members and guests it has (guests by redemption
//! state), and its sign-ins of the last 7 days.

use guestpass_wire::{ExternalUserState, UserType};
use guestpass_wire::{List, SignInBucket};
use leptos::prelude::*;

use crate::api::{self, Loaded};
use crate::components::chart::SignInChart;
use crate::components::layout::PageTitle;
use crate::components::outcome::Data;
use crate::copy::Key;
use crate::gate::Admin;
use crate::tr;
use crate::Texts;

/// Pages of users the overview reads at most to count them.
const COUNT_PAGES: usize = 20;

#[derive(Clone, Default)]
struct Counts {
    members: u64,
    pending: u64,
    accepted: u64,
    /// More users than the pages read: the counts are lower bounds.
    more: bool,
}

async fn counts(tenant: String) -> Loaded<Counts> {
    let mut counts = Counts::default();
    let mut page = api::users(&tenant, None, None, guestpass_wire::api::MAX_PAGE).await?;
    for _ in 0..COUNT_PAGES {
        for user in &page.value {
            match (user.user_type, user.external_user_state) {
                (UserType::Member, _) => counts.members += 1,
                (UserType::Guest, Some(ExternalUserState::Accepted)) => counts.accepted += 1,
                (UserType::Guest, _) => counts.pending += 1,
            }
        }
        match &page.next_link {
            Some(next) => page = api::page(next).await?,
            None => return Ok(counts),
        }
    }
    counts.more = true;
    Ok(counts)
}

#[component]
pub fn Overview() -> impl IntoView {
    let texts = Texts::get();
    let admin = Admin::get();
    let tenant = admin.tenant.clone();
    let counted = {
        let tenant = tenant.clone();
        move || counts(tenant.clone())
    };
    let summary = move || {
        let tenant = tenant.clone();
        async move { api::sign_in_summary(&tenant, "", "day").await }
    };
    let domains = admin.info.verified_domains.join(", ");
    // "3 members", "1 гость ожидает…": the word agrees with the number; more users than the
    // pages read make the figures lower bounds.
    let tile = move |key: Key, n: u64, more: bool| {
        let text = texts.count(key, n);
        if more {
            format!("≥ {text}")
        } else {
            text
        }
    };
    view! {
        <PageTitle key=Key::OverviewTitle />
        <dl class="facts">
            <dt>{tr(Key::OrganizationName)}</dt><dd>{admin.info.display_name.clone()}</dd>
            <dt>{tr(Key::TenantId)}</dt><dd><code>{admin.info.tenant_id.clone()}</code></dd>
            <dt>{tr(Key::VerifiedDomains)}</dt><dd>{domains}</dd>
        </dl>
        <h2>{tr(Key::DirectoryHeading)}</h2>
        <Data load=counted render={move |c: Counts| (view! {
                        <ul class="tiles" id="counts">
                            <li id="count-members">{move || tile(Key::CountMembers, c.members, c.more)}</li>
                            <li id="count-pending">{move || tile(Key::CountGuestsPending, c.pending, c.more)}</li>
                            <li id="count-accepted">{move || tile(Key::CountGuestsAccepted, c.accepted, c.more)}</li>
                        </ul>
                    }).into_any()} />
        <h2>{tr(Key::SignInsLastWeek)}</h2>
        <Data load=summary render={move |list: List<SignInBucket>| (view! { <SignInChart buckets=list.value id="week-chart" daily=true /> }).into_any()} />
    }
}
