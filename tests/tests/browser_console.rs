//! The administrator's console in a real browser against the real Worker: reaching it through
//! sign-in, moving between pages (links, back, forward), each action on the screens agreeing
//! with the API, role rules on the controls, and axe-core on every page in every language.

use guestpass_e2e::browser::{self, Browser, Key};
use guestpass_e2e::device::{device, member_with_passkey, register, registration_session};
use guestpass_e2e::{
    browser_api, browser_localhost_api, eventually, json, unique, unique_ip, Endpoint, Tenant,
};

/// Opens `/{domain}/admin{rest}` signed out, is sent to sign-in, signs in as `username` with
/// `pass` on the screens, and comes back to that console page.
async fn sign_in_to_console(
    page: &Browser,
    tenant: &Tenant,
    username: &str,
    pass: &str,
    rest: &str,
) {
    let console = format!("/{}/admin{rest}", tenant.domain);
    page.goto(&console).await;
    page.element("#email").await;
    let path = page.path().await;
    assert!(
        path.starts_with(&format!("/{}/sign-in?return_to=", tenant.domain)),
        "sent to sign-in with the way back: {path}"
    );
    page.type_into("#email", username).await;
    page.click("#next").await;
    page.click("#use-pass").await;
    page.element("#pass").await;
    page.type_into("#pass", pass).await;
    page.click("#pass-sign-in").await;
    browser::until(&format!("never back on {console}"), || async {
        page.path().await == console
    })
    .await;
}

/// A browser in `language` signed in to the console's overview as the tenant's administrator.
async fn administrator(tenant: &Tenant, language: &str) -> Browser {
    let page = browser::open(language).await;
    let admin = format!("admin@{}", tenant.domain);
    sign_in_to_console(&page, tenant, &admin, &tenant.admin_pass, "").await;
    page.element(".console-nav").await;
    page
}

/// Clicks the navigation link to `slug` (`""` is the overview) and waits for its heading to
/// take focus.
async fn open(page: &Browser, tenant: &Tenant, slug: &str, heading: &str) {
    let href = if slug.is_empty() {
        format!("/{}/admin", tenant.domain)
    } else {
        format!("/{}/admin/{slug}", tenant.domain)
    };
    page.click(&format!(".console-nav a[href='{href}']")).await;
    page.wait_text("h1", heading).await;
    page.wait_focused("page-title").await;
    assert_eq!(page.path().await, href);
}

#[tokio::test]
async fn an_administrator_signs_in_with_the_pass_reaches_the_console_and_moves_back_and_forth() {
    let api = browser_api();
    let tenant = api.new_tenant();
    let page = administrator(&tenant, "en-US").await;
    page.wait_text("h1", "Overview").await;
    page.wait_text("#counts", "1 member").await;
    page.element("#week-chart svg[role='img']").await;
    assert_eq!(
        page.attr(".console-nav a[aria-current='page']", "href")
            .await
            .as_deref(),
        Some(format!("/{}/admin", tenant.domain).as_str())
    );
    open(&page, &tenant, "users", "Users").await;
    page.wait_text("#users", "Admin").await;
    open(
        &page,
        &tenant,
        "email-otp",
        "Email one-time passcode for guests",
    )
    .await;
    page.client.back().await.expect("back");
    page.wait_text("h1", "Users").await;
    assert_eq!(page.path().await, format!("/{}/admin/users", tenant.domain));
    page.client.back().await.expect("back");
    page.wait_text("h1", "Overview").await;
    page.client.forward().await.expect("forward");
    page.wait_text("h1", "Users").await;
    // A reload of a deep link lands on the same page.
    page.goto(&format!("/{}/admin/temporary-access-pass", tenant.domain))
        .await;
    page.wait_text("h1", "Temporary Access Pass policy").await;
    // An unknown console path says so inside the console.
    page.goto(&format!("/{}/admin/nothing-here", tenant.domain))
        .await;
    page.wait_text("h1", "No such page").await;
    page.close().await;
}

