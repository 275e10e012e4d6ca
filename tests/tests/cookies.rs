//! The session cookie per the security baseline, and what it takes to break it.

use guestpass_e2e::*;

fn signed_in(api: &Api) -> (Tenant, Reply, String) {
    let (tenant, email, user_id) = api.tenant_with_guest("cookie");
    let reply = api.sign_in_guest(&tenant, &email);
    (tenant, reply, user_id)
}

#[test]
fn the_session_cookie_is_host_only_secure_httponly_lax_and_opaque() {
    let api = api();
    let (_, reply, _) = signed_in(&api);
    let set_cookie = reply.header("set-cookie").unwrap().to_string();
    assert!(set_cookie.starts_with("__Host-guestpass="), "{set_cookie}");
    let attributes: Vec<&str> = set_cookie.split(';').map(str::trim).collect();
    for wanted in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(
            attributes.contains(&wanted),
            "{wanted} missing from {set_cookie}"
        );
    }
    assert!(
        !attributes
            .iter()
            .any(|a| a.to_ascii_lowercase().starts_with("domain=")),
        "__Host- cookies carry no Domain"
    );
    let value = reply.session_cookie().unwrap();
    assert!(
        !value.contains('@') && !value.contains("%40"),
        "no email in clear: {value}"
    );
}

#[test]
fn a_tampered_cookie_is_refused_with_401() {
    let api = api();
    let (tenant, reply, _) = signed_in(&api);
    let cookie = reply.session_cookie().unwrap();
    let mut bytes = cookie.into_bytes();
    let i = bytes.len() - 3;
    bytes[i] = if bytes[i] == b'x' { b'y' } else { b'x' };
    let tampered = String::from_utf8(bytes).unwrap();
    api.get(
        &api.tenant_path(&tenant, Endpoint::GetSession),
        &[("cookie".into(), tampered)],
    )
    .expect_error(401, "unauthorized");
    api.get(
        &api.tenant_path(&tenant, Endpoint::GetSession),
        &[("cookie".into(), "__Host-guestpass=garbage".into())],
    )
    .expect_error(401, "unauthorized");
    api.get(&api.tenant_path(&tenant, Endpoint::GetSession), &[])
        .expect_error(401, "unauthorized");
}

#[test]
fn revoking_sign_in_sessions_ends_existing_cookies() {
    let api = api();
    let (tenant, reply, user_id) = signed_in(&api);
    let cookie = reply.session_cookie().unwrap();
    api.get(
        &api.tenant_path(&tenant, Endpoint::GetSession),
        &[("cookie".into(), cookie.clone())],
    )
    .expect(200);
    api.as_operator(
        "POST",
        &api.user_path(&tenant, Endpoint::RevokeSessions, &user_id),
        Some(&json!({})),
    )
    .expect(200);
    api.get(
        &api.tenant_path(&tenant, Endpoint::GetSession),
        &[("cookie".into(), cookie)],
    )
    .expect_error(401, "unauthorized");
}

#[test]
fn a_guest_session_does_not_open_the_administration() {
    let api = api();
    let (tenant, reply, _) = signed_in(&api);
    let cookie = reply.session_cookie().unwrap();
    api.get(
        &api.tenant_path(&tenant, Endpoint::ListUsers),
        &[("cookie".into(), cookie.clone())],
    )
    .expect_error(403, "forbidden");
    api.post(
        &api.tenant_path(&tenant, Endpoint::Invite),
        &json!({"invitedUserEmailAddress": "x@y.example"}),
        &api.browser(&cookie),
    )
    .expect_error(403, "forbidden");
}
