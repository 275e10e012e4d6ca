//! Temporary Access Pass on the real Worker: issuing (value once, one per user, replacement,
//! deletion), the policy, role rules, pass sign-in (one-time, lockout, sessions), isolation.

use guestpass_e2e::{api, eventually, json, unique, Api, Endpoint, Member, Tenant, Value};

/// An RFC 3339 time `hours` from now.
fn far(hours: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    guestpass_core::time::format_rfc3339(now + hours * 3_600_000)
}

fn tenant_with_member(prefix: &str) -> (Api, Tenant, Member) {
    let api = api();
    let tenant = api.new_tenant();
    let member = api.add_member(&tenant, prefix, &[], &[]);
    (api, tenant, member)
}

fn value(pass: &Value) -> String {
    pass["temporaryAccessPass"]
        .as_str()
        .expect("the value, in the create response")
        .to_string()
}

#[test]
fn the_value_is_shown_once_and_reads_never_show_it() {
    let (api, tenant, member) = tenant_with_member("once");
    let created = api.issue_pass(&tenant, &member.id, json!({}));
    assert_eq!(value(&created).len(), 8, "the policy's default length");
    assert_eq!(
        created["lifetimeInMinutes"], 60,
        "the policy's default lifetime"
    );
    assert_eq!(
        (
            created["isUsable"].as_bool(),
            created["methodUsabilityReason"].as_str()
        ),
        (Some(true), Some("EnabledByPolicy"))
    );
    let list = api
        .as_operator("GET", &api.passes_path(&tenant, &member.id), None)
        .expect(200)
        .body;
    assert_eq!(list["value"].as_array().unwrap().len(), 1);
    assert!(
        list["value"][0].get("temporaryAccessPass").is_none(),
        "{list}"
    );
    let id = created["id"].as_str().unwrap();
    let one = api
        .as_operator(
            "GET",
            &format!("{}/{id}", api.passes_path(&tenant, &member.id)),
            None,
        )
        .expect(200)
        .body;
    assert!(one.get("temporaryAccessPass").is_none());
    assert!(!one.to_string().contains(&value(&created)));
    api.as_operator(
        "GET",
        &format!(
            "{}/00000000-0000-4000-8000-000000000000",
            api.passes_path(&tenant, &member.id)
        ),
        None,
    )
    .expect_error(404, "not_found");
}

