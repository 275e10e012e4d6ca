//! External collaboration: which domains guests may be invited from, enforced by invitations.

mod support;

use guestpass_core::directory::collaboration;
use guestpass_core::memory::run;
use guestpass_core::DomainError;
use guestpass_wire::tap::CreatePassRequest;
use guestpass_wire::{
    DomainMode, ExternalCollaborationPolicy, InvitationDomains, InvitationRequest, Role,
};
use support::*;

fn invitation(email: &str) -> InvitationRequest {
    InvitationRequest {
        invited_user_email_address: email.into(),
        invite_redirect_url: None,
        send_invitation_message: false,
        invited_user_display_name: None,
        invited_user_message_info: None,
        reset_redemption: false,
        invited_user: None,
    }
}

fn set(
    world: &World,
    org: &Org,
    cookie: &str,
    mode: DomainMode,
    domains: &[&str],
) -> Result<ExternalCollaborationPolicy, DomainError> {
    let body = ExternalCollaborationPolicy {
        invitation_domains: InvitationDomains {
            mode,
            domains: domains.iter().map(|d| d.to_string()).collect(),
        },
    };
    run(collaboration::patch(
        &world.cx(),
        with_cookie(cookie),
        world.tenant(&org.id),
        &body,
    ))
}

#[test]
fn a_blocked_domain_and_its_subdomains_cannot_be_invited_and_others_can() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let admin = world.admin_cookie(&org);
    let saved = set(
        &world,
        &org,
        &admin,
        DomainMode::BlockList,
        &[" Fabrikam.EXAMPLE ", "*.spam.example", "fabrikam.example"],
    )
    .unwrap();
    // Stored trimmed, lower case, once each.
    assert_eq!(
        saved.invitation_domains.domains,
        ["fabrikam.example", "spam.example"]
    );
    for blocked in [
        "ada@fabrikam.example",
        "bo@eu.fabrikam.example",
        "x@spam.example",
    ] {
        assert_eq!(
            world.invite_with(&org, with_cookie(&admin), &invitation(blocked)),
            Err(DomainError::DomainNotAllowed),
            "{blocked}"
        );
    }
    // A domain that only ends with the same letters is another domain.
    world
        .invite_with(
            &org,
            with_cookie(&admin),
            &invitation("cy@notfabrikam.example"),
        )
        .unwrap();
    // Nothing was written for the refused ones.
    let read = run(collaboration::get(
        &world.cx(),
        operator(),
        &world.tenant(&org.id),
    ))
    .unwrap();
    assert_eq!(read, saved);
}

#[test]
fn an_allow_list_lets_only_its_domains_in_and_allow_all_restores_everything() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let admin = world.admin_cookie(&org);
    set(
        &world,
        &org,
        &admin,
        DomainMode::AllowList,
        &["partner.example"],
    )
    .unwrap();
    world
        .invite_with(
            &org,
            with_cookie(&admin),
            &invitation("ada@partner.example"),
        )
        .unwrap();
    assert_eq!(
        world.invite_with(&org, with_cookie(&admin), &invitation("bo@other.example")),
        Err(DomainError::DomainNotAllowed)
    );
    set(&world, &org, &admin, DomainMode::AllowAll, &[]).unwrap();
    world
        .invite_with(&org, with_cookie(&admin), &invitation("bo@other.example"))
        .unwrap();
}

#[test]
fn only_those_who_invite_change_the_setting_and_bad_domains_are_refused() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let reader = world.add_member(&org, "gloria", &[Role::GlobalReader]);
    let admin = world.admin_cookie(&org);
    let pass = world
        .create_pass(
            &org,
            with_cookie(&admin),
            &reader.id,
            &CreatePassRequest {
                is_usable_once: Some(false),
                ..Default::default()
            },
        )
        .unwrap();
    let reader_cookie = cookie(
        &world
            .pass_sign_in(
                &org,
                &reader.user_principal_name,
                &pass.temporary_access_pass.unwrap(),
            )
            .unwrap(),
    );
    // The reader sees the setting but cannot change it.
    run(collaboration::get(
        &world.cx(),
        with_cookie(&reader_cookie),
        &world.tenant(&org.id),
    ))
    .unwrap();
    assert!(matches!(
        set(
            &world,
            &org,
            &reader_cookie,
            DomainMode::BlockList,
            &["x.example"]
        ),
        Err(DomainError::Forbidden(_))
    ));
    for bad in ["not a domain", "a@b.example", "", "-x.example"] {
        assert!(
            matches!(
                set(&world, &org, &admin, DomainMode::BlockList, &[bad]),
                Err(DomainError::Validation { .. })
            ),
            "{bad:?}"
        );
    }
    let too_many: Vec<String> = (0..=guestpass_wire::MAX_INVITATION_DOMAINS)
        .map(|i| format!("d{i}.example"))
        .collect();
    let too_many: Vec<&str> = too_many.iter().map(String::as_str).collect();
    assert!(matches!(
        set(&world, &org, &admin, DomainMode::BlockList, &too_many),
        Err(DomainError::Validation { .. })
    ));
    // The one accepted change is in the directory audit log, by whom.
    world.advance(1);
    set(&world, &org, &admin, DomainMode::BlockList, &["x.example"]).unwrap();
    let log = run(guestpass_core::audit::directory_changes(
        &world.cx(),
        operator(),
        &world.tenant(&org.id),
        Default::default(),
    ))
    .unwrap()
    .value;
    assert_eq!(log[0].activity, "Update external collaboration settings");
    assert_eq!(log[0].initiated_by, format!("user:{}", org.admin_id));
}
