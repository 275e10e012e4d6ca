//! Whole guest sign-ins with an email code, natively: the same use cases the Worker runs, on
//! in-memory ports, with a clock the test advances.

mod support;

use guestpass_core::guard::GuardCommand;
use guestpass_core::memory::run;
use guestpass_core::session::SessionError;
use guestpass_core::time::{MINUTE, SECOND};
use guestpass_core::{directory, email_otp, session, DomainError};
use guestpass_wire::{
    AuthenticationMethod, EmailOtpPolicyPatch, EmailOtpState, ExternalUserState, InvitationRequest,
    UserRef, UserType,
};
use support::*;

#[test]
fn a_guest_is_invited_signs_in_with_a_code_redeems_and_a_revocation_ends_the_session() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let invitation = world.invite(&org, "Ada@Guests.example");
    assert_eq!(invitation.status, ExternalUserState::PendingAcceptance);
    let guest_id = invitation.invited_user.id;

    let (challenge, code) = world.request_code(&org, "ada@guests.example");
    world.advance(20 * SECOND);
    let signed_in = world.verify(&org, &challenge, &code).unwrap();
    assert_eq!(
        signed_in.body.redirect_url.as_deref(),
        Some("https://apps.example/welcome")
    );
    assert!(signed_in.set_cookie.starts_with("__Host-guestpass="));
    let guest = world.user(&org, &guest_id);
    assert_eq!(guest.external_user_state, Some(ExternalUserState::Accepted));
    assert_eq!(guest.source.as_deref(), Some("Email one-time passcode"));

    let cookie = cookie(&signed_in);
    let session = world.session(&org, &cookie).unwrap();
    assert_eq!(
        session.authentication_method,
        AuthenticationMethod::EmailOtp
    );
    assert_eq!(session.user.user_type, UserType::Guest);

    run(directory::revoke_sessions(
        &world.cx(),
        operator(),
        &world.tenant(&org.id),
        &guest_id,
    ))
    .unwrap();
    assert_eq!(
        world.session(&org, &cookie),
        Err(DomainError::Session(SessionError::Revoked))
    );
    // A new sign-in works again after a revocation.
    world.advance(MINUTE);
    let again = world.sign_in_guest(&org, "ada@guests.example");
    assert!(world.session(&org, &again).is_ok());
}

#[test]
fn a_code_succeeds_once_and_a_replay_is_refused() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.invite(&org, "ada@guests.example");
    let (challenge, code) = world.request_code(&org, "ada@guests.example");
    world.verify(&org, &challenge, &code).unwrap();
    assert_eq!(
        world.verify(&org, &challenge, &code),
        Err(DomainError::CodeAlreadyUsed)
    );
}

#[test]
fn a_superseded_code_no_longer_signs_in_but_the_newest_does() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.invite(&org, "ada@guests.example");
    let (first_challenge, first_code) = world.request_code(&org, "ada@guests.example");
    world.advance(MINUTE);
    let (second_challenge, second_code) = world.request_code(&org, "ada@guests.example");
    assert_eq!(
        world.verify(&org, &first_challenge, &first_code),
        Err(DomainError::CodeSuperseded)
    );
    assert!(world.verify(&org, &second_challenge, &second_code).is_ok());
}

#[test]
fn five_wrong_codes_exhaust_the_code_even_for_the_right_one_and_a_new_code_works() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.invite(&org, "ada@guests.example");
    let (challenge, code) = world.request_code(&org, "ada@guests.example");
    for left in (1..=4).rev() {
        assert_eq!(
            world.verify(&org, &challenge, wrong(&code)),
            Err(DomainError::WrongCode {
                attempts_remaining: left
            })
        );
    }
    let exhausted = DomainError::TooManyAttempts {
        retry_after_seconds: None,
    };
    assert_eq!(
        world.verify(&org, &challenge, wrong(&code)),
        Err(exhausted.clone())
    );
    assert_eq!(world.verify(&org, &challenge, &code), Err(exhausted));
    world.advance(MINUTE);
    let (challenge, code) = world.request_code(&org, "ada@guests.example");
    assert!(world.verify(&org, &challenge, &code).is_ok());
}

