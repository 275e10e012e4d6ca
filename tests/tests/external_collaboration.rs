//! External collaboration over HTTP: the setting's shape and defaults, invitations refused with
//! `403 domain_not_allowed`, bad lists refused, and who may change it.

use guestpass_e2e::{api, json, Endpoint};

#[test]
fn a_blocked_domain_is_refused_with_domain_not_allowed_and_the_setting_reads_back() {
    let api = api();
    let tenant = api.new_tenant();
    let path = api.tenant_path(&tenant, Endpoint::GetExternalCollaboration);
    let initial = api.as_operator("GET", &path, None).expect(200).body;
    assert_eq!(
        initial,
        json!({"invitationDomains": {"mode": "allowAll", "domains": []}})
    );
    let body = json!({"invitationDomains": {"mode": "blockList", "domains": ["Blocked.Example"]}});
    let saved = api
        .as_operator("PATCH", &path, Some(&body))
        .expect(200)
        .body;
    assert_eq!(
        saved["invitationDomains"]["domains"],
        json!(["blocked.example"])
    );
    assert_eq!(api.as_operator("GET", &path, None).expect(200).body, saved);

    let invite = |email: &str| {
        api.as_operator(
            "POST",
            &api.tenant_path(&tenant, Endpoint::Invite),
            Some(&json!({"invitedUserEmailAddress": email, "sendInvitationMessage": false})),
        )
    };
    invite("ada@blocked.example").expect_error(403, "domain_not_allowed");
    invite("ada@eu.blocked.example").expect_error(403, "domain_not_allowed");
    invite("ada@fine.example").expect(201);
}

#[test]
fn bad_lists_are_refused_and_only_global_administrators_change_the_setting() {
    let api = api();
    let tenant = api.new_tenant();
    let path = api.tenant_path(&tenant, Endpoint::PatchExternalCollaboration);
    for bad in [
        json!({"invitationDomains": {"mode": "blockList", "domains": ["not a domain"]}}),
        json!({"invitationDomains": {"mode": "sometimes", "domains": []}}),
        json!({"invitationDomains": {"mode": "allowAll"}, "extra": true}),
    ] {
        let reply = api.as_operator("PATCH", &path, Some(&bad));
        assert_eq!(reply.status, 400, "{bad}");
    }
    let (_reader, cookie) = api.member_session(&tenant, "gloria", &["GlobalReader"]);
    api.as_session(&cookie, "GET", &path, None).expect(200);
    let body = json!({"invitationDomains": {"mode": "blockList", "domains": ["x.example"]}});
    api.as_session(&cookie, "PATCH", &path, Some(&body))
        .expect_error(403, "forbidden");
    let admin = api.admin_session(&tenant);
    api.as_session(&admin, "PATCH", &path, Some(&body))
        .expect(200);
    // Another tenant's setting is untouched.
    let other = api.new_tenant();
    let theirs = api
        .as_operator(
            "GET",
            &api.tenant_path(&other, Endpoint::GetExternalCollaboration),
            None,
        )
        .expect(200)
        .body;
    assert_eq!(theirs["invitationDomains"]["mode"], "allowAll");
}
