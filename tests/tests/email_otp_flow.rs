//! The guest's whole journey against the real Worker: invite → send → outbox → verify → session.

use guestpass_e2e::*;

#[test]
fn an_invited_guest_signs_in_with_the_emailed_code_and_holds_a_24_hour_session() {
    let api = api();
    let tenant = api.new_tenant();
    let email = format!("{}@guests.example", unique("ada"));
    let invitation = api.as_operator(
        "POST",
        &api.tenant_path(&tenant, Endpoint::Invite),
        Some(&json!({"invitedUserEmailAddress": email, "inviteRedirectUrl": "https://apps.contoso.com/welcome", "sendInvitationMessage": true})),
    );
    let invitation = invitation.expect(201).body;
    assert_eq!(invitation["status"], "PendingAcceptance");
    let redeem = invitation["inviteRedeemUrl"].as_str().unwrap();
    assert!(
        redeem.contains(&format!("/{}/redeem?", tenant.id)),
        "{redeem}"
    );
    let invite_email = api.wait_for_email(&email, 1);
    assert!(invite_email["text"].as_str().unwrap().contains(redeem));

    let ip = unique_ip();
    let sent = api.send_code(&tenant, &email, &ip).expect(202);
    assert_eq!(sent.body["codeLength"], 8);
    assert_eq!(sent.body["resendAfterSeconds"], 60);
    assert!(sent.body["expiresAt"].as_str().unwrap().ends_with('Z'));
    let challenge = sent.body["challenge"].as_str().unwrap();
    let code = eventually("the code email", || api.codes(&email).first().cloned());
    assert!(
        !challenge.contains(&code),
        "the challenge must not carry the code"
    );

    let signed_in = api.verify(&tenant, challenge, &code, &ip).expect(200);
    assert_eq!(
        signed_in.body["redirectUrl"],
        "https://apps.contoso.com/welcome"
    );
    let session = &signed_in.body["session"];
    assert_eq!(session["authenticationMethod"], "emailOtp");
    assert_eq!(session["scope"], "full");
    assert_eq!(session["user"]["userType"], "Guest");
    assert_eq!(session["user"]["mail"], email.as_str());
    let cookie = signed_in.session_cookie().expect("a session cookie");

    let me = api
        .get(
            &api.tenant_path(&tenant, Endpoint::GetSession),
            &[("cookie".into(), cookie.clone())],
        )
        .expect(200);
    assert_eq!(me.body["user"]["id"], invitation["invitedUser"]["id"]);

    // The first sign-in redeemed the invitation.
    let user_path = api.user_path(
        &tenant,
        Endpoint::GetUser,
        invitation["invitedUser"]["id"].as_str().unwrap(),
    );
    let user = api.as_operator("GET", &user_path, None).expect(200).body;
    assert_eq!(user["externalUserState"], "Accepted");
    assert_eq!(user["source"], "Email one-time passcode");
    assert!(user["externalUserStateChangeDateTime"].as_str().is_some());
}

#[test]
fn the_session_expires_after_24_hours_per_its_cookie_and_body() {
    let api = api();
    let (tenant, email, _user_id) = api.tenant_with_guest("exp");
    let signed_in = api.sign_in_guest(&tenant, &email);
    let set_cookie = signed_in.header("set-cookie").unwrap();
    assert!(set_cookie.contains("Max-Age=86400"), "{set_cookie}");
    let expires = signed_in.body["session"]["expiresDateTime"]
        .as_str()
        .unwrap()
        .to_string();
    let success = eventually("a logged success", || {
        let logs = api
            .as_operator("GET", &api.tenant_path(&tenant, Endpoint::SignInLogs), None)
            .body;
        logs["value"]
            .as_array()?
            .iter()
            .find(|e| e["step"] == "verify" && e["outcome"] == "success")
            .cloned()
    });
    // expiresDateTime is exactly one day after the sign-in the log recorded (same clock).
    let signed_at = success["createdDateTime"].as_str().unwrap();
    assert_eq!(
        &expires[11..],
        &signed_at[11..],
        "same time of day, one day later"
    );
    assert_ne!(&expires[..10], &signed_at[..10]);
}

#[test]
fn signing_out_clears_the_cookie_and_ends_the_session() {
    let api = api();
    let (tenant, email, _user_id) = api.tenant_with_guest("out");
    let cookie = api.sign_in_guest(&tenant, &email).session_cookie().unwrap();
    let out = api
        .raw(
            "DELETE",
            &api.tenant_path(&tenant, Endpoint::SignOut),
            None,
            &api.browser(&cookie),
        )
        .expect(204);
    assert!(out.header("set-cookie").unwrap().contains("Max-Age=0"));
    api.get(
        &api.tenant_path(&tenant, Endpoint::GetSession),
        &[("cookie".into(), cookie)],
    )
    .expect_error(401, "unauthorized");
}

#[test]
fn re_inviting_a_guest_who_redeemed_keeps_their_state_and_timestamp() {
    let api = api();
    let (tenant, email, user_id) = api.tenant_with_guest("again");
    api.sign_in_guest(&tenant, &email);
    let user_path = api.user_path(&tenant, Endpoint::GetUser, &user_id);
    let first = api.as_operator("GET", &user_path, None).expect(200).body;
    assert_eq!(first["externalUserState"], "Accepted");
    let changed_at = first["externalUserStateChangeDateTime"].clone();
    // Re-inviting an accepted guest keeps the state and the timestamp.
    api.invite(&tenant, &email);
    let after = api.as_operator("GET", &user_path, None).expect(200).body;
    assert_eq!(after["externalUserState"], "Accepted");
    assert_eq!(after["externalUserStateChangeDateTime"], changed_at);
}
