//! Tenant context and language choice in the browser: `/`, unknown tenants, `?tenantid=`, the
//! switcher and its memory, and small screens.

use guestpass_e2e::browser;
use guestpass_e2e::{browser_api, unique};

#[tokio::test]
async fn tenantid_in_the_query_lands_on_the_tenant_path() {
    let api = browser_api();
    let tenant = api.new_tenant();
    let page = browser::open("en-US").await;
    page.goto(&format!("/?tenantid={}", tenant.id)).await;
    page.wait_text(".organization", &format!("Org {}", tenant.domain))
        .await;
    assert_eq!(page.path().await, format!("/{}/", tenant.id));
    page.wait_text("h1", "Sign in to").await;
    page.close().await;
}

#[tokio::test]
async fn the_root_and_an_unknown_tenant_explain_what_to_do() {
    let page = browser::open("en-US").await;
    page.goto("/").await;
    page.wait_text("h1", "This link is missing the organization")
        .await;
    page.wait_text("main", "ask the organization that invited you")
        .await;
    let nowhere = format!("{}.example", unique("nowhere"));
    page.goto(&format!("/{nowhere}/sign-in")).await;
    page.wait_text("h1", "Organization not found").await;
    page.wait_text("main", &nowhere).await;
    // A segment that cannot name a tenant never reaches the API as a path.
    page.goto("/no_such_tenant!/").await;
    page.wait_text("h1", "Organization not found").await;
    page.close().await;
}

#[tokio::test]
async fn a_language_chosen_on_the_page_is_used_at_once_and_remembered() {
    let api = browser_api();
    let tenant = api.new_tenant();
    let page = browser::open("en-US").await;
    page.goto(&format!("/{}/sign-in", tenant.id)).await;
    page.wait_text("#next", "Next").await;
    page.choose_language("fr").await;
    page.wait_text("#next", "Suivant").await;
    page.wait_text("label[for=email]", "Adresse e-mail").await;
    page.goto(&format!("/{}/sign-in", tenant.id)).await;
    page.wait_text("#next", "Suivant").await;
    page.choose_language("ru").await;
    page.wait_text("#next", "Далее").await;
    page.close().await;
}

#[tokio::test]
async fn screens_fit_a_320_pixel_wide_window_without_sideways_scrolling() {
    let api = browser_api();
    let (tenant, redeem_url) = {
        let tenant = api.new_tenant();
        let email = format!("{}@guests.example", unique("narrow"));
        let invitation = api.invite(&tenant, &email);
        (
            tenant,
            invitation["inviteRedeemUrl"].as_str().unwrap().to_string(),
        )
    };
    let page = browser::open("ru-RU").await;
    page.client.set_window_size(320, 800).await.expect("resize");
    for path in ["/".to_string(), format!("/{}/sign-in", tenant.id)] {
        page.goto(&path).await;
        page.text("h1").await;
        let (content, viewport) = page.widths().await;
        assert!(
            viewport <= 320 && content <= viewport,
            "{path}: {content} px of content in a {viewport} px viewport"
        );
    }
    page.open_link(&redeem_url).await;
    page.wait_text("h1", "приглашает").await;
    let (content, viewport) = page.widths().await;
    assert!(
        content <= viewport,
        "the invitation: {content} px of content in a {viewport} px viewport"
    );
    page.screenshot("invitation-320px-ru").await;
    page.close().await;
}
