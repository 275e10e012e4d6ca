//! Company branding over HTTP: the fields, the logo upload (judged by its bytes, at most 100 KB),
//! the public logo and sign-in info, and who may change it.

use guestpass_e2e::{api, json, Endpoint};

const SVG: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4" fill="teal"/></svg>"#;

#[test]
fn branding_and_its_logo_reach_the_public_sign_in_page() {
    let api = api();
    let tenant = api.new_tenant();
    let body = json!({"signInPageText": "Welcome", "backgroundColor": "#0a5fa0", "usernameHintText": "someone@example.com"});
    api.as_operator(
        "PATCH",
        &api.tenant_path(&tenant, Endpoint::PatchBranding),
        Some(&body),
    )
    .expect(200);
    let auth = api.operator_auth();
    let uploaded = api
        .raw(
            "PUT",
            &api.tenant_path(&tenant, Endpoint::PutBannerLogo),
            Some(("image/svg+xml", SVG.as_bytes().to_vec())),
            &[auth],
        )
        .expect(200);
    let url = uploaded.body["bannerLogoUrl"].as_str().unwrap().to_string();
    let info = api
        .get(&api.tenant_path(&tenant, Endpoint::SignInInfo), &[])
        .expect(200)
        .body;
    assert_eq!(info["branding"]["bannerLogoUrl"], url.as_str());
    assert_eq!(info["branding"]["backgroundColor"], "#0a5fa0");
    assert_eq!(info["branding"]["signInPageText"], "Welcome");
    assert_eq!(info["branding"]["usernameHintText"], "someone@example.com");
    // The logo itself is public (the sign-in page shows it), typed by its bytes, and inert.
    let logo = api.get(&url, &[]).expect(200);
    assert_eq!(logo.text, SVG);
    assert_eq!(logo.header("content-type"), Some("image/svg+xml"));
    assert!(logo
        .header("content-security-policy")
        .unwrap()
        .contains("default-src 'none'"));
    assert_eq!(logo.header("x-content-type-options"), Some("nosniff"));
}

#[test]
fn uploads_that_are_not_images_or_too_large_are_refused() {
    let api = api();
    let tenant = api.new_tenant();
    let path = api.tenant_path(&tenant, Endpoint::PutBannerLogo);
    let put = |content_type: &str, bytes: Vec<u8>| {
        api.raw(
            "PUT",
            &path,
            Some((content_type, bytes)),
            &[api.operator_auth()],
        )
    };
    put("image/png", b"this is text, not a PNG".to_vec()).expect_error(400, "validation_failed");
    put(
        "image/svg+xml",
        b"<svg><script>alert(1)</script></svg>".to_vec(),
    )
    .expect_error(400, "validation_failed");
    put("image/png", vec![0x89; 200 * 1024]).expect_error(413, "payload_too_large");
    // Nothing was stored.
    api.get(&path, &[]).expect_error(404, "not_found");
    let info = api
        .get(&api.tenant_path(&tenant, Endpoint::SignInInfo), &[])
        .expect(200)
        .body;
    assert!(info["branding"].get("bannerLogoUrl").is_none());
}

#[test]
fn only_global_administrators_change_branding_and_bad_colours_are_refused() {
    let api = api();
    let tenant = api.new_tenant();
    let path = api.tenant_path(&tenant, Endpoint::PatchBranding);
    api.as_operator("PATCH", &path, Some(&json!({"backgroundColor": "red"})))
        .expect_error(400, "validation_failed");
    let unknown = api.as_operator("PATCH", &path, Some(&json!({"logo": "x"})));
    assert_eq!(unknown.status, 400, "an unknown field is refused");
    let (_reader, cookie) = api.member_session(&tenant, "gloria", &["GlobalReader"]);
    api.as_session(&cookie, "GET", &path, None).expect(200);
    api.as_session(
        &cookie,
        "PATCH",
        &path,
        Some(&json!({"signInPageText": "hi"})),
    )
    .expect_error(403, "forbidden");
}
