//! Passkeys on the screens, with Chromium's WebDriver virtual authenticator standing in for the
//! member's device: a one-time pass leads to security info, the member adds a passkey there and
//! signs in with it — by name, and through the username field's autofill — renames and deletes
//! it; the pass stays one link away; refusals come in the page's language; axe-core on each
//! new screen. The browser opens `http://localhost:…`: WebAuthn refuses an IP address as RP ID.

use guestpass_e2e::browser::{self, Browser};
use guestpass_e2e::{browser_api, json, member_with_pass, Member, Tenant};
use guestpass_wire::api::Endpoint;

/// A tenant and a member holding a one-time pass their administrator issued: the value.
fn member_with_one_time_pass(prefix: &str) -> (Tenant, Member, String) {
    member_with_pass(prefix, json!({"isUsableOnce": true}))
}

/// Username first, then the pass instead of a passkey: the registration session it opens
/// leads to security info.
async fn sign_in_with_pass(page: &Browser, tenant: &Tenant, member: &Member, pass: &str) {
    page.goto(&format!("/{}/sign-in", tenant.domain)).await;
    page.type_into("#email", &member.upn).await;
    page.click("#next").await;
    page.element("#use-pass").await;
    page.click("#use-pass").await;
    page.wait_focused("pass").await;
    page.type_into("#pass", pass).await;
    page.click("#pass-sign-in").await;
}

#[tokio::test]
async fn a_member_adds_a_passkey_with_a_one_time_pass_then_signs_in_with_it_by_name_and_through_autofill(
) {
    let (tenant, member, pass) = member_with_one_time_pass("pria");
    let page = browser::open_on_localhost("en-US").await;
    let device = page.add_authenticator().await;

    // Every member gets the passkey screen, with the pass one link away.
    page.goto(&format!("/{}/sign-in", tenant.domain)).await;
    page.type_into("#email", &member.upn).await;
    page.click("#next").await;
    page.wait_text("h1", "Sign in with a passkey").await;
    page.wait_text("main", &member.upn).await;
    page.wait_text("#use-pass", "Use a Temporary Access Pass instead")
        .await;
    page.assert_accessible("passkey sign-in (en)").await;
    page.screenshot("passkey-sign-in-en").await;
    page.click("#use-pass").await;
    page.wait_text("h1", "Enter Temporary Access Pass").await;
    page.wait_text("#use-passkey", "Sign in with a passkey instead")
        .await;
    page.click("#use-passkey").await;
    page.wait_text("h1", "Sign in with a passkey").await;
    page.click("#change-address").await;

    // The one-time pass opens a registration session, which lands on security info.
    sign_in_with_pass(&page, &tenant, &member, &pass).await;
    page.wait_text("h1", "Security info").await;
    assert_eq!(
        page.path().await,
        format!("/{}/security-info", tenant.domain)
    );
    page.wait_text("#scope", "registration session").await;
    page.wait_text("#passkeys-empty", "no passkeys yet").await;
    assert!(
        !page.exists("#sign-in-new-passkey").await,
        "nothing to sign in with yet"
    );
    page.assert_accessible("security info, registration (en)")
        .await;

    page.type_into("#passkey-name", "Work laptop").await;
    page.click("#add-passkey").await;
    page.wait_text("main", "Passkey added.").await;
    page.wait_text("#passkeys", "Work laptop").await;
    assert_eq!(page.credentials(&device).await.len(), 1);
    page.assert_accessible("security info, one passkey (en)")
        .await;
    page.screenshot("security-info-en").await;

    page.click(".passkey-actions .button").await;
    page.wait_focused("rename").await;
    page.type_into("#rename", "Laptop").await;
    page.click("#save-rename").await;
    page.wait_text("main", "Passkey renamed.").await;
    page.wait_text("#passkeys .passkey-name", "Laptop").await;

    // The page offers to sign in with the new passkey: a full session.
    page.click("#sign-in-new-passkey").await;
    page.wait_text("h1", "You're signed in").await;
    page.wait_text("main", "Signed in with: passkey").await;
    page.wait_text("#scope", "full access").await;
    let api = browser_api();
    let methods = api.user_path(&tenant, Endpoint::ListPasskeys, &member.id);
    let listed = api.as_operator("GET", &methods, None).expect(200).body;
    assert_eq!(listed["value"][0]["displayName"], "Laptop");
    assert!(listed["value"][0]["lastUsedDateTime"].is_string());

    // Username first: the device is away while the username step offers autofill, so the
    // sign-in goes through the passkey screen.
    let held = page.credentials(&device).await;
    page.remove_credentials(&device).await;
    page.click("#sign-out").await;
    page.wait_text("main", "You signed out.").await;
    page.type_into("#email", &member.upn).await;
    page.click("#next").await;
    page.wait_text("h1", "Sign in with a passkey").await;
    for credential in held {
        page.add_credential(&device, credential).await;
    }
    page.click("#passkey-sign-in").await;
    page.wait_text("h1", "You're signed in").await;
    page.wait_text("main", "Signed in with: passkey").await;

    // Autofill: with the device back, a fresh sign-in page offers the passkey in the username
    // field and signs in without a name typed (a virtual authenticator picks at once what a
    // person would pick in the list).
    let held = page.credentials(&device).await;
    page.remove_credentials(&device).await;
    page.click("#sign-out").await;
    page.wait_text("main", "You signed out.").await;
    for credential in held {
        page.add_credential(&device, credential).await;
    }
    page.goto(&format!("/{}/sign-in", tenant.domain)).await;
    page.wait_text("h1", "You're signed in").await;
    page.wait_text("main", "Signed in with: passkey").await;

    // Security info in a full session: the passkey, when it was last used, and Delete.
    page.click("#security-info").await;
    page.wait_text("h1", "Security info").await;
    page.wait_text("#passkeys", "Laptop").await;
    page.wait_text("#passkeys", "Last used").await;
    assert!(!page.exists("#scope").await, "a full session");
    page.click(".passkey-actions .button:nth-child(2)").await;
    page.wait_focused("cancel-delete").await;
    page.wait_text("main", "Delete the passkey “Laptop”?").await;
    page.assert_accessible("security info, confirm delete (en)")
        .await;
    page.click("#confirm-delete").await;
    page.wait_text("main", "Passkey deleted.").await;
    page.element("#passkeys-empty").await;
    let listed = api.as_operator("GET", &methods, None).expect(200).body;
    assert_eq!(listed["value"], json!([]));
    page.close().await;
}

