//! The OpenID Connect endpoints end to end on the in-memory ports: a code for a signed-in user,
//! the way through sign-in when there is none (and again for `prompt=login`), tokens whose ID
//! token verifies with the tenant's published keys, userinfo, refresh rotation and reuse,
//! replayed codes, revocation, assignment, tenant isolation, and logout.

mod support;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use guestpass_core::guard::GuardCommand;
use guestpass_core::memory::run;
use guestpass_core::oidc::provider::{self, Answer, Problem, Tokens};
use guestpass_core::oidc::stored_keys::{self, StoredKeys, PREPUBLISH_MS, ROTATE_AFTER_MS};
use guestpass_core::oidc::token::TokenError;
use guestpass_core::oidc::{application, signing};
use guestpass_core::session;
use guestpass_core::time::DAY;
use guestpass_core::time::{MINUTE, SECOND};
use guestpass_wire::application::{
    Application, Assignment, AssignmentType, CreateApplicationRequest, IdTokenAlgorithm,
};
use support::*;

const CALLBACK: &str = "https://wiki.contoso.example/callback";
const LOGGED_OUT: &str = "https://wiki.contoso.example/bye";
/// RFC 7636 Appendix B's verifier and its S256 challenge.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

struct Client {
    app: Application,
    secret: Option<String>,
}

fn register(world: &World, org: &Org, public: bool, assigned: Option<&str>) -> Client {
    register_signed(world, org, public, assigned, IdTokenAlgorithm::Es256)
}

fn register_signed(
    world: &World,
    org: &Org,
    public: bool,
    assigned: Option<&str>,
    algorithm: IdTokenAlgorithm,
) -> Client {
    let tenant = world.tenant(&org.id);
    let request = CreateApplicationRequest {
        id_token_signed_response_alg: algorithm,
        display_name: "Wiki".into(),
        redirect_uris: vec![CALLBACK.into()],
        post_logout_redirect_uris: vec![LOGGED_OUT.into()],
        public_client: public,
        assignment_required: assigned.is_some(),
        assignments: assigned
            .map(|id| Assignment {
                id: id.into(),
                kind: AssignmentType::User,
            })
            .into_iter()
            .collect(),
        ..Default::default()
    };
    let app = run(application::create(
        &world.cx(),
        operator(),
        &tenant,
        &request,
    ))
    .unwrap();
    let secret = (!public).then(|| {
        run(application::add_secret(
            &world.cx(),
            operator(),
            &tenant,
            &app.id,
        ))
        .unwrap()
        .secret_text
    });
    Client { app, secret }
}

fn authorize_query(client: &Client, extra: &str) -> String {
    format!(
        "response_type=code&client_id={}&redirect_uri={}&scope=openid%20email%20profile%20offline_access\
         &state=st-1&nonce=n-1&code_challenge={CHALLENGE}&code_challenge_method=S256{extra}",
        client.app.client_id,
        guestpass_core::url::encode_component(CALLBACK)
    )
}

fn authorize(world: &World, org: &Org, cookie: Option<&str>, query: &str) -> Answer {
    let credentials = guestpass_core::context::Credentials {
        authorization: None,
        cookie,
    };
    run(provider::authorize(
        &world.cx(),
        credentials,
        &world.tenant(&org.id),
        query,
    ))
    .unwrap()
}

/// The value of `name` in a URL's query.
fn param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    guestpass_core::url::query_pairs(query)
        .into_iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

fn code_from(answer: Answer) -> String {
    match answer {
        Answer::Redirect(url) => {
            assert!(url.starts_with(CALLBACK), "{url}");
            assert_eq!(param(&url, "state").as_deref(), Some("st-1"));
            param(&url, "code").expect("a code")
        }
        other => panic!("not a code: {other:?}"),
    }
}

/// A code for the user of `cookie`, as `client`'s usual request gets it.
fn code_for(world: &World, org: &Org, cookie: &str, client: &Client) -> String {
    code_from(authorize(
        world,
        org,
        Some(cookie),
        &authorize_query(client, ""),
    ))
}

fn token(world: &World, org: &Org, client: &Client, form: &str) -> Result<Tokens, TokenError> {
    let mut body = format!("client_id={}&{form}", client.app.client_id);
    if let Some(secret) = &client.secret {
        body.push_str(&format!("&client_secret={secret}"));
    }
    run(provider::token(
        &world.cx(),
        &world.tenant(&org.id),
        None,
        &body,
    ))
    .unwrap()
}

