//! Administration: the email-code policy, reset redemption, users, logs, the outbox, the provider.

use guestpass_e2e::*;

#[test]
fn the_policy_defaults_to_default_and_is_effectively_enabled_after_the_auto_enable_date() {
    let api = api();
    let tenant = api.new_tenant();
    let policy = api
        .as_operator(
            "GET",
            &api.tenant_path(&tenant, Endpoint::GetEmailOtpPolicy),
            None,
        )
        .expect(200)
        .body;
    assert_eq!(policy["state"], "default");
    assert_eq!(policy["autoEnableOn"], "2026-01-01");
    assert_eq!(policy["isEffectivelyEnabled"], true);
    let bad = json!({"state": "sometimes"});
    api.as_operator(
        "PATCH",
        &api.tenant_path(&tenant, Endpoint::PatchEmailOtpPolicy),
        Some(&bad),
    )
    .expect_error(400, "validation_failed");
    let read_only = json!({"state": "enabled", "isEffectivelyEnabled": false});
    api.as_operator(
        "PATCH",
        &api.tenant_path(&tenant, Endpoint::PatchEmailOtpPolicy),
        Some(&read_only),
    )
    .expect_error(400, "validation_failed");
}

#[test]
fn disabling_email_codes_stops_redeemed_guests_with_email_otp_disabled() {
    let api = api();
    let (tenant, email, _user_id) = api.tenant_with_guest("dis");
    let ip = unique_ip();
    let (challenge, code) = api.request_code(&tenant, &email, &ip);
    let policy = api.tenant_path(&tenant, Endpoint::GetEmailOtpPolicy);
    let disabled = api
        .as_operator("PATCH", &policy, Some(&json!({"state": "disabled"})))
        .expect(200)
        .body;
    assert_eq!(disabled["isEffectivelyEnabled"], false);
    api.verify(&tenant, &challenge, &code, &ip)
        .expect_error(403, "email_otp_disabled");
    api.send_code(&tenant, &email, &unique_ip())
        .expect_error(403, "email_otp_disabled");
    let info = api
        .get(&api.tenant_path(&tenant, Endpoint::SignInInfo), &[])
        .expect(200)
        .body;
    assert_eq!(info["methods"]["emailOtp"], false);
    // Enabled again, the code that was outstanding still works (it was never consumed).
    api.as_operator("PATCH", &policy, Some(&json!({"state": "enabled"})))
        .expect(200);
    api.verify(&tenant, &challenge, &code, &ip).expect(200);
    let log = api.directory_activities(&tenant);
    assert!(
        log.iter()
            .any(|a| a == "Update email one-time passcode policy"),
        "{log:?}"
    );
}

#[test]
fn reset_redemption_keeps_the_id_revokes_sessions_and_can_resend_the_invitation() {
    let api = api();
    let (tenant, email, user_id) = api.tenant_with_guest("reset");
    let cookie = api.sign_in_guest(&tenant, &email).session_cookie().unwrap();
    let user_path = api.user_path(&tenant, Endpoint::GetUser, &user_id);
    assert_eq!(
        api.as_operator("GET", &user_path, None).body["externalUserState"],
        "Accepted"
    );

    let reset = json!({"invitedUserEmailAddress": email, "sendInvitationMessage": true, "resetRedemption": true, "invitedUser": {"id": user_id}});
    let reply = api
        .as_operator(
            "POST",
            &api.tenant_path(&tenant, Endpoint::Invite),
            Some(&reset),
        )
        .expect(201)
        .body;
    assert_eq!(reply["invitedUser"]["id"], user_id.as_str());
    assert_eq!(reply["status"], "PendingAcceptance");
    assert_eq!(reply["resetRedemption"], true);
    let user = api.as_operator("GET", &user_path, None).expect(200).body;
    assert_eq!(user["externalUserState"], "PendingAcceptance");
    assert_eq!(user["id"], user_id.as_str());
    api.get(
        &api.tenant_path(&tenant, Endpoint::GetSession),
        &[("cookie".into(), cookie)],
    )
    .expect_error(401, "unauthorized");
    let invitation_email = eventually("the new invitation email", || {
        api.outbox(&email).into_iter().find(|m| {
            m["text"]
                .as_str()
                .is_some_and(|t| t.contains(reply["inviteRedeemUrl"].as_str().unwrap()))
        })
    });
    assert!(invitation_email["subject"]
        .as_str()
        .unwrap()
        .contains("invited you"));
    let log = api
        .as_operator(
            "GET",
            &api.tenant_path(&tenant, Endpoint::DirectoryLogs),
            None,
        )
        .expect(200)
        .body;
    assert!(log.to_string().contains("Reset redemption status"));
}

