//! A tenant's guard records over several instances (`guard::shards`), natively: every address's
//! and username's records in one shard, what was issued decided where it was issued across a
//! change of the count, tenant-wide limits split per shard, and who may change the count.

mod support;

use std::collections::BTreeSet;

use guestpass_core::guard::shards::{instance, Shards};
use guestpass_core::guard::{subject_key, GuardCommand};
use guestpass_core::memory::run;
use guestpass_core::ports::AuditLog;
use guestpass_core::tap::sign_in::pass_user_key;
use guestpass_core::time::MINUTE;
use guestpass_core::{directory, DomainError};
use guestpass_wire::tap::CreatePassRequest;
use guestpass_wire::GuardSettings;
use support::*;

const ATTACKER: &str = "203.0.113.66";

fn shard_of_address(world: &World, shards: u8, address: &str) -> u8 {
    let key = subject_key(world.settings.keys.signing(), address);
    Shards::new(shards).unwrap().pick(&key)
}

/// A guest address whose records a tenant of `shards` keeps away from shard 0.
fn address_off_shard_zero(world: &World, shards: u8, tag: &str) -> String {
    (0..)
        .map(|i| format!("{tag}{i}@guests.example"))
        .find(|a| shard_of_address(world, shards, a) != 0)
        .unwrap()
}

/// The instances the guard was asked on for commands `matching`, in order.
fn instances_for(world: &World, matching: fn(&GuardCommand) -> bool) -> Vec<String> {
    world
        .ports
        .guard
        .calls()
        .into_iter()
        .filter(|(_, command)| matching(command))
        .map(|(instance, _)| instance)
        .collect()
}

#[test]
fn guests_codes_spread_over_the_tenants_shards_and_each_is_still_good_once() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.set_guard_shards(&org, 8);
    let mut expected = BTreeSet::new();
    for i in 0..24 {
        let address = format!("guest{i}@guests.example");
        world.invite(&org, &address);
        let (challenge, code) = world.request_code(&org, &address);
        world.advance(1_000);
        assert!(world.verify(&org, &challenge, &code).is_ok(), "{address}");
        assert_eq!(
            world.verify(&org, &challenge, &code).err(),
            Some(DomainError::CodeAlreadyUsed),
            "{address}"
        );
        expected.insert(instance(&org.id, shard_of_address(&world, 8, &address)));
    }
    let sends = instances_for(&world, |c| matches!(c, GuardCommand::Send { .. }));
    let verifies = instances_for(&world, |c| matches!(c, GuardCommand::Verify { .. }));
    assert_eq!(sends.iter().cloned().collect::<BTreeSet<_>>(), expected);
    assert!(
        expected.len() >= 6,
        "24 addresses over 8 shards: {expected:?}"
    );
    // Each code is decided where its send was recorded (twice: the sign-in, then the replay).
    let doubled: Vec<_> = sends.iter().flat_map(|s| [s.clone(), s.clone()]).collect();
    assert_eq!(verifies, doubled);
}

#[test]
fn a_code_sent_before_the_shard_count_changed_is_decided_where_it_was_sent() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.set_guard_shards(&org, 8);
    let right = address_off_shard_zero(&world, 8, "right");
    let tried = address_off_shard_zero(&world, 8, "tried");
    for address in [&right, &tried] {
        world.invite(&org, address);
    }
    let (right_challenge, right_code) = world.request_code(&org, &right);
    let (tried_challenge, tried_code) = world.request_code(&org, &tried);
    for left in (1..5).rev() {
        assert_eq!(
            world.verify_from(&org, ATTACKER, &tried_challenge, wrong(&tried_code)),
            Err(DomainError::WrongCode {
                attempts_remaining: left
            })
        );
    }

    world.set_guard_shards(&org, 1);
    // The right code signs in once, as before the change.
    assert!(world.verify(&org, &right_challenge, &right_code).is_ok());
    assert_eq!(
        world.verify(&org, &right_challenge, &right_code).err(),
        Some(DomainError::CodeAlreadyUsed)
    );
    // The tries spent before the change still count: the fifth wrong one ends the code.
    assert_eq!(
        world.verify_from(&org, ATTACKER, &tried_challenge, wrong(&tried_code)),
        Err(DomainError::TooManyAttempts {
            retry_after_seconds: None
        })
    );

    // And the other way: a code from the single instance survives a move to eight.
    world.advance(MINUTE);
    let (challenge, code) = world.request_code(&org, &right);
    world.set_guard_shards(&org, 8);
    assert!(world.verify(&org, &challenge, &code).is_ok());
    assert_eq!(
        world.verify(&org, &challenge, &code).err(),
        Some(DomainError::CodeAlreadyUsed)
    );
}

