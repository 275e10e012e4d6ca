//! Every tenant an OpenID Connect provider, checked by a real, independent relying party: the
//! `openid-client` npm package (`tests/oidc/relying_party.mjs`) runs discovery, the
//! authorization code flow with PKCE (with a session from the email-code or pass API), the
//! token exchange with the ID token verified against the JWKS, userinfo, refresh rotation and
//! reuse, and RP-initiated logout — for a confidential client with a guest and a public client
//! with a member — and then the wrong requests of the list. The HTTP-level rules (discovery's
//! shape, error pages, CORS, token errors) are checked here directly.

use std::process::Command;

use guestpass_e2e::{api, json, Api, Endpoint, Tenant, Value};

const CALLBACK: &str = "http://localhost:8080/callback";
const LOGGED_OUT: &str = "http://localhost:8080/logged-out";

fn issuer(api: &Api, tenant: &Tenant) -> String {
    format!("{}/{}/v2.0", api.base, tenant.id)
}

/// Registers an application as the tenant's administrator: (application, secret if any).
fn register(api: &Api, tenant: &Tenant, body: Value) -> (Value, Option<String>) {
    let admin = api.admin_session(tenant);
    let list = api.tenant_path(tenant, Endpoint::ListApplications);
    let app = api
        .as_session(&admin, "POST", &list, Some(&body))
        .expect(201)
        .body;
    if body["publicClient"] == true {
        return (app, None);
    }
    let secrets = format!("{list}/{}/secrets", app["id"].as_str().unwrap());
    let secret = api
        .as_session(&admin, "POST", &secrets, None)
        .expect(201)
        .body;
    (
        app,
        Some(secret["secretText"].as_str().unwrap().to_string()),
    )
}

fn wiki(public: bool) -> Value {
    json!({
        "displayName": "Wiki",
        "redirectUris": [CALLBACK],
        "postLogoutRedirectUris": [LOGGED_OUT],
        "publicClient": public,
    })
}

/// Runs the relying party's `scenario` with `settings` and returns what it printed.
fn relying_party(scenario: &str, settings: &[(&str, String)]) -> Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/oidc/relying_party.mjs");
    let output = Command::new("node")
        .arg(script)
        .arg(scenario)
        .envs(settings.iter().map(|(k, v)| (*k, v.as_str())))
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "the relying party failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the relying party prints JSON")
}

fn settings(
    api: &Api,
    tenant: &Tenant,
    app: &Value,
    secret: Option<&String>,
    cookie: &str,
) -> Vec<(&'static str, String)> {
    vec![
        ("ISSUER", issuer(api, tenant)),
        ("CLIENT_ID", app["clientId"].as_str().unwrap().to_string()),
        ("CLIENT_SECRET", secret.cloned().unwrap_or_default()),
        ("REDIRECT_URI", CALLBACK.to_string()),
        ("POST_LOGOUT_URI", LOGGED_OUT.to_string()),
        ("COOKIE", cookie.to_string()),
    ]
}

fn session_status(api: &Api, tenant: &Tenant, cookie: &str) -> u16 {
    let path = api.tenant_path(tenant, Endpoint::GetSession);
    api.get(&path, &api.browser(cookie)).status
}