fn exchange(world: &World, org: &Org, client: &Client, code: &str) -> Result<Tokens, TokenError> {
    token(
        world,
        org,
        client,
        &format!(
            "grant_type=authorization_code&code={code}&redirect_uri={}&code_verifier={VERIFIER}",
            guestpass_core::url::encode_component(CALLBACK)
        ),
    )
}

fn refresh(world: &World, org: &Org, client: &Client, refresh: &str) -> Result<Tokens, TokenError> {
    token(
        world,
        org,
        client,
        &format!("grant_type=refresh_token&refresh_token={refresh}"),
    )
}

fn user_info(world: &World, org: &Org, tokens: &Tokens) -> Option<serde_json::Value> {
    let bearer = format!("Bearer {}", tokens.access_token);
    run(provider::user_info(
        &world.cx(),
        &world.tenant(&org.id),
        Some(&bearer),
    ))
    .unwrap()
    .map(|info| serde_json::to_value(info).unwrap())
}

/// The ID token's claims, once its signature verifies with one of the tenant's published keys
/// (p256 or rsa, independent of the code that signed it), by the algorithm `alg`.
fn verified_claims_by(world: &World, org: &Org, id_token: &str, alg: &str) -> serde_json::Value {
    use p256::ecdsa::signature::Verifier;
    let jwks = run(provider::keys(&world.cx(), &world.tenant(&org.id))).unwrap();
    let parsed = signing::parse(id_token).expect("a compact JWS");
    assert_eq!(parsed.header.alg, alg);
    assert_eq!(parsed.header.typ.as_deref(), Some("JWT"));
    let jwk = jwks
        .keys
        .iter()
        .find(|k| Some(&k.kid) == parsed.header.kid.as_ref())
        .expect("the kid is published");
    assert_eq!(jwk.alg, alg);
    let bytes = |b64: &Option<String>| URL_SAFE_NO_PAD.decode(b64.as_ref().unwrap()).unwrap();
    let message = parsed.signing_input.as_bytes();
    if alg == "RS256" {
        let key = rsa::RsaPublicKey::new(
            rsa::BigUint::from_bytes_be(&bytes(&jwk.n)),
            rsa::BigUint::from_bytes_be(&bytes(&jwk.e)),
        )
        .unwrap();
        let signature = rsa::pkcs1v15::Signature::try_from(&parsed.signature[..]).unwrap();
        rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(key)
            .verify(message, &signature)
            .expect("the signature verifies");
    } else {
        let coordinate = |b64: &Option<String>| -> [u8; 32] { bytes(b64).try_into().unwrap() };
        let point = p256::EncodedPoint::from_affine_coordinates(
            (&coordinate(&jwk.x)).into(),
            (&coordinate(&jwk.y)).into(),
            false,
        );
        let key = p256::ecdsa::VerifyingKey::from_encoded_point(&point).unwrap();
        let signature = p256::ecdsa::Signature::from_slice(&parsed.signature).unwrap();
        key.verify(message, &signature)
            .expect("the signature verifies");
    }
    serde_json::from_slice(&parsed.payload).unwrap()
}

fn verified_claims(world: &World, org: &Org, id_token: &str) -> serde_json::Value {
    verified_claims_by(world, org, id_token, "ES256")
}

