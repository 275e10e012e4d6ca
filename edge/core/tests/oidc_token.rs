//! The token request's rules: one way of client authentication, secrets checked against their
//! keyed hashes, public clients without one, and a code exchanged only by its client, for its
//! redirect URI, with the verifier of its challenge, within 60 seconds.

mod support;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use guestpass_core::memory::run;
use guestpass_core::oidc::application;
use guestpass_core::oidc::token::{
    authenticate, client_credentials, exchangeable, ClientCredentials, IssuedCode, TokenError,
    CODE_LIFETIME_MS,
};
use guestpass_wire::application::CreateApplicationRequest;
use support::*;

const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const CALLBACK: &str = "https://wiki.contoso.example/callback";

fn basic(id: &str, secret: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")))
}

#[test]
fn a_client_authenticates_one_way_only() {
    let from_header = client_credentials(Some(&basic("c1", "s%3A1")), None, None).unwrap();
    assert_eq!(
        from_header,
        ClientCredentials {
            client_id: "c1".into(),
            secret: Some("s:1".into()),
            basic: true,
        },
        "Basic's parts are form-decoded (RFC 6749 §2.3.1)"
    );
    let from_form = client_credentials(None, Some("c1"), Some("s1")).unwrap();
    assert_eq!(
        (from_form.secret.as_deref(), from_form.basic),
        (Some("s1"), false)
    );
    let public = client_credentials(None, Some("c1"), None).unwrap();
    assert_eq!(public.secret, None);

    assert!(
        matches!(
            client_credentials(Some(&basic("c1", "s1")), None, Some("s1")),
            Err(TokenError::InvalidRequest(_))
        ),
        "both the header and the form"
    );
    assert!(
        matches!(
            client_credentials(Some(&basic("c1", "s1")), Some("c2"), None),
            Err(TokenError::InvalidRequest(_))
        ),
        "a form client_id that is not the authenticated one"
    );
    for broken in ["Basic !!!", "Basic Y2xpZW50"] {
        assert_eq!(
            client_credentials(Some(broken), None, None),
            Err(TokenError::InvalidClient),
            "{broken}"
        );
    }
    assert_eq!(
        client_credentials(None, None, None),
        Err(TokenError::InvalidClient)
    );
    assert_eq!(TokenError::InvalidClient.status(), 401);
    assert_eq!(TokenError::InvalidGrant("x").code(), "invalid_grant");
}

#[test]
fn confidential_clients_need_one_of_their_secrets_and_public_clients_none() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let tenant = world.tenant(&org.id);
    let register = |public_client| {
        let request = CreateApplicationRequest {
            display_name: "Wiki".into(),
            redirect_uris: vec![CALLBACK.into()],
            public_client,
            ..Default::default()
        };
        run(application::create(
            &world.cx(),
            operator(),
            &tenant,
            &request,
        ))
        .unwrap()
    };
    let confidential = register(false);
    let secret = run(application::add_secret(
        &world.cx(),
        operator(),
        &tenant,
        &confidential.id,
    ))
    .unwrap()
    .secret_text;
    let stored = |id: &str| {
        run(world.cx().directory().application(&org.id, id))
            .unwrap()
            .unwrap()
    };
    let keys = &world.cx().settings.keys;
    let with = |secret: Option<&str>| ClientCredentials {
        client_id: confidential.client_id.clone(),
        secret: secret.map(str::to_string),
        basic: false,
    };
    let app = stored(&confidential.id);
    assert_eq!(authenticate(keys, Some(&app), &with(Some(&secret))), Ok(()));
    for wrong in [Some("not-it"), Some(""), None] {
        assert_eq!(
            authenticate(keys, Some(&app), &with(wrong)),
            Err(TokenError::InvalidClient),
            "{wrong:?}"
        );
    }
    assert_eq!(
        authenticate(keys, None, &with(Some(&secret))),
        Err(TokenError::InvalidClient),
        "an unknown client answers the same"
    );

    let public = stored(&register(true).id);
    assert_eq!(authenticate(keys, Some(&public), &with(None)), Ok(()));
    assert_eq!(
        authenticate(keys, Some(&public), &with(Some(&secret))),
        Err(TokenError::InvalidClient),
        "a public client has no secret to send"
    );
}

#[test]
fn a_code_is_exchanged_only_by_its_client_for_its_redirect_uri_with_its_verifier_in_time() {
    let code = IssuedCode {
        client_id: "c1".into(),
        redirect_uri: CALLBACK.into(),
        code_challenge: CHALLENGE.into(),
        issued_at: T0,
    };
    let exchange = |client: &str, uri: Option<&str>, verifier: Option<&str>, at| {
        exchangeable(&code, client, uri, verifier, at)
    };
    assert_eq!(
        exchange("c1", Some(CALLBACK), Some(VERIFIER), T0 + 1),
        Ok(())
    );
    assert_eq!(
        exchange("c1", Some(CALLBACK), Some(VERIFIER), T0 + CODE_LIFETIME_MS),
        Ok(()),
        "60 s is still in time"
    );
    let grant_refused =
        |result: Result<(), TokenError>| matches!(result, Err(TokenError::InvalidGrant(_)));
    assert!(grant_refused(exchange(
        "c1",
        Some(CALLBACK),
        Some(VERIFIER),
        T0 + CODE_LIFETIME_MS + 1
    )));
    assert!(grant_refused(exchange(
        "c2",
        Some(CALLBACK),
        Some(VERIFIER),
        T0
    )));
    assert!(grant_refused(exchange(
        "c1",
        Some("https://wiki.contoso.example/other"),
        Some(VERIFIER),
        T0
    )));
    assert!(grant_refused(exchange("c1", None, Some(VERIFIER), T0)));
    assert!(grant_refused(exchange(
        "c1",
        Some(CALLBACK),
        Some(CHALLENGE),
        T0
    )));
    assert!(
        matches!(
            exchange("c1", Some(CALLBACK), None, T0),
            Err(TokenError::InvalidRequest(_))
        ),
        "a verifier is required"
    );
}