#[test]
fn a_guest_signs_in_to_a_confidential_client_through_the_whole_flow() {
    let api = api();
    let (tenant, email, _) = api.tenant_with_guest("oidc-guest");
    let cookie = api.sign_in_guest(&tenant, &email).session_cookie().unwrap();
    let (app, secret) = register(&api, &tenant, wiki(false));

    let run = relying_party(
        "flow",
        &settings(&api, &tenant, &app, secret.as_ref(), &cookie),
    );
    let issuer = issuer(&api, &tenant);
    assert_eq!(run["issuer"], issuer);
    assert_eq!(run["callbackIss"], issuer, "RFC 9207: iss on the response");
    assert_eq!(run["alg"], "ES256");
    assert_eq!(run["email"], email.as_str());
    assert_eq!(run["userType"], "Guest");
    assert_eq!(run["amr"], json!(["otp"]));
    assert_eq!(run["tid"], tenant.id.as_str());
    assert!(run["authTime"].is_number());
    assert!(!run["sub"].as_str().unwrap().contains('@'));
    assert_eq!(run["userinfo"]["sub"], run["sub"]);
    assert_eq!(run["userinfo"]["email"], email.as_str());
    assert_eq!(run["refreshedSub"], run["sub"]);
    assert_eq!(run["refreshTokenRotated"], true);
    assert_eq!(
        run["reuse"], "invalid_grant",
        "a used refresh token is refused"
    );
    assert_eq!(
        run["afterReuse"], "invalid_grant",
        "and its reuse revoked the family"
    );
    assert_eq!(run["logoutStatus"], 302);
    assert_eq!(
        run["logoutLocation"],
        format!(
            "{LOGGED_OUT}?state={}",
            run["logoutState"].as_str().unwrap()
        )
    );
    assert_eq!(
        session_status(&api, &tenant, &cookie),
        401,
        "logout ended the session"
    );
}

#[test]
fn a_member_signs_in_to_a_public_rs256_client_with_pkce_alone() {
    let api = api();
    let tenant = api.new_tenant();
    let (member, cookie) = api.member_session(&tenant, "oidc-member", &[]);
    let mut body = wiki(true);
    body["idTokenSignedResponseAlg"] = json!("RS256");
    let (app, secret) = register(&api, &tenant, body);
    assert_eq!(secret, None);
    // The tenant's RSA key is published from the application's registration on.
    let keys = api
        .get(&format!("/{}/discovery/v2.0/keys", tenant.id), &[])
        .expect(200)
        .body;
    let rsa: Vec<&Value> = keys["keys"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["kty"] == "RSA")
        .collect();
    assert_eq!(rsa.len(), 1, "{keys}");
    assert_eq!(rsa[0]["alg"], "RS256");

    let mut settings = settings(&api, &tenant, &app, None, &cookie);
    settings.push(("ID_TOKEN_ALG", "RS256".to_string()));
    let run = relying_party("flow", &settings);
    assert_eq!(run["alg"], "RS256");
    assert_eq!(run["kid"], rsa[0]["kid"]);
    assert_eq!(run["userType"], "Member");
    assert_eq!(run["amr"], json!(["tap"]));
    assert_eq!(run["email"], member.upn.as_str());
    assert_eq!(run["userinfo"]["preferred_username"], member.upn.as_str());
    assert_eq!(run["reuse"], "invalid_grant");
    assert_eq!(session_status(&api, &tenant, &cookie), 401);
}

#[test]
fn wrong_requests_are_refused_the_way_the_specifications_say() {
    let api = api();
    let (tenant, email, _) = api.tenant_with_guest("oidc-negative");
    let cookie = api.sign_in_guest(&tenant, &email).session_cookie().unwrap();
    let other = api.new_tenant();
    let (app, secret) = register(&api, &tenant, wiki(false));
    let mut for_someone_else = wiki(false);
    for_someone_else["assignmentRequired"] = json!(true);
    // Open to a group the guest is not in, so the guest is not assigned.
    for_someone_else["assignments"] = json!([{"id": "finance", "type": "group"}]);
    let (assigned, _) = register(&api, &tenant, for_someone_else);

    let mut settings = settings(&api, &tenant, &app, secret.as_ref(), &cookie);
    settings.push(("OTHER_ISSUER", issuer(&api, &other)));
    settings.push((
        "ASSIGNED_CLIENT_ID",
        assigned["clientId"].as_str().unwrap().to_string(),
    ));
    let run = relying_party("negatives", &settings);

    assert_eq!(run["wrongRedirect"]["status"], 400, "an error page");
    assert_eq!(
        run["wrongRedirect"]["location"],
        Value::Null,
        "never a redirect"
    );
    assert_eq!(run["noPkce"], "invalid_request");
    assert_eq!(run["plainPkce"], "invalid_request");
    let prompt_none = run["promptNone"]["location"].as_str().unwrap();
    assert!(prompt_none.starts_with(CALLBACK), "{prompt_none}");
    assert!(
        prompt_none.contains("error=login_required"),
        "{prompt_none}"
    );
    assert!(prompt_none.contains("iss="), "{prompt_none}");
    assert_eq!(run["firstExchange"], "ok");
    assert_eq!(run["replay"], "invalid_grant");
    assert_eq!(run["wrongSecret"], "invalid_client");
    assert_eq!(
        run["otherTenantAuthorize"], 400,
        "another tenant knows no such client"
    );
    assert_eq!(
        run["otherTenantCallback"], "OAUTH_INVALID_RESPONSE",
        "openid-client sees the other issuer in the response (RFC 9207)"
    );
    assert_eq!(run["otherTenantToken"], "invalid_client");
    assert_eq!(run["unassigned"], 403);
}