#[test]
fn a_signed_in_guest_gets_a_code_tokens_that_verify_userinfo_and_a_rotating_refresh_token() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.invite(&org, "ada@fabrikam.example");
    let cookie = world.sign_in_guest(&org, "ada@fabrikam.example");
    let client = register(&world, &org, false, None);

    let answer = authorize(&world, &org, Some(&cookie), &authorize_query(&client, ""));
    let Answer::Redirect(url) = &answer else {
        panic!("{answer:?}")
    };
    assert_eq!(param(url, "iss"), Some(format!("{ORIGIN}/{}/v2.0", org.id)));
    let code = code_from(answer);
    world.advance(SECOND);
    let tokens = exchange(&world, &org, &client, &code).expect("the code is exchanged");
    assert_eq!(tokens.token_type, "Bearer");
    assert_eq!(tokens.expires_in, 3600);
    assert_eq!(tokens.scope, "openid email profile offline_access");

    let claims = verified_claims(&world, &org, &tokens.id_token);
    assert_eq!(claims["iss"], format!("{ORIGIN}/{}/v2.0", org.id));
    assert_eq!(claims["aud"], client.app.client_id);
    assert_eq!(claims["nonce"], "n-1");
    assert_eq!(claims["email"], "ada@fabrikam.example");
    assert_eq!(claims["user_type"], "Guest");
    assert_eq!(claims["amr"], serde_json::json!(["otp"]));
    assert_eq!(claims["tid"], org.id);
    let sub = claims["sub"].as_str().unwrap().to_string();
    assert!(!sub.contains('@'), "the subject is not the address");

    let info = user_info(&world, &org, &tokens).expect("userinfo answers");
    assert_eq!(info["sub"], sub);
    assert_eq!(info["email"], "ada@fabrikam.example");

    let first_refresh = tokens
        .refresh_token
        .clone()
        .expect("offline_access gives one");
    world.advance(MINUTE);
    let refreshed = refresh(&world, &org, &client, &first_refresh).expect("refresh works");
    let second_refresh = refreshed
        .refresh_token
        .clone()
        .expect("a new refresh token");
    assert_ne!(second_refresh, first_refresh);
    let again = verified_claims(&world, &org, &refreshed.id_token);
    assert_eq!(again["sub"], sub);
    assert_eq!(again["auth_time"], claims["auth_time"]);
    assert!(
        again.get("nonce").is_none(),
        "a refreshed ID token has no nonce"
    );

    // The first refresh token again: reuse revokes the grant, current tokens included.
    assert!(matches!(
        refresh(&world, &org, &client, &first_refresh),
        Err(TokenError::InvalidGrant(_))
    ));
    assert!(matches!(
        refresh(&world, &org, &client, &second_refresh),
        Err(TokenError::InvalidGrant(_))
    ));
    assert_eq!(user_info(&world, &org, &refreshed), None);
}

#[test]
fn a_replayed_code_is_refused_and_revokes_what_the_first_exchange_issued() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let (_, cookie) = world.member_signed_in(&org, "grace", &[]);
    let client = register(&world, &org, false, None);
    let code = code_for(&world, &org, &cookie, &client);
    let tokens = exchange(&world, &org, &client, &code).unwrap();
    assert!(user_info(&world, &org, &tokens).is_some());
    assert!(matches!(
        exchange(&world, &org, &client, &code),
        Err(TokenError::InvalidGrant(_))
    ));
    assert_eq!(user_info(&world, &org, &tokens), None);
    assert!(refresh(
        &world,
        &org,
        &client,
        tokens.refresh_token.as_ref().unwrap()
    )
    .is_err());
}

#[test]
fn a_code_is_bound_to_its_verifier_redirect_uri_client_and_minute() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let (_, cookie) = world.member_signed_in(&org, "grace", &[]);
    let client = register(&world, &org, false, None);
    let other = register(&world, &org, false, None);
    let fresh_code = || code_for(&world, &org, &cookie, &client);
    let redirect = guestpass_core::url::encode_component(CALLBACK);

    let wrong_verifier = format!(
        "grant_type=authorization_code&code={}&redirect_uri={redirect}&code_verifier={}",
        fresh_code(),
        "x".repeat(43)
    );
    assert!(matches!(
        token(&world, &org, &client, &wrong_verifier),
        Err(TokenError::InvalidGrant(_))
    ));
    let no_verifier = format!(
        "grant_type=authorization_code&code={}&redirect_uri={redirect}",
        fresh_code()
    );
    assert!(token(&world, &org, &client, &no_verifier).is_err());
    let other_uri = format!(
        "grant_type=authorization_code&code={}&redirect_uri=https%3A%2F%2Fwiki.contoso.example%2Fother&code_verifier={VERIFIER}",
        fresh_code()
    );
    assert!(matches!(
        token(&world, &org, &client, &other_uri),
        Err(TokenError::InvalidGrant(_))
    ));
    let code = fresh_code();
    assert!(matches!(
        exchange(&world, &org, &other, &code),
        Err(TokenError::InvalidGrant(_))
    ));
    assert!(
        exchange(&world, &org, &client, &code).is_err(),
        "a code shown to another client is used up"
    );
    let code = fresh_code();
    world.advance(MINUTE);
    assert!(matches!(
        exchange(&world, &org, &client, &code),
        Err(TokenError::InvalidGrant(_))
    ));
}