#[test]
fn a_pass_is_decided_in_the_shard_it_was_issued_for_after_the_count_changes() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.set_guard_shards(&org, 8);
    let keys = &world.settings.keys;
    let name = (0..)
        .map(|i| format!("member{i}"))
        .find(|n| {
            let key = pass_user_key(keys, &format!("{n}@{}", org.domain));
            Shards::new(8).unwrap().pick(&key) != 0
        })
        .unwrap();
    let member = world.add_member(&org, &name, &[]);
    let admin = world.admin_cookie(&org);
    let pass = world
        .create_pass(
            &org,
            with_cookie(&admin),
            &member.id,
            &CreatePassRequest::default(),
        )
        .unwrap()
        .temporary_access_pass
        .unwrap();
    let upn = &member.user_principal_name;
    let pass_from =
        |ip: &str, typed: &str| world.pass_sign_in_from(&org, ip, upn, typed).map(|_| ());
    // Ten wrong passes in a row from one network lock that network out for a while: five
    // before the change, five after.
    for _ in 0..5 {
        assert_eq!(
            pass_from(ATTACKER, "Wrong2345"),
            Err(DomainError::InvalidCredentials)
        );
    }
    world.set_guard_shards(&org, 1);
    for _ in 0..4 {
        assert_eq!(
            pass_from(ATTACKER, "Wrong2345"),
            Err(DomainError::InvalidCredentials)
        );
    }
    assert!(matches!(
        pass_from(ATTACKER, "Wrong2345"),
        Err(DomainError::PassLocked { .. })
    ));
    assert!(matches!(
        pass_from(ATTACKER, &pass),
        Err(DomainError::PassLocked { .. })
    ));
    // The member, on her own network, is not locked out.
    assert!(pass_from(IP, &pass).is_ok());
    let passes = instances_for(&world, |c| matches!(c, GuardCommand::Pass { .. }));
    let member_shard = Shards::new(8).unwrap().pick(&pass_user_key(keys, upn));
    assert!(passes
        .iter()
        .rev()
        .take(12)
        .all(|i| *i == instance(&org.id, member_shard)));
}

#[test]
fn each_shard_allows_its_share_of_the_tenants_hourly_sends() {
    let mut world = World::new();
    world.settings.send_limits.per_tenant_per_hour = 16;
    let org = world.create_tenant("contoso.example");
    world.set_guard_shards(&org, 8);
    let mut accepted = [0u32; 8];
    for i in 0..40 {
        let address = format!("guest{i}@guests.example");
        world.invite(&org, &address);
        let shard = usize::from(shard_of_address(&world, 8, &address));
        // Each from its own network, so only the tenant's limit applies.
        let sent = world.send_from(&org, &address, &format!("198.51.100.{i}"));
        if accepted[shard] < 2 {
            assert!(sent.is_ok(), "{address}: {sent:?}");
            accepted[shard] += 1;
        } else {
            assert!(
                matches!(sent, Err(DomainError::Throttled { .. })),
                "{address}: {sent:?}"
            );
        }
    }
    assert!(accepted.iter().sum::<u32>() <= 16);
    assert!(accepted.iter().filter(|&&n| n == 2).count() >= 6);
}

#[test]
fn a_network_gets_its_share_of_the_hourly_attempts_in_each_shard() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.set_guard_shards(&org, 8);
    // A forged challenge names no address: its failures count in the network's own shard,
    // which allows the network 120 / 8 attempts an hour.
    for _ in 0..15 {
        assert_eq!(
            world.verify_from(&org, ATTACKER, "forged.challenge", "12345678"),
            Err(DomainError::ChallengeInvalid)
        );
    }
    assert!(matches!(
        world.verify_from(&org, ATTACKER, "forged.challenge", "12345678"),
        Err(DomainError::Throttled { .. })
    ));
    let failures = instances_for(&world, |c| matches!(c, GuardCommand::Failure { .. }));
    assert_eq!(failures.iter().collect::<BTreeSet<_>>().len(), 1);
    // Another network is not held back.
    assert_eq!(
        world.verify_from(&org, "198.51.100.9", "forged.challenge", "12345678"),
        Err(DomainError::ChallengeInvalid)
    );
}

#[test]
fn only_the_operator_sets_a_tenants_shards_from_one_to_sixty_four_and_the_change_is_logged() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let set = |credentials, shards| {
        run(directory::tenant::set_guard_shards(
            &world.cx(),
            credentials,
            world.tenant(&org.id),
            &GuardSettings { shards },
        ))
    };
    let admin = world.admin_cookie(&org);
    assert_eq!(set(with_cookie(&admin), 8), Err(DomainError::NotSignedIn));
    for refused in [0, 65] {
        assert!(matches!(
            set(operator(), refused),
            Err(DomainError::Validation {
                target: "shards",
                ..
            })
        ));
    }
    assert_eq!(set(operator(), 8), Ok(GuardSettings { shards: 8 }));
    let read = |credentials| {
        directory::tenant::guard_settings(&world.settings, credentials, &world.tenant(&org.id))
    };
    assert_eq!(read(operator()), Ok(GuardSettings { shards: 8 }));
    assert_eq!(read(with_cookie(&admin)), Err(DomainError::NotSignedIn));
    let (log, _) = run(world.ports.log.directory_changes(&org.id, None)).unwrap();
    let change = log
        .iter()
        .find(|e| e.activity == "Update guard shards")
        .expect("the change is in the directory log");
    assert_eq!(change.detail.as_deref(), Some("1 -> 8"));
    assert_eq!(change.target_id, org.id);
}

#[test]
fn the_signing_keys_stay_in_the_tenants_first_instance() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.set_guard_shards(&org, 8);
    run(guestpass_core::oidc::stored_keys::current(
        &world.cx(),
        &org.id,
    ))
    .unwrap();
    let keys = instances_for(&world, |c| matches!(c, GuardCommand::SigningKeys { .. }));
    assert!(!keys.is_empty());
    assert!(keys.iter().all(|i| *i == format!("tenant:{}", org.id)));
}
