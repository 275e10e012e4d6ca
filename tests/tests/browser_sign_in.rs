//! The guest's journey in a real browser: invitation link → Send code → code from the outbox →
//! signed in, and the detours a person meets (wrong code, resend, exhausted code, keyboard only).

use guestpass_e2e::browser::{self, Key};
use guestpass_e2e::{browser_api, json, unique, Api, Endpoint, Tenant};

/// A tenant with one invited guest on the browser Worker: (api, tenant, address, redeem URL).
fn invited_guest(prefix: &str) -> (Api, Tenant, String, String) {
    let api = browser_api();
    let tenant = api.new_tenant();
    let email = format!("{}@guests.example", unique(prefix));
    let invitation = api.invite(&tenant, &email);
    let url = invitation["inviteRedeemUrl"].as_str().unwrap().to_string();
    (api, tenant, email, url)
}

/// The newest code sent to `email`, once there are `n` of them.
fn code_number(api: &Api, email: &str, n: usize) -> String {
    guestpass_e2e::eventually(&format!("code #{n} for {email}"), || {
        api.codes(email).get(n - 1).cloned()
    })
}

/// On a direct sign-in link: types the address and sends a code, then waits for Enter code.
async fn ask_for_code(page: &browser::Browser, tenant: &str, email: &str) {
    page.goto(&format!("/{tenant}/sign-in")).await;
    page.type_into("#email", email).await;
    page.click("#next").await;
    page.wait_text("#send-to", email).await;
    page.click("#send").await;
    page.wait_text("h1", "Enter code").await;
}

/// Types a code and presses Sign in.
async fn enter_code(page: &browser::Browser, code: &str) {
    page.type_into("#code", code).await;
    page.click("#sign-in").await;
}

fn wrong(code: &str) -> String {
    code.chars()
        .map(|c| if c == '0' { '1' } else { '0' })
        .collect()
}

#[tokio::test]
async fn an_invited_guest_signs_in_from_the_redeem_link_and_lands_signed_in() {
    let (api, tenant, email, url) = invited_guest("redeem");
    let page = browser::open("en-US").await;
    page.open_link(&url).await;
    page.wait_text("h1", "invited you").await;
    page.wait_text("main", &email).await;
    page.click("#accept").await;
    page.wait_text("main", &format!("We'll send a code to {email}."))
        .await;
    assert!(
        !page.exists("#email").await,
        "an invitation names the address: it is not editable"
    );
    page.click("#send").await;

    page.wait_text("h1", "Enter code").await;
    page.wait_text("#sent-to", &email).await;
    // Focus moves to the code field.
    page.wait_focused("code").await;
    assert_eq!(
        page.attr("#code", "autocomplete").await.as_deref(),
        Some("one-time-code")
    );
    assert_eq!(
        page.attr("#code", "inputmode").await.as_deref(),
        Some("numeric")
    );
    let code = code_number(&api, &email, 1);
    enter_code(&page, &code).await;

    page.wait_text("h1", "You're signed in").await;
    page.wait_text("#identity", &email).await;
    page.wait_text("main", "Guest").await;
    assert_eq!(
        page.path().await,
        format!("/{}/", tenant.id),
        "lands on the tenant's landing page"
    );

    // A valid session skips sign-in, even on the invitation link.
    page.open_link(&url).await;
    page.wait_text("h1", "You're signed in").await;

    page.click("#sign-out").await;
    page.wait_text("main", "You signed out.").await;
    page.wait_text("h1", "Sign in to").await;
    page.goto(&format!("/{}/", tenant.id)).await;
    page.wait_text("h1", "Sign in to").await;
    page.close().await;
}

#[tokio::test]
async fn a_wrong_code_shows_the_tries_left_and_the_right_code_still_works() {
    let (api, tenant, email, _) = invited_guest("wrong");
    let page = browser::open("en-US").await;
    ask_for_code(&page, &tenant.domain, &email).await;
    let code = code_number(&api, &email, 1);

    enter_code(&page, &wrong(&code)).await;
    page.wait_text("#message", "That code is not right. Tries left: 4.")
        .await;
    assert_eq!(
        page.attr("#code", "aria-invalid").await.as_deref(),
        Some("true")
    );
    // Focus returns to the code field.
    page.wait_focused("code").await;

    enter_code(&page, "1234").await;
    page.wait_text("#message", "Enter all 8 digits of the code.")
        .await;

    enter_code(&page, &code).await;
    page.wait_text("h1", "You're signed in").await;
    page.close().await;
}