#[test]
fn a_code_works_until_thirty_minutes_after_it_was_sent_and_not_at_thirty() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.invite(&org, "ada@guests.example");
    world.invite(&org, "bob@guests.example");
    let (ada_challenge, ada_code) = world.request_code(&org, "ada@guests.example");
    let (bob_challenge, bob_code) = world.request_code(&org, "bob@guests.example");
    world.advance(30 * MINUTE - 1);
    assert!(world.verify(&org, &ada_challenge, &ada_code).is_ok());
    world.advance(1);
    assert_eq!(
        world.verify(&org, &bob_challenge, &bob_code),
        Err(DomainError::CodeExpired)
    );
}

#[test]
fn a_guest_session_lasts_twenty_four_hours() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.invite(&org, "ada@guests.example");
    let cookie = world.sign_in_guest(&org, "ada@guests.example");
    world.advance(24 * 60 * MINUTE - 1);
    assert!(world.session(&org, &cookie).is_ok());
    world.advance(1);
    assert_eq!(
        world.session(&org, &cookie),
        Err(DomainError::Session(SessionError::Expired))
    );
}

#[test]
fn send_answers_alike_for_invited_unknown_and_member_addresses_and_mails_only_the_guest() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.invite(&org, "ada@guests.example");
    let member = "admin@contoso.example";
    let answers: Vec<_> = ["ada@guests.example", "eve@guests.example", member]
        .iter()
        .map(|address| {
            world.advance(1);
            world.send(&org, address).unwrap()
        })
        .collect();
    for answer in &answers {
        assert_eq!(answer.expires_at, answers[0].expires_at);
        assert_eq!(answer.code_length, 8);
        assert_eq!(answer.resend_after_seconds, 60);
    }
    assert_eq!(world.codes("ada@guests.example").len(), 1);
    assert!(world.ports.mailer.sent_to("eve@guests.example").is_empty());
    assert!(world.ports.mailer.sent_to(member).is_empty());
    // The same work for each: the same guard commands, in the same order.
    let kinds: Vec<_> = world
        .ports
        .guard
        .calls()
        .iter()
        .map(|(instance, command)| {
            let kind = match command {
                GuardCommand::NetworkSend { .. } => "network",
                GuardCommand::Send { .. } => "send",
                _ => "other",
            };
            (instance.split(':').next().unwrap().to_string(), kind)
        })
        .collect();
    assert_eq!(kinds.len(), 6);
    assert_eq!(kinds[0..2], kinds[2..4]);
    assert_eq!(kinds[2..4], kinds[4..6]);
    // The real reasons are in the sign-in log, which never holds the code.
    let log = run(guestpass_core::audit::sign_ins(
        &world.cx(),
        operator(),
        &world.tenant(&org.id),
        Default::default(),
    ))
    .unwrap()
    .value;
    let reasons: Vec<_> = log.iter().map(|e| e.reason.as_str()).collect();
    assert_eq!(reasons, ["not_a_guest", "not_invited", "code_sent"]);
    let text = serde_json::to_string(&log).unwrap();
    assert!(!text.contains(&world.codes("ada@guests.example")[0]));
}

#[test]
fn the_right_code_for_an_address_that_may_not_sign_in_looks_wrong() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.invite(&org, "ada@guests.example");
    let (challenge, code) = world.request_code(&org, "ada@guests.example");
    run(directory::delete_user(
        &world.cx(),
        operator(),
        &world.tenant(&org.id),
        &world.tenant_user_id(&org, "ada@guests.example"),
    ))
    .unwrap();
    assert_eq!(
        world.verify(&org, &challenge, &code),
        Err(DomainError::NoAccount)
    );
}

#[test]
fn one_send_a_minute_per_address_and_thirty_an_hour_per_client_ip() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.send(&org, "eve@guests.example").unwrap();
    assert_eq!(
        world.send(&org, "eve@guests.example"),
        Err(DomainError::Throttled {
            retry_after_seconds: 60
        })
    );
    // Every send the client makes counts against its hour, the throttled one above included.
    for n in 3..=30 {
        world.send(&org, &format!("x{n}@guests.example")).unwrap();
    }
    assert!(matches!(
        world.send(&org, "late@guests.example"),
        Err(DomainError::Throttled { .. })
    ));
    // Another client is not affected.
    assert!(world
        .send_from(&org, "late@guests.example", "198.51.100.1")
        .is_ok());
}

