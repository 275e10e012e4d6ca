//! What applications are told: one issuer per tenant and its discovery document, a pairwise
//! subject that never is the address, the ID token's claims, and userinfo by scope.

mod support;

use guestpass_core::directory::UserRecord;
use guestpass_core::oidc::claims::{
    amr, discovery, id_token_claims, issuer, subject, user_info, SignIn, ID_TOKEN_LIFETIME_SECONDS,
};
use guestpass_wire::{AuthenticationMethod, UserType};
use support::user_record;

const T0: i64 = 1_795_305_600_000;

fn guest() -> UserRecord {
    UserRecord {
        user_type: UserType::Guest,
        display_name: "Ada Lovelace".into(),
        mail: Some("ada@fabrikam.example".into()),
        user_principal_name: "ada_fabrikam.example#EXT#@contoso.example".into(),
        ..user_record("u-1", &[])
    }
}

#[test]
fn each_tenant_has_one_issuer_and_its_discovery_document_says_what_is_supported() {
    assert_eq!(
        issuer("https://id.example/", "t-1"),
        "https://id.example/t-1/v2.0"
    );
    let document = discovery("https://id.example", "t-1");
    assert_eq!(document.issuer, "https://id.example/t-1/v2.0");
    assert_eq!(
        document.authorization_endpoint,
        "https://id.example/t-1/oauth2/v2.0/authorize"
    );
    assert_eq!(
        document.jwks_uri,
        "https://id.example/t-1/discovery/v2.0/keys"
    );
    let json = serde_json::to_value(&document).unwrap();
    assert_eq!(
        json["code_challenge_methods_supported"],
        serde_json::json!(["S256"])
    );
    assert_eq!(
        json["response_types_supported"],
        serde_json::json!(["code"])
    );
    assert_eq!(
        json["id_token_signing_alg_values_supported"],
        serde_json::json!(["ES256", "RS256"]),
        "Discovery requires RS256 listed"
    );
    assert_eq!(json["authorization_response_iss_parameter_supported"], true);
    assert_ne!(
        discovery("https://id.example", "t-2").issuer,
        document.issuer,
        "a token of one tenant never names another's issuer"
    );
}

#[test]
fn the_subject_is_stable_per_user_and_application_and_never_the_address() {
    let user = guest();
    let wiki = subject(&user.tenant_id, "app-wiki", &user.id);
    assert_eq!(wiki, subject("t-1", "app-wiki", "u-1"), "stable");
    assert_eq!(wiki.len(), 43);
    assert_ne!(wiki, subject("t-1", "app-crm", "u-1"), "pairwise");
    assert_ne!(wiki, subject("t-1", "app-wiki", "u-2"));
    assert_ne!(
        subject("t-1", "a", "bc"),
        subject("t-1", "ab", "c"),
        "parts cannot slide into each other"
    );
    assert!(!wiki.contains("ada"));
}

#[test]
fn the_id_token_says_who_how_when_and_for_whom() {
    let user = guest();
    let sign_in = SignIn {
        user: &user,
        method: AuthenticationMethod::EmailOtp,
        passkey_backed_up: false,
        signed_in_at: T0 - 60_000,
    };
    let claims = id_token_claims(
        "https://id.example/t-1/v2.0",
        "app-wiki",
        "client-wiki",
        &sign_in,
        Some("n-0S6"),
        T0,
    );
    assert_eq!(claims.aud, "client-wiki");
    assert_eq!(claims.azp, "client-wiki");
    assert_eq!(claims.iat, T0 / 1000);
    assert_eq!(claims.exp, T0 / 1000 + ID_TOKEN_LIFETIME_SECONDS);
    assert_eq!(claims.auth_time, (T0 - 60_000) / 1000);
    assert_eq!(claims.nonce.as_deref(), Some("n-0S6"));
    assert_eq!(claims.tid, "t-1");
    assert_eq!(claims.email.as_deref(), Some("ada@fabrikam.example"));
    assert_eq!(claims.amr, ["otp"]);
    let json = serde_json::to_value(&claims).unwrap();
    assert_eq!(json["user_type"], "Guest");
    let without_nonce = id_token_claims("i", "a", "c", &sign_in, None, T0);
    assert!(serde_json::to_value(&without_nonce)
        .unwrap()
        .get("nonce")
        .is_none());
}

#[test]
fn amr_names_the_method_and_a_passkeys_kind() {
    assert_eq!(amr(AuthenticationMethod::EmailOtp, false), ["otp"]);
    assert_eq!(
        amr(AuthenticationMethod::TemporaryAccessPass, false),
        ["tap"]
    );
    assert_eq!(
        amr(AuthenticationMethod::Passkey, false),
        ["hwk"],
        "bound to its device"
    );
    assert_eq!(amr(AuthenticationMethod::Passkey, true), ["swk"], "synced");
}

#[test]
fn userinfo_tells_what_the_scopes_allow() {
    let user = guest();
    let only_openid = user_info("app-wiki", &user, &["openid".into()]);
    assert_eq!(only_openid.sub, subject("t-1", "app-wiki", "u-1"));
    assert_eq!(
        (only_openid.email, only_openid.name),
        (None, None),
        "openid alone is the subject only"
    );
    let full = user_info(
        "app-wiki",
        &user,
        &["openid".into(), "email".into(), "profile".into()],
    );
    assert_eq!(full.email.as_deref(), Some("ada@fabrikam.example"));
    assert_eq!(full.name.as_deref(), Some("Ada Lovelace"));
}
