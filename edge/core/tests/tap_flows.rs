//! Members and the Temporary Access Pass, natively: issue, sign in, one-time use, lockout,
//! deletion, and who may do what.

mod support;

use guestpass_core::memory::run;
use guestpass_core::session::SessionError;
use guestpass_core::tap::GUEST_REFUSAL;
use guestpass_core::time::MINUTE;
use guestpass_core::{directory, tap, DomainError};
use guestpass_wire::tap::{
    CreatePassRequest, MethodUsabilityReason, TemporaryAccessPassPolicyPatch,
};
use guestpass_wire::{AuthenticationMethod, InvitationRequest, Role, SessionScope};
use support::*;

fn one_time() -> CreatePassRequest {
    CreatePassRequest {
        is_usable_once: Some(true),
        ..Default::default()
    }
}

#[test]
fn the_bootstrap_pass_signs_the_first_administrator_in_for_a_full_session() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let cookie = world.admin_cookie(&org);
    let session = world.session(&org, &cookie).unwrap();
    assert_eq!(session.scope, SessionScope::Full);
    assert_eq!(
        session.authentication_method,
        AuthenticationMethod::TemporaryAccessPass
    );
    assert_eq!(session.user.roles, [Role::GlobalAdministrator]);
}

#[test]
fn a_one_time_pass_opens_a_registration_session_once_then_is_blocked() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let megan = world.add_member(&org, "megan", &[]);
    let pass = world
        .create_pass(&org, operator(), &megan.id, &one_time())
        .unwrap();
    let value = pass.temporary_access_pass.expect("the value, once");
    let signed_in = world
        .pass_sign_in(&org, "megan@contoso.example", &value)
        .unwrap();
    assert_eq!(signed_in.body.session.scope, SessionScope::Registration);
    assert_eq!(
        world.pass_sign_in(&org, "megan@contoso.example", &value),
        Err(DomainError::PassBlocked)
    );
    // Reads show it used, and never the value.
    let read = run(tap::issue::get(
        &world.cx(),
        operator(),
        &world.tenant(&org.id),
        &megan.id,
        &pass.id,
    ))
    .unwrap();
    assert_eq!(
        read.method_usability_reason,
        MethodUsabilityReason::OneTimeUsed
    );
    assert_eq!(read.temporary_access_pass, None);
    // A registration session lasts ten minutes.
    let cookie = cookie(&signed_in);
    world.advance(10 * MINUTE);
    assert_eq!(
        world.session(&org, &cookie),
        Err(DomainError::Session(SessionError::Expired))
    );
}

#[test]
fn deleting_a_valid_pass_ends_the_members_sessions_but_an_expired_one_ends_nothing() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let megan = world.add_member(&org, "megan", &[]);
    let pass = world
        .create_pass(&org, operator(), &megan.id, &CreatePassRequest::default())
        .unwrap();
    let first = cookie_for(&world, &org, pass.temporary_access_pass.as_deref().unwrap());
    assert!(
        world
            .create_pass(&org, operator(), &megan.id, &CreatePassRequest::default())
            .is_err(),
        "a second pass while one is valid is a conflict"
    );
    let delete = |id: &str| {
        run(tap::issue::delete(
            &world.cx(),
            operator(),
            &world.tenant(&org.id),
            &megan.id,
            id,
        ))
    };
    delete(&pass.id).unwrap();
    assert_eq!(
        world.session(&org, &first),
        Err(DomainError::Session(SessionError::Revoked))
    );

    let expiring = world
        .create_pass(&org, operator(), &megan.id, &CreatePassRequest::default())
        .unwrap();
    let second = cookie_for(
        &world,
        &org,
        expiring.temporary_access_pass.as_deref().unwrap(),
    );
    world.advance(60 * MINUTE);
    // The pass has ended, and so has the session it opened (it ends no later than the pass).
    assert_eq!(
        world.session(&org, &second),
        Err(DomainError::Session(SessionError::Expired))
    );
    let replacement = world
        .create_pass(&org, operator(), &megan.id, &CreatePassRequest::default())
        .expect("an expired pass is replaced");
    let fresh = cookie_for(
        &world,
        &org,
        replacement.temporary_access_pass.as_deref().unwrap(),
    );
    delete(&replacement.id).unwrap();
    assert!(world.session(&org, &fresh).is_err());
}

fn cookie_for(world: &World, org: &Org, pass: &str) -> String {
    cookie(
        &world
            .pass_sign_in(org, "megan@contoso.example", pass)
            .unwrap(),
    )
}

#[test]
fn ten_wrong_passes_lock_the_username_for_fifteen_minutes_even_for_the_right_pass() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let admin = format!("admin@{}", org.domain);
    for _ in 0..9 {
        assert_eq!(
            world.pass_sign_in(&org, &admin, "wrong-pass"),
            Err(DomainError::InvalidCredentials)
        );
    }
    assert!(matches!(
        world.pass_sign_in(&org, &admin, "wrong-pass"),
        Err(DomainError::PassLocked {
            retry_after_seconds: 900
        })
    ));
    assert!(matches!(
        world.pass_sign_in(&org, &admin, &org.admin_pass),
        Err(DomainError::PassLocked { .. })
    ));
    world.advance(15 * MINUTE);
    assert!(world.pass_sign_in(&org, &admin, &org.admin_pass).is_ok());
}

