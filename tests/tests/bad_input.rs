//! Client mistakes get the error shape and a 4xx — never a 500 — and leave nothing half-written.

use guestpass_e2e::*;

fn no_headers() -> Vec<(String, String)> {
    Vec::new()
}

#[test]
fn malformed_json_missing_fields_and_wrong_types_are_400() {
    let api = api();
    let tenant = api.new_tenant();
    let send = api.tenant_path(&tenant, Endpoint::SendCode);
    api.raw(
        "POST",
        &send,
        Some(("application/json", b"{\"email\":".to_vec())),
        &no_headers(),
    )
    .expect_error(400, "invalid_json");
    api.raw(
        "POST",
        &send,
        Some(("application/json", b"".to_vec())),
        &no_headers(),
    )
    .expect_error(400, "invalid_json");
    api.post(&send, &json!({}), &no_headers())
        .expect_error(400, "validation_failed");
    api.post(&send, &json!({"email": 42}), &no_headers())
        .expect_error(400, "validation_failed");
    api.post(
        &send,
        &json!({"email": "a@b.example", "extra": true}),
        &no_headers(),
    )
    .expect_error(400, "validation_failed");
    api.post(&send, &json!(["a@b.example"]), &no_headers())
        .expect_error(400, "validation_failed");
}

#[test]
fn bad_email_syntax_is_invalid_email() {
    let api = api();
    let tenant = api.new_tenant();
    for bad in [
        "",
        "plainaddress",
        "a@b",
        "a b@c.example",
        &format!("{}@x.example", "a".repeat(300)),
    ] {
        api.send_code(&tenant, bad, &unique_ip())
            .expect_error(400, "invalid_email");
    }
}

#[test]
fn the_wrong_content_type_is_415_and_oversized_bodies_are_413() {
    let api = api();
    let tenant = api.new_tenant();
    let send = api.tenant_path(&tenant, Endpoint::SendCode);
    api.raw(
        "POST",
        &send,
        Some(("text/plain", b"{\"email\":\"a@b.example\"}".to_vec())),
        &no_headers(),
    )
    .expect_error(415, "unsupported_media_type");
    api.raw(
        "POST",
        &send,
        Some((
            "application/x-www-form-urlencoded",
            b"email=a%40b.example".to_vec(),
        )),
        &no_headers(),
    )
    .expect_error(415, "unsupported_media_type");
    api.raw("POST", &send, None, &no_headers())
        .expect_error(415, "unsupported_media_type");
    let huge = json!({"email": "a".repeat(20_000)});
    api.post(&send, &huge, &no_headers())
        .expect_error(413, "payload_too_large");
}

#[test]
fn unknown_routes_are_404_and_wrong_methods_405() {
    let api = api();
    let tenant = api.new_tenant();
    api.get("/api/v1/nothing-here", &no_headers())
        .expect_error(404, "not_found");
    let nowhere = format!(
        "{}/no-such-thing",
        api.tenant_path(&tenant, Endpoint::SignInInfo)
    );
    api.get(&nowhere, &no_headers())
        .expect_error(404, "not_found");
    api.get(&api.tenant_path(&tenant, Endpoint::SendCode), &no_headers())
        .expect_error(405, "method_not_allowed");
    api.raw(
        "DELETE",
        &api.tenant_path(&tenant, Endpoint::SignInInfo),
        None,
        &no_headers(),
    )
    .expect_error(405, "method_not_allowed");
    api.raw(
        "PUT",
        &Endpoint::Health.path(&[]),
        Some(("application/json", b"{}".to_vec())),
        &no_headers(),
    )
    .expect_error(405, "method_not_allowed");
}

#[test]
fn missing_and_unknown_tenants_say_so() {
    let api = api();
    api.get("/api/v1/tenants", &no_headers())
        .expect_error(400, "tenant_missing");
    api.get("/api/v1/tenants/", &no_headers())
        .expect_error(400, "tenant_missing");
    let sign_in = |tenant: &str| Endpoint::SignInInfo.path(&[tenant]);
    api.get(
        &sign_in("00000000-0000-4000-8000-000000000000"),
        &no_headers(),
    )
    .expect_error(404, "tenant_not_found");
    api.get(&sign_in("nobody.example"), &no_headers())
        .expect_error(404, "tenant_not_found");
    api.get(&sign_in("%3Cscript%3E"), &no_headers())
        .expect_error(404, "tenant_not_found");
}

