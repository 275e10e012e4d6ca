//! Strangers cannot lock a guest or an administrator out, and the work of an answer does not
//! tell who is in the directory — natively, attacker and victim on different client networks.

mod support;

use guestpass_core::memory::run;
use guestpass_core::time::MINUTE;
use guestpass_core::{tap, DomainError};
use guestpass_wire::tap::{CreatePassRequest, PassSignInRequest};
use guestpass_wire::SendCodeRequest;
use support::*;

const VICTIM: &str = "198.51.100.7";
const ATTACKER: &str = "203.0.113.66";

#[test]
fn a_stranger_sending_and_burning_codes_from_another_network_cannot_stop_a_guest() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.invite(&org, "ada@guests.example");
    let guest = world.send_from(&org, "ada@guests.example", VICTIM).unwrap();
    let guest_code = world.codes("ada@guests.example").pop().unwrap();
    // The stranger asks for codes for the guest's address all day and burns every try.
    for _ in 0..10 {
        world.advance(MINUTE);
        let theirs = world
            .send_from(&org, "ada@guests.example", ATTACKER)
            .unwrap();
        let their_code = world.codes("ada@guests.example").pop().unwrap();
        for left in (0..5).rev() {
            let burned = world.verify_from(&org, ATTACKER, &theirs.challenge, wrong(&their_code));
            let expected = match left {
                0 => DomainError::TooManyAttempts {
                    retry_after_seconds: None,
                },
                _ => DomainError::WrongCode {
                    attempts_remaining: left,
                },
            };
            assert_eq!(burned, Err(expected));
        }
    }
    assert!(matches!(
        world.send_from(&org, "ada@guests.example", ATTACKER),
        Err(DomainError::Throttled { .. })
    ));
    // The guest's code still works, and the guest can still be sent a new one.
    assert!(world
        .verify_from(&org, VICTIM, &guest.challenge, &guest_code)
        .is_ok());
    world.advance(MINUTE);
    let again = world.send_from(&org, "ada@guests.example", VICTIM).unwrap();
    let code = world.codes("ada@guests.example").pop().unwrap();
    assert!(world
        .verify_from(&org, VICTIM, &again.challenge, &code)
        .is_ok());
}

#[test]
fn a_stranger_cannot_lock_the_administrator_out_of_pass_sign_in() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let admin = format!("admin@{}", org.domain);
    for _ in 0..10 {
        let _ = world.pass_sign_in_from(&org, ATTACKER, &admin, "junk-pass");
    }
    assert!(matches!(
        world.pass_sign_in_from(&org, ATTACKER, &admin, &org.admin_pass),
        Err(DomainError::PassLocked { .. })
    ));
    assert!(world
        .pass_sign_in_from(&org, VICTIM, &admin, &org.admin_pass)
        .is_ok());
}

#[test]
fn a_hundred_wrong_passes_from_many_networks_lock_the_name_until_a_new_pass() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let megan = world.add_member(&org, "megan", &[]);
    let issued = world
        .create_pass(&org, operator(), &megan.id, &CreatePassRequest::default())
        .unwrap();
    let value = issued.temporary_access_pass.unwrap();
    for i in 0..100 {
        let network = format!("192.0.2.{}", i / 9);
        let _ = world.pass_sign_in_from(&org, &network, "megan@contoso.example", "junk-pass");
    }
    assert_eq!(
        world.pass_sign_in_from(&org, VICTIM, "megan@contoso.example", &value),
        Err(DomainError::PassLockedUntilNewPass)
    );
    // Administrators see it on the pass (the console says so).
    let tenant = world.tenant(&org.id);
    let shown = run(tap::issue::get(
        &world.cx(),
        operator(),
        &tenant,
        &megan.id,
        &issued.id,
    ))
    .unwrap();
    assert!(shown.locked_until_new_pass);
    let json = serde_json::to_value(&shown).unwrap();
    assert_eq!(json["lockedUntilNewPass"], true);
    world.advance(24 * 60 * MINUTE);
    assert_eq!(
        world.pass_sign_in_from(&org, VICTIM, "megan@contoso.example", &value),
        Err(DomainError::PassLockedUntilNewPass),
        "time alone does not unlock"
    );
    // The pass has expired by now; a new one unlocks.
    let fresh = world
        .create_pass(&org, operator(), &megan.id, &CreatePassRequest::default())
        .unwrap();
    let listed = run(tap::issue::list(
        &world.cx(),
        operator(),
        &world.tenant(&org.id),
        &megan.id,
    ))
    .unwrap();
    assert!(
        !listed.value[0].locked_until_new_pass,
        "a new pass is not locked"
    );
    let fresh = fresh.temporary_access_pass.unwrap();
    assert!(world
        .pass_sign_in_from(&org, VICTIM, "megan@contoso.example", &fresh)
        .is_ok());
}

