//! A challenge, code or cookie from tenant A never works in tenant B.

use guestpass_e2e::*;

#[test]
fn a_challenge_and_code_from_one_tenant_fail_in_another() {
    let api = api();
    let (a, b) = (api.new_tenant(), api.new_tenant());
    let email = format!("{}@guests.example", unique("iso"));
    api.invite(&a, &email);
    api.invite(&b, &email);
    let ip = unique_ip();
    let (challenge, code) = api.request_code(&a, &email, &ip);
    api.verify(&b, &challenge, &code, &ip)
        .expect_error(400, "invalid_request");
    // And it still works where it belongs: the failed attempt in B cost nothing in A.
    api.verify(&a, &challenge, &code, &ip).expect(200);
}

#[test]
fn a_session_cookie_from_one_tenant_is_refused_by_another() {
    let api = api();
    let (a, b) = (api.new_tenant(), api.new_tenant());
    let email = format!("{}@guests.example", unique("isoc"));
    api.invite(&a, &email);
    api.invite(&b, &email);
    let cookie = api.sign_in_guest(&a, &email).session_cookie().unwrap();
    api.get(
        &api.tenant_path(&a, Endpoint::GetSession),
        &[("cookie".into(), cookie.clone())],
    )
    .expect(200);
    api.get(
        &api.tenant_path(&b, Endpoint::GetSession),
        &[("cookie".into(), cookie.clone())],
    )
    .expect_error(401, "unauthorized");
    // Nor does it open B's administration.
    api.get(
        &api.tenant_path(&b, Endpoint::ListUsers),
        &[("cookie".into(), cookie)],
    )
    .expect_error(401, "unauthorized");
}

#[test]
fn tenants_resolve_by_id_and_by_verified_domain_but_see_only_their_own_users() {
    let api = api();
    let (a, b) = (api.new_tenant(), api.new_tenant());
    let guest = format!("{}@guests.example", unique("only-a"));
    api.invite(&a, &guest);
    let by_domain = api
        .get(&Endpoint::SignInInfo.path(&[&a.domain]), &[])
        .expect(200);
    assert_eq!(by_domain.body["tenantId"], a.id.as_str());
    let users_b = api
        .as_operator("GET", &api.tenant_path(&b, Endpoint::ListUsers), None)
        .expect(200)
        .body;
    assert!(!users_b.to_string().contains(&guest));
    let users_a = api
        .as_operator(
            "GET",
            &format!("{}?userType=Guest", Endpoint::ListUsers.path(&[&a.domain])),
            None,
        )
        .expect(200)
        .body;
    assert_eq!(users_a["value"].as_array().unwrap().len(), 1);
    let guest_id = users_a["value"][0]["id"].as_str().unwrap();
    api.as_operator("GET", &api.user_path(&b, Endpoint::GetUser, guest_id), None)
        .expect_error(404, "user_not_found");
}
