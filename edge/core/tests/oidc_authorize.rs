//! The authorization request's rules: an unknown client or an unregistered redirect URI is an
//! error page (never a redirect); everything else wrong goes back to the client with its state;
//! PKCE S256 only (RFC 7636's own example pins the verifier check); `prompt`, `max_age` and
//! assignment decide whether a session answers.

mod support;

use guestpass_core::oidc::authorize::{
    check, is_assigned, session_is_fresh_enough, verifier_matches, AuthorizationQuery, ErrorPage,
    Prompt, Refusal,
};
use guestpass_core::oidc::ApplicationRecord;
use guestpass_wire::application::{Assignment, AssignmentType, IdTokenAlgorithm};
use support::user_record;

/// RFC 7636 Appendix B: the verifier and its S256 challenge.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const CALLBACK: &str = "https://wiki.contoso.example/callback";

fn app() -> ApplicationRecord {
    ApplicationRecord {
        id: "app-1".into(),
        tenant_id: "t".into(),
        client_id: "client-1".into(),
        display_name: "Wiki".into(),
        redirect_uris: vec![CALLBACK.into()],
        post_logout_redirect_uris: vec![],
        public_client: true,
        assignment_required: false,
        assignments: vec![],
        id_token_signed_response_alg: IdTokenAlgorithm::Es256,
        home_page_url: None,
        secrets: vec![],
        created_at: 0,
    }
}

fn query() -> AuthorizationQuery<'static> {
    AuthorizationQuery {
        response_type: Some("code"),
        client_id: Some("client-1"),
        redirect_uri: Some(CALLBACK),
        scope: Some("openid email profile"),
        state: Some("xyz"),
        nonce: Some("n-0S6_WzA2Mj"),
        code_challenge: Some(CHALLENGE),
        code_challenge_method: Some("S256"),
        ..Default::default()
    }
}

fn redirected_error(query: &AuthorizationQuery<'_>) -> (&'static str, Option<String>) {
    match check(query, Some(&app())) {
        Err(Refusal::Redirect(error)) => {
            assert_eq!(error.redirect_uri, CALLBACK);
            (error.error, error.state)
        }
        other => panic!("not a redirected error: {other:?}"),
    }
}

#[test]
fn a_good_request_is_accepted_with_its_state_nonce_and_challenge() {
    let accepted = check(&query(), Some(&app())).unwrap();
    assert_eq!(accepted.redirect_uri, CALLBACK);
    assert_eq!(accepted.scopes, ["openid", "email", "profile"]);
    assert_eq!(accepted.state.as_deref(), Some("xyz"));
    assert_eq!(accepted.nonce.as_deref(), Some("n-0S6_WzA2Mj"));
    assert_eq!(accepted.code_challenge, CHALLENGE);
    assert_eq!(accepted.prompt, Prompt::Default);
}

#[test]
fn an_unknown_client_or_an_unregistered_redirect_uri_is_a_page_never_a_redirect() {
    assert_eq!(
        check(&query(), None),
        Err(Refusal::Page(ErrorPage::UnknownClient))
    );
    for uri in [
        None,
        Some("https://evil.example/callback"),
        Some("https://wiki.contoso.example/callback/"),
        Some("https://wiki.contoso.example/callback?x=1"),
        Some("https://WIKI.contoso.example/callback"),
    ] {
        let bad = AuthorizationQuery {
            redirect_uri: uri,
            // Even a request wrong in every other way: the redirect URI is judged first.
            response_type: Some("token"),
            ..query()
        };
        assert_eq!(
            check(&bad, Some(&app())),
            Err(Refusal::Page(ErrorPage::RedirectUriNotRegistered)),
            "{uri:?}"
        );
    }
}

#[test]
fn only_the_code_flow_with_openid_is_served() {
    for response_type in [None, Some("token"), Some("id_token"), Some("code id_token")] {
        let bad = AuthorizationQuery {
            response_type,
            ..query()
        };
        assert_eq!(
            redirected_error(&bad),
            ("unsupported_response_type", Some("xyz".into()))
        );
    }
    for scope in [None, Some("email profile"), Some("openidx")] {
        let bad = AuthorizationQuery { scope, ..query() };
        assert_eq!(redirected_error(&bad).0, "invalid_scope", "{scope:?}");
    }
}

