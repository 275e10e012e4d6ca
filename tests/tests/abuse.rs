//! Abuse resistance on the real Worker: a stranger on another client network cannot stop a guest
//! or lock an administrator out; IPv6 clients count as their /64; the users list pages.

use guestpass_e2e::*;

fn from(ip: &str) -> Vec<(String, String)> {
    vec![("cf-connecting-ip".into(), ip.into())]
}

/// A /64 of its own for each caller: `2001:db8:{unique}:{unique}::/64`.
fn unique_v6_prefix() -> String {
    let octets: Vec<u16> = unique_ip()
        .split('.')
        .skip(1)
        .map(|o| o.parse().unwrap())
        .collect();
    format!(
        "2001:db8:{:x}:{:x}",
        octets[0],
        (octets[1] << 8) | octets[2]
    )
}

#[test]
fn a_stranger_on_another_network_cannot_stop_a_guest_from_signing_in_with_a_code() {
    let api = api();
    let (tenant, email, _) = api.tenant_with_guest("target");
    let (victim, attacker) = (unique_ip(), unique_ip());
    let (challenge, code) = api.request_code(&tenant, &email, &victim);
    let wrong = if code == "00000000" {
        "11111111"
    } else {
        "00000000"
    };
    // The stranger asks for a code for the guest's address and burns all its tries.
    let theirs = api.send_code(&tenant, &email, &attacker).expect(202);
    let theirs = theirs.body["challenge"].as_str().unwrap().to_string();
    for _ in 0..5 {
        api.verify(&tenant, &theirs, wrong, &attacker);
    }
    api.verify(&tenant, &theirs, wrong, &attacker)
        .expect_error(429, "too_many_attempts");
    // The guest's own code, from the guest's network, still signs in.
    api.verify(&tenant, &challenge, &code, &victim).expect(200);
}

#[test]
fn wrong_passes_from_a_strangers_network_do_not_lock_the_administrator_out() {
    let api = api();
    let tenant = api.new_tenant();
    let admin = format!("admin@{}", tenant.domain);
    let (victim, attacker) = (unique_ip(), unique_ip());
    let attempt = |ip: &str, pass: &str| {
        api.post(
            &api.tenant_path(&tenant, Endpoint::PassSignIn),
            &json!({"username": admin, "temporaryAccessPass": pass}),
            &from(ip),
        )
    };
    for _ in 0..9 {
        attempt(&attacker, "junk-pass").expect_error(400, "invalid_credentials");
    }
    attempt(&attacker, "junk-pass").expect_error(429, "too_many_attempts");
    attempt(&attacker, &tenant.admin_pass).expect_error(429, "too_many_attempts");
    attempt(&victim, &tenant.admin_pass).expect(200);
}

#[test]
fn an_ipv6_client_counts_as_its_slash_64() {
    let api = api();
    let tenant = api.new_tenant();
    let prefix = unique_v6_prefix();
    for i in 1..=30 {
        let email = format!("{}@guests.example", unique("v6"));
        api.send_code(&tenant, &email, &format!("{prefix}::{i:x}"))
            .expect(202);
    }
    let email = format!("{}@guests.example", unique("v6"));
    api.send_code(&tenant, &email, &format!("{prefix}:ffff:ffff:ffff:ffff"))
        .expect_error(429, "throttled");
    api.send_code(&tenant, &email, &format!("{}::1", unique_v6_prefix()))
        .expect(202);
}

#[test]
fn a_hundred_and_twenty_users_page_through_next_links() {
    let api = api();
    let tenant = api.new_tenant();
    for i in 0..119 {
        api.invite(&tenant, &format!("{}-{i}@guests.example", unique("page")));
    }
    let mut url = format!("{}?top=50", api.tenant_path(&tenant, Endpoint::ListUsers));
    let mut sizes = Vec::new();
    let mut ids = std::collections::BTreeSet::new();
    loop {
        let body = api.as_operator("GET", &url, None).expect(200).body;
        let value = body["value"].as_array().unwrap();
        sizes.push(value.len());
        ids.extend(value.iter().map(|u| u["id"].as_str().unwrap().to_string()));
        let Some(next) = body["nextLink"].as_str() else {
            break;
        };
        // nextLink is absolute; this client asks by path.
        url = next
            .strip_prefix(&api.base)
            .expect("a link to this deployment")
            .to_string();
    }
    assert_eq!(sizes, [50, 50, 20]);
    assert_eq!(ids.len(), 120);
    let search = format!(
        "{}?search=ADMIN@{}",
        api.tenant_path(&tenant, Endpoint::ListUsers),
        tenant.domain
    );
    let found = api.as_operator("GET", &search, None).expect(200).body;
    assert_eq!(found["value"].as_array().unwrap().len(), 1);
}

#[test]
fn a_sign_in_stays_findable_after_a_flood_of_garbage_attempts() {
    let api = api();
    let (tenant, email, _) = api.tenant_with_guest("flood");
    let verify = api.tenant_path(&tenant, Endpoint::VerifyCode);
    // A thousand garbage attempts, from ten networks (each may make 120 an hour).
    let networks: Vec<String> = (0..10).map(|_| unique_ip()).collect();
    for network in &networks {
        for _ in 0..100 {
            api.post(
                &verify,
                &json!({"challenge": "forged.challenge", "code": "12345678"}),
                &from(network),
            )
            .expect_error(400, "invalid_request");
        }
    }
    api.sign_in_guest(&tenant, &email);
    let logs = api.tenant_path(&tenant, Endpoint::SignInLogs);
    let found = eventually("the guest's sign-in in the log", || {
        let url = format!("{logs}?outcome=success&user={}", email.replace('@', "%40"));
        let body = api.as_operator("GET", &url, None).expect(200).body;
        let lines = body["value"].as_array()?.clone();
        (lines.len() == 2).then_some(lines)
    });
    assert!(found.iter().all(|l| l["address"] == email.as_str()));
    // 1,000 garbage attempts: at most a few lines of their own and one counting line per network
    // and minute. The counting line is rewritten after each response, so the last of those
    // writes may still be on its way: nearly all are counted, never more than were made.
    let failures = eventually("the folded failures", || {
        let body = api
            .as_operator("GET", &format!("{logs}?outcome=failure&top=999"), None)
            .expect(200)
            .body;
        let lines = body["value"].as_array()?.clone();
        let counted: u64 = lines.iter().map(|l| l["count"].as_u64().unwrap_or(1)).sum();
        assert!(counted <= 1000, "{counted}");
        (counted >= 970).then_some(lines)
    });
    assert!(failures.len() <= 10 * 8, "{} lines", failures.len());
}