#[tokio::test]
async fn every_console_page_passes_axe_in_every_language_and_at_320_pixels() {
    let api = browser_api();
    let tenant = api.new_tenant();
    let member = api.add_member(&tenant, "lucia", &[], &[]);
    let app = wiki(&api, &tenant);
    let page = administrator(&tenant, "en-US").await;
    let pages = [
        ("", "overview"),
        ("users", "users"),
        ("email-otp", "email-otp"),
        ("temporary-access-pass", "pass-policy"),
        ("passkeys", "passkey-policy"),
        ("branding", "branding"),
        ("external-collaboration", "external-collaboration"),
        ("applications", "applications"),
        ("sign-in-logs", "sign-in-logs"),
        ("audit-logs", "audit-logs"),
    ];
    for language in ["en", "fr", "ru"] {
        page.choose_language(language).await;
        for (slug, name) in pages {
            let path = if slug.is_empty() {
                format!("/{}/admin", tenant.domain)
            } else {
                format!("/{}/admin/{slug}", tenant.domain)
            };
            page.click(&format!(".console-nav a[href='{path}']")).await;
            page.wait_focused("page-title").await;
            // Wait for the page's data (the skeleton goes away).
            wait_loaded(&page).await;
            page.assert_accessible(&format!("console {name} ({language})"))
                .await;
            page.screenshot(&format!("console-{name}-{language}")).await;
        }
        page.goto(&format!("/{}/admin/users/{}", tenant.domain, member.id))
            .await;
        page.element("#user-facts").await;
        wait_loaded(&page).await;
        page.assert_accessible(&format!("console user ({language})"))
            .await;
        page.screenshot(&format!("console-user-{language}")).await;
        page.goto(&format!("/{}/admin/applications/{}", tenant.domain, app))
            .await;
        page.element("#application-facts").await;
        wait_loaded(&page).await;
        page.assert_accessible(&format!("console application ({language})"))
            .await;
        page.screenshot(&format!("console-application-{language}"))
            .await;
    }
    // Narrow screens: nothing scrolls sideways but the tables' own boxes.
    page.client.set_window_size(320, 800).await.expect("resize");
    page.goto(&format!("/{}/admin/users", tenant.domain)).await;
    page.element("#users").await;
    let (content, viewport) = page.widths().await;
    if content > viewport {
        // Name what sticks out (tables scroll inside their own box and do not count).
        let wide = page
            .client
            .execute(
                "const w = document.documentElement.clientWidth;
                 return [...document.querySelectorAll('body *')]
                   .filter(e => e.getBoundingClientRect().right > w + 1 && !e.closest('.table-wrap'))
                   .map(e => e.tagName + '#' + e.id + '.' + e.className).slice(0, 10);",
                vec![],
            )
            .await
            .expect("script");
        panic!("{content} > {viewport} at 320 px: {wide}");
    }
    page.assert_accessible("console users (320 px)").await;
    page.screenshot("console-users-320px-ru").await;
    page.close().await;
}

/// Registers an application "Wiki" (as the operator): its id.
fn wiki(api: &guestpass_e2e::Api, tenant: &Tenant) -> String {
    let app = api
        .as_operator(
            "POST",
            &api.tenant_path(tenant, Endpoint::ListApplications),
            Some(&json!({"displayName": "Wiki", "redirectUris": ["https://wiki.example/cb"]})),
        )
        .expect(201)
        .body;
    app["id"].as_str().unwrap().to_string()
}

