//! The users list: pages with `nextLink`, search and type filters, and no record read per user.

mod support;

use guestpass_core::directory::{self, UserQuery};
use guestpass_core::memory::run;
use guestpass_core::DomainError;
use guestpass_wire::{List, User, UserType};
use support::*;

/// A tenant of 120 users: its administrator, 59 members and 60 guests.
fn crowd() -> (World, Org) {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    for i in 0..59 {
        world.add_member(&org, &format!("member{i:02}"), &[]);
    }
    for i in 0..60 {
        world.invite(&org, &format!("guest{i:02}@guests.example"));
    }
    (world, org)
}

fn page(world: &World, org: &Org, query: UserQuery<'_>) -> Result<List<User>, DomainError> {
    run(directory::list_users(
        &world.cx(),
        operator(),
        &world.tenant(&org.id),
        query,
    ))
}

/// Every page, following `nextLink`'s cursor.
fn all_pages(
    world: &World,
    org: &Org,
    top: &str,
    search: Option<&str>,
    user_type: Option<&str>,
) -> Vec<Vec<User>> {
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let query = UserQuery {
            top: Some(top),
            cursor: cursor.as_deref(),
            search,
            user_type,
        };
        let list = page(world, org, query).unwrap();
        pages.push(list.value);
        let Some(link) = list.next_link else { break };
        assert!(link.starts_with(&format!(
            "{ORIGIN}/api/v1/tenants/{}/users?top={top}&cursor=",
            org.id
        )));
        let found = link
            .split('&')
            .find_map(|p| p.strip_prefix("cursor="))
            .unwrap();
        cursor = Some(found.split('&').next().unwrap().to_string());
    }
    pages
}

#[test]
fn a_hundred_and_twenty_users_come_in_pages_of_fifty_each_once() {
    let (world, org) = crowd();
    for kv_page in [1000, 7] {
        world.ports.kv.limit_list_pages(kv_page);
        let pages = all_pages(&world, &org, "50", None, None);
        let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
        assert_eq!(sizes, [50, 50, 20], "KV pages of {kv_page}");
        let mut ids: Vec<String> = pages.concat().into_iter().map(|u| u.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 120);
    }
}

#[test]
fn search_and_type_filters_page_through_only_matching_users() {
    let (world, org) = crowd();
    world.ports.kv.limit_list_pages(7);
    let guests = all_pages(&world, &org, "25", None, Some("Guest")).concat();
    assert_eq!(guests.len(), 60);
    assert!(guests.iter().all(|u| u.user_type == UserType::Guest));
    // "GUEST1" matches guest10..guest19 by mail, in any case.
    let found = all_pages(&world, &org, "4", Some("GUEST1"), None).concat();
    assert_eq!(found.len(), 10);
    let members = all_pages(&world, &org, "100", Some("member0"), Some("Member")).concat();
    assert_eq!(members.len(), 10);
}

#[test]
fn a_page_of_users_reads_no_record_one_by_one() {
    let (world, org) = crowd();
    let before = world.ports.kv.reads();
    page(&world, &org, UserQuery::default()).unwrap();
    // One read resolves the tenant; the 100 users come from the listing's metadata.
    assert_eq!(world.ports.kv.reads() - before, 1);
}

#[test]
fn bad_paging_parameters_are_refused_clearly() {
    let (world, org) = crowd();
    for (query, target) in [
        (
            UserQuery {
                top: Some("0"),
                ..Default::default()
            },
            "top",
        ),
        (
            UserQuery {
                top: Some("1000"),
                ..Default::default()
            },
            "top",
        ),
        (
            UserQuery {
                top: Some("ten"),
                ..Default::default()
            },
            "top",
        ),
        (
            UserQuery {
                cursor: Some("not-ours"),
                ..Default::default()
            },
            "cursor",
        ),
        (
            UserQuery {
                user_type: Some("Robot"),
                ..Default::default()
            },
            "userType",
        ),
    ] {
        assert!(
            matches!(page(&world, &org, query), Err(DomainError::Validation { target: t, .. }) if t == target),
            "{target}"
        );
    }
}
