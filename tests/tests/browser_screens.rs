//! Every screen in every language: the browser's language picks the page's, each screen passes
//! an axe-core audit (no serious or critical WCAG 2.2 A/AA violation), and a screenshot of each is
//! saved to `tests/artifacts/` and checked not to be blank.

use guestpass_e2e::browser::{self, Browser};
use guestpass_e2e::{browser_api, eventually, unique};

/// What each screen must say in a language (a few words of its own copy).
struct Words {
    tag: &'static str,
    no_tenant: &'static str,
    unknown: &'static str,
    invited: &'static str,
    send_code: &'static str,
    enter_code: &'static str,
    wrong_code: &'static str,
    signed_in: &'static str,
    outbox: &'static str,
    signed_out: &'static str,
    code_subject: &'static str,
}

const ENGLISH: Words = Words {
    tag: "en",
    no_tenant: "This link is missing the organization",
    unknown: "Organization not found",
    invited: "invited you",
    send_code: "Send code",
    enter_code: "Enter code",
    wrong_code: "That code is not right",
    signed_in: "You're signed in",
    outbox: "Development outbox",
    signed_out: "You signed out.",
    code_subject: "verification code",
};

const FRENCH: Words = Words {
    tag: "fr",
    no_tenant: "Il manque l'organisation dans ce lien",
    unknown: "Organisation introuvable",
    invited: "vous a invité",
    send_code: "Envoyer le code",
    enter_code: "Saisir le code",
    wrong_code: "Ce code est incorrect",
    signed_in: "Vous êtes connecté",
    outbox: "Boîte d'envoi de développement",
    signed_out: "Vous êtes déconnecté.",
    code_subject: "Votre code de vérification",
};

const RUSSIAN: Words = Words {
    tag: "ru",
    no_tenant: "В ссылке не указана организация",
    unknown: "Организация не найдена",
    invited: "приглашает вас",
    send_code: "Отправить код",
    enter_code: "Введите код",
    wrong_code: "Неверный код",
    signed_in: "Вы вошли",
    outbox: "Исходящие для разработки",
    signed_out: "Вы вышли.",
    code_subject: "Ваш код подтверждения",
};

async fn check(page: &Browser, screen: &str, words: &Words) {
    page.assert_accessible(&format!("{screen} ({})", words.tag))
        .await;
    page.screenshot(&format!("{screen}-{}", words.tag)).await;
}

/// Walks every screen as a guest whose browser prefers `words.tag`.
async fn tour(words: Words, browser_language: &str) {
    let api = browser_api();
    let tenant = api.new_tenant();
    let email = format!("{}@guests.example", unique(&format!("tour{}", words.tag)));
    let invitation = api.invite(&tenant, &email);
    let page = browser::open(browser_language).await;

    page.goto("/").await;
    page.wait_text("h1", words.no_tenant).await;
    page.wait_lang(words.tag).await;
    check(&page, "no-tenant", &words).await;

    page.goto(&format!("/{}.example/", unique("nowhere"))).await;
    page.wait_text("h1", words.unknown).await;
    check(&page, "unknown-tenant", &words).await;

    page.open_link(invitation["inviteRedeemUrl"].as_str().unwrap())
        .await;
    page.wait_text("h1", words.invited).await;
    check(&page, "invitation", &words).await;

    page.click("#accept").await;
    page.wait_text("#send", words.send_code).await;
    check(&page, "send-code", &words).await;

    page.click("#send").await;
    page.wait_text("h1", words.enter_code).await;
    let message = api.wait_for_email(&email, 1);
    assert!(
        message["subject"]
            .as_str()
            .unwrap()
            .contains(words.code_subject),
        "the code email is in the page's language: {message}"
    );
    page.type_into("#code", "00000000").await;
    page.click("#sign-in").await;
    page.wait_text("#message", words.wrong_code).await;
    check(&page, "enter-code", &words).await;

    let code = eventually("the code", || api.codes(&email).first().cloned());
    page.type_into("#code", &code).await;
    page.click("#sign-in").await;
    page.wait_text("h1", words.signed_in).await;
    check(&page, "signed-in", &words).await;

    page.goto(&format!("/dev/outbox?to={}", email.replace('@', "%40")))
        .await;
    page.wait_text("h1", words.outbox).await;
    page.wait_text("#outbox", &email).await;
    check(&page, "outbox", &words).await;

    page.goto(&format!("/{}/", tenant.id)).await;
    page.wait_text("h1", words.signed_in).await;
    page.click("#sign-out").await;
    page.wait_text("main", words.signed_out).await;
    check(&page, "sign-in", &words).await;
    page.close().await;
}

#[tokio::test]
async fn every_screen_in_english_is_accessible_and_not_blank() {
    tour(ENGLISH, "en-GB").await;
}

#[tokio::test]
async fn every_screen_in_french_is_accessible_and_not_blank() {
    tour(FRENCH, "fr-FR").await;
}

#[tokio::test]
async fn every_screen_in_russian_is_accessible_and_not_blank() {
    tour(RUSSIAN, "ru-RU").await;
}
