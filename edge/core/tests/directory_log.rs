//! The directory audit log: pages newest first with `nextLink`, and filters by activity and time.

mod support;

use guestpass_core::audit::{self, DirectoryQuery};
use guestpass_core::directory::branding;
use guestpass_core::memory::{run, MEMORY_LOG_PAGE};
use guestpass_core::time::{format_rfc3339, HOUR};
use guestpass_core::DomainError;
use guestpass_wire::{BrandingPatch, DirectoryAuditEntry, List};
use support::*;

fn log(
    world: &World,
    org: &Org,
    query: DirectoryQuery<'_>,
) -> Result<List<DirectoryAuditEntry>, DomainError> {
    run(audit::directory_changes(
        &world.cx(),
        operator(),
        &world.tenant(&org.id),
        query,
    ))
}

/// A tenant with many members added, then (an hour later) a branding change.
fn busy() -> (World, Org) {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    for i in 0..(2 * MEMORY_LOG_PAGE) {
        world.advance(1);
        world.add_member(&org, &format!("member{i}"), &[]);
    }
    world.advance(HOUR);
    let body = BrandingPatch {
        sign_in_page_text: Some("Welcome".into()),
        ..Default::default()
    };
    run(branding::patch(
        &world.cx(),
        operator(),
        world.tenant(&org.id),
        &body,
    ))
    .unwrap();
    (world, org)
}

#[test]
fn the_directory_log_pages_newest_first_and_every_change_comes_once() {
    let (world, org) = busy();
    let mut cursor: Option<String> = None;
    let mut ids = Vec::new();
    let mut activities = Vec::new();
    loop {
        let query = DirectoryQuery {
            top: Some("30"),
            cursor: cursor.as_deref(),
            ..Default::default()
        };
        let page = log(&world, &org, query).unwrap();
        assert!(page.value.len() <= 30);
        ids.extend(page.value.iter().map(|e| e.id.clone()));
        activities.extend(page.value.into_iter().map(|e| e.activity));
        let Some(link) = page.next_link else { break };
        let value = link.split("cursor=").nth(1).unwrap();
        cursor = Some(value.split('&').next().unwrap().to_string());
    }
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "no change twice");
    // The tenant's creation, its members, and the branding change, newest first.
    assert!(ids.len() > 2 * MEMORY_LOG_PAGE);
    assert_eq!(activities[0], "Update company branding");
}

#[test]
fn a_change_is_found_by_its_activity_and_time_and_bad_filters_are_refused() {
    let (world, org) = busy();
    let found = log(
        &world,
        &org,
        DirectoryQuery {
            activity: Some("BRANDING"),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(found.value.len(), 1);
    let from = format_rfc3339(world.now() - HOUR / 2);
    let recent = log(
        &world,
        &org,
        DirectoryQuery {
            from: Some(&from),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(recent.value.len(), 1, "only the last half hour's change");
    for bad in [
        DirectoryQuery {
            from: Some("yesterday"),
            ..Default::default()
        },
        DirectoryQuery {
            top: Some("0"),
            ..Default::default()
        },
        DirectoryQuery {
            cursor: Some("not-a-cursor"),
            ..Default::default()
        },
    ] {
        assert!(
            matches!(log(&world, &org, bad), Err(DomainError::Validation { .. })),
            "{bad:?}"
        );
    }
}