/// Waits until no loading skeleton is left on the page.
async fn wait_loaded(page: &Browser) {
    let deadline = std::time::Instant::now() + browser::WAIT;
    while page.exists("[aria-busy='true']").await {
        assert!(
            std::time::Instant::now() < deadline,
            "the page never finished loading"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn email_codes_flip_to_disabled_and_back_and_guests_feel_it() {
    let api = browser_api();
    let (tenant, email, _) = api.tenant_with_guest("flip");
    let policy = || {
        api.as_operator(
            "GET",
            &api.tenant_path(&tenant, Endpoint::GetEmailOtpPolicy),
            None,
        )
        .expect(200)
        .body
    };
    let page = administrator(&tenant, "en-US").await;
    open(
        &page,
        &tenant,
        "email-otp",
        "Email one-time passcode for guests",
    )
    .await;
    page.element("#email-otp-disabled").await;
    page.wait_enabled("#save", false).await;

    page.click("#email-otp-disabled").await;
    page.click("#save").await;
    page.wait_text("#save-outcome", "Saved.").await;
    page.wait_text("#email-otp-effective", "cannot sign in")
        .await;
    assert_eq!(policy()["state"], "disabled");
    api.send_code(&tenant, &email, &unique_ip())
        .expect_error(403, "email_otp_disabled");
    // As in the seed, the automatic choice is gone once the tenant has chosen.
    page.wait_enabled("#email-otp-default", false).await;

    page.click("#email-otp-enabled").await;
    page.click("#save").await;
    page.wait_text("#email-otp-effective", "can sign in").await;
    assert_eq!(policy()["state"], "enabled");
    api.send_code(&tenant, &email, &unique_ip()).expect(202);
    page.close().await;
}

#[tokio::test]
async fn the_pass_policy_refuses_an_out_of_range_lifetime_as_it_is_typed() {
    let api = browser_api();
    let tenant = api.new_tenant();
    let page = administrator(&tenant, "en-US").await;
    open(
        &page,
        &tenant,
        "temporary-access-pass",
        "Temporary Access Pass policy",
    )
    .await;
    page.element("#minimum-lifetime").await;

    page.type_into("#minimum-lifetime", "5").await;
    page.wait_text("#minimum-lifetime-error", "Between 10 and 43200 minutes.")
        .await;
    assert_eq!(
        page.attr("#minimum-lifetime", "aria-invalid")
            .await
            .as_deref(),
        Some("true")
    );
    page.wait_enabled("#save", false).await;

    page.type_into("#minimum-lifetime", "30").await;
    page.type_into("#default-lifetime", "20").await;
    page.wait_text(
        "#default-lifetime-error",
        "between the minimum and the maximum",
    )
    .await;
    page.wait_enabled("#save", false).await;

    page.type_into("#default-lifetime", "90").await;
    page.type_into("#default-length", "12").await;
    page.wait_enabled("#save", true).await;
    page.click("#save").await;
    page.wait_text("#save-outcome", "Saved.").await;
    let saved = api
        .as_operator(
            "GET",
            &api.tenant_path(&tenant, Endpoint::GetPassPolicy),
            None,
        )
        .expect(200)
        .body;
    assert_eq!(saved["minimumLifetimeInMinutes"], 30);
    assert_eq!(saved["defaultLifetimeInMinutes"], 90);
    assert_eq!(saved["defaultLength"], 12);
    page.close().await;
}

#[tokio::test]
async fn an_invitation_from_the_console_arrives_in_the_chosen_language() {
    let api = browser_api();
    let tenant = api.new_tenant();
    let email = format!("{}@fabrikam.example", unique("ines"));
    let page = administrator(&tenant, "en-US").await;
    open(&page, &tenant, "users", "Users").await;
    page.type_into("#invite-email", &email).await;
    page.click("#invite-language option[value='fr']").await;
    page.click("#invite-submit").await;
    page.wait_text("#invite-outcome", "Invitation created.")
        .await;
    let message = api.wait_for_email(&email, 1);
    assert!(
        message["subject"]
            .as_str()
            .unwrap()
            .contains("vous a invité"),
        "{message}"
    );
    // The table shows the new guest, pending.
    page.type_into("#user-search", &email).await;
    page.click("#apply-filter").await;
    page.wait_text("#users", "Pending acceptance").await;
    assert!(page.path().await.contains("search="));
    page.close().await;
}

#[tokio::test]
async fn an_administrator_adds_a_member_issues_a_pass_copies_it_and_the_member_signs_in() {
    let api = browser_api();
    let tenant = api.new_tenant();
    let username = format!("{}@{}", unique("noor"), tenant.domain);
    let page = administrator(&tenant, "en-US").await;
    open(&page, &tenant, "users", "Users").await;
    page.type_into("#member-name", "Noor").await;
    page.type_into("#member-username", &username).await;
    page.click("#member-submit").await;
    page.wait_text("#member-outcome", "Member added.").await;
    page.click("#added-user").await;
    page.wait_text("h1", "Noor").await;
    page.wait_text("#no-passes", "no pass").await;

    page.click("#create-pass").await;
    page.wait_text("#pass-outcome", "Pass created.").await;
    let pass = page.text("#pass-value").await;
    assert!(pass.len() >= 8, "{pass}");
    page.wait_text("#issued-pass", "It works until").await;
    page.click("#copy-pass").await;
    page.wait_text("#copy-status", "Copied.").await;
    page.assert_accessible("console pass issued").await;
    page.screenshot("console-pass-issued-en").await;
    // What was copied is the pass: paste it into the users' search field.
    open(&page, &tenant, "users", "Users").await;
    page.click("#user-search").await;
    page.keys(&format!("{}v", Key::Control)).await;
    assert_eq!(
        page.value("#user-search").await,
        pass,
        "the clipboard holds the pass"
    );

    let member = browser::open("en-US").await;
    member.goto(&format!("/{}/sign-in", tenant.domain)).await;
    member.type_into("#email", &username).await;
    member.click("#next").await;
    member.wait_text("h1", "Sign in with a passkey").await;
    member.click("#use-pass").await;
    member.wait_text("h1", "Enter Temporary Access Pass").await;
    member.wait_focused("pass").await;
    member.type_into("#pass", &pass).await;
    member.click("#pass-sign-in").await;
    // A one-time pass opens a registration session, which lands where a passkey is added.
    member.wait_text("h1", "Security info").await;
    member.wait_text("#scope", "registration session").await;
    member.close().await;

    // Back on the member's page, the one-time pass shows used up (and its value is gone).
    page.client.back().await.expect("back");
    page.wait_text("#pass-usable", "Not usable").await;
    assert!(!page.exists("#pass-value").await);
    page.close().await;
}

#[tokio::test]
async fn an_administrator_invites_a_guest_and_revokes_their_sessions_with_the_keyboard_alone() {
    let api = browser_api();
    let tenant = api.new_tenant();
    let name = unique("kai");
    let email = format!("{name}@fabrikam.example");
    let page = administrator(&tenant, "en-US").await;
    // A fresh load: the skip link is the first stop and takes focus to the page's heading.
    page.goto(&format!("/{}/admin", tenant.domain)).await;
    page.wait_text("h1", "Overview").await;
    assert_eq!(
        page.tab_to(".skip-link").await,
        1,
        "the skip link comes first"
    );
    page.keys(&Key::Enter.to_string()).await;
    page.wait_focused("page-title").await;

    // Through the navigation to Users, whose heading takes focus.
    let users = format!("/{}/admin/users", tenant.domain);
    page.tab_to(&format!(".console-nav a[href='{users}']"))
        .await;
    page.keys(&Key::Enter.to_string()).await;
    page.wait_text("h1", "Users").await;
    page.wait_focused("page-title").await;
    assert_eq!(page.path().await, users);

    // Invite a guest: type the address, Enter submits.
    page.tab_to("#invite-email").await;
    page.keys(&format!("{email}{}", Key::Enter)).await;
    page.wait_text("#invite-outcome", "Invitation created.")
        .await;
    page.tab_to("#invited-user").await;
    page.keys(&Key::Enter.to_string()).await;
    page.wait_text("h1", &name).await;
    page.wait_focused("page-title").await;

    // The confirmation opens on Cancel, Escape closes it and focus returns to its button.
    page.tab_to("#revoke-sessions").await;
    page.keys(&Key::Enter.to_string()).await;
    page.wait_focused("revoke-sessions-cancel").await;
    page.keys(&Key::Escape.to_string()).await;
    page.wait_focused("revoke-sessions").await;
    assert!(
        page.wait_text("#user-outcome", "").await.is_empty(),
        "nothing was done"
    );
    page.keys(&Key::Enter.to_string()).await;
    page.wait_focused("revoke-sessions-cancel").await;
    page.keys(&Key::Tab.to_string()).await;
    page.wait_focused("revoke-sessions-confirm").await;
    page.keys(&Key::Enter.to_string()).await;
    page.wait_text("#user-outcome", "Sessions revoked.").await;
    page.close().await;
}

#[tokio::test]
async fn resetting_a_guests_redemption_asks_first_and_the_guest_is_pending_again() {
    let api = browser_api();
    let (tenant, email, user_id) = api.tenant_with_guest("rita");
    api.sign_in_guest(&tenant, &email).expect(200);
    let page = administrator(&tenant, "en-US").await;
    page.goto(&format!("/{}/admin/users/{user_id}", tenant.domain))
        .await;
    page.wait_text("#redemption-state", "Accepted").await;
    page.click("#resend-invitation").await;
    page.click("#reset-redemption").await;
    page.wait_focused("reset-redemption-cancel").await;
    page.assert_accessible("console confirm dialog").await;
    page.keys(&Key::Escape.to_string()).await;
    page.wait_focused("reset-redemption").await;
    assert_eq!(
        redemption(&api, &tenant, &user_id),
        "Accepted",
        "cancelled: nothing changed"
    );

    page.click("#reset-redemption").await;
    page.click("#reset-redemption-confirm").await;
    page.wait_text("#user-outcome", "Redemption reset.").await;
    page.wait_text("#redemption-state", "Pending acceptance")
        .await;
    assert_eq!(redemption(&api, &tenant, &user_id), "PendingAcceptance");
    page.close().await;
}

fn redemption(api: &guestpass_e2e::Api, tenant: &Tenant, user_id: &str) -> String {
    api.as_operator(
        "GET",
        &api.user_path(tenant, Endpoint::GetUser, user_id),
        None,
    )
    .expect(200)
    .body["externalUserState"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn the_sign_in_log_filters_to_failures_and_charts_them() {
    let api = browser_api();
    let (tenant, email, _) = api.tenant_with_guest("logs");
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
    eventually("the failure in the log", || {
        let body = api
            .as_operator("GET", &api.tenant_path(&tenant, Endpoint::SignInLogs), None)
            .body;
        (body["value"].as_array()?.len() >= 3).then_some(())
    });
    let page = administrator(&tenant, "en-US").await;
    open(&page, &tenant, "sign-in-logs", "Sign-in logs").await;
    page.wait_text("#sign-in-log", "Success").await;
    page.click("#log-outcome option[value='failure']").await;
    page.click("#apply-filter").await;
    page.wait_text("#sign-in-log", "invalid_code").await;
    assert!(page.path().await.ends_with("/sign-in-logs?outcome=failure"));
    let rows = page.text("#sign-in-log tbody").await;
    assert!(!rows.contains("Success"), "only failures: {rows}");
    page.element("#log-chart svg[role='img']").await;
    // The chart's text alternative counts the failure (SVG text is read, not drawn).
    let summary = page
        .client
        .execute(
            "return document.querySelector('#log-chart desc').textContent",
            vec![],
        )
        .await
        .expect("script");
    assert!(
        summary.as_str().unwrap_or("").contains("1 failed"),
        "{summary}"
    );
    page.close().await;
}

#[tokio::test]
async fn a_global_reader_sees_every_page_and_finds_nothing_to_change() {
    let api = browser_api();
    let tenant = api.new_tenant();
    let reader = api.add_member(&tenant, "gloria", &["GlobalReader"], &[]);
    let pass = api.multi_use_pass(&tenant, &reader);
    let page = browser::open("en-US").await;
    sign_in_to_console(&page, &tenant, &reader.upn, &pass, "/email-otp").await;
    page.wait_text("h1", "Email one-time passcode for guests")
        .await;
    page.element("#read-only").await;
    page.wait_enabled("#save", false).await;
    page.wait_enabled("#email-otp-disabled", false).await;
    open(
        &page,
        &tenant,
        "temporary-access-pass",
        "Temporary Access Pass policy",
    )
    .await;
    page.element("#read-only").await;
    page.wait_enabled("#save", false).await;
    page.wait_enabled("#minimum-lifetime", false).await;
    open(&page, &tenant, "users", "Users").await;
    page.wait_text("#users", "Admin").await;
    assert!(
        !page.exists("#invite-form").await,
        "no invitation form for a reader"
    );
    assert!(
        !page.exists("#member-form").await,
        "no member form for a reader"
    );
    page.goto(&format!(
        "/{}/admin/users/{}",
        tenant.domain, tenant.admin_id
    ))
    .await;
    page.element("#pass-not-allowed").await;
    page.wait_enabled("#delete-user", false).await;
    let app = wiki(&api, &tenant);
    open(&page, &tenant, "applications", "Applications").await;
    page.wait_text("#applications", "Wiki").await;
    assert!(
        !page.exists("#register-form").await,
        "no register form for a reader"
    );
    page.goto(&format!("/{}/admin/applications/{}", tenant.domain, app))
        .await;
    page.element("#read-only").await;
    page.wait_enabled("#save", false).await;
    page.wait_enabled("#new-secret-button", false).await;
    page.wait_enabled("#delete-application", false).await;
    page.close().await;
}

#[tokio::test]
async fn a_member_without_a_role_or_with_a_registration_session_is_told_why() {
    let api = browser_api();
    let tenant = api.new_tenant();
    let member = api.add_member(&tenant, "plain", &[], &[]);
    let pass = api.multi_use_pass(&tenant, &member);
    let page = browser::open("fr-FR").await;
    sign_in_to_console(&page, &tenant, &member.upn, &pass, "").await;
    page.wait_text("#gate-reason", "aucun rôle d'administrateur")
        .await;
    page.assert_accessible("console refused (fr)").await;
    page.screenshot("console-refused-fr").await;
    page.close().await;
}

#[tokio::test]
async fn an_administrator_blocks_a_domain_and_an_invitation_to_it_is_refused() {
    let api = browser_api();
    let tenant = api.new_tenant();
    let page = administrator(&tenant, "en-US").await;
    open(
        &page,
        &tenant,
        "external-collaboration",
        "External collaboration settings",
    )
    .await;
    page.click("#domains-block-list").await;
    page.type_into("#domains", "blocked.example").await;
    page.click("#save").await;
    page.wait_text("#save-outcome", "Saved.").await;
    let saved = api
        .as_operator(
            "GET",
            &api.tenant_path(&tenant, Endpoint::GetExternalCollaboration),
            None,
        )
        .expect(200)
        .body;
    assert_eq!(saved["invitationDomains"]["mode"], "blockList");
    page.assert_accessible("console external collaboration")
        .await;
    page.screenshot("console-external-collaboration-en").await;

    open(&page, &tenant, "users", "Users").await;
    page.type_into(
        "#invite-email",
        &format!("{}@blocked.example", unique("bo")),
    )
    .await;
    page.click("#invite-submit").await;
    page.wait_text("#invite-outcome", "do not allow invitations to this domain")
        .await;
    // The change is in the audit log, found by its activity.
    open(&page, &tenant, "audit-logs", "Audit logs").await;
    page.type_into("#audit-activity", "collaboration").await;
    page.click("#apply-filter").await;
    page.wait_text("#audit-log", "Update external collaboration settings")
        .await;
    assert!(page
        .path()
        .await
        .ends_with("/audit-logs?activity=collaboration"));
    let rows = page.text("#audit-log tbody").await;
    assert!(
        !rows.contains("Create"),
        "only the matching changes: {rows}"
    );
    page.close().await;
}

#[tokio::test]
async fn an_uploaded_logo_and_a_colour_show_on_the_sign_in_page() {
    let api = browser_api();
    let tenant = api.new_tenant();
    let page = administrator(&tenant, "en-US").await;
    open(&page, &tenant, "branding", "Company branding").await;
    let logo = std::env::temp_dir().join(format!("{}.svg", unique("logo")));
    std::fs::write(
        &logo,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="10" viewBox="0 0 40 10"><rect width="40" height="10" fill="teal"/></svg>"#,
    )
    .expect("a logo file");
    page.element("#banner-logo-file")
        .await
        .send_keys(&logo.to_string_lossy())
        .await
        .expect("choose the file");
    page.wait_text("#logo-outcome", "Logo uploaded.").await;
    page.element("#preview-logo").await;
    page.type_into("#background-color", "red").await;
    page.wait_text("#background-color-error", "#0a5").await;
    page.wait_enabled("#save", false).await;
    page.type_into("#background-color", "#0a5fa0").await;
    page.type_into("#sign-in-text", "Welcome to the partner portal")
        .await;
    page.type_into("#username-hint", "someone@partner.example")
        .await;
    page.wait_text("#branding-preview", "Welcome to the partner portal")
        .await;
    page.click("#save").await;
    page.wait_text("#save-outcome", "Saved.").await;
    page.assert_accessible("console branding").await;
    page.screenshot("console-branding-en").await;
    page.close().await;

    let visitor = browser::open("en-US").await;
    visitor.goto(&format!("/{}/sign-in", tenant.domain)).await;
    visitor
        .wait_text("#branding-text", "Welcome to the partner portal")
        .await;
    let src = visitor
        .attr("#banner-logo", "src")
        .await
        .unwrap_or_default();
    assert!(src.contains("/branding/banner-logo?v="), "{src}");
    assert_eq!(
        visitor.attr("#email", "placeholder").await.as_deref(),
        Some("someone@partner.example")
    );
    let brand = visitor
        .client
        .execute(
            "return getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()",
            vec![],
        )
        .await
        .expect("script");
    assert_eq!(brand.as_str(), Some("#0a5fa0"));
    // The image really loads (the CSP allows it, the Worker serves it).
    let loaded = visitor
        .client
        .execute(
            "const i = document.getElementById('banner-logo'); return i.complete && i.naturalWidth > 0",
            vec![],
        )
        .await
        .expect("script");
    assert_eq!(loaded.as_bool(), Some(true));
    visitor.assert_accessible("branded sign-in").await;
    visitor.screenshot("sign-in-branded-en").await;
    visitor.close().await;
}

#[tokio::test]
async fn an_administrator_deletes_a_members_passkey_and_blocks_its_authenticator_model() {
    // The member's passkey comes from an independent software authenticator, at localhost.
    let api = browser_localhost_api();
    let tenant = api.new_tenant();
    let mut device = device();
    let (member, _) = member_with_passkey(&api, &tenant, &mut device).await;

    let page = administrator(&tenant, "en-US").await;
    page.goto(&format!("/{}/admin/users/{}", tenant.domain, member.id))
        .await;
    page.wait_text("#passkeys", "Laptop").await;
    page.wait_text("#passkeys", "Never").await;
    page.assert_accessible("console user passkeys (en)").await;
    page.click("#delete-passkey-0").await;
    page.wait_text("#delete-passkey-0-title", "Delete passkey")
        .await;
    page.click("#delete-passkey-0-confirm").await;
    page.wait_text("#passkey-outcome", "Passkey deleted.").await;
    page.element("#no-passkeys").await;
    let methods = api.user_path(&tenant, Endpoint::ListPasskeys, &member.id);
    let listed = api.as_operator("GET", &methods, None).expect(200).body;
    assert_eq!(listed["value"], json!([]));

    // The policy: user verification off, and the software authenticator's model (it names
    // none: the all-zero AAGUID) blocked. The API agrees, and the model can no longer register.
    open(&page, &tenant, "passkeys", "Passkey policy").await;
    page.click("#passkey-verification").await;
    page.click("#aaguids-block-list").await;
    page.type_into("#aaguids", "00000000-0000-0000-0000-000000000000")
        .await;
    page.click("#save").await;
    page.wait_text("#save-outcome", "Saved.").await;
    let policy = api
        .as_operator(
            "GET",
            &api.tenant_path(&tenant, Endpoint::GetPasskeyPolicy),
            None,
        )
        .expect(200)
        .body;
    assert_eq!(policy["isUserVerificationRequired"], false);
    assert_eq!(
        policy["aaGuidRestriction"],
        json!({"mode": "blockList", "aaGuids": ["00000000-0000-0000-0000-000000000000"]})
    );
    let (_, registration) = registration_session(&api, &tenant, "blocked");
    register(&api, &tenant, &registration, &mut device)
        .await
        .expect_error(403, "passkey_not_allowed");
    page.close().await;
}

#[tokio::test]
async fn an_administrator_registers_an_application_shows_a_secret_once_assigns_it_and_deletes_it() {
    let api = browser_api();
    let tenant = api.new_tenant();
    let page = administrator(&tenant, "en-US").await;
    open(&page, &tenant, "applications", "Applications").await;
    page.wait_text("#no-applications", "No applications yet.")
        .await;
    page.type_into("#application-name", "Wiki").await;
    page.type_into("#redirect-uris", "https://wiki.example/callback")
        .await;
    page.click("#register").await;
    // Registered: its own page, with the client id it was given.
    page.wait_text("h1", "Wiki").await;
    let client_id = page.text("#client-id").await;
    let apps = api
        .as_operator(
            "GET",
            &api.tenant_path(&tenant, Endpoint::ListApplications),
            None,
        )
        .expect(200)
        .body;
    let app = apps["value"][0].clone();
    assert_eq!(app["clientId"], client_id.as_str());
    assert_eq!(
        app["redirectUris"],
        json!(["https://wiki.example/callback"])
    );
    let one = format!(
        "{}/{}",
        api.tenant_path(&tenant, Endpoint::ListApplications),
        app["id"].as_str().unwrap()
    );
    let stored = || api.as_operator("GET", &one, None).expect(200).body;

    // A secret, shown once, copied.
    page.wait_text("#no-secrets", "No secret yet").await;
    page.click("#new-secret-button").await;
    page.wait_text("#secret-outcome", "Secret added.").await;
    let secret = page.text("#secret-value").await;
    assert_eq!(secret.len(), 43, "{secret}");
    page.click("#copy-secret").await;
    page.wait_text("#copy-status", "Copied.").await;
    assert_eq!(stored()["secrets"][0]["hint"], &secret[..3]);
    page.assert_accessible("console secret shown").await;
    page.screenshot("console-secret-shown-en").await;

    // Open only to a group, signed RS256, with a home page.
    page.click("#assignment-required").await;
    page.type_into("#assigned-groups", "Finance team").await;
    page.click("#alg-rs256").await;
    page.type_into("#home-page", "https://wiki.example/").await;
    page.click("#save").await;
    page.wait_text("#save-outcome", "Saved.").await;
    let saved = stored();
    assert_eq!(saved["assignmentRequired"], true);
    assert_eq!(
        saved["assignments"],
        json!([{"id": "Finance team", "type": "group"}])
    );
    assert_eq!(saved["idTokenSignedResponseAlg"], "RS256");
    assert_eq!(saved["homePageUrl"], "https://wiki.example/");

    // The secret goes, after a confirmation; then the application.
    page.click("#delete-secret-0").await;
    page.wait_focused("delete-secret-0-cancel").await;
    page.click("#delete-secret-0-confirm").await;
    page.wait_text("#secret-outcome", "Secret deleted.").await;
    page.element("#no-secrets").await;
    assert_eq!(stored()["secrets"], json!([]));
    page.click("#delete-application").await;
    page.click("#delete-application-confirm").await;
    page.wait_text("h1", "Applications").await;
    page.wait_text("#no-applications", "No applications yet.")
        .await;
    api.as_operator("GET", &one, None)
        .expect_error(404, "not_found");
    page.close().await;
}

/// Whether the page has fetched the split-off part named `group` (`lazy-split_{group}-*.wasm`).
async fn fetched_part(page: &Browser, group: &str) -> bool {
    page.client
        .execute(
            "return performance.getEntriesByType('resource')\
                 .some(entry => entry.name.includes(arguments[0]));",
            vec![serde_json::Value::String(format!("/lazy-split_{group}-"))],
        )
        .await
        .expect("script")
        .as_bool()
        .unwrap_or(false)
}

#[tokio::test]
async fn a_pages_code_is_fetched_when_its_link_takes_focus_not_before() {
    let api = browser_api();
    let tenant = api.new_tenant();
    let page = administrator(&tenant, "en-US").await;
    page.wait_text("h1", "Overview").await;
    assert!(
        !fetched_part(&page, "logs").await,
        "the overview fetches no page's part"
    );
    let logs = format!("/{}/admin/sign-in-logs", tenant.domain);
    page.tab_to(&format!(".console-nav a[href='{logs}']")).await;
    browser::until(
        "focusing the sign-in logs link never fetched their part",
        || fetched_part(&page, "logs"),
    )
    .await;
    assert_eq!(page.path().await, format!("/{}/admin", tenant.domain));
    page.keys(&Key::Enter.to_string()).await;
    page.wait_text("h1", "Sign-in logs").await;
    assert_eq!(page.path().await, logs);
    page.close().await;
}
