//! "Send" answers the same whether or not the address may sign in, through the real Worker.

use guestpass_e2e::*;

fn shape(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

#[test]
fn invited_unknown_and_member_addresses_get_the_same_answer_and_only_the_guest_gets_mail() {
    let api = api();
    let tenant = api.new_tenant();
    let guest = format!("{}@guests.example", unique("real"));
    let stranger = format!("{}@guests.example", unique("nobody"));
    let member = format!("admin@{}", tenant.domain);
    api.invite(&tenant, &guest);
    let replies: Vec<Reply> = [&guest, &stranger, &member]
        .iter()
        .map(|e| api.send_code(&tenant, e, &unique_ip()))
        .collect();
    for reply in &replies {
        assert_eq!(reply.status, 202, "{}", reply.body);
        assert_eq!(shape(&reply.body), shape(&replies[0].body));
        assert_eq!(reply.body["codeLength"], 8);
        assert_eq!(reply.body["resendAfterSeconds"], 60);
        assert_eq!(
            reply.header("content-type"),
            replies[0].header("content-type")
        );
    }
    eventually("the guest's code", || api.codes(&guest).first().cloned());
    // That only the guest is mailed is pinned natively, without waiting on `waitUntil`
    // (edge/core/tests/email_otp_flows.rs, send_answers_alike_…).
    // The real reasons are in the sign-in log, for administrators only.
    let log = eventually("three logged sends", || {
        let value = api
            .as_operator("GET", &api.tenant_path(&tenant, Endpoint::SignInLogs), None)
            .body;
        let entries = value["value"].as_array()?.clone();
        (entries.len() >= 3).then_some(entries)
    });
    let reason = |addr: &str| {
        log.iter()
            .find(|e| e["address"] == addr)
            .map(|e| e["reason"].as_str().unwrap_or("").to_string())
    };
    assert_eq!(reason(&guest).as_deref(), Some("code_sent"));
    assert_eq!(reason(&stranger).as_deref(), Some("not_invited"));
    assert_eq!(reason(&member).as_deref(), Some("not_a_guest"));
    assert!(
        !serde_json::to_string(&log)
            .unwrap()
            .contains(&api.codes(&guest)[0]),
        "the log never holds a code"
    );
}

#[test]
fn throttles_apply_to_unknown_addresses_too() {
    let api = api();
    let tenant = api.new_tenant();
    let stranger = format!("{}@guests.example", unique("nobody"));
    let ip = unique_ip();
    api.send_code(&tenant, &stranger, &ip).expect(202);
    api.send_code(&tenant, &stranger, &ip)
        .expect_error(429, "throttled");
}