#[test]
fn an_ipv6_client_counts_as_its_slash_64() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    for i in 0..30 {
        let ip = format!("2001:db8:7:7::{:x}", i + 1);
        world
            .send_from(&org, &format!("x{i}@guests.example"), &ip)
            .unwrap();
    }
    assert!(matches!(
        world.send_from(&org, "late@guests.example", "2001:db8:7:7:ffff::1"),
        Err(DomainError::Throttled { .. })
    ));
    assert!(world
        .send_from(&org, "late@guests.example", "2001:db8:7:8::1")
        .is_ok());
}

#[test]
fn verify_and_pass_attempts_are_limited_per_network() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let admin = format!("admin@{}", org.domain);
    let mut refused = None;
    for i in 0..121 {
        // Rotating usernames dodges the per-name lockout, not the network's hour.
        match world.pass_sign_in_from(&org, ATTACKER, &format!("n{i}@contoso.example"), "junk") {
            Err(DomainError::Throttled { .. }) => {
                refused = Some(i);
                break;
            }
            _ => continue,
        }
    }
    assert_eq!(refused, Some(120));
    assert!(world
        .pass_sign_in_from(&org, VICTIM, &admin, &org.admin_pass)
        .is_ok());
}

#[test]
fn sends_to_made_up_addresses_do_not_use_up_the_tenants_hour() {
    let mut world = World::new();
    world.settings.send_limits.per_tenant_per_hour = 5;
    world.settings.send_limits.per_ip_per_hour = 1000;
    let org = world.create_tenant("contoso.example");
    world.invite(&org, "ada@guests.example");
    for i in 0..20 {
        world
            .send_from(&org, &format!("nobody{i}@guests.example"), ATTACKER)
            .unwrap();
    }
    assert!(world.send_from(&org, "ada@guests.example", VICTIM).is_ok());
}

#[test]
fn send_and_pass_sign_in_do_the_same_reads_for_known_and_unknown_names() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.invite(&org, "ada@guests.example");
    let tenant = world.tenant(&org.id);
    let reads = |f: &dyn Fn()| {
        let before = world.ports.kv.reads();
        f();
        world.ports.kv.reads() - before
    };
    let send = |email: &str| {
        let request = SendCodeRequest {
            email: email.into(),
            language: None,
        };
        let _ = run(guestpass_core::email_otp::send(
            &world.cx(),
            &tenant,
            &request,
        ));
    };
    let known = reads(&|| send("ada@guests.example"));
    let unknown = reads(&|| send("eve@guests.example"));
    assert_eq!(known, unknown);
    let pass = |username: &str| {
        let request = PassSignInRequest {
            username: username.into(),
            temporary_access_pass: "junk-pass".into(),
        };
        let _ = run(tap::sign_in(&world.cx(), &tenant, &request));
    };
    let admin = format!("admin@{}", org.domain);
    let (member, guest, nobody) = (
        reads(&|| pass(&admin)),
        reads(&|| pass("ada@guests.example")),
        reads(&|| pass("nobody@contoso.example")),
    );
    assert_eq!((member, guest), (nobody, nobody));
}

