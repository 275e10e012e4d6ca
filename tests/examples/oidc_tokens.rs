//! `cargo xtask bench`'s OpenID Connect figures: a member with a session, a public client, and N
//! rounds of what an application's sign-in costs the edge — the authorization request with the
//! session (a code, no screen) and the token request (the code exchanged once in the guard, the
//! ES256 ID token signed with WebCrypto; and for an RS256 application, its tenant's RSA key
//! unsealed and imported for each token). Prints both latencies in ms as JSON. Run by the bench
//! with the Worker's URL and operator token in `GUESTPASS_BASE_URL` and
//! `GUESTPASS_OPERATOR_TOKEN`.

use std::time::Instant;

use guestpass_e2e::{api, json, Api, Endpoint, Tenant};

/// RFC 7636 Appendix B's verifier and its S256 challenge.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const CALLBACK: &str = "http%3A%2F%2Flocalhost%3A8080%2Fcallback";

/// One sign-in of `client_id`'s: the authorize and token latencies in ms.
fn sign_in(api: &Api, tenant: &Tenant, cookie: &str, client_id: &str) -> (f64, f64) {
    let authorize = format!(
        "/{}/oauth2/v2.0/authorize?response_type=code&client_id={client_id}&redirect_uri={CALLBACK}\
         &scope=openid%20email&state=s&code_challenge={CHALLENGE}&code_challenge_method=S256",
        tenant.id
    );
    let started = Instant::now();
    let answer = api.get(&authorize, &api.browser(cookie));
    let authorize_ms = started.elapsed().as_secs_f64() * 1e3;
    assert_eq!(answer.status, 302);
    let location = answer.header("location").expect("a redirect").to_string();
    let code = location
        .split(['?', '&'])
        .find_map(|pair| pair.strip_prefix("code="))
        .expect("a code");
    let form = format!(
        "grant_type=authorization_code&code={code}&redirect_uri={CALLBACK}\
         &code_verifier={VERIFIER}&client_id={client_id}"
    );
    let started = Instant::now();
    let tokens = api.raw(
        "POST",
        &format!("/{}/oauth2/v2.0/token", tenant.id),
        Some(("application/x-www-form-urlencoded", form.into_bytes())),
        &[],
    );
    let token_ms = started.elapsed().as_secs_f64() * 1e3;
    assert_eq!(tokens.status, 200, "{}", tokens.text);
    (authorize_ms, token_ms)
}

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("usage: oidc_tokens N");
    let api = api();
    let tenant = api.new_tenant();
    let (_, cookie) = api.member_session(&tenant, "bench-oidc", &[]);
    let register = |alg: &str| {
        let body = json!({"displayName": "Bench", "redirectUris": ["http://localhost:8080/callback"],
                          "publicClient": true, "idTokenSignedResponseAlg": alg});
        let app = api
            .as_operator(
                "POST",
                &api.tenant_path(&tenant, Endpoint::ListApplications),
                Some(&body),
            )
            .expect(201)
            .body;
        app["clientId"].as_str().unwrap().to_string()
    };
    let (es256, rs256) = (register("ES256"), register("RS256"));
    let (mut authorize_ms, mut token_ms, mut rs256_ms) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..count {
        let (authorize, token) = sign_in(&api, &tenant, &cookie, &es256);
        authorize_ms.push(authorize);
        token_ms.push(token);
        rs256_ms.push(sign_in(&api, &tenant, &cookie, &rs256).1);
    }
    println!(
        "{}",
        json!({ "authorize": authorize_ms, "token": token_ms, "tokenRs256": rs256_ms })
    );
}