#[test]
fn cross_site_state_changes_are_refused_with_403() {
    let api = api();
    let tenant = api.new_tenant();
    let send = api.tenant_path(&tenant, Endpoint::SendCode);
    let body = json!({"email": "a@b.example"});
    let evil_origin = vec![("origin".to_string(), "https://evil.example".to_string())];
    api.post(&send, &body, &evil_origin)
        .expect_error(403, "cross_site_request");
    let cross_site = vec![("sec-fetch-site".to_string(), "cross-site".to_string())];
    api.post(&send, &body, &cross_site)
        .expect_error(403, "cross_site_request");
    // A cookie-carrying call that says nothing of its origin is no browser we trust.
    let silent_cookie = vec![("cookie".to_string(), "__Host-guestpass=x".to_string())];
    api.post(&send, &body, &silent_cookie)
        .expect_error(403, "cross_site_request");
    // Same-origin browser calls and cookie-less automation pass.
    let same = vec![
        ("origin".to_string(), api.base.clone()),
        ("sec-fetch-site".to_string(), "same-origin".to_string()),
    ];
    api.post(&send, &body, &same).expect(202);
}

#[test]
fn admin_endpoints_need_credentials() {
    let api = api();
    let tenant = api.new_tenant();
    api.get(
        &api.tenant_path(&tenant, Endpoint::ListUsers),
        &no_headers(),
    )
    .expect_error(401, "unauthorized");
    let wrong = vec![(
        "authorization".to_string(),
        "Bearer wrong-token-wrong-token-wrong-token".to_string(),
    )];
    api.get(&api.tenant_path(&tenant, Endpoint::ListUsers), &wrong)
        .expect_error(401, "unauthorized");
    api.post(&Endpoint::CreateTenant.path(&[]), &json!({}), &wrong)
        .expect_error(401, "unauthorized");
}

#[test]
fn a_refused_invitation_writes_nothing() {
    let api = api();
    let tenant = api.new_tenant();
    let invitations = api.tenant_path(&tenant, Endpoint::Invite);
    let bad_redirect = json!({"invitedUserEmailAddress": "kept-out@guests.example", "inviteRedirectUrl": "javascript:alert(1)"});
    api.as_operator("POST", &invitations, Some(&bad_redirect))
        .expect_error(400, "validation_failed");
    let bad_email = json!({"invitedUserEmailAddress": "not an email"});
    api.as_operator("POST", &invitations, Some(&bad_email))
        .expect_error(400, "invalid_email");
    let member = json!({"invitedUserEmailAddress": format!("admin@{}", tenant.domain)});
    api.as_operator("POST", &invitations, Some(&member))
        .expect_error(409, "conflict");
    let users = api
        .as_operator("GET", &api.tenant_path(&tenant, Endpoint::ListUsers), None)
        .expect(200)
        .body;
    assert_eq!(
        users["value"].as_array().unwrap().len(),
        1,
        "only the administrator: {users}"
    );
}

#[test]
fn operator_tenant_requests_are_validated() {
    let api = api();
    let tenants = &Endpoint::CreateTenant.path(&[]);
    let outside = json!({"displayName": "X", "verifiedDomains": [format!("{}.example", unique("v"))],
        "admin": {"displayName": "A", "userPrincipalName": "a@elsewhere.example"}});
    api.as_operator("POST", tenants, Some(&outside))
        .expect_error(400, "validation_failed");
    let no_domain = json!({"displayName": "X", "verifiedDomains": [], "admin": {"displayName": "A", "userPrincipalName": "a@x.example"}});
    api.as_operator("POST", tenants, Some(&no_domain))
        .expect_error(400, "validation_failed");
    let taken = api.new_tenant();
    let duplicate = json!({"displayName": "X", "verifiedDomains": [taken.domain],
        "admin": {"displayName": "A", "userPrincipalName": format!("a@{}", taken.domain)}});
    api.as_operator("POST", tenants, Some(&duplicate))
        .expect_error(409, "conflict");
}

#[test]
fn every_api_answer_carries_the_security_headers() {
    let api = api();
    for reply in [
        api.get(&Endpoint::Health.path(&[]), &no_headers()),
        api.get("/api/v1/nothing", &no_headers()),
    ] {
        assert_eq!(reply.header("cache-control"), Some("no-store"));
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(reply.header("referrer-policy"), Some("no-referrer"));
        assert!(reply
            .header("content-security-policy")
            .unwrap()
            .contains("frame-ancestors 'none'"));
        assert!(reply.header("strict-transport-security").is_some());
    }
    assert_eq!(
        api.get(&Endpoint::Health.path(&[]), &no_headers())
            .expect(200)
            .body,
        json!({"status": "ok"})
    );
}