#[test]
fn client_authentication_is_checked_for_confidential_and_public_clients() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let (_, cookie) = world.member_signed_in(&org, "grace", &[]);
    let confidential = register(&world, &org, false, None);
    let public = register(&world, &org, true, None);

    let code = code_for(&world, &org, &cookie, &confidential);
    let wrong = Client {
        app: confidential.app.clone(),
        secret: Some("not-the-secret".into()),
    };
    assert_eq!(
        exchange(&world, &org, &wrong, &code),
        Err(TokenError::InvalidClient)
    );
    let none = Client {
        app: confidential.app.clone(),
        secret: None,
    };
    assert_eq!(
        exchange(&world, &org, &none, &code),
        Err(TokenError::InvalidClient)
    );
    assert!(
        exchange(&world, &org, &confidential, &code).is_ok(),
        "a failed client authentication does not use the code up"
    );

    let code = code_for(&world, &org, &cookie, &public);
    assert!(exchange(&world, &org, &public, &code).is_ok());
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            confidential.app.client_id,
            confidential.secret.as_ref().unwrap()
        ))
    );
    let code = code_for(&world, &org, &cookie, &confidential);
    let body = format!(
        "grant_type=authorization_code&code={code}&redirect_uri={}&code_verifier={VERIFIER}",
        guestpass_core::url::encode_component(CALLBACK)
    );
    let answer = run(provider::token(
        &world.cx(),
        &world.tenant(&org.id),
        Some(&basic),
        &body,
    ));
    assert!(answer.unwrap().is_ok(), "client_secret_basic");
}

#[test]
fn without_a_session_the_browser_signs_in_and_comes_back_or_prompt_none_says_login_required() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let client = register(&world, &org, false, None);
    let query = authorize_query(&client, "&login_hint=ada%40fabrikam.example");
    let Answer::Visit(url) = authorize(&world, &org, None, &query) else {
        panic!("not a sign-in")
    };
    assert!(url.starts_with(&format!("/{}/sign-in?", org.id)), "{url}");
    assert_eq!(param(&url, "prompt").as_deref(), Some("login"));
    assert_eq!(
        param(&url, "login_hint").as_deref(),
        Some("ada@fabrikam.example")
    );
    let back = param(&url, "return_to").unwrap();
    assert!(
        back.starts_with(&format!("/{}/oauth2/v2.0/authorize?", org.id)),
        "{back}"
    );
    assert_eq!(
        param(&back, "signed_in_after"),
        Some(world.now().to_string())
    );
    assert_eq!(param(&back, "nonce").as_deref(), Some("n-1"));

    // Signing in, then following return_to, gives the code.
    world.advance(SECOND);
    world.invite(&org, "ada@fabrikam.example");
    let cookie = world.sign_in_guest(&org, "ada@fabrikam.example");
    let back_query = back.split_once('?').unwrap().1;
    code_from(authorize(&world, &org, Some(&cookie), back_query));

    let Answer::Redirect(url) = authorize(
        &world,
        &org,
        None,
        &authorize_query(&client, "&prompt=none"),
    ) else {
        panic!("not a redirect")
    };
    assert_eq!(param(&url, "error").as_deref(), Some("login_required"));
    assert_eq!(param(&url, "state").as_deref(), Some("st-1"));
    assert!(param(&url, "iss").is_some());
}