#[test]
fn a_second_pass_while_one_is_valid_is_a_conflict() {
    let (api, tenant, member) = tenant_with_member("twice");
    api.issue_pass(&tenant, &member.id, json!({}));
    let reply = api.as_operator(
        "POST",
        &api.passes_path(&tenant, &member.id),
        Some(&json!({})),
    );
    let reply = reply.expect_error(409, "conflict");
    assert!(reply.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Delete it"));
}

#[test]
fn deleting_a_valid_pass_ends_the_members_sessions_and_is_audited() {
    let (api, tenant, member) = tenant_with_member("revoked");
    let pass = api.issue_pass(&tenant, &member.id, json!({}));
    let cookie = api.session_with_pass(&tenant, &member.upn, &value(&pass));
    api.as_session(
        &cookie,
        "GET",
        &api.tenant_path(&tenant, Endpoint::GetSession),
        None,
    )
    .expect(200);
    let path = format!(
        "{}/{}",
        api.passes_path(&tenant, &member.id),
        pass["id"].as_str().unwrap()
    );
    api.as_operator("DELETE", &path, None).expect(204);
    api.as_session(
        &cookie,
        "GET",
        &api.tenant_path(&tenant, Endpoint::GetSession),
        None,
    )
    .expect_error(401, "unauthorized");
    api.pass_sign_in(&tenant, &member.upn, &value(&pass))
        .expect_error(400, "invalid_credentials");
    let log = eventually("the audit lines", || {
        let activities = api.directory_activities(&tenant);
        activities
            .iter()
            .any(|a| a == "Delete Temporary Access Pass")
            .then_some(activities)
    });
    assert!(
        log.iter().any(|a| a == "Create Temporary Access Pass"),
        "{log:?}"
    );
}

#[test]
fn a_used_or_expired_pass_is_replaced_without_ending_sessions() {
    let (api, tenant, member) = tenant_with_member("replaced");
    let once = api.issue_pass(&tenant, &member.id, json!({"isUsableOnce": true}));
    let cookie = api.session_with_pass(&tenant, &member.upn, &value(&once));
    // Used: replaced, and the session it opened lives on.
    let expired = api.issue_pass(
        &tenant,
        &member.id,
        json!({"startDateTime": far(-3), "lifetimeInMinutes": 60}),
    );
    assert_eq!(expired["methodUsabilityReason"], "Expired");
    // Expired: replaced too.
    api.issue_pass(&tenant, &member.id, json!({}));
    api.as_session(
        &cookie,
        "GET",
        &api.tenant_path(&tenant, Endpoint::GetSession),
        None,
    )
    .expect(200);
}

#[test]
fn a_one_time_pass_works_once_then_says_blocked() {
    let (api, tenant, member) = tenant_with_member("single");
    let pass = api.issue_pass(&tenant, &member.id, json!({"isUsableOnce": true}));
    let first = api
        .pass_sign_in(&tenant, &member.upn, &value(&pass))
        .expect(200);
    assert_eq!(first.body["session"]["scope"], "registration");
    assert_eq!(
        first.body["session"]["authenticationMethod"],
        "temporaryAccessPass"
    );
    let again = api
        .pass_sign_in(&tenant, &member.upn, &value(&pass))
        .expect_error(403, "temporary_access_pass_blocked");
    assert_eq!(
        again.body["error"]["message"],
        "Temporary Access Pass sign in was blocked due to User Credential Policy."
    );
    let read = api
        .as_operator("GET", &api.passes_path(&tenant, &member.id), None)
        .expect(200)
        .body;
    assert_eq!(read["value"][0]["methodUsabilityReason"], "OneTimeUsed");
}

#[test]
fn a_multi_use_pass_under_a_one_time_policy_is_blocked() {
    let (api, tenant, member) = tenant_with_member("policy");
    let pass = api.issue_pass(&tenant, &member.id, json!({}));
    api.as_operator(
        "PATCH",
        &api.tenant_path(&tenant, Endpoint::PatchPassPolicy),
        Some(&json!({"isUsableOnce": true})),
    )
    .expect(200);
    let reply = api
        .pass_sign_in(&tenant, &member.upn, &value(&pass))
        .expect_error(403, "temporary_access_pass_blocked");
    assert_eq!(
        reply.body["error"]["message"],
        "Temporary Access Pass sign in was blocked due to User Credential Policy."
    );
    // New passes under that policy are one-time, whatever is asked.
    let other = api.add_member(&tenant, "other", &[], &[]);
    assert_eq!(
        api.issue_pass(&tenant, &other.id, json!({"isUsableOnce": false}))["isUsableOnce"],
        true
    );
}

#[test]
fn a_multi_use_pass_opens_a_full_session_that_ends_with_the_pass() {
    let (api, tenant, member) = tenant_with_member("full");
    let pass = api.issue_pass(&tenant, &member.id, json!({}));
    let reply = api
        .pass_sign_in(&tenant, &member.upn, &value(&pass))
        .expect(200);
    assert_eq!(reply.body["session"]["scope"], "full");
    let expires = reply.body["session"]["expiresDateTime"].as_str().unwrap();
    assert!(
        expires <= far(1).as_str(),
        "a 1-hour pass gives at most an hour: {expires}"
    );
    // Multi-use: it works again.
    api.pass_sign_in(&tenant, &member.upn, &value(&pass))
        .expect(200);
}

#[test]
fn lifetimes_outside_the_policy_are_refused() {
    let (api, tenant, member) = tenant_with_member("lifetime");
    for minutes in [59, 1441] {
        api.as_operator(
            "POST",
            &api.passes_path(&tenant, &member.id),
            Some(&json!({"lifetimeInMinutes": minutes})),
        )
        .expect_error(400, "validation_failed");
    }
    api.as_operator(
        "POST",
        &api.passes_path(&tenant, &member.id),
        Some(&json!({"startDateTime": "soon"})),
    )
    .expect_error(400, "validation_failed");
}

#[test]
fn a_pass_that_starts_later_is_not_yet_valid() {
    let (api, tenant, member) = tenant_with_member("later");
    let pass = api.issue_pass(&tenant, &member.id, json!({"startDateTime": far(1)}));
    assert_eq!(
        (
            pass["isUsable"].as_bool(),
            pass["methodUsabilityReason"].as_str()
        ),
        (Some(false), Some("NotYetValid"))
    );
    api.pass_sign_in(&tenant, &member.upn, &value(&pass))
        .expect_error(403, "temporary_access_pass_not_yet_valid");
}

#[test]
fn guests_cannot_have_a_pass() {
    let api = api();
    let (tenant, _, guest_id) = api.tenant_with_guest("noguest");
    let reply = api.as_operator(
        "POST",
        &api.passes_path(&tenant, &guest_id),
        Some(&json!({})),
    );
    let reply = reply.expect_error(400, "validation_failed");
    assert_eq!(
        reply.body["error"]["message"],
        "Temporary Access Pass cannot be added to an external guest user."
    );
}

#[test]
fn nobody_issues_their_own_pass_and_authentication_administrators_issue_for_members_only() {
    let api = api();
    let tenant = api.new_tenant();
    let admin = api.admin_session(&tenant);
    api.as_session(
        &admin,
        "POST",
        &api.passes_path(&tenant, &tenant.admin_id),
        Some(&json!({})),
    )
    .expect_error(403, "forbidden");

    let helpdesk = api.add_member(&tenant, "helpdesk", &["AuthenticationAdministrator"], &[]);
    let helpdesk_pass = api.issue_pass(&tenant, &helpdesk.id, json!({}));
    let helpdesk_session = api.session_with_pass(&tenant, &helpdesk.upn, &value(&helpdesk_pass));
    api.as_session(
        &helpdesk_session,
        "POST",
        &api.passes_path(&tenant, &tenant.admin_id),
        Some(&json!({})),
    )
    .expect_error(403, "forbidden");
    let plain = api.add_member(&tenant, "plain", &[], &[]);
    let issued = api
        .as_session(
            &helpdesk_session,
            "POST",
            &api.passes_path(&tenant, &plain.id),
            Some(&json!({})),
        )
        .expect(201);
    assert!(issued.body["temporaryAccessPass"].is_string());

    let privileged = api.add_member(
        &tenant,
        "privileged",
        &["PrivilegedAuthenticationAdministrator"],
        &[],
    );
    let privileged_pass = api.issue_pass(&tenant, &privileged.id, json!({}));
    let privileged_session =
        api.session_with_pass(&tenant, &privileged.upn, &value(&privileged_pass));
    api.as_session(
        &privileged_session,
        "POST",
        &api.passes_path(&tenant, &helpdesk.id),
        Some(&json!({})),
    )
    .expect(409);

    let reader = api.add_member(&tenant, "reader", &["GlobalReader"], &[]);
    let reader_pass = api.issue_pass(&tenant, &reader.id, json!({}));
    let reader_session = api.session_with_pass(&tenant, &reader.upn, &value(&reader_pass));
    let seen = api
        .as_session(
            &reader_session,
            "GET",
            &api.passes_path(&tenant, &plain.id),
            None,
        )
        .expect(200);
    assert!(
        seen.body["value"][0].get("temporaryAccessPass").is_none(),
        "readers see details, never values"
    );
    api.as_session(
        &reader_session,
        "POST",
        &api.passes_path(&tenant, &plain.id),
        Some(&json!({})),
    )
    .expect_error(403, "forbidden");
}

#[test]
fn a_registration_session_may_not_administer() {
    let api = api();
    let tenant = api.new_tenant();
    let global = api.add_member(&tenant, "newadmin", &["GlobalAdministrator"], &[]);
    let pass = api.issue_pass(&tenant, &global.id, json!({"isUsableOnce": true}));
    let cookie = api.session_with_pass(&tenant, &global.upn, &value(&pass));
    let me = api
        .as_session(
            &cookie,
            "GET",
            &api.tenant_path(&tenant, Endpoint::GetSession),
            None,
        )
        .expect(200);
    assert_eq!(me.body["scope"], "registration");
    api.as_session(
        &cookie,
        "GET",
        &api.tenant_path(&tenant, Endpoint::ListUsers),
        None,
    )
    .expect_error(403, "forbidden");
    api.as_session(
        &cookie,
        "GET",
        &api.tenant_path(&tenant, Endpoint::GetPassPolicy),
        None,
    )
    .expect_error(403, "forbidden");
}

#[test]
fn ten_wrong_passes_lock_pass_sign_in_even_with_the_right_one() {
    let (api, tenant, member) = tenant_with_member("locked");
    let pass = api.issue_pass(&tenant, &member.id, json!({}));
    for _ in 0..9 {
        api.pass_sign_in(&tenant, &member.upn, "Wrong234")
            .expect_error(400, "invalid_credentials");
    }
    let locked = api
        .pass_sign_in(&tenant, &member.upn, "Wrong234")
        .expect_error(429, "too_many_attempts");
    assert!(locked
        .header("retry-after")
        .is_some_and(|s| s.parse::<u64>().unwrap() > 800));
    api.pass_sign_in(&tenant, &member.upn, &value(&pass))
        .expect_error(429, "too_many_attempts");
}

#[test]
fn unknown_usernames_answer_like_wrong_passes_and_lock_alike() {
    let (api, tenant, member) = tenant_with_member("known");
    api.issue_pass(&tenant, &member.id, json!({}));
    let nobody = format!("{}@{}", unique("nobody"), tenant.domain);
    let unknown = api
        .pass_sign_in(&tenant, &nobody, "Wrong234")
        .expect_error(400, "invalid_credentials");
    let wrong = api
        .pass_sign_in(&tenant, &member.upn, "Wrong234")
        .expect_error(400, "invalid_credentials");
    assert_eq!(unknown.body, wrong.body);
    for _ in 0..9 {
        api.pass_sign_in(&tenant, &nobody, "Wrong234");
    }
    api.pass_sign_in(&tenant, &nobody, "Wrong234")
        .expect_error(429, "too_many_attempts");
}

#[test]
fn a_pass_or_session_from_one_tenant_never_works_in_another() {
    let (api, a, member) = tenant_with_member("isolated");
    let b = api.new_tenant();
    let pass = api.issue_pass(&a, &member.id, json!({}));
    api.pass_sign_in(&b, &member.upn, &value(&pass))
        .expect_error(400, "invalid_credentials");
    let admin_a = api.admin_session(&a);
    api.as_session(
        &admin_a,
        "GET",
        &api.tenant_path(&b, Endpoint::GetPassPolicy),
        None,
    )
    .expect_error(401, "unauthorized");
    api.as_session(
        &admin_a,
        "POST",
        &api.passes_path(&b, &b.admin_id),
        Some(&json!({})),
    )
    .expect_error(401, "unauthorized");
    api.as_operator("GET", &api.passes_path(&b, &member.id), None)
        .expect_error(404, "user_not_found");
}

#[test]
fn the_policy_keeps_the_seeds_ranges_and_only_policy_administrators_change_it() {
    let api = api();
    let tenant = api.new_tenant();
    let path = api.tenant_path(&tenant, Endpoint::GetPassPolicy);
    let policy = api.as_operator("GET", &path, None).expect(200).body;
    assert_eq!(policy["minimumLifetimeInMinutes"], 60);
    assert_eq!(policy["maximumLifetimeInMinutes"], 1440);
    assert_eq!(policy["defaultLifetimeInMinutes"], 60);
    assert_eq!(policy["defaultLength"], 8);
    assert_eq!(policy["isUsableOnce"], false);
    for bad in [
        json!({"maximumLifetimeInMinutes": 43201}),
        json!({"minimumLifetimeInMinutes": 9}),
        json!({"defaultLength": 49}),
        json!({"defaultLength": 7}),
        json!({"defaultLifetimeInMinutes": 30}),
        json!({"state": "sometimes"}),
        json!({"unknownField": 1}),
    ] {
        let reply = api.as_operator("PATCH", &path, Some(&bad));
        assert_eq!(reply.status, 400, "{bad}: {}", reply.body);
    }
    let changed = api
        .as_operator("PATCH", &path, Some(&json!({"minimumLifetimeInMinutes": 10, "defaultLifetimeInMinutes": 30, "defaultLength": 48})))
        .expect(200)
        .body;
    assert_eq!(
        (
            changed["defaultLifetimeInMinutes"].as_u64(),
            changed["defaultLength"].as_u64()
        ),
        (Some(30), Some(48))
    );
    let member = api.add_member(&tenant, "long", &[], &[]);
    assert_eq!(
        value(&api.issue_pass(&tenant, &member.id, json!({}))).len(),
        48
    );

    let reader = api.add_member(&tenant, "reader", &["GlobalReader"], &[]);
    let reader_pass = api.issue_pass(&tenant, &reader.id, json!({}));
    let reader_session = api.session_with_pass(&tenant, &reader.upn, &value(&reader_pass));
    api.as_session(&reader_session, "GET", &path, None)
        .expect(200);
    api.as_session(
        &reader_session,
        "PATCH",
        &path,
        Some(&json!({"defaultLength": 9})),
    )
    .expect_error(403, "forbidden");
    let policy_admin = api.add_member(
        &tenant,
        "policyadmin",
        &["AuthenticationPolicyAdministrator"],
        &[],
    );
    let policy_admin_pass = api.issue_pass(&tenant, &policy_admin.id, json!({}));
    let policy_session =
        api.session_with_pass(&tenant, &policy_admin.upn, &value(&policy_admin_pass));
    api.as_session(
        &policy_session,
        "PATCH",
        &path,
        Some(&json!({"defaultLength": 9})),
    )
    .expect(200);
}

#[test]
fn a_disabled_policy_or_one_for_other_groups_refuses_the_pass() {
    let api = api();
    let tenant = api.new_tenant();
    let pilot = api.add_member(&tenant, "pilot", &[], &["pilot"]);
    let shown = api
        .as_operator(
            "GET",
            &api.user_path(&tenant, Endpoint::GetUser, &pilot.id),
            None,
        )
        .expect(200)
        .body;
    assert_eq!(shown["groups"], json!(["pilot"]));
    let other = api.add_member(&tenant, "other", &[], &["sales"]);
    let pilot_pass = api.issue_pass(&tenant, &pilot.id, json!({}));
    let other_pass = api.issue_pass(&tenant, &other.id, json!({}));
    let path = api.tenant_path(&tenant, Endpoint::GetPassPolicy);
    api.as_operator(
        "PATCH",
        &path,
        Some(&json!({"includeTargets": [{"id": "pilot", "targetType": "group"}]})),
    )
    .expect(200);
    api.pass_sign_in(&tenant, &pilot.upn, &value(&pilot_pass))
        .expect(200);
    api.pass_sign_in(&tenant, &other.upn, &value(&other_pass))
        .expect_error(403, "temporary_access_pass_disabled");
    let read = api
        .as_operator("GET", &api.passes_path(&tenant, &other.id), None)
        .expect(200)
        .body;
    assert_eq!(
        read["value"][0]["methodUsabilityReason"],
        "DisabledByPolicy"
    );
    api.as_operator("PATCH", &path, Some(&json!({"state": "disabled"})))
        .expect(200);
    api.pass_sign_in(&tenant, &pilot.upn, &value(&pilot_pass))
        .expect_error(403, "temporary_access_pass_disabled");
    let info = api
        .get(&api.tenant_path(&tenant, Endpoint::SignInInfo), &[])
        .expect(200)
        .body;
    assert_eq!(info["methods"]["temporaryAccessPass"], false);
}

#[test]
fn members_are_added_in_a_verified_domain_once() {
    let api = api();
    let tenant = api.new_tenant();
    let path = api.tenant_path(&tenant, Endpoint::ListUsers);
    let outside = json!({"displayName": "Eve", "userPrincipalName": "eve@elsewhere.example"});
    api.as_operator("POST", &path, Some(&outside))
        .expect_error(400, "validation_failed");
    let ada = json!({"displayName": "Ada", "userPrincipalName": format!("ada@{}", tenant.domain), "roles": ["GlobalReader"]});
    let created = api.as_operator("POST", &path, Some(&ada)).expect(201).body;
    assert_eq!(created["userType"], "Member");
    assert_eq!(created["roles"], json!(["GlobalReader"]));
    api.as_operator("POST", &path, Some(&ada))
        .expect_error(409, "conflict");
    let bad_role = json!({"displayName": "Bo", "userPrincipalName": format!("bo@{}", tenant.domain), "roles": ["Emperor"]});
    api.as_operator("POST", &path, Some(&bad_role)).expect(400);
    // A Global Administrator's session may add members; an Authentication Administrator's may not.
    let cy = json!({"displayName": "Cy", "userPrincipalName": format!("cy@{}", tenant.domain)});
    let helpdesk = api.add_member(&tenant, "helpdesk", &["AuthenticationAdministrator"], &[]);
    let helpdesk_pass = api.issue_pass(&tenant, &helpdesk.id, json!({}));
    let helpdesk_session = api.session_with_pass(&tenant, &helpdesk.upn, &value(&helpdesk_pass));
    api.as_session(&helpdesk_session, "POST", &path, Some(&cy))
        .expect_error(403, "forbidden");
    let admin = api.admin_session(&tenant);
    api.as_session(&admin, "POST", &path, Some(&cy)).expect(201);
}
