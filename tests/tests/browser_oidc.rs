//! An application's sign-in in a real browser: its authorization request leads to Guestpass's
//! sign-in screens, the guest signs in with an email code, and the browser comes back to the
//! application's callback with a code the application exchanges for tokens; "My apps" then
//! lists the application. An invitation that points at an application lands the guest there.

use std::time::Instant;

use guestpass_e2e::browser::{self, Browser};
use guestpass_e2e::{browser_api, json, unique, Api, Endpoint, Tenant};

/// RFC 7636 Appendix B's verifier and its S256 challenge.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// A public application whose callback is on the Worker's own loopback origin, so the browser
/// has somewhere to land (the SPA's page for a path that names no organization): its client id
/// and callback.
fn register_wiki(api: &Api, tenant: &Tenant) -> (String, String) {
    let callback = format!("{}/app-callback", api.base);
    let admin = api.admin_session(tenant);
    let app = api
        .as_session(
            &admin,
            "POST",
            &api.tenant_path(tenant, Endpoint::ListApplications),
            Some(&json!({"displayName": "Wiki", "redirectUris": [callback], "publicClient": true})),
        )
        .expect(201)
        .body;
    (app["clientId"].as_str().unwrap().to_string(), callback)
}

fn encode(value: &str) -> String {
    value
        .replace(':', "%3A")
        .replace('/', "%2F")
        .replace('@', "%40")
}

/// The application's authorization request, as its sign-in button would send it.
fn authorize_path(tenant: &Tenant, client_id: &str, callback: &str, login_hint: &str) -> String {
    format!(
        "/{}/oauth2/v2.0/authorize?response_type=code&client_id={client_id}&redirect_uri={}\
         &scope=openid%20email&state=st-7&nonce=n-7&code_challenge={CHALLENGE}&code_challenge_method=S256\
         &login_hint={}",
        tenant.id,
        encode(callback),
        encode(login_hint)
    )
}

/// Waits until the browser is back at the callback; its query's parameters.
async fn back_at_callback(page: &Browser) -> Vec<(String, String)> {
    let started = Instant::now();
    loop {
        let path = page.path().await;
        if let Some(query) = path.strip_prefix("/app-callback?") {
            return query
                .split('&')
                .filter_map(|pair| pair.split_once('='))
                .map(|(k, v)| (k.to_string(), v.replace("%3A", ":").replace("%2F", "/")))
                .collect();
        }
        assert!(started.elapsed() < browser::WAIT, "still at {path}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

fn param<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The code the browser came back with, exchanged as the application would: an ID token.
fn exchange(
    api: &Api,
    tenant: &Tenant,
    client_id: &str,
    callback: &str,
    query: &[(String, String)],
) {
    assert_eq!(param(query, "state"), Some("st-7"));
    let issuer = format!("{}/{}/v2.0", api.base, tenant.id);
    assert_eq!(param(query, "iss"), Some(issuer.as_str()));
    let code = param(query, "code").expect("a code");
    let tokens = api.raw(
        "POST",
        &format!("/{}/oauth2/v2.0/token", tenant.id),
        Some((
            "application/x-www-form-urlencoded",
            format!(
                "grant_type=authorization_code&code={code}&redirect_uri={}\
                 &code_verifier={VERIFIER}&client_id={client_id}",
                encode(callback)
            )
            .into_bytes(),
        )),
        &[],
    );
    assert_eq!(tokens.status, 200, "{}", tokens.text);
    assert!(tokens.body["id_token"].is_string());
    assert_eq!(tokens.body["token_type"], "Bearer");
}

/// Enters the code the guest was sent.
async fn enter_code(api: &Api, page: &Browser, email: &str) {
    page.wait_text("h1", "Enter code").await;
    let code = guestpass_e2e::eventually("the code", || api.codes(email).first().cloned());
    page.type_into("#code", &code).await;
    page.click("#sign-in").await;
}

#[tokio::test]
async fn an_applications_sign_in_goes_through_the_email_code_screens_and_back_with_a_code() {
    let api = browser_api();
    let tenant = api.new_tenant();
    let email = format!("{}@guests.example", unique("oidc-browser"));
    api.invite(&tenant, &email);
    let (client_id, callback) = register_wiki(&api, &tenant);

    let page = browser::open("en-US").await;
    page.goto(&authorize_path(&tenant, &client_id, &callback, &email))
        .await;
    // Guestpass's sign-in, with the address the application hinted.
    page.wait_text("h1", "Sign in").await;
    assert_eq!(page.value("#email").await, email);
    page.click("#next").await;
    page.wait_text("#send-to", &email).await;
    page.click("#send").await;
    enter_code(&api, &page, &email).await;
    let query = back_at_callback(&page).await;
    exchange(&api, &tenant, &client_id, &callback, &query);

    // "My apps" lists it, opening on its site.
    page.goto(&format!("/{}/", tenant.id)).await;
    page.wait_text("h1", "You're signed in").await;
    page.click("#my-apps").await;
    page.wait_text("h1", "My apps").await;
    page.wait_text("#apps .app-name", "Wiki").await;
    assert_eq!(
        page.attr("#apps .app-link", "href").await.as_deref(),
        Some(format!("{}/", api.base).as_str())
    );
    page.assert_accessible("My apps").await;
    page.close().await;
}

#[tokio::test]
async fn an_invitation_to_an_application_lands_the_guest_at_it_signed_in() {
    let api = browser_api();
    let tenant = api.new_tenant();
    let email = format!("{}@guests.example", unique("oidc-invited"));
    let (client_id, callback) = register_wiki(&api, &tenant);
    // The application's sign-in link as the invitation's redirect: after redemption the guest
    // goes there, and with the session just made comes straight back with a code.
    let start = format!(
        "{}{}",
        api.base,
        authorize_path(&tenant, &client_id, &callback, &email)
    );
    let body = json!({"invitedUserEmailAddress": email, "sendInvitationMessage": false, "inviteRedirectUrl": start});
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
    enter_code(&api, &page, &email).await;
    let query = back_at_callback(&page).await;
    exchange(&api, &tenant, &client_id, &callback, &query);
    page.close().await;
}
