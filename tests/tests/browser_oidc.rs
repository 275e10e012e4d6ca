//! An application's sign-in in a real browser: its authorization request leads to Guestpass's
//! sign-in screens, the guest signs in with an email code, and the browser comes back to the
//! application's callback with a code the application exchanges for tokens.

use std::time::Instant;

use guestpass_e2e::browser;
use guestpass_e2e::{browser_api, json, unique, Endpoint};

/// RFC 7636 Appendix B's verifier and its S256 challenge.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

#[tokio::test]
async fn an_applications_sign_in_goes_through_the_email_code_screens_and_back_with_a_code() {
    let api = browser_api();
    let tenant = api.new_tenant();
    let email = format!("{}@guests.example", unique("oidc-browser"));
    api.invite(&tenant, &email);
    // The callback is on the Worker's own loopback origin, so the browser has somewhere to land
    // (the SPA's page for a path that names no organization).
    let callback = format!("{}/app-callback", api.base);
    let admin = api.admin_session(&tenant);
    let app = api
        .as_session(
            &admin,
            "POST",
            &api.tenant_path(&tenant, Endpoint::ListApplications),
            Some(&json!({"displayName": "Wiki", "redirectUris": [callback], "publicClient": true})),
        )
        .expect(201)
        .body;
    let client_id = app["clientId"].as_str().unwrap();
    let encoded_callback = callback.replace(':', "%3A").replace('/', "%2F");

    let page = browser::open("en-US").await;
    page.goto(&format!(
        "/{}/oauth2/v2.0/authorize?response_type=code&client_id={client_id}&redirect_uri={encoded_callback}\
         &scope=openid%20email&state=st-7&nonce=n-7&code_challenge={CHALLENGE}&code_challenge_method=S256\
         &login_hint={}",
        tenant.id,
        email.replace('@', "%40")
    ))
    .await;
    // Guestpass's sign-in, with the address the application hinted.
    page.wait_text("h1", "Sign in").await;
    assert_eq!(page.value("#email").await, email);
    page.click("#next").await;
    page.wait_text("#send-to", &email).await;
    page.click("#send").await;
    page.wait_text("h1", "Enter code").await;
    let code = guestpass_e2e::eventually("the code", || api.codes(&email).first().cloned());
    page.type_into("#code", &code).await;
    page.click("#sign-in").await;

    let started = Instant::now();
    let back = loop {
        let path = page.path().await;
        if path.starts_with("/app-callback") {
            break path;
        }
        assert!(started.elapsed() < browser::WAIT, "still at {path}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    page.close().await;
    let query = back.split_once('?').map(|(_, q)| q).unwrap_or("");
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
            .map(str::to_string)
    };
    assert_eq!(param("state").as_deref(), Some("st-7"));
    let issuer = format!("{}/{}/v2.0", api.base, tenant.id);
    assert_eq!(
        param("iss").map(|iss| iss.replace("%3A", ":").replace("%2F", "/")),
        Some(issuer)
    );
    let code = param("code").expect("a code");

    let tokens = api.raw(
        "POST",
        &format!("/{}/oauth2/v2.0/token", tenant.id),
        Some((
            "application/x-www-form-urlencoded",
            format!(
                "grant_type=authorization_code&code={code}&redirect_uri={encoded_callback}\
                 &code_verifier={VERIFIER}&client_id={client_id}"
            )
            .into_bytes(),
        )),
        &[],
    );
    assert_eq!(tokens.status, 200, "{}", tokens.text);
    assert!(tokens.body["id_token"].is_string());
    assert_eq!(tokens.body["token_type"], "Bearer");
}