#[test]
fn prompt_login_and_max_age_send_a_signed_in_user_to_sign_in_again_and_only_a_new_sign_in_answers()
{
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.invite(&org, "ada@fabrikam.example");
    let cookie = world.sign_in_guest(&org, "ada@fabrikam.example");
    let client = register(&world, &org, false, None);
    let Answer::Visit(url) = authorize(
        &world,
        &org,
        Some(&cookie),
        &authorize_query(&client, "&prompt=login"),
    ) else {
        panic!("prompt=login signs in again")
    };
    let back = param(&url, "return_to").unwrap();
    let back_query = back.split_once('?').unwrap().1.to_string();
    assert!(
        matches!(
            authorize(&world, &org, Some(&cookie), &back_query),
            Answer::Visit(_)
        ),
        "the old session does not answer the way back"
    );
    world.advance(MINUTE);
    let newer = world.sign_in_guest(&org, "ada@fabrikam.example");
    code_from(authorize(&world, &org, Some(&newer), &back_query));

    world.advance(10 * MINUTE);
    assert!(matches!(
        authorize(
            &world,
            &org,
            Some(&newer),
            &authorize_query(&client, "&max_age=60")
        ),
        Answer::Visit(_)
    ));
    code_from(authorize(
        &world,
        &org,
        Some(&newer),
        &authorize_query(&client, "&max_age=3600"),
    ));
}

#[test]
fn an_unassigned_user_sees_an_error_page_and_an_assigned_one_gets_a_code() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let (grace, cookie) = world.member_signed_in(&org, "grace", &[]);
    let (_, other) = world.member_signed_in(&org, "linus", &[]);
    let client = register(&world, &org, false, Some(&grace.id));
    code_for(&world, &org, &cookie, &client);
    assert_eq!(
        authorize(&world, &org, Some(&other), &authorize_query(&client, "")),
        Answer::Page(Problem::NotAssigned)
    );
}

#[test]
fn revoking_a_users_sessions_ends_their_grants() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    let (grace, cookie) = world.member_signed_in(&org, "grace", &[]);
    let client = register(&world, &org, false, None);
    let code = code_for(&world, &org, &cookie, &client);
    let tokens = exchange(&world, &org, &client, &code).unwrap();
    let unused = code_for(&world, &org, &cookie, &client);
    world.advance(SECOND);
    run(session::revoke_all(&world.cx(), &org.id, &grace.id)).unwrap();
    assert_eq!(user_info(&world, &org, &tokens), None);
    assert!(refresh(
        &world,
        &org,
        &client,
        tokens.refresh_token.as_ref().unwrap()
    )
    .is_err());
    assert!(exchange(&world, &org, &client, &unused).is_err());
}

#[test]
fn one_tenants_codes_tokens_and_keys_mean_nothing_to_another() {
    let world = World::new();
    let contoso = world.create_tenant("contoso.example");
    let fabrikam = world.create_tenant("fabrikam.example");
    let (_, cookie) = world.member_signed_in(&contoso, "grace", &[]);
    let client = register(&world, &contoso, false, None);
    let code = code_for(&world, &contoso, &cookie, &client);
    assert_eq!(
        exchange(&world, &fabrikam, &client, &code),
        Err(TokenError::InvalidClient),
        "the client is not fabrikam's"
    );
    let tokens = exchange(&world, &contoso, &client, &code).unwrap();
    assert_eq!(user_info(&world, &fabrikam, &tokens), None);
    let fabrikam_keys = run(provider::keys(&world.cx(), &world.tenant(&fabrikam.id))).unwrap();
    let kid = signing::parse(&tokens.id_token)
        .unwrap()
        .header
        .kid
        .unwrap();
    assert!(fabrikam_keys.keys.iter().all(|k| k.kid != kid));
    assert_eq!(
        authorize(
            &world,
            &fabrikam,
            Some(&cookie),
            &authorize_query(&client, "")
        ),
        Answer::Page(Problem::UnknownClient)
    );
}

#[test]
fn logout_with_a_hint_ends_the_session_and_returns_to_a_registered_uri_without_one_nothing_ends() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.invite(&org, "ada@fabrikam.example");
    let cookie = world.sign_in_guest(&org, "ada@fabrikam.example");
    let client = register(&world, &org, false, None);
    let code = code_for(&world, &org, &cookie, &client);
    let tokens = exchange(&world, &org, &client, &code).unwrap();
    let tenant = world.tenant(&org.id);
    let end = |query: &str| {
        run(provider::end_session(
            &world.cx(),
            with_cookie(&cookie),
            &tenant,
            query,
        ))
        .unwrap()
    };
    let redirect = guestpass_core::url::encode_component(LOGGED_OUT);

    assert_eq!(end(""), (Answer::Visit(format!("/{}/", org.id)), false));
    assert!(world.session(&org, &cookie).is_ok(), "no hint, no sign-out");
    let tampered = format!("{}x", tokens.id_token);
    assert_eq!(
        end(&format!("id_token_hint={tampered}")),
        (Answer::Page(Problem::InvalidLogoutRequest), false)
    );
    assert_eq!(
        end(&format!(
            "id_token_hint={}&post_logout_redirect_uri=https%3A%2F%2Fevil.example%2F",
            tokens.id_token
        )),
        (Answer::Page(Problem::InvalidLogoutRequest), false)
    );
    assert!(world.session(&org, &cookie).is_ok());

    // An expired hint still names who signs out (the guest's session lasts a day).
    world.advance(61 * MINUTE);
    let answer = end(&format!(
        "id_token_hint={}&post_logout_redirect_uri={redirect}&state=bye-1",
        tokens.id_token
    ));
    assert_eq!(
        answer,
        (Answer::Redirect(format!("{LOGGED_OUT}?state=bye-1")), true)
    );
    assert!(world.session(&org, &cookie).is_err(), "signed out");
}