#[test]
fn reset_redemption_refuses_unknown_users_and_members() {
    let api = api();
    let tenant = api.new_tenant();
    let invitations = api.tenant_path(&tenant, Endpoint::Invite);
    let unknown = json!({"invitedUserEmailAddress": "x@guests.example", "resetRedemption": true,
        "invitedUser": {"id": "00000000-0000-4000-8000-000000000000"}});
    api.as_operator("POST", &invitations, Some(&unknown))
        .expect_error(404, "user_not_found");
    let member = json!({"invitedUserEmailAddress": "x@guests.example", "resetRedemption": true, "invitedUser": {"id": tenant.admin_id}});
    api.as_operator("POST", &invitations, Some(&member))
        .expect_error(400, "validation_failed");
    let without_id =
        json!({"invitedUserEmailAddress": "x@guests.example", "resetRedemption": true});
    api.as_operator("POST", &invitations, Some(&without_id))
        .expect_error(400, "validation_failed");
}

#[test]
fn users_list_filters_by_type_and_deleting_a_guest_stops_their_sign_in() {
    let api = api();
    let (tenant, email, user_id) = api.tenant_with_guest("del");
    let guests = api
        .as_operator(
            "GET",
            &format!(
                "{}?userType=Guest",
                api.tenant_path(&tenant, Endpoint::ListUsers)
            ),
            None,
        )
        .expect(200)
        .body;
    assert_eq!(guests["value"].as_array().unwrap().len(), 1);
    assert_eq!(guests["value"][0]["externalUserState"], "PendingAcceptance");
    assert_eq!(guests["value"][0]["source"], "Invited user");
    let members = api
        .as_operator(
            "GET",
            &format!(
                "{}?userType=Member",
                api.tenant_path(&tenant, Endpoint::ListUsers)
            ),
            None,
        )
        .expect(200)
        .body;
    assert_eq!(members["value"][0]["roles"], json!(["GlobalAdministrator"]));
    api.as_operator(
        "GET",
        &format!(
            "{}?userType=Robot",
            api.tenant_path(&tenant, Endpoint::ListUsers)
        ),
        None,
    )
    .expect_error(400, "validation_failed");

    let ip = unique_ip();
    let (challenge, code) = api.request_code(&tenant, &email, &ip);
    api.as_operator(
        "DELETE",
        &api.user_path(&tenant, Endpoint::DeleteUser, &user_id),
        None,
    )
    .expect(204);
    api.as_operator(
        "GET",
        &api.user_path(&tenant, Endpoint::GetUser, &user_id),
        None,
    )
    .expect_error(404, "user_not_found");
    api.verify(&tenant, &challenge, &code, &ip)
        .expect_error(400, "invalid_code");
}

#[test]
fn the_sign_in_log_records_outcomes_with_ip_and_never_the_code() {
    let api = api();
    let (tenant, email, _user_id) = api.tenant_with_guest("log");
    let ip = unique_ip();
    let (challenge, code) = api.request_code(&tenant, &email, &ip);
    let wrong = if code == "00000000" {
        "11111111"
    } else {
        "00000000"
    };
    api.verify(&tenant, &challenge, wrong, &ip)
        .expect_error(400, "invalid_code");
    api.verify(&tenant, &challenge, &code, &ip).expect(200);
    let entries = eventually("three log entries", || {
        let value = api
            .as_operator("GET", &api.tenant_path(&tenant, Endpoint::SignInLogs), None)
            .body;
        let entries = value["value"].as_array()?.clone();
        (entries.len() >= 3).then_some(entries)
    });
    // Newest first.
    assert_eq!(entries[0]["outcome"], "success");
    assert!(entries
        .iter()
        .any(|e| e["reason"] == "invalid_code" && e["outcome"] == "failure"));
    assert!(entries
        .iter()
        .all(|e| e["ipAddress"] == ip.as_str() && e["authenticationMethod"] == "emailOtp"));
    let text = serde_json::to_string(&entries).unwrap();
    assert!(!text.contains(&code) && !text.contains(wrong) && !text.contains(&challenge));
}

