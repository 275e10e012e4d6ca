//! "Once", tries and throttles are enforced by the Durable Object, under real concurrency.

use std::sync::Arc;

use guestpass_e2e::*;

#[test]
fn eight_concurrent_verifies_of_one_correct_code_give_exactly_one_success() {
    let api = Arc::new(api());
    let tenant = Arc::new(api.new_tenant());
    let email = format!("{}@guests.example", unique("race"));
    api.invite(&tenant, &email);
    let ip = unique_ip();
    let (challenge, code) = api.request_code(&tenant, &email, &ip);
    let barrier = Arc::new(std::sync::Barrier::new(8));
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let (api, tenant, barrier) = (api.clone(), tenant.clone(), barrier.clone());
            let (challenge, code, ip) = (challenge.clone(), code.clone(), ip.clone());
            std::thread::spawn(move || {
                barrier.wait();
                let reply = api.verify(&tenant, &challenge, &code, &ip);
                (reply.status, reply.code().to_string())
            })
        })
        .collect();
    let results: Vec<(u16, String)> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let successes = results.iter().filter(|(s, _)| *s == 200).count();
    assert_eq!(successes, 1, "{results:?}");
    assert!(
        results
            .iter()
            .filter(|(s, _)| *s != 200)
            .all(|(s, c)| *s == 400 && c == "code_already_used"),
        "{results:?}"
    );
}

#[test]
fn a_used_code_cannot_be_replayed() {
    let api = api();
    let (tenant, email, _user_id) = api.tenant_with_guest("replay");
    let ip = unique_ip();
    let (challenge, code) = api.request_code(&tenant, &email, &ip);
    api.verify(&tenant, &challenge, &code, &ip).expect(200);
    api.verify(&tenant, &challenge, &code, &ip)
        .expect_error(400, "code_already_used");
}

fn wrong(code: &str) -> String {
    if code == "00000000" {
        "11111111".into()
    } else {
        "00000000".into()
    }
}

#[test]
fn five_wrong_tries_exhaust_a_code_and_the_tries_left_count_down() {
    let api = api();
    let (tenant, email, _user_id) = api.tenant_with_guest("tries");
    let ip = unique_ip();
    let (challenge, code) = api.request_code(&tenant, &email, &ip);
    for remaining in (1..=4).rev() {
        let reply = api
            .verify(&tenant, &challenge, &wrong(&code), &ip)
            .expect_error(400, "invalid_code");
        assert_eq!(reply.body["error"]["attemptsRemaining"], remaining);
    }
    api.verify(&tenant, &challenge, &wrong(&code), &ip)
        .expect_error(429, "too_many_attempts");
    // Even the right code is refused now: the code is spent.
    api.verify(&tenant, &challenge, &code, &ip)
        .expect_error(429, "too_many_attempts");
}

#[test]
fn a_second_send_from_the_same_network_is_throttled_for_a_minute_with_retry_after() {
    let api = api();
    let (tenant, email, _user_id) = api.tenant_with_guest("throttle");
    let ip = unique_ip();
    api.send_code(&tenant, &email, &ip).expect(202);
    let again = api
        .send_code(&tenant, &email, &ip)
        .expect_error(429, "throttled");
    // The limit is per (address, client network): a stranger elsewhere cannot use it up.
    api.send_code(&tenant, &email, &unique_ip()).expect(202);
    let retry: u64 = again
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(again.body["error"]["retryAfterSeconds"], retry);
}

#[test]
fn the_client_ip_is_throttled_across_addresses_and_tenants() {
    let api = api();
    let tenant = api.new_tenant();
    let ip = unique_ip();
    // The Worker under test runs with the default of 30 sends per IP per hour.
    for i in 0..30 {
        api.send_code(
            &tenant,
            &format!("{}@spray.example", unique(&format!("s{i}"))),
            &ip,
        )
        .expect(202);
    }
    let other_tenant = api.new_tenant();
    let refused = api
        .send_code(&other_tenant, "someone@spray.example", &ip)
        .expect_error(429, "throttled");
    assert!(refused.header("retry-after").is_some());
    // Another IP is unaffected.
    api.send_code(&other_tenant, "someone@spray.example", &unique_ip())
        .expect(202);
}

#[test]
fn an_expired_or_forged_challenge_is_refused() {
    let api = api();
    let tenant = api.new_tenant();
    let ip = unique_ip();
    api.verify(&tenant, "not-a-challenge", "12345678", &ip)
        .expect_error(400, "invalid_request");
    let sent = api
        .send_code(&tenant, &format!("{}@x.example", unique("f")), &ip)
        .expect(202);
    let challenge = sent.body["challenge"].as_str().unwrap();
    let (payload, tag) = challenge.split_once('.').unwrap();
    let mut forged_tag = tag.to_string();
    forged_tag.replace_range(0..1, if tag.starts_with('A') { "B" } else { "A" });
    api.verify(&tenant, &format!("{payload}.{forged_tag}"), "12345678", &ip)
        .expect_error(400, "invalid_request");
    api.verify(&tenant, challenge, "1234", &ip)
        .expect_error(400, "validation_failed");
}

#[test]
fn a_tenant_over_guard_shards_keeps_each_code_once_across_a_change_of_the_count() {
    let api = api();
    let tenant = api.new_tenant();
    let guard = api.tenant_path(&tenant, Endpoint::PatchGuard);
    // Only the operator, and only 1 to 64.
    let admin = api.admin_session(&tenant);
    api.as_session(&admin, "PATCH", &guard, Some(&json!({"shards": 8})))
        .expect_error(401, "unauthorized");
    for refused in [
        json!({"shards": 0}),
        json!({"shards": 65}),
        json!({"shards": 300}),
    ] {
        api.as_operator("PATCH", &guard, Some(&refused))
            .expect_error(400, "validation_failed");
    }
    let set = api.as_operator("PATCH", &guard, Some(&json!({"shards": 8})));
    assert_eq!(set.expect(200).body["shards"], 8);
    assert_eq!(
        api.as_operator("GET", &guard, None).expect(200).body["shards"],
        8
    );

    // Guests' codes, spread over eight instances: each good once.
    for i in 0..6 {
        let email = format!("{}@guests.example", unique(&format!("shard{i}")));
        api.invite(&tenant, &email);
        let ip = unique_ip();
        let (challenge, code) = api.request_code(&tenant, &email, &ip);
        api.verify(&tenant, &challenge, &code, &ip).expect(200);
        api.verify(&tenant, &challenge, &code, &ip)
            .expect_error(400, "code_already_used");
    }
    // A code sent over eight is decided where it was sent after the tenant is back on one.
    let email = format!("{}@guests.example", unique("reshard"));
    api.invite(&tenant, &email);
    let ip = unique_ip();
    let (challenge, code) = api.request_code(&tenant, &email, &ip);
    api.as_operator("PATCH", &guard, Some(&json!({"shards": 1})))
        .expect(200);
    api.verify(&tenant, &challenge, &code, &ip).expect(200);
    api.verify(&tenant, &challenge, &code, &ip)
        .expect_error(400, "code_already_used");
    assert!(api
        .directory_activities(&tenant)
        .contains(&"Update guard shards".to_string()));
}
