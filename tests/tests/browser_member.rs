//! A member's sign-in with a Temporary Access Pass in the browser: an administrator issues the
//! pass through the API, the member chooses the pass instead of a passkey and signs in on the
//! screens (English and French), every screen passes axe-core, and the blocked and wrong-pass
//! messages come in the page's language.

use guestpass_e2e::browser;
use guestpass_e2e::{json, member_with_pass};

#[tokio::test]
async fn a_member_signs_in_with_a_pass_an_administrator_issued() {
    // The tenant's administrator (not the operator) issues the pass.
    let (tenant, member, pass) = member_with_pass("megan", json!({}));

    let page = browser::open("en-US").await;
    page.goto(&format!("/{}/sign-in", tenant.domain)).await;
    page.type_into("#email", &member.upn).await;
    page.click("#next").await;
    page.wait_text("h1", "Sign in with a passkey").await;
    page.click("#use-pass").await;
    page.wait_text("h1", "Enter Temporary Access Pass").await;
    page.wait_text("main", &member.upn).await;
    page.wait_focused("pass").await;
    assert_eq!(
        page.attr("#pass", "type").await.as_deref(),
        Some("password")
    );
    page.assert_accessible("enter pass (en)").await;
    page.screenshot("enter-pass-en").await;

    page.type_into("#pass", "Wrong2345").await;
    page.click("#pass-sign-in").await;
    page.wait_text(
        "#message",
        "The username or the Temporary Access Pass is not right.",
    )
    .await;
    page.wait_focused("pass").await;

    page.type_into("#pass", &pass).await;
    page.click("#pass-sign-in").await;
    page.wait_text("h1", "You're signed in").await;
    page.wait_text("#identity", &member.upn).await;
    page.wait_text("main", "Temporary Access Pass").await;
    page.wait_text("#scope", "full access").await;
    page.assert_accessible("member signed in (en)").await;
    page.screenshot("member-signed-in-en").await;
    page.close().await;
}

#[tokio::test]
async fn a_one_time_pass_opens_a_registration_session_and_then_is_blocked_in_french() {
    // The tenant's administrator (not the operator) issues the pass.
    let (tenant, member, pass) = member_with_pass("amelie", json!({"isUsableOnce": true}));

    let page = browser::open("fr-FR").await;
    page.goto(&format!("/{}/sign-in", tenant.id)).await;
    page.wait_text("#next", "Suivant").await;
    page.type_into("#email", &member.upn).await;
    page.click("#next").await;
    page.click("#use-pass").await;
    page.wait_text("h1", "Saisir le passe d'accès temporaire")
        .await;
    page.assert_accessible("enter pass (fr)").await;
    page.screenshot("enter-pass-fr").await;
    page.type_into("#pass", &pass).await;
    page.click("#pass-sign-in").await;
    // A registration session can only add a passkey: it lands where that is done.
    page.wait_text("h1", "Informations de sécurité").await;
    page.wait_text("#scope", "session d'inscription").await;
    page.click("#done").await;
    page.wait_text("h1", "Vous êtes connecté").await;
    page.wait_text("#scope", "session d'inscription").await;
    page.assert_accessible("registration session (fr)").await;
    page.screenshot("member-registration-fr").await;

    page.click("#sign-out").await;
    page.wait_text("main", "Vous êtes déconnecté.").await;
    page.type_into("#email", &member.upn).await;
    page.click("#next").await;
    page.click("#use-pass").await;
    page.type_into("#pass", &pass).await;
    page.click("#pass-sign-in").await;
    page.wait_text(
        "#message",
        "La connexion par passe d'accès temporaire a été bloquée en raison de la stratégie relative aux informations d'identification de l'utilisateur.",
    )
    .await;
    page.assert_accessible("blocked pass (fr)").await;
    page.screenshot("pass-blocked-fr").await;
    page.close().await;
}