#[tokio::test]
async fn passkey_screens_and_refusals_speak_french() {
    let (tenant, member, pass) = member_with_one_time_pass("paul");
    let page = browser::open_on_localhost("fr-FR").await;
    let device = page.add_authenticator().await;

    page.goto(&format!("/{}/sign-in", tenant.domain)).await;
    page.wait_text("#next", "Suivant").await;
    page.type_into("#email", &member.upn).await;
    page.click("#next").await;
    page.wait_text("h1", "Se connecter avec une clé d'accès")
        .await;
    page.wait_text("#use-pass", "Utiliser plutôt un passe d'accès temporaire")
        .await;
    page.assert_accessible("passkey sign-in (fr)").await;
    page.click("#change-address").await;

    sign_in_with_pass(&page, &tenant, &member, &pass).await;
    page.wait_text("h1", "Informations de sécurité").await;
    page.wait_text("#scope", "session d'inscription").await;
    page.assert_accessible("security info (fr)").await;
    assert_eq!(page.value("#passkey-name").await, "Ma clé d'accès");
    page.click("#add-passkey").await;
    page.wait_text("main", "Clé d'accès ajoutée.").await;
    page.wait_text("#passkeys", "Ma clé d'accès").await;
    page.assert_accessible("security info, one passkey (fr)")
        .await;
    page.screenshot("security-info-fr").await;
    page.click("#sign-in-new-passkey").await;
    page.wait_text("h1", "Vous êtes connecté").await;
    page.wait_text("main", "clé d'accès").await;

    // The administrator deletes the passkey: the device still offers it, the edge refuses it.
    let api = browser_api();
    let methods = api.user_path(&tenant, Endpoint::ListPasskeys, &member.id);
    let listed = api.as_operator("GET", &methods, None).expect(200).body;
    let one = format!("{methods}/{}", listed["value"][0]["id"].as_str().unwrap());
    api.as_operator("DELETE", &one, None).expect(204);
    let held = page.credentials(&device).await;
    page.remove_credentials(&device).await;
    page.click("#sign-out").await;
    page.wait_text("main", "Vous êtes déconnecté.").await;
    page.type_into("#email", &member.upn).await;
    page.click("#next").await;
    page.wait_text("h1", "Se connecter avec une clé d'accès")
        .await;
    for credential in held {
        page.add_credential(&device, credential).await;
    }
    page.click("#passkey-sign-in").await;
    page.wait_text(
        "#message",
        "Cette clé d'accès n'a pas été reconnue. Essayez-en une autre ou utilisez un passe d'accès temporaire.",
    )
    .await;
    page.assert_accessible("passkey not recognized (fr)").await;

    // The device cannot verify its user: the browser's prompt fails, said in French.
    page.set_user_verified(&device, false).await;
    page.click("#passkey-sign-in").await;
    page.wait_text(
        "#message",
        "La demande de clé d'accès a été annulée ou a expiré. Réessayez.",
    )
    .await;
    page.close().await;
}