#[test]
fn unknown_names_guests_and_members_without_a_pass_answer_like_a_wrong_pass() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.invite(&org, "ada@guests.example");
    world.add_member(&org, "nopass", &[]);
    for username in [
        "nobody@contoso.example",
        "ada@guests.example",
        "nopass@contoso.example",
    ] {
        assert_eq!(
            world.pass_sign_in(&org, username, &org.admin_pass),
            Err(DomainError::InvalidCredentials),
            "{username}"
        );
    }
}

#[test]
fn a_disabled_policy_refuses_the_right_pass_and_says_so() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let patch = TemporaryAccessPassPolicyPatch {
        state: Some(guestpass_wire::tap::PolicyState::Disabled),
        ..Default::default()
    };
    run(tap::policy::patch(
        &world.cx(),
        operator(),
        world.tenant(&org.id),
        &patch,
    ))
    .unwrap();
    let admin = format!("admin@{}", org.domain);
    assert_eq!(
        world.pass_sign_in(&org, &admin, &org.admin_pass),
        Err(DomainError::PassDisabled)
    );
    assert_eq!(
        world.pass_sign_in(&org, &admin, "wrong-pass"),
        Err(DomainError::InvalidCredentials)
    );
}

#[test]
fn role_rules_hold_through_the_use_cases() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let helpdesk = world.add_member(&org, "helpdesk", &[Role::AuthenticationAdministrator]);
    let reader = world.add_member(&org, "reader", &[Role::GlobalReader]);
    let plain = world.add_member(&org, "plain", &[]);
    let guest_id = world.invite(&org, "ada@guests.example").invited_user.id;
    let sign_in = |user: &guestpass_wire::User| {
        let pass = world
            .create_pass(&org, operator(), &user.id, &CreatePassRequest::default())
            .unwrap();
        cookie(
            &world
                .pass_sign_in(
                    &org,
                    &user.user_principal_name,
                    pass.temporary_access_pass.as_deref().unwrap(),
                )
                .unwrap(),
        )
    };
    let helpdesk_cookie = sign_in(&helpdesk);
    let reader_cookie = sign_in(&reader);
    let helpdesk_session = with_cookie(&helpdesk_cookie);
    let reader_session = with_cookie(&reader_cookie);

    // An Authentication Administrator issues passes for members without a role only.
    assert!(world
        .create_pass(
            &org,
            helpdesk_session,
            &plain.id,
            &CreatePassRequest::default()
        )
        .is_ok());
    assert!(matches!(
        world.create_pass(
            &org,
            helpdesk_session,
            &reader.id,
            &CreatePassRequest::default()
        ),
        Err(DomainError::Forbidden(_))
    ));
    // Nobody issues their own pass.
    assert!(matches!(
        world.create_pass(
            &org,
            helpdesk_session,
            &helpdesk.id,
            &CreatePassRequest::default()
        ),
        Err(DomainError::Forbidden(_))
    ));
    // Guests never get a pass, with the seed's words.
    assert!(matches!(
        world.create_pass(&org, operator(), &guest_id, &CreatePassRequest::default()),
        Err(DomainError::Validation { message, .. }) if message == GUEST_REFUSAL
    ));
    // Only a Global Administrator invites; a reader reads and changes nothing.
    let invitation = InvitationRequest {
        invited_user_email_address: "bob@guests.example".into(),
        invite_redirect_url: None,
        send_invitation_message: false,
        invited_user_display_name: None,
        invited_user_message_info: None,
        reset_redemption: false,
        invited_user: None,
    };
    assert!(matches!(
        world.invite_with(&org, helpdesk_session, &invitation),
        Err(DomainError::Forbidden(_))
    ));
    let tenant = world.tenant(&org.id);
    assert!(run(directory::list_users(
        &world.cx(),
        reader_session,
        &tenant,
        Default::default()
    ))
    .is_ok());
    assert!(matches!(
        run(tap::policy::patch(
            &world.cx(),
            reader_session,
            tenant.clone(),
            &TemporaryAccessPassPolicyPatch::default()
        )),
        Err(DomainError::Forbidden(_))
    ));
    assert!(matches!(
        run(directory::delete_user(
            &world.cx(),
            reader_session,
            &tenant,
            &plain.id
        )),
        Err(DomainError::Forbidden(_))
    ));
    // A Global Administrator may not delete themselves.
    let admin_cookie = world.admin_cookie(&org);
    assert!(matches!(
        run(directory::delete_user(
            &world.cx(),
            with_cookie(&admin_cookie),
            &tenant,
            &org.admin_id
        )),
        Err(DomainError::Forbidden(_))
    ));
}

#[test]
fn a_registration_session_may_not_administer() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let boss = world.add_member(&org, "boss", &[Role::GlobalAdministrator]);
    let pass = world
        .create_pass(&org, operator(), &boss.id, &one_time())
        .unwrap();
    let cookie = cookie(
        &world
            .pass_sign_in(
                &org,
                "boss@contoso.example",
                pass.temporary_access_pass.as_deref().unwrap(),
            )
            .unwrap(),
    );
    assert!(matches!(
        run(directory::list_users(
            &world.cx(),
            with_cookie(&cookie),
            &world.tenant(&org.id),
            Default::default()
        )),
        Err(DomainError::Forbidden(_))
    ));
}
