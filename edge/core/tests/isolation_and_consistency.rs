//! Tenant isolation, and what KV's eventual consistency can and cannot do to a sign-in.

mod support;

use guestpass_core::memory::{run, KV_PROPAGATION_MS};
use guestpass_core::session::SessionError;
use guestpass_core::time::{MINUTE, SECOND};
use guestpass_core::{directory, DomainError};
use guestpass_wire::UserType;
use support::*;

#[test]
fn a_session_read_that_resolves_its_tenant_alongside_answers_as_the_sequential_read_does() {
    use guestpass_core::session;
    let world = World::new();
    let a = world.create_tenant("a.example");
    let b = world.create_tenant("b.example");
    world.invite(&a, "ada@guests.example");
    let ada = world.sign_in_guest(&a, "ada@guests.example");
    let answers = |reference: &str, cookie: Option<&str>| {
        let credentials = guestpass_core::context::Credentials {
            authorization: None,
            cookie,
        };
        let alongside = run(session::get_for(&world.cx(), credentials, reference));
        let sequential = run(world.cx().directory().resolve_tenant(reference))
            .and_then(|tenant| run(session::get(&world.cx(), credentials, &tenant)));
        assert_eq!(alongside, sequential, "{reference} {cookie:?}");
        alongside
    };
    assert!(answers(&a.id, Some(&ada)).is_ok());
    assert!(answers(&a.domain, Some(&ada)).is_ok());
    assert!(answers(&a.id.to_uppercase(), Some(&ada)).is_ok());
    assert_eq!(
        answers(&b.id, Some(&ada)),
        Err(DomainError::Session(SessionError::WrongTenant))
    );
    assert_eq!(
        answers("nowhere.example", Some(&ada)),
        Err(DomainError::TenantNotFound)
    );
    assert_eq!(answers(&a.id, None), Err(DomainError::NotSignedIn));
    assert_eq!(
        answers(&a.id, Some("__Host-guestpass=k1.forged.value")),
        Err(DomainError::Session(SessionError::Invalid))
    );
    let user_id = world.tenant_user_id(&a, "ada@guests.example");
    run(session::revoke_all(&world.cx(), &a.id, &user_id)).unwrap();
    assert_eq!(
        answers(&a.id, Some(&ada)),
        Err(DomainError::Session(SessionError::Revoked))
    );
    world.advance(MINUTE);
    let fresh = world.sign_in_guest(&a, "ada@guests.example");
    world.advance(guestpass_core::limits::SESSION_LIFETIME_MS);
    assert_eq!(
        answers(&a.domain, Some(&fresh)),
        Err(DomainError::Session(SessionError::Expired))
    );
}

#[test]
fn a_session_read_through_its_own_tenant_id_reads_the_user_and_mark_only() {
    let world = World::new();
    let a = world.create_tenant("a.example");
    world.invite(&a, "ada@guests.example");
    let ada = world.sign_in_guest(&a, "ada@guests.example");
    let kv = &world.ports.kv;
    let reads_for = |reference: &str| {
        let before = (kv.reads(), kv.read_round_trips());
        assert!(world.session_at(reference, &ada).is_ok(), "{reference}");
        (kv.reads() - before.0, kv.read_round_trips() - before.1)
    };
    // The cookie's MAC names the tenant: the user and the revocation mark are all it needs, in
    // one bulk read.
    assert_eq!(reads_for(&a.id), (2, 1));
    // A domain (or another spelling) is resolved too, alongside.
    assert_eq!(reads_for(&a.domain), (4, 3));
}

#[test]
fn a_challenge_and_a_cookie_from_one_tenant_fail_in_another() {
    let world = World::new();
    let a = world.create_tenant("a.example");
    let b = world.create_tenant("b.example");
    world.invite(&a, "ada@guests.example");
    world.invite(&b, "ada@guests.example");
    let (challenge, code) = world.request_code(&a, "ada@guests.example");
    assert_eq!(
        world.verify(&b, &challenge, &code),
        Err(DomainError::ChallengeInvalid)
    );
    let cookie = cookie(&world.verify(&a, &challenge, &code).unwrap());
    assert!(world.session(&a, &cookie).is_ok());
    assert!(matches!(
        world.session(&b, &cookie),
        Err(DomainError::Session(_))
    ));
    // The first administrator of one tenant is nobody in the other.
    let admin = world.admin_cookie(&a);
    assert!(run(directory::list_users(
        &world.cx(),
        with_cookie(&admin),
        &world.tenant(&b.id),
        Default::default()
    ))
    .is_err());
}