#[test]
fn pkce_s256_is_required_and_plain_is_refused() {
    let missing = AuthorizationQuery {
        code_challenge: None,
        code_challenge_method: None,
        ..query()
    };
    assert_eq!(redirected_error(&missing).0, "invalid_request");
    for method in [None, Some("plain"), Some("s256")] {
        let bad = AuthorizationQuery {
            code_challenge_method: method,
            ..query()
        };
        assert_eq!(redirected_error(&bad).0, "invalid_request", "{method:?}");
    }
    for challenge in [VERIFIER.get(..42).unwrap(), "not a digest", ""] {
        let bad = AuthorizationQuery {
            code_challenge: Some(challenge),
            ..query()
        };
        assert_eq!(redirected_error(&bad).0, "invalid_request", "{challenge:?}");
    }
}

#[test]
fn the_verifier_must_hash_to_the_challenge() {
    assert!(verifier_matches(VERIFIER, CHALLENGE), "RFC 7636's example");
    assert!(
        !verifier_matches(CHALLENGE, CHALLENGE),
        "the challenge is not its own verifier"
    );
    let mut other = VERIFIER.to_string();
    other.replace_range(0..1, "e");
    assert!(!verifier_matches(&other, CHALLENGE));
    assert!(
        !verifier_matches("short", CHALLENGE),
        "fewer than 43 characters"
    );
    assert!(
        !verifier_matches(&"a".repeat(129), CHALLENGE),
        "more than 128"
    );
    let with_space = format!("{} ", VERIFIER.get(..43).unwrap());
    assert!(
        !verifier_matches(&with_space, CHALLENGE),
        "a character outside the set"
    );
}

#[test]
fn prompt_and_max_age_decide_whether_a_session_answers() {
    let with = |prompt: Option<&'static str>, max_age: Option<&'static str>| AuthorizationQuery {
        prompt,
        max_age,
        ..query()
    };
    let none = check(&with(Some("none"), None), Some(&app())).unwrap();
    assert_eq!(none.prompt, Prompt::None);
    for login in ["login", "select_account", "login consent"] {
        let accepted = check(&with(Some(login), None), Some(&app())).unwrap();
        assert_eq!(accepted.prompt, Prompt::Login, "{login}");
        assert!(
            !session_is_fresh_enough(&accepted, 0, 1),
            "{login}: always a new sign-in"
        );
    }
    for bad in ["none login", "whatever"] {
        assert_eq!(
            redirected_error(&with(Some(bad), None)).0,
            "invalid_request",
            "{bad}"
        );
    }
    let aged = check(&with(None, Some("300")), Some(&app())).unwrap();
    assert!(session_is_fresh_enough(&aged, 1_000, 301_000), "300 s old");
    assert!(
        !session_is_fresh_enough(&aged, 1_000, 301_001),
        "older than max_age"
    );
    let zero = check(&with(None, Some("0")), Some(&app())).unwrap();
    assert!(
        !session_is_fresh_enough(&zero, 1_000, 1_001),
        "max_age=0: sign in again"
    );
    assert_eq!(
        redirected_error(&with(None, Some("-1"))).0,
        "invalid_request"
    );
    let plain = check(&query(), Some(&app())).unwrap();
    assert!(session_is_fresh_enough(&plain, 0, i64::MAX / 2));
}

#[test]
fn an_application_that_requires_assignment_is_open_to_assigned_users_and_groups_only() {
    let user = user_record;
    let mut app = app();
    assert!(is_assigned(&app, &user("anyone", &[])), "open to everyone");
    app.assignment_required = true;
    app.assignments = vec![
        Assignment {
            id: "megan".into(),
            kind: AssignmentType::User,
        },
        Assignment {
            id: "Finance".into(),
            kind: AssignmentType::Group,
        },
    ];
    assert!(is_assigned(&app, &user("megan", &[])));
    assert!(
        is_assigned(&app, &user("lee", &["finance"])),
        "through a group"
    );
    assert!(!is_assigned(&app, &user("lee", &["Sales"])));
    assert!(
        !is_assigned(&app, &user("Finance", &[])),
        "a user id is not a group name"
    );
}
