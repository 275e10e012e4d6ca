//! Passkeys on the real Worker, with 1Password's independent WebAuthn client and software
//! authenticator: register in a registration session, sign in with the passkey, and the ways it
//! must fail — a replayed challenge, another tenant, a deleted passkey, a guest, the policy.

use guestpass_e2e::device::{
    assertion_for, device, member_with_passkey, register, registration_session, Device,
};
use guestpass_e2e::{localhost_api, unique, Api, Endpoint, Tenant};
use serde_json::{json, Value};

/// Sign-in options and the device's assertion: the sign-in request body.
async fn assertion(
    api: &Api,
    tenant: &Tenant,
    username: Option<&str>,
    device: &mut Device,
) -> Value {
    let options = api
        .post(
            &api.tenant_path(tenant, Endpoint::PasskeyOptions),
            &json!({ "username": username }),
            &[],
        )
        .expect(200)
        .body;
    assert_eq!(
        options["allowCredentials"],
        json!([]),
        "no list says who has a passkey"
    );
    let credential = assertion_for(api, device, options).await;
    json!({ "username": username, "credential": credential })
}

fn sign_in(api: &Api, tenant: &Tenant, body: &Value) -> guestpass_e2e::Reply {
    api.post(&api.tenant_path(tenant, Endpoint::PasskeySignIn), body, &[])
}

#[tokio::test]
async fn a_member_registers_a_passkey_with_a_one_time_pass_and_signs_in_with_it() {
    let api = localhost_api();
    let tenant = api.new_tenant();
    let mut device = device();
    let (member, created) = member_with_passkey(&api, &tenant, &mut device).await;
    assert_eq!(created["displayName"], "Laptop");
    assert_eq!(created["aaGuid"], "00000000-0000-0000-0000-000000000000");

    // Username first, then discoverable: each a full day's session.
    for username in [Some(member.upn.as_str()), None] {
        let body = assertion(&api, &tenant, username, &mut device).await;
        let reply = sign_in(&api, &tenant, &body).expect(200);
        assert_eq!(reply.body["session"]["authenticationMethod"], "passkey");
        assert_eq!(reply.body["session"]["scope"], "full");
        assert_eq!(reply.body["session"]["user"]["id"], member.id.as_str());
        let cookie = reply.session_cookie().expect("a session cookie");
        let mine = api
            .as_session(
                &cookie,
                "GET",
                &api.tenant_path(&tenant, Endpoint::ListOwnPasskeys),
                None,
            )
            .expect(200)
            .body;
        assert_eq!(mine["value"][0]["id"], created["id"]);
    }
    let info = api
        .get(&api.tenant_path(&tenant, Endpoint::SignInInfo), &[])
        .expect(200)
        .body;
    assert_eq!(info["methods"]["passkey"], true);
}

#[tokio::test]
async fn a_replayed_assertion_or_one_from_another_tenant_is_not_recognized() {
    let api = localhost_api();
    let tenant = api.new_tenant();
    let other = api.new_tenant();
    let mut device = device();
    member_with_passkey(&api, &tenant, &mut device).await;
    let body = assertion(&api, &tenant, None, &mut device).await;
    sign_in(&api, &tenant, &body).expect(200);
    sign_in(&api, &tenant, &body).expect_error(400, "passkey_not_recognized");

    let elsewhere = assertion(&api, &other, None, &mut device).await;
    sign_in(&api, &other, &elsewhere).expect_error(400, "passkey_not_recognized");
    // The reason is in the sign-in log, never in the answer.
    let log = api
        .as_operator("GET", &api.tenant_path(&other, Endpoint::SignInLogs), None)
        .expect(200)
        .body;
    let reasons: Vec<&str> = log["value"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["reason"].as_str())
        .collect();
    assert!(
        reasons.contains(&"passkey_unknown_credential"),
        "{reasons:?}"
    );
}

#[tokio::test]
async fn an_administrator_deletes_the_passkey_and_it_no_longer_signs_in() {
    let api = localhost_api();
    let tenant = api.new_tenant();
    let mut device = device();
    let (member, created) = member_with_passkey(&api, &tenant, &mut device).await;
    let methods = api.user_path(&tenant, Endpoint::ListPasskeys, &member.id);
    let listed = api.as_operator("GET", &methods, None).expect(200).body;
    assert_eq!(listed["value"][0]["id"], created["id"]);
    let one = format!("{methods}/{}", created["id"].as_str().unwrap());
    api.as_operator("DELETE", &one, None).expect(204);
    api.as_operator("DELETE", &one, None)
        .expect_error(404, "not_found");
    let body = assertion(&api, &tenant, None, &mut device).await;
    sign_in(&api, &tenant, &body).expect_error(400, "passkey_not_recognized");
}

#[tokio::test]
async fn a_guest_cannot_register_a_passkey() {
    let api = localhost_api();
    let (tenant, email, _) = api.tenant_with_guest("gita");
    let cookie = api
        .sign_in_guest(&tenant, &email)
        .expect(200)
        .session_cookie()
        .unwrap();
    api.as_session(
        &cookie,
        "POST",
        &api.tenant_path(&tenant, Endpoint::PasskeyRegistrationOptions),
        Some(&json!({})),
    )
    .expect_error(403, "forbidden");
}

#[tokio::test]
async fn the_policy_blocks_an_authenticator_model_and_only_policy_administrators_change_it() {
    let api = localhost_api();
    let tenant = api.new_tenant();
    let policy = api.tenant_path(&tenant, Endpoint::GetPasskeyPolicy);
    let block = json!({"aaGuidRestriction": {"mode": "blockList", "aaGuids": ["00000000-0000-0000-0000-000000000000"]}});
    let (_, reader) = api.member_session(&tenant, &unique("reader"), &["GlobalReader"]);
    assert_eq!(
        api.as_session(&reader, "GET", &policy, None)
            .expect(200)
            .body["isUserVerificationRequired"],
        true
    );
    api.as_session(&reader, "PATCH", &policy, Some(&block))
        .expect_error(403, "forbidden");
    let saved = api
        .as_operator("PATCH", &policy, Some(&block))
        .expect(200)
        .body;
    assert_eq!(saved["aaGuidRestriction"]["mode"], "blockList");
    api.as_operator(
        "PATCH",
        &policy,
        Some(&json!({"aaGuidRestriction": {"mode": "allowList", "aaGuids": ["nope"]}})),
    )
    .expect_error(400, "validation_failed");

    let (_, registration) = registration_session(&api, &tenant, "amelie");
    let mut device = device();
    register(&api, &tenant, &registration, &mut device)
        .await
        .expect_error(403, "passkey_not_allowed");
}