#[test]
fn a_send_the_client_network_is_refused_leaves_the_guests_live_code_working() {
    let world = World::new();
    let (org, other) = (
        world.create_tenant("contoso.example"),
        world.create_tenant("fabrikam.example"),
    );
    world.invite(&org, "ada@guests.example");
    let (challenge, code) = world.request_code(&org, "ada@guests.example");
    // The guest's network (a shared NAT, say) uses its hour in another tenant.
    for n in 2..=30 {
        world.send(&other, &format!("x{n}@guests.example")).unwrap();
    }
    world.advance(MINUTE);
    assert!(matches!(
        world.send(&org, "ada@guests.example"),
        Err(DomainError::Throttled { .. })
    ));
    // The refused send replaced nothing: the code she has still signs her in.
    assert!(world.verify(&org, &challenge, &code).is_ok());
}

#[test]
fn email_codes_turned_off_refuse_send_and_verify_and_turned_on_again_work() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.invite(&org, "ada@guests.example");
    let (challenge, code) = world.request_code(&org, "ada@guests.example");
    let set = |state| {
        run(email_otp::policy::patch(
            &world.cx(),
            operator(),
            world.tenant(&org.id),
            &EmailOtpPolicyPatch { state },
        ))
        .unwrap()
    };
    assert!(!set(EmailOtpState::Disabled).is_effectively_enabled);
    assert_eq!(
        world.verify(&org, &challenge, &code),
        Err(DomainError::EmailOtpDisabled)
    );
    assert_eq!(
        world.send(&org, "ada@guests.example"),
        Err(DomainError::EmailOtpDisabled)
    );
    assert!(set(EmailOtpState::Enabled).is_effectively_enabled);
    assert!(world.verify(&org, &challenge, &code).is_ok());
}

#[test]
fn reset_redemption_keeps_the_id_ends_sessions_and_sends_a_new_invitation() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let id = world.invite(&org, "ada@guests.example").invited_user.id;
    let cookie = world.sign_in_guest(&org, "ada@guests.example");
    let reset = InvitationRequest {
        invited_user_email_address: "ada@guests.example".into(),
        invite_redirect_url: None,
        send_invitation_message: true,
        invited_user_display_name: None,
        invited_user_message_info: None,
        reset_redemption: true,
        invited_user: Some(UserRef { id: id.clone() }),
    };
    let invitation = world.invite_with(&org, operator(), &reset).unwrap();
    assert_eq!(invitation.invited_user.id, id);
    assert_eq!(invitation.status, ExternalUserState::PendingAcceptance);
    assert_eq!(
        world.user(&org, &id).external_user_state,
        Some(ExternalUserState::PendingAcceptance)
    );
    assert_eq!(
        world.session(&org, &cookie),
        Err(DomainError::Session(SessionError::Revoked))
    );
    let mail = world.ports.mailer.sent_to("ada@guests.example");
    assert!(mail
        .last()
        .unwrap()
        .text
        .contains(&invitation.invite_redeem_url));
    // The guest redeems again.
    world.advance(MINUTE);
    world.sign_in_guest(&org, "ada@guests.example");
    assert_eq!(
        world.user(&org, &id).external_user_state,
        Some(ExternalUserState::Accepted)
    );
}

#[test]
fn signing_out_ends_every_session_of_the_user() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.invite(&org, "ada@guests.example");
    let laptop = world.sign_in_guest(&org, "ada@guests.example");
    world.advance(MINUTE);
    let phone = world.sign_in_guest(&org, "ada@guests.example");
    run(session::sign_out(
        &world.cx(),
        with_cookie(&phone),
        &world.tenant(&org.id),
    ))
    .unwrap();
    assert!(world.session(&org, &laptop).is_err());
    assert!(world.session(&org, &phone).is_err());
    // Signing out again is not an error.
    assert!(run(session::sign_out(
        &world.cx(),
        with_cookie(&phone),
        &world.tenant(&org.id)
    ))
    .is_ok());
}
