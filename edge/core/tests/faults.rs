//! When KV or the guard fails, sign-in fails closed with `503` (`StorageUnavailable`), and a
//! change cut short leaves nothing reachable that is inconsistent.

mod support;

use guestpass_core::memory::run;
use guestpass_core::{directory, DomainError};
use guestpass_wire::ErrorCode;
use support::*;

fn unavailable<T: std::fmt::Debug>(result: Result<T, DomainError>) {
    let err = result.unwrap_err();
    assert!(matches!(err, DomainError::StorageUnavailable(_)), "{err:?}");
    let api = err.to_api();
    assert_eq!(api.error.code, ErrorCode::ServiceUnavailable);
    assert_eq!(api.error.code.http_status(), 503);
}

#[test]
fn an_unreachable_guard_fails_every_sign_in_closed_and_sends_nothing() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.invite(&org, "ada@guests.example");
    let (challenge, code) = world.request_code(&org, "ada@guests.example");
    world.ports.guard.set_unreachable(true);
    unavailable(world.send(&org, "ada@guests.example"));
    assert_eq!(
        world.codes("ada@guests.example").len(),
        1,
        "no new code mailed"
    );
    unavailable(world.verify(&org, &challenge, &code));
    unavailable(world.pass_sign_in(&org, &format!("admin@{}", org.domain), &org.admin_pass));
    // Back again: the code that could not be checked still works, once.
    world.ports.guard.set_unreachable(false);
    assert!(world.verify(&org, &challenge, &code).is_ok());
}

#[test]
fn a_failing_kv_read_refuses_the_session_check_instead_of_guessing() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let cookie = world.admin_cookie(&org);
    let tenant = world.tenant(&org.id);
    world.ports.kv.fail_reads();
    let session = run(guestpass_core::session::get(
        &world.cx(),
        with_cookie(&cookie),
        &tenant,
    ));
    unavailable(session);
    world.ports.kv.heal();
    assert!(world.session(&org, &cookie).is_ok());
}

#[test]
fn an_invitation_cut_short_leaves_the_address_unreachable_until_it_is_retried() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    // The user record is written; the sign-in index that makes it reachable is not.
    world.ports.kv.fail_writes_after(1);
    let request = guestpass_wire::InvitationRequest {
        invited_user_email_address: "ada@guests.example".into(),
        invite_redirect_url: None,
        send_invitation_message: true,
        invited_user_display_name: None,
        invited_user_message_info: None,
        reset_redemption: false,
        invited_user: None,
    };
    unavailable(world.invite_with(&org, operator(), &request));
    world.ports.kv.heal();
    assert!(
        world.ports.mailer.sent_to("ada@guests.example").is_empty(),
        "no invitation mailed"
    );
    let found = run(world
        .cx()
        .directory()
        .user_by_sign_in_name(&org.id, "ada@guests.example"));
    assert_eq!(found.unwrap(), None, "nothing reachable");
    // A retry completes it; the address signs in to exactly one guest.
    let invitation = world.invite_with(&org, operator(), &request).unwrap();
    let cookie = world.sign_in_guest(&org, "ada@guests.example");
    let session = world.session(&org, &cookie).unwrap();
    assert_eq!(session.user.id, invitation.invited_user.id);
}

#[test]
fn a_tenant_cut_short_is_not_reachable_and_its_domain_stays_free() {
    let world = World::new();
    // Admin record, index and pass are written; the tenant record and its domain are not.
    world.ports.kv.fail_writes_after(3);
    let request = guestpass_wire::CreateTenantRequest {
        display_name: "Contoso".into(),
        verified_domains: vec!["contoso.example".into()],
        admin: guestpass_wire::CreateTenantAdmin {
            display_name: "Admin".into(),
            user_principal_name: "admin@contoso.example".into(),
        },
    };
    unavailable(run(directory::create_tenant(
        &world.cx(),
        operator(),
        &request,
    )));
    world.ports.kv.heal();
    assert_eq!(
        run(world.cx().directory().resolve_tenant("contoso.example")).unwrap_err(),
        DomainError::TenantNotFound
    );
    assert!(run(directory::create_tenant(&world.cx(), operator(), &request)).is_ok());
}