#[test]
fn discovery_keys_and_token_errors_speak_the_protocol() {
    let api = api();
    let tenant = api.new_tenant();
    let issuer = issuer(&api, &tenant);
    let discovery = api
        .get(
            &format!("/{}/v2.0/.well-known/openid-configuration", tenant.id),
            &[],
        )
        .expect(200);
    assert_eq!(discovery.header("access-control-allow-origin"), Some("*"));
    let document = &discovery.body;
    assert_eq!(document["issuer"], issuer);
    assert_eq!(
        document["token_endpoint"],
        format!("{}/{}/oauth2/v2.0/token", api.base, tenant.id)
    );
    assert_eq!(
        document["code_challenge_methods_supported"],
        json!(["S256"])
    );
    assert_eq!(
        document["authorization_response_iss_parameter_supported"],
        true
    );
    assert!(document["id_token_signing_alg_values_supported"]
        .as_array()
        .unwrap()
        .contains(&json!("RS256")));
    // The same document whatever name the tenant is reached by.
    let by_domain = api
        .get(
            &format!("/{}/v2.0/.well-known/openid-configuration", tenant.domain),
            &[],
        )
        .expect(200);
    assert_eq!(by_domain.body["issuer"], issuer);

    let keys = api
        .get(&format!("/{}/discovery/v2.0/keys", tenant.id), &[])
        .expect(200);
    let key = &keys.body["keys"][0];
    assert_eq!(
        (key["kty"].as_str(), key["crv"].as_str()),
        (Some("EC"), Some("P-256"))
    );
    assert!(key["d"].is_null(), "never the private part");

    let token = format!("/{}/oauth2/v2.0/token", tenant.id);
    let form = |body: &str| {
        api.raw(
            "POST",
            &token,
            Some((
                "application/x-www-form-urlencoded",
                body.as_bytes().to_vec(),
            )),
            &[],
        )
    };
    let unknown = form("grant_type=authorization_code&code=x&client_id=nobody");
    assert_eq!(unknown.status, 401);
    assert_eq!(unknown.body["error"], "invalid_client");
    assert_eq!(unknown.header("cache-control"), Some("no-store"));

    let (app, _) = register(&api, &tenant, wiki(true));
    let client_id = app["clientId"].as_str().unwrap();
    let unsupported = form(&format!("grant_type=password&client_id={client_id}"));
    assert_eq!(unsupported.status, 400);
    assert_eq!(unsupported.body["error"], "unsupported_grant_type");
    let garbage = form(&format!(
        "grant_type=authorization_code&code=garbage&client_id={client_id}"
    ));
    assert_eq!(garbage.body["error"], "invalid_grant");

    let userinfo = api.get(
        &format!("/{}/oidc/userinfo", tenant.id),
        &[("authorization".into(), "Bearer not-a-token".into())],
    );
    assert_eq!(userinfo.status, 401);
    assert_eq!(
        userinfo.header("www-authenticate"),
        Some("Bearer error=\"invalid_token\"")
    );
}