#[test]
fn the_provider_receives_mail_over_http_with_its_key_and_5xx_is_retried() {
    let api = api();
    let tenant = api.new_tenant();
    let email = format!("{}-provider-fails-once@guests.example", unique("p"));
    let body = json!({"invitedUserEmailAddress": email, "sendInvitationMessage": true});
    let invitation = api
        .as_operator(
            "POST",
            &api.tenant_path(&tenant, Endpoint::Invite),
            Some(&body),
        )
        .expect(201)
        .body;
    let attempts = eventually("a retried delivery", || {
        let received = api.provider_received(&email);
        (received.len() >= 2).then_some(received)
    });
    assert_eq!(attempts[0]["status"], 503);
    assert_eq!(attempts[1]["status"], 200);
    assert!(attempts.iter().all(|a| a["authorized"] == true));
    assert!(attempts[1]["text"]
        .as_str()
        .unwrap()
        .contains(invitation["inviteRedeemUrl"].as_str().unwrap()));
    // A provider's 4xx is final: one attempt only.
    let rejected = format!("{}-provider-rejects@guests.example", unique("p"));
    api.invite(&tenant, &rejected);
    api.send_code(&tenant, &rejected, &unique_ip()).expect(202);
    eventually("the rejected attempt", || {
        api.provider_received(&rejected).first().cloned()
    });
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(api.provider_received(&rejected).len(), 1);
}

#[test]
fn the_dev_outbox_lists_messages_oldest_first_and_validates_its_filter() {
    let api = api();
    let tenant = api.new_tenant();
    let email = format!("{}@guests.example", unique("box"));
    let body = json!({"invitedUserEmailAddress": email, "sendInvitationMessage": true});
    api.as_operator(
        "POST",
        &api.tenant_path(&tenant, Endpoint::Invite),
        Some(&body),
    )
    .expect(201);
    api.wait_for_email(&email, 1);
    api.send_code(&tenant, &email, &unique_ip()).expect(202);
    let second = api.wait_for_email(&email, 2);
    let first = api.outbox(&email)[0].clone();
    assert!(first["subject"].as_str().unwrap().contains("invited you"));
    assert!(second["subject"]
        .as_str()
        .unwrap()
        .contains("verification code"));
    assert!(first["sentDateTime"].as_str() <= second["sentDateTime"].as_str());
    api.get(
        &format!("{}?to=not-an-address", Endpoint::DevOutbox.path(&[])),
        &[],
    )
    .expect_error(400, "invalid_email");
}

#[test]
fn the_directory_log_pages_with_next_link_and_filters_by_activity() {
    let api = api();
    let tenant = api.new_tenant();
    for i in 0..3 {
        api.add_member(&tenant, &format!("m{i}"), &[], &[]);
    }
    api.as_operator(
        "PATCH",
        &api.tenant_path(&tenant, Endpoint::PatchBranding),
        Some(&json!({"signInPageText": "Welcome"})),
    )
    .expect(200);
    let path = api.tenant_path(&tenant, Endpoint::DirectoryLogs);
    let entries = eventually("five changes in the log", || {
        let body = api.as_operator("GET", &path, None).body;
        let value = body["value"].as_array()?.clone();
        (value.len() >= 5).then_some(value)
    });
    assert_eq!(entries[0]["activity"], "Update company branding");
    let first = api
        .as_operator("GET", &format!("{path}?top=2"), None)
        .expect(200)
        .body;
    assert_eq!(first["value"].as_array().unwrap().len(), 2);
    let next = first["nextLink"]
        .as_str()
        .expect("a nextLink while more remain");
    let rest = next
        .split_once("/api/")
        .map(|(_, p)| format!("/api/{p}"))
        .unwrap();
    let second = api.as_operator("GET", &rest, None).expect(200).body;
    assert_ne!(second["value"][0]["id"], first["value"][0]["id"]);
    let branding = api
        .as_operator("GET", &format!("{path}?activity=branding"), None)
        .expect(200)
        .body;
    assert_eq!(branding["value"].as_array().unwrap().len(), 1);
    api.as_operator("GET", &format!("{path}?from=yesterday"), None)
        .expect_error(400, "validation_failed");
}