fn kid_of(token: &str) -> String {
    signing::parse(token).unwrap().header.kid.unwrap()
}

fn rsa_kids(world: &World, org: &Org) -> Vec<String> {
    run(provider::keys(&world.cx(), &world.tenant(&org.id)))
        .unwrap()
        .keys
        .into_iter()
        .filter(|k| k.alg == "RS256")
        .map(|k| k.kid)
        .collect()
}

#[test]
fn an_rs256_application_gets_id_tokens_signed_with_the_tenants_rsa_key_published_at_registration() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    assert!(
        rsa_kids(&world, &org).is_empty(),
        "no RS256 application, no RSA key"
    );
    let client = register_signed(&world, &org, false, None, IdTokenAlgorithm::Rs256);
    let published = rsa_kids(&world, &org);
    assert_eq!(published.len(), 1, "published before any token");

    world.invite(&org, "ada@fabrikam.example");
    let cookie = world.sign_in_guest(&org, "ada@fabrikam.example");
    let code = code_for(&world, &org, &cookie, &client);
    let tokens = exchange(&world, &org, &client, &code).unwrap();
    assert_eq!(kid_of(&tokens.id_token), published[0]);
    let claims = verified_claims_by(&world, &org, &tokens.id_token, "RS256");
    assert_eq!(claims["aud"], client.app.client_id.as_str());
    assert_eq!(claims["nonce"], "n-1");
    // An ES256 application of the same tenant still gets ES256.
    let es256 = register(&world, &org, false, None);
    let code = code_for(&world, &org, &cookie, &es256);
    let other = exchange(&world, &org, &es256, &code).unwrap();
    verified_claims(&world, &org, &other.id_token);

    // An RS256 hint signs out like an ES256 one.
    let answer = run(provider::end_session(
        &world.cx(),
        with_cookie(&cookie),
        &world.tenant(&org.id),
        &format!(
            "id_token_hint={}&post_logout_redirect_uri={}",
            tokens.id_token,
            guestpass_core::url::encode_component(LOGGED_OUT)
        ),
    ))
    .unwrap();
    assert_eq!(answer, (Answer::Redirect(LOGGED_OUT.into()), true));
}

#[test]
fn rs256_keys_rotate_monthly_with_a_day_of_prepublication_while_older_tokens_still_verify() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.invite(&org, "ada@fabrikam.example");
    let client = register_signed(&world, &org, true, None, IdTokenAlgorithm::Rs256);
    let id_token = |world: &World| {
        let cookie = world.sign_in_guest(&org, "ada@fabrikam.example");
        let code = code_for(world, &org, &cookie, &client);
        exchange(world, &org, &client, &code).unwrap().id_token
    };
    let first = id_token(&world);
    let first_kid = kid_of(&first);

    world.advance(ROTATE_AFTER_MS);
    let due = id_token(&world);
    let keys = rsa_kids(&world, &org);
    assert_eq!(
        keys.len(),
        2,
        "a new key is made when the first is a month old"
    );
    assert_eq!(
        kid_of(&due),
        first_kid,
        "but the old one signs while the new is only published"
    );
    verified_claims_by(&world, &org, &first, "RS256");

    world.advance(PREPUBLISH_MS);
    let rotated = id_token(&world);
    assert_eq!(kid_of(&rotated), keys[1], "a day later the new key signs");
    verified_claims_by(&world, &org, &due, "RS256");
    verified_claims_by(&world, &org, &rotated, "RS256");

    // Two more rotations push the first key out.
    for _ in 0..2 {
        world.advance(ROTATE_AFTER_MS);
        id_token(&world);
        world.advance(DAY);
    }
    let keys = rsa_kids(&world, &org);
    assert_eq!(keys.len(), stored_keys::KEPT_KEYS);
    assert!(!keys.contains(&first_kid));
}