#[tokio::test]
async fn an_exhausted_code_offers_a_new_one_and_a_throttled_resend_says_when_to_retry() {
    let (api, tenant, email, _) = invited_guest("spent");
    let page = browser::open("en-US").await;
    page.goto(&format!(
        "/{}/sign-in?login_hint={}",
        tenant.id,
        email.replace('@', "%40")
    ))
    .await;
    assert_eq!(
        page.value("#email").await,
        email,
        "the login hint prefills the address"
    );
    page.click("#next").await;
    page.click("#send").await;
    page.wait_text("h1", "Enter code").await;
    let code = code_number(&api, &email, 1);
    for left in (0..5).rev() {
        enter_code(&page, &wrong(&code)).await;
        if left > 0 {
            page.wait_text("#message", &format!("Tries left: {left}."))
                .await;
        }
    }
    page.wait_text("#message", "Too many wrong tries. Ask for a new code.")
        .await;
    // Even the right code is refused now; the page offers a new one.
    enter_code(&page, &code).await;
    page.wait_text("#message", "Too many wrong tries").await;
    page.click("#new-code").await;
    // Within a minute of the first send, the address is throttled: the page says for how long.
    let message = page
        .wait_text("#message", "Too many requests. Try again in")
        .await;
    let seconds: u64 = message
        .rsplit("in ")
        .next()
        .unwrap()
        .trim_end_matches(" s.")
        .parse()
        .unwrap();
    assert!((1..=60).contains(&seconds), "{message}");
    page.close().await;
}

#[tokio::test]
async fn resend_counts_down_then_sends_a_new_code_that_replaces_the_old_one() {
    let (api, tenant, email, _) = invited_guest("resend");
    let page = browser::open("en-US").await;
    ask_for_code(&page, &tenant.id, &email).await;
    page.wait_text("#resend", "Resend code in").await;
    page.wait_enabled("#resend", false).await;
    let first = code_number(&api, &email, 1);

    // The address may have one code a minute: the button unlocks when the countdown ends.
    tokio::time::sleep(std::time::Duration::from_secs(58)).await;
    page.wait_enabled("#resend", true).await;
    page.wait_text("#resend", "Resend code").await;
    page.click("#resend").await;
    page.wait_text("main", "A new code is on its way").await;
    let second = code_number(&api, &email, 2);

    enter_code(&page, &first).await;
    // The page now holds the new challenge: the old code is simply wrong for it.
    page.wait_text("#message", "That code is not right").await;
    enter_code(&page, &second).await;
    page.wait_text("h1", "You're signed in").await;
    page.close().await;
}

#[tokio::test]
async fn a_guest_signs_in_with_the_keyboard_alone() {
    let (api, tenant, email, _) = invited_guest("keys");
    let page = browser::open("en-US").await;
    page.goto(&format!("/{}/sign-in", tenant.id)).await;
    page.wait_text("h1", "Sign in to").await;
    // The address field has focus first.
    page.wait_focused("email").await;
    page.keys(&email).await;
    page.keys(&Key::Tab.to_string()).await;
    assert_eq!(page.focused_id().await, "next", "Tab reaches Next");
    page.keys(&Key::Enter.to_string()).await;
    page.wait_text("#send-to", &email).await;
    page.wait_focused("send").await;
    page.keys(&Key::Enter.to_string()).await;
    page.wait_text("h1", "Enter code").await;
    page.wait_focused("code").await;
    let code = code_number(&api, &email, 1);
    page.keys(&code).await;
    page.keys(&Key::Enter.to_string()).await;
    page.wait_text("h1", "You're signed in").await;
    // Focus lands on the new page's heading.
    page.wait_focused("page-title").await;
    page.keys(&Key::Tab.to_string()).await;
    assert_eq!(
        page.focused_id().await,
        "my-apps",
        "Tab reaches the guest's apps"
    );
    page.keys(&Key::Tab.to_string()).await;
    assert_eq!(
        page.focused_id().await,
        "sign-out",
        "Sign out is reachable by Tab"
    );
    page.keys(&Key::Enter.to_string()).await;
    page.wait_text("main", "You signed out.").await;
    page.close().await;
}

#[tokio::test]
async fn after_sign_in_the_guest_goes_on_to_the_invitations_redirect_url() {
    let api = browser_api();
    let tenant = api.new_tenant();
    let email = format!("{}@guests.example", unique("onward"));
    // http on loopback is an acceptable redirect in development; the API vets it on invitation.
    let target = format!("{}/{}/?welcome=1", api.base, tenant.id);
    let body = json!({"invitedUserEmailAddress": email, "sendInvitationMessage": false, "inviteRedirectUrl": target});
    let invitation = api
        .as_operator(
            "POST",
            &api.tenant_path(&tenant, Endpoint::Invite),
            Some(&body),
        )
        .expect(201)
        .body;
    let page = browser::open("en-US").await;
    page.open_link(invitation["inviteRedeemUrl"].as_str().unwrap())
        .await;
    page.click("#accept").await;
    page.click("#send").await;
    page.wait_text("h1", "Enter code").await;
    enter_code(&page, &code_number(&api, &email, 1)).await;
    page.wait_text("h1", "You're signed in").await;
    assert_eq!(page.path().await, format!("/{}/?welcome=1", tenant.id));
    page.close().await;
}