#[test]
fn each_tenant_resolves_by_id_and_domain_and_sees_only_its_own_users() {
    let world = World::new();
    let a = world.create_tenant("a.example");
    let b = world.create_tenant("b.example");
    world.invite(&a, "only-a@guests.example");
    assert_eq!(world.tenant("A.Example").id, a.id);
    assert_eq!(world.tenant(&b.id).id, b.id);
    let users = |org: &Org| {
        run(directory::list_users(
            &world.cx(),
            operator(),
            &world.tenant(&org.id),
            guestpass_core::directory::UserQuery {
                user_type: Some("Guest"),
                ..Default::default()
            },
        ))
        .unwrap()
        .value
    };
    assert_eq!(users(&a).len(), 1);
    assert!(users(&b).is_empty());
    assert!(users(&a).iter().all(|u| u.user_type == UserType::Guest));
    assert_eq!(
        run(world.cx().directory().resolve_tenant("c.example")).unwrap_err(),
        DomainError::TenantNotFound
    );
}

#[test]
fn a_verified_domain_belongs_to_one_tenant() {
    let world = World::new();
    world.create_tenant("a.example");
    let request = guestpass_wire::CreateTenantRequest {
        display_name: "Copycat".into(),
        verified_domains: vec!["a.example".into()],
        admin: guestpass_wire::CreateTenantAdmin {
            display_name: "Admin".into(),
            user_principal_name: "admin@a.example".into(),
        },
    };
    assert!(matches!(
        run(directory::create_tenant(&world.cx(), operator(), &request)),
        Err(DomainError::Conflict(_))
    ));
}

#[test]
fn a_stale_kv_read_may_accept_a_revoked_session_for_up_to_sixty_seconds_and_no_longer() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let id = world.invite(&org, "ada@guests.example").invited_user.id;
    let cookie = world.sign_in_guest(&org, "ada@guests.example");
    world.advance(MINUTE);
    run(directory::revoke_sessions(
        &world.cx(),
        operator(),
        &world.tenant(&org.id),
        &id,
    ))
    .unwrap();
    // A location the revocation mark has not reached yet still accepts the session: the
    // documented window (docs/security.md) during which a revoked cookie may still work.
    world.ports.kv.open_stale_window(KV_PROPAGATION_MS);
    assert!(world.session(&org, &cookie).is_ok());
    world.advance(KV_PROPAGATION_MS);
    assert_eq!(
        world.session(&org, &cookie),
        Err(DomainError::Session(SessionError::Revoked))
    );
}

#[test]
fn a_stale_kv_read_never_lets_a_code_succeed_twice() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.invite(&org, "ada@guests.example");
    world.advance(MINUTE);
    let (challenge, code) = world.request_code(&org, "ada@guests.example");
    world.advance(SECOND);
    assert!(world.verify(&org, &challenge, &code).is_ok());
    // Another location still sees the guest as not yet redeemed — but "once" lives in the guard.
    world.ports.kv.open_stale_window(2 * SECOND);
    assert_eq!(
        world.verify(&org, &challenge, &code),
        Err(DomainError::CodeAlreadyUsed)
    );
}

#[test]
fn a_user_deleted_elsewhere_moments_ago_may_still_be_found_but_cannot_sign_in_once_seen() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let id = world.invite(&org, "ada@guests.example").invited_user.id;
    world.advance(MINUTE);
    run(directory::delete_user(
        &world.cx(),
        operator(),
        &world.tenant(&org.id),
        &id,
    ))
    .unwrap();
    world.ports.kv.open_stale_window(30 * SECOND);
    // Within the window the deleted guest may still be sent a code (KV's trade-off)…
    let sent = world.send(&org, "ada@guests.example").unwrap();
    let code = world.codes("ada@guests.example")[0].clone();
    world.ports.kv.close_stale_window();
    // …but once the delete is seen, that code signs nobody in, and nothing of the user is left.
    assert_eq!(
        world.verify(&org, &sent.challenge, &code),
        Err(DomainError::NoAccount)
    );
    // Only the revocation mark is left, and it expires once no session it ends could be alive.
    let of_user = |world: &World| -> Vec<String> {
        let live = world.ports.kv.live_keys();
        live.into_iter().filter(|k| k.contains(&id)).collect()
    };
    assert_eq!(of_user(&world), [format!("revoked:{}:{id}", org.id)]);
    world.advance(25 * 60 * MINUTE);
    assert!(of_user(&world).is_empty());
}

#[test]
fn a_stale_user_record_written_back_cannot_undo_a_revocation() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let id = world.invite(&org, "ada@guests.example").invited_user.id;
    let cookie = world.sign_in_guest(&org, "ada@guests.example");
    world.advance(MINUTE);
    run(directory::revoke_sessions(
        &world.cx(),
        operator(),
        &world.tenant(&org.id),
        &id,
    ))
    .unwrap();
    // A location that still sees the old user record re-invites the guest, writing it back whole.
    world.ports.kv.open_stale_window(30 * SECOND);
    world.invite(&org, "ada@guests.example");
    world.ports.kv.close_stale_window();
    assert_eq!(
        world.session(&org, &cookie),
        Err(DomainError::Session(SessionError::Revoked))
    );
}