#[test]
fn a_tenants_rsa_private_key_is_stored_sealed_to_it_and_its_guard_settles_one_key() {
    let world = World::new();
    let contoso = world.create_tenant("contoso.example");
    let fabrikam = world.create_tenant("fabrikam.example");
    register_signed(&world, &contoso, true, None, IdTokenAlgorithm::Rs256);
    let cx = world.cx();
    let stored: StoredKeys = run(cx
        .directory()
        .get(&guestpass_core::storage_keys::signing_keys(&contoso.id)))
    .unwrap()
    .expect("KV's copy");
    let key = &stored.keys[0];
    let private = run(stored_keys::private_key(&cx, &contoso.id, key))
        .unwrap()
        .expect("it opens for its tenant");
    let sealed = URL_SAFE_NO_PAD.decode(&key.sealed).unwrap();
    assert!(
        !sealed
            .windows(32)
            .any(|w| private.windows(32).any(|p| p == w)),
        "no run of the private key is stored in the clear"
    );
    assert_eq!(
        run(stored_keys::private_key(&cx, &fabrikam.id, key)).unwrap(),
        None,
        "another tenant's sealing key does not open it"
    );
    assert!(rsa_kids(&world, &fabrikam).is_empty());

    // KV lost its copy (or is stale): the guard still holds the one key, and the next Worker
    // to need it adopts that key rather than its own.
    use guestpass_core::ports::{KeyValueStore, Ports};
    run(cx
        .ports
        .store()
        .delete(&guestpass_core::storage_keys::signing_keys(&contoso.id)))
    .unwrap();
    let calls = world.ports.guard.calls().len();
    let again = run(stored_keys::current(&cx, &contoso.id)).unwrap();
    assert_eq!(again, stored);
    let offers: Vec<_> = world.ports.guard.calls()[calls..]
        .iter()
        .map(|(_, command)| {
            matches!(
                command,
                GuardCommand::SigningKeys {
                    candidate: Some(_),
                    ..
                }
            )
        })
        .collect();
    assert_eq!(offers, [false], "one read of the guard, no key made");
}

#[test]
fn a_repeated_parameter_is_refused_never_one_of_its_values_chosen() {
    let world = World::new();
    let org = world.create_tenant("contoso.example");
    world.invite(&org, "ada@fabrikam.example");
    let cookie = world.sign_in_guest(&org, "ada@fabrikam.example");
    let client = register(&world, &org, true, None);

    // Client and redirect URI known good: the application is told, with its state.
    let answer = authorize(
        &world,
        &org,
        Some(&cookie),
        &authorize_query(&client, "&scope=openid"),
    );
    let Answer::Redirect(url) = &answer else {
        panic!("{answer:?}")
    };
    assert!(url.starts_with(CALLBACK), "{url}");
    assert_eq!(param(url, "error").as_deref(), Some("invalid_request"));
    assert_eq!(param(url, "state").as_deref(), Some("st-1"));
    assert_eq!(param(url, "code"), None);
    // A second redirect URI is never followed: an error page.
    let second = format!(
        "&redirect_uri={}",
        guestpass_core::url::encode_component("https://evil.example/cb")
    );
    assert_eq!(
        authorize(
            &world,
            &org,
            Some(&cookie),
            &authorize_query(&client, &second)
        ),
        Answer::Page(Problem::RedirectUriNotRegistered)
    );

    let code = code_for(&world, &org, &cookie, &client);
    assert_eq!(
        token(
            &world,
            &org,
            &client,
            &format!("grant_type=authorization_code&code={code}&code={code}"),
        ),
        Err(TokenError::InvalidRequest(
            "A parameter appears more than once."
        ))
    );
    assert!(
        exchange(&world, &org, &client, &code).is_ok(),
        "the code was not spent"
    );
}
