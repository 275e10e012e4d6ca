//! `cargo xtask bench`'s passkey sign-ins: a member registers a passkey on 1Password's software
//! authenticator (in a one-time pass's registration session), then signs in with it N times
//! (username first): options, the device's assertion, the sign-in. Prints the options' and the
//! sign-ins' latencies in ms as JSON. Run by the bench with the Worker's URL and operator token
//! in `GUESTPASS_BASE_URL` and `GUESTPASS_OPERATOR_TOKEN`; the Worker is reached at localhost
//! (WebAuthn refuses an IP address as RP ID).

use std::time::Instant;

use guestpass_e2e::device::{assertion_for, device, member_with_passkey};
use guestpass_e2e::{json, localhost_api, Endpoint};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("usage: passkey_sign_ins N");
    let api = localhost_api();
    let tenant = api.new_tenant();
    let mut device = device();
    let (member, _) = member_with_passkey(&api, &tenant, &mut device).await;
    let (options_path, sign_in_path) = (
        api.tenant_path(&tenant, Endpoint::PasskeyOptions),
        api.tenant_path(&tenant, Endpoint::PasskeySignIn),
    );
    let (mut options_ms, mut sign_in_ms) = (Vec::new(), Vec::new());
    for i in 0..count {
        // A client address of its own per sign-in, as a crowd of members would have.
        let client = [(
            "cf-connecting-ip".to_string(),
            format!("198.19.{}.{}", i / 250, i % 250 + 1),
        )];
        let started = Instant::now();
        let options = api
            .post(&options_path, &json!({ "username": member.upn }), &client)
            .expect(200)
            .body;
        options_ms.push(started.elapsed().as_secs_f64() * 1e3);
        let credential = assertion_for(&api, &mut device, options).await;
        let body = json!({ "username": member.upn, "credential": credential });
        let started = Instant::now();
        api.post(&sign_in_path, &body, &client).expect(200);
        sign_in_ms.push(started.elapsed().as_secs_f64() * 1e3);
    }
    println!("{}", json!({ "options": options_ms, "signIn": sign_in_ms }));
}
