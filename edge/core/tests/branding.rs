//! Company branding: the fields and their rules, the logo upload by its bytes, and what the
//! public sign-in page then shows.

mod support;

use guestpass_core::directory::{self, branding};
use guestpass_core::memory::run;
use guestpass_core::DomainError;
use guestpass_wire::{BrandingPatch, Role, MAX_LOGO_BYTES};
use support::*;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

fn patch(
    world: &World,
    org: &Org,
    cookie: &str,
    body: BrandingPatch,
) -> Result<guestpass_wire::Branding, DomainError> {
    run(branding::patch(
        &world.cx(),
        with_cookie(cookie),
        world.tenant(&org.id),
        &body,
    ))
}

#[test]
fn branding_shows_on_the_public_sign_in_page_and_empty_fields_clear() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let admin = world.admin_cookie(&org);
    let body = BrandingPatch {
        sign_in_page_text: Some("  Welcome to Contoso  ".into()),
        background_color: Some("#0a5".into()),
        username_hint_text: Some("someone@contoso.example".into()),
    };
    let saved = patch(&world, &org, &admin, body).unwrap();
    assert_eq!(
        saved.sign_in_page_text.as_deref(),
        Some("Welcome to Contoso")
    );
    let logo = run(branding::set_logo(
        &world.cx(),
        with_cookie(&admin),
        world.tenant(&org.id),
        PNG,
    ))
    .unwrap();
    let url = logo.banner_logo_url.unwrap();
    assert!(
        url.starts_with(&format!(
            "/api/v1/tenants/{}/branding/banner-logo?v=",
            org.id
        )),
        "{url}"
    );
    let info = directory::sign_in_info(world.cx().settings, &world.tenant(&org.id), world.now());
    assert_eq!(info.branding.background_color.as_deref(), Some("#0a5"));
    // The text colour that reads on it comes with it (dark on this light green).
    assert_eq!(info.branding.text_color.as_deref(), Some("#1b1b1f"));
    assert_eq!(
        info.branding.username_hint_text.as_deref(),
        Some("someone@contoso.example")
    );
    assert_eq!(info.branding.banner_logo_url.as_deref(), Some(url.as_str()));
    let (content_type, image) = run(branding::logo(&world.cx(), &world.tenant(&org.id))).unwrap();
    assert_eq!(
        (content_type.as_str(), image.as_slice()),
        ("image/png", PNG)
    );
    // An empty string clears a field; fields not given stay.
    let cleared = patch(
        &world,
        &org,
        &admin,
        BrandingPatch {
            background_color: Some(String::new()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(cleared.background_color, None);
    assert_eq!(cleared.text_color, None);
    assert_eq!(
        cleared.sign_in_page_text.as_deref(),
        Some("Welcome to Contoso")
    );
    assert!(cleared.banner_logo_url.is_some());
}

#[test]
fn a_logo_is_judged_by_its_bytes_and_size_and_a_refusal_changes_nothing() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let admin = world.admin_cookie(&org);
    let set = |image: &[u8]| {
        run(branding::set_logo(
            &world.cx(),
            with_cookie(&admin),
            world.tenant(&org.id),
            image,
        ))
    };
    assert!(matches!(
        set(b"just text"),
        Err(DomainError::Validation { .. })
    ));
    assert!(matches!(
        set(b"<svg onload=\"alert(1)\"/>"),
        Err(DomainError::Validation { .. })
    ));
    let mut big = PNG.to_vec();
    big.resize(MAX_LOGO_BYTES + 1, 0);
    assert_eq!(
        set(&big),
        Err(DomainError::PayloadTooLarge {
            limit: MAX_LOGO_BYTES
        })
    );
    assert_eq!(world.tenant(&org.id).branding.banner_logo_url, None);
    assert!(run(branding::logo(&world.cx(), &world.tenant(&org.id))).is_err());
    // A new logo gets a new address, so no cache shows the old one.
    let first = set(PNG).unwrap().banner_logo_url;
    let second = set(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        .unwrap()
        .banner_logo_url;
    assert_ne!(first, second);
    let (content_type, _) = run(branding::logo(&world.cx(), &world.tenant(&org.id))).unwrap();
    assert_eq!(content_type, "image/svg+xml");
}

#[test]
fn only_global_administrators_change_branding_and_bad_values_are_refused() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let admin = world.admin_cookie(&org);
    let policy_admin = world.add_member(&org, "paula", &[Role::AuthenticationPolicyAdministrator]);
    let pass = world
        .create_pass(
            &org,
            with_cookie(&admin),
            &policy_admin.id,
            &guestpass_wire::tap::CreatePassRequest {
                is_usable_once: Some(false),
                ..Default::default()
            },
        )
        .unwrap();
    let cookie_of_paula = cookie(
        &world
            .pass_sign_in(
                &org,
                &policy_admin.user_principal_name,
                &pass.temporary_access_pass.unwrap(),
            )
            .unwrap(),
    );
    run(branding::get(
        &world.cx(),
        with_cookie(&cookie_of_paula),
        &world.tenant(&org.id),
    ))
    .unwrap();
    assert!(matches!(
        patch(
            &world,
            &org,
            &cookie_of_paula,
            BrandingPatch {
                sign_in_page_text: Some("x".into()),
                ..Default::default()
            }
        ),
        Err(DomainError::Forbidden(_))
    ));
    assert!(matches!(
        run(branding::set_logo(
            &world.cx(),
            with_cookie(&cookie_of_paula),
            world.tenant(&org.id),
            PNG
        )),
        Err(DomainError::Forbidden(_))
    ));
    for bad in [
        BrandingPatch {
            background_color: Some("red".into()),
            ..Default::default()
        },
        BrandingPatch {
            sign_in_page_text: Some("x".repeat(1025)),
            ..Default::default()
        },
        BrandingPatch {
            username_hint_text: Some("two\nlines".into()),
            ..Default::default()
        },
    ] {
        assert!(
            matches!(
                patch(&world, &org, &admin, bad.clone()),
                Err(DomainError::Validation { .. })
            ),
            "{bad:?}"
        );
    }
    assert_eq!(world.tenant(&org.id).branding, Default::default());
}