#[test]
fn two_operator_tokens_work_while_one_rotates_out_and_the_log_names_which_by_id() {
    use guestpass_core::context::{Credentials, OperatorToken};
    let mut world = World::new();
    let new_token = "new-operator-token-0123456789abcdefghij";
    world.settings.operator_tokens.push(OperatorToken {
        id: "next".into(),
        value: new_token.into(),
    });
    let org = world.create_tenant("contoso.example");
    let bearer = format!("Bearer {new_token}");
    let next = Credentials {
        authorization: Some(&bearer),
        cookie: None,
    };
    let tenant = world.tenant(&org.id);
    world.advance(1);
    run(guestpass_core::directory::revoke_sessions(
        &world.cx(),
        next,
        &tenant,
        &org.admin_id,
    ))
    .unwrap();
    let wrong = Credentials {
        authorization: Some("Bearer new-operator-token-0123456789abcdefghiX"),
        cookie: None,
    };
    assert_eq!(
        run(guestpass_core::directory::list_users(
            &world.cx(),
            wrong,
            &tenant,
            Default::default()
        ))
        .unwrap_err(),
        DomainError::NotSignedIn
    );
    let log = run(guestpass_core::audit::directory_changes(
        &world.cx(),
        operator(),
        &tenant,
        Default::default(),
    ))
    .unwrap()
    .value;
    let by: Vec<_> = log.iter().map(|e| e.initiated_by.as_str()).collect();
    assert_eq!(by, ["operator:next", "operator:ci"]);
    assert!(!serde_json::to_string(&log).unwrap().contains(new_token));
}

#[test]
fn the_guard_sweeps_out_each_record_once_its_last_window_passes() {
    use guestpass_core::time::{DAY, HOUR};
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.invite(&org, "ada@guests.example");
    world.send_from(&org, "ada@guests.example", VICTIM).unwrap();
    let _ = world.pass_sign_in_from(&org, VICTIM, &format!("admin@{}", org.domain), "junk-pass");
    let tenant = format!("tenant:{}", org.id);
    // The network's sends across tenants, in its instance of the data centre's pool.
    let network =
        guestpass_core::guard::network_instance(&world.settings.keys, Some(DATA_CENTRE), VICTIM);
    let kinds = |instance: &str| -> Vec<String> {
        let keys = world.ports.guard.record_keys(instance);
        keys.iter()
            .map(|k| k.split(':').next().unwrap().to_string())
            .collect()
    };
    assert_eq!(kinds(&tenant), ["addr", "fail", "net", "pass", "sends"]);
    assert_eq!(
        world.ports.guard.record_keys(&network),
        [format!("sends:ip:{VICTIM}")]
    );
    assert_eq!(world.ports.guard.alarm(&tenant), Some(world.now() + HOUR));

    // An hour on, the hourly counters are gone; the address's day and the pass try remain.
    world.advance(HOUR);
    world.ports.guard.run_due_alarms(world.now());
    assert_eq!(kinds(&tenant), ["addr", "pass"]);
    assert!(kinds(&network).is_empty());
    assert_eq!(
        world.ports.guard.alarm(&network),
        None,
        "nothing left, no alarm"
    );

    // A day on, the address; a pass lifetime on, the wrong try — and then nothing at all.
    world.advance(DAY);
    world.ports.guard.run_due_alarms(world.now());
    assert_eq!(kinds(&tenant), ["pass"]);
    world.advance(30 * DAY);
    world.ports.guard.run_due_alarms(world.now());
    assert!(kinds(&tenant).is_empty());
    assert_eq!(world.ports.guard.alarm(&tenant), None);
}

#[test]
fn networks_that_share_a_pool_instance_are_counted_apart_and_across_tenants() {
    let world = World::new();
    let (first_org, second_org) = (
        world.create_tenant("first.example"),
        world.create_tenant("second.example"),
    );
    let instance = |ip: &str| {
        guestpass_core::guard::network_instance(&world.settings.keys, Some(DATA_CENTRE), ip)
    };
    // Two client networks the keyed hash gives one instance of the pool.
    let network = "198.51.100.1";
    let neighbour = (2..=254)
        .map(|n| format!("198.51.100.{n}"))
        .find(|ip| instance(ip) == instance(network))
        .expect("16 instances: a neighbour among 253 networks");
    for i in 0..world.settings.send_limits.per_ip_per_hour {
        world
            .send_from(&first_org, &format!("guest{i}@guests.example"), network)
            .unwrap();
    }
    assert!(matches!(
        world.send_from(&second_org, "ada@guests.example", network),
        Err(DomainError::Throttled { .. })
    ));
    world
        .send_from(&second_org, "ada@guests.example", &neighbour)
        .unwrap();
}
