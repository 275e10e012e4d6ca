//! `cargo xtask bench`: the performance figures recorded in the README.
//!
//! Native: µs per operation of code derivation and cookie verification (release build).
//! HTTP: p50/p99 of send, verify, session, pass sign-in and passkey sign-in over 1000 requests
//! each, one keep-alive client, against the release Worker under `wrangler dev` on this machine.
//! SPA: gzip sizes of its wasm and JS, and the median time to first render and to interactive of
//! the Send code page over 10 loads in headless Chromium.

use crate::browser::{
    kb, ACCOUNT_WASM_GZIP_BUDGET, CONSOLE_JS_GZIP_BUDGET, CONSOLE_WASM_GZIP_BUDGET,
    SPA_JS_GZIP_BUDGET, SPA_WASM_GZIP_BUDGET,
};
use std::process::Command;

use guestpass_wire::Endpoint;
use serde_json::{json, Value};

use crate::client::{Answer, Body, Client};
use crate::stats::Sorted;
use crate::util::{self, free_port, random_hex, random_key_b64, root, Step};
use crate::{build, wrangler};

const REQUESTS: usize = 1000;

/// The client address request `i` claims (`CF-Connecting-IP`), from the benchmarking range
/// (RFC 2544, 198.18.0.0/15): per-network limits count each as its own client, as a crowd of
/// real users would be. Only a header: every request still goes to the loopback Worker.
pub fn client(i: usize) -> String {
    format!("198.18.{}.{}", i / 250, i % 250 + 1)
}
const SPA_LOADS: usize = 10;

pub fn run() -> Result<(), String> {
    let step = Step::start("native figures (release build)");
    util::run(
        Command::new("cargo")
            .args([
                "run",
                "--quiet",
                "--release",
                "-p",
                "guestpass-core",
                "--example",
                "bench",
            ])
            .current_dir(root()),
    )?;
    step.done();

    build::all()?;
    let token = random_hex(32);
    let vars = bench_vars(&token);
    let state = root().join("target/bench-state");
    let _ = std::fs::remove_dir_all(&state);
    let log = root().join("target/bench-wrangler.log");
    let server = wrangler::Wrangler::start(free_port(), &state, &vars, Some(&log))?;
    let (mut figures, admin_cookie) = http(&server.base_url, &token)?;
    figures.extend(passkey_figures(&server.base_url, &token)?);
    figures.extend(oidc_figures(&server.base_url, &token)?);
    let step = Step::start(&format!(
        "load run: {} requests from {} concurrent clients",
        crate::load::REQUESTS,
        crate::load::CLIENTS
    ));
    let load = crate::load::run(&server.base_url, &token)?;
    step.done();
    crate::browser::ensure_chromium()?;
    // The bench tenant's Send code page, by its verified domain.
    let timings = crate::browser::render_timings(
        &format!("{}/bench.example/sign-in", server.base_url),
        SPA_LOADS,
        None,
    )?;
    // The console's overview, signed in as the bench tenant's administrator.
    let console_timings = crate::browser::render_timings(
        &format!("{}/bench.example/admin", server.base_url),
        SPA_LOADS,
        Some(&admin_cookie),
    )?;
    drop(server);
    println!("\n| request | p50 ms | p99 ms | n |\n|---|---|---|---|");
    for (name, samples) in figures {
        let samples = Sorted::new(samples);
        println!(
            "| {name} | {:.2} | {:.2} | {} |",
            samples.percentile(0.50),
            samples.percentile(0.99),
            samples.len()
        );
    }
    let samples = Sorted::new(load.latencies_ms.clone());
    println!(
        "\nLoad run: {} requests from {} clients in {:.1} s — p50 {:.1} ms, p99 {:.1} ms; {} server errors; {} sign-ins all in the log, {} passes all listed{}",
        samples.len(),
        crate::load::CLIENTS,
        load.elapsed.as_secs_f64(),
        samples.percentile(0.50),
        samples.percentile(0.99),
        load.server_errors,
        load.sign_ins,
        load.passes,
        if load.other_errors.is_empty() { String::new() } else { format!("; PROBLEMS: {:?}", load.other_errors) }
    );
    if load.server_errors > 0 || !load.other_errors.is_empty() {
        return Err(format!(
            "the load run found problems: {:?}",
            load.other_errors
        ));
    }
    let size = crate::browser::spa_size()?;
    println!("\n| SPA | raw KB | gzip KB | budget gzip KB |\n|---|---|---|---|");
    println!(
        "| wasm | {:.1} | {:.1} | {:.1} |",
        kb(size.wasm_raw),
        kb(size.wasm_gzip),
        kb(SPA_WASM_GZIP_BUDGET)
    );
    println!(
        "| JS | {:.1} | {:.1} | {:.1} |",
        kb(size.js_raw),
        kb(size.js_gzip),
        kb(SPA_JS_GZIP_BUDGET)
    );
    let median = |values: Vec<f64>| Sorted::new(values).percentile(0.5);
    let account = crate::browser::account_size()?;
    println!(
        "| account pages wasm | {:.1} | {:.1} | {:.1} |",
        kb(account.wasm_raw),
        kb(account.wasm_gzip),
        kb(ACCOUNT_WASM_GZIP_BUDGET)
    );
    let console = crate::browser::console_size()?;
    println!(
        "| console wasm | {:.1} | {:.1} | {:.1} |",
        kb(console.wasm_raw),
        kb(console.wasm_gzip),
        kb(CONSOLE_WASM_GZIP_BUDGET)
    );
    println!(
        "| console pages split off ({} files, fetched with their page) | | {:.1} in all | |",
        console.lazy_files,
        kb(console.lazy_gzip),
    );
    println!(
        "| console JS | {:.1} | {:.1} | {:.1} |",
        kb(console.js_raw),
        kb(console.js_gzip),
        kb(CONSOLE_JS_GZIP_BUDGET)
    );
    println!(
        "\n| headless Chromium, median ms (n={SPA_LOADS}) | first render | interactive |\n|---|---|---|"
    );
    for (page, timings) in [
        ("Send code page", &timings),
        ("console overview (signed in)", &console_timings),
    ] {
        println!(
            "| {page} | {:.1} | {:.1} |",
            median(timings.iter().map(|t| t.0).collect()),
            median(timings.iter().map(|t| t.1).collect())
        );
    }
    Ok(())
}

/// The setting that lifts the per-network send limit (`bench_vars` lifts it).
pub const PER_IP_LIMIT: &str = "OTP_SENDS_PER_IP_PER_HOUR";

/// The bench's Worker settings, with `token` as the operator's.
pub fn bench_vars(token: &str) -> Vec<(String, String)> {
    vec![
        ("ENVIRONMENT".to_string(), "development".to_string()),
        (
            "SIGNING_KEYS".into(),
            format!("dev-bench:{}", random_key_b64()),
        ),
        ("OPERATOR_TOKEN".into(), token.to_string()),
        // Requests come from a pool of client addresses (see `client`); the tenant's hourly cap
        // is lifted, since one tenant takes every send.
        (PER_IP_LIMIT.into(), "1000000".into()),
        ("OTP_SENDS_PER_TENANT_PER_HOUR".into(), "1000000".into()),
    ]
}

/// Each request's name and its latencies in ms.
type Figures = Vec<(&'static str, Vec<f64>)>;

/// Figures an example of the e2e crate measures (`tests/examples/{example}.rs`, which prints
/// `{series: [ms…]}`), `REQUESTS` rounds; `series` names each of its series and its label.
fn example_figures(
    base: &str,
    token: &str,
    example: &str,
    what: &str,
    series: &[(&'static str, &str)],
) -> Result<Figures, String> {
    let step = Step::start(&format!("{REQUESTS} {what}"));
    let output = Command::new("cargo")
        .args([
            "run",
            "--quiet",
            "-p",
            "guestpass-e2e",
            "--example",
            example,
            "--",
        ])
        .arg(REQUESTS.to_string())
        .env("GUESTPASS_BASE_URL", base)
        .env("GUESTPASS_OPERATOR_TOKEN", token)
        .env("GUESTPASS_MOCK_MAIL_URL", "http://mail.invalid")
        .current_dir(root())
        .output()
        .map_err(|e| format!("{what}: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{what} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let figures: Value =
        serde_json::from_slice(&output.stdout).map_err(|e| format!("{what}' figures: {e}"))?;
    let samples = |name: &str| -> Vec<f64> {
        figures[name]
            .as_array()
            .map(|values| values.iter().filter_map(Value::as_f64).collect())
            .unwrap_or_default()
    };
    step.done();
    Ok(series
        .iter()
        .map(|(label, name)| (*label, samples(name)))
        .collect())
}

/// Passkey sign-ins (`passkey_sign_ins.rs`, 1Password's software authenticator, which the e2e
/// crate already builds): options, then the sign-in, every one from a client address of its own.
fn passkey_figures(base: &str, token: &str) -> Result<Figures, String> {
    example_figures(
        base,
        token,
        "passkey_sign_ins",
        "passkey sign-ins (options, then the assertion)",
        &[
            ("POST sign-in/passkey/options", "options"),
            ("POST sign-in/passkey", "signIn"),
        ],
    )
}

/// An application's sign-in (`oidc_tokens.rs`): authorize with a session, then the token call
/// (ES256, and for an application set to RS256, whose key is unsealed per token).
fn oidc_figures(base: &str, token: &str) -> Result<Figures, String> {
    example_figures(
        base,
        token,
        "oidc_tokens",
        "OpenID Connect sign-ins (authorize with a session, then the token call)",
        &[
            ("GET oauth2/v2.0/authorize (session)", "authorize"),
            ("POST oauth2/v2.0/token", "token"),
            ("POST oauth2/v2.0/token (RS256)", "tokenRs256"),
        ],
    )
}

/// The bench tenant: its id, its administrator's username, bootstrap pass and session cookie
/// (`name=value`), and the guests invited to it.
pub struct BenchTenant {
    pub id: String,
    pub admin: String,
    pub pass: String,
    pub admin_cookie: String,
    pub guests: Vec<String>,
}

/// Creates the bench tenant (`bench.example`), signs its administrator in with the bootstrap
/// pass and invites `guests` guests.
/// A tenant for `domain`, created with the operator's `token`: the operator endpoint's answer.
pub fn create_tenant(client: &Client, token: &str, domain: &str) -> Result<Value, String> {
    let created = client.post(
        &Endpoint::CreateTenant.path(&[]),
        Body::Json(&json!({"displayName": domain, "verifiedDomains": [domain],
            "admin": {"displayName": "Admin", "userPrincipalName": format!("admin@{domain}")}})),
        &[("authorization", &format!("Bearer {token}"))],
    )?;
    if created.status != 201 {
        return Err(format!(
            "tenant {domain}: {} {}",
            created.status, created.body
        ));
    }
    Ok(created.json())
}

pub fn bench_tenant(client: &Client, token: &str, guests: usize) -> Result<BenchTenant, String> {
    let auth = format!("Bearer {token}");
    let tenant = create_tenant(client, token, "bench.example")?;
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let id = text(&tenant["tenant"]["id"]);
    let admin = text(&tenant["admin"]["userPrincipalName"]);
    let pass = text(&tenant["temporaryAccessPass"]["temporaryAccessPass"]);
    let signed_in = client.post(
        &Endpoint::PassSignIn.path(&[&id]),
        Body::Json(&json!({"username": admin, "temporaryAccessPass": pass})),
        &[],
    )?;
    let admin_cookie = match (signed_in.status, signed_in.cookies.first()) {
        (200, Some(cookie)) => cookie.clone(),
        _ => {
            return Err(format!(
                "the bench administrator's sign-in: {} {}",
                signed_in.status, signed_in.body
            ))
        }
    };
    let step = Step::start(&format!("inviting {guests} guests"));
    let guests: Vec<String> = (0..guests)
        .map(|i| format!("guest{i}@bench-guests.example"))
        .collect();
    for guest in &guests {
        let invited = client.post(
            &Endpoint::Invite.path(&[&id]),
            Body::Json(&json!({"invitedUserEmailAddress": guest})),
            &[("authorization", &auth)],
        )?;
        if invited.status != 201 {
            return Err(format!("invite: {} {}", invited.status, invited.body));
        }
    }
    step.done();
    Ok(BenchTenant {
        id,
        admin,
        pass,
        admin_cookie,
        guests,
    })
}

/// A guest's email sign-in, step by step, each step's answer checked.
pub struct GuestSignIn<'a> {
    pub client: &'a Client,
    pub tenant: &'a str,
    pub guest: &'a str,
    /// The client address it comes from (see [`client`]).
    pub ip: String,
}

impl GuestSignIn<'_> {
    /// Asks for a code: the answer and the challenge it holds.
    pub fn send(&self) -> Result<(Answer, String), String> {
        let sent = self.client.post(
            &Endpoint::SendCode.path(&[self.tenant]),
            Body::Json(&json!({"email": self.guest})),
            &[("cf-connecting-ip", &self.ip)],
        )?;
        if sent.status != 202 {
            return Err(format!("send: {} {}", sent.status, sent.body));
        }
        let challenge = sent.json()["challenge"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        Ok((sent, challenge))
    }

    /// The code the last email to the guest holds (the development outbox; untimed).
    pub fn code(&self) -> Result<String, String> {
        let outbox = self.client.get(
            &format!("{}?to={}", Endpoint::DevOutbox.path(&[]), self.guest),
            &[],
        )?;
        let outbox = outbox.json();
        let text = outbox["value"]
            .as_array()
            .and_then(|v| v.last())
            .and_then(|m| m["text"].as_str())
            .unwrap_or_default();
        text.split_whitespace()
            .find(|w| w.len() == 8 && w.bytes().all(|b| b.is_ascii_digit()))
            .map(str::to_string)
            .ok_or_else(|| format!("no code in the email to {}", self.guest))
    }

    /// Types the code: the answer and the session cookie it set.
    pub fn verify(&self, challenge: &str, code: &str) -> Result<(Answer, String), String> {
        let verified = self.client.post(
            &Endpoint::VerifyCode.path(&[self.tenant]),
            Body::Json(&json!({"challenge": challenge, "code": code})),
            &[("cf-connecting-ip", &self.ip)],
        )?;
        if verified.status != 200 {
            return Err(format!("verify: {} {}", verified.status, verified.body));
        }
        let cookie = verified
            .cookies
            .first()
            .cloned()
            .ok_or("verify set no cookie")?;
        Ok((verified, cookie))
    }

    /// Reads the session the cookie holds.
    pub fn session(&self, cookie: &str) -> Result<Answer, String> {
        let read = self.client.get(
            &Endpoint::GetSession.path(&[self.tenant]),
            &[("cookie", cookie)],
        )?;
        if read.status != 200 {
            return Err(format!("session: {} {}", read.status, read.body));
        }
        Ok(read)
    }
}

/// The HTTP figures, and the bench tenant's administrator's session cookie (`name=value`).
fn http(base: &str, token: &str) -> Result<(Figures, String), String> {
    let client = Client::new(base);
    let tenant = bench_tenant(&client, token, REQUESTS)?;
    let step = Step::start(&format!(
        "{REQUESTS} health checks, sends, verifies, session reads and pass sign-ins"
    ));
    let (mut health, mut send, mut verify, mut session) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    // The floor: the runtime and the Rust entry point, no storage.
    for _ in 0..REQUESTS {
        health.push(client.get(&Endpoint::Health.path(&[]), &[])?.ms);
    }
    let sign_ins: Vec<GuestSignIn> = tenant
        .guests
        .iter()
        .enumerate()
        .map(|(i, guest)| GuestSignIn {
            client: &client,
            tenant: &tenant.id,
            guest,
            ip: self::client(i),
        })
        .collect();
    let mut challenges = Vec::new();
    for sign_in in &sign_ins {
        let (sent, challenge) = sign_in.send()?;
        send.push(sent.ms);
        challenges.push(challenge);
    }
    let mut cookies = Vec::new();
    for (sign_in, challenge) in sign_ins.iter().zip(&challenges) {
        let code = sign_in.code()?;
        let (verified, cookie) = sign_in.verify(challenge, &code)?;
        verify.push(verified.ms);
        cookies.push(cookie);
    }
    for (sign_in, cookie) in sign_ins.iter().zip(&cookies) {
        session.push(sign_in.session(cookie)?.ms);
    }
    // Pass sign-in: the bench tenant's administrator, with the multi-use bootstrap pass.
    let mut pass_sign_in = Vec::new();
    for i in 0..REQUESTS {
        let signed_in = client.post(
            &Endpoint::PassSignIn.path(&[&tenant.id]),
            Body::Json(&json!({"username": tenant.admin, "temporaryAccessPass": tenant.pass})),
            &[("cf-connecting-ip", &self::client(i))],
        )?;
        if signed_in.status != 200 {
            return Err(format!(
                "pass sign-in: {} {}",
                signed_in.status, signed_in.body
            ));
        }
        pass_sign_in.push(signed_in.ms);
    }
    step.done();
    Ok((
        vec![
            ("GET /api/health (baseline)", health),
            ("POST email-otp/send", send),
            ("POST email-otp/verify", verify),
            ("GET session", session),
            ("POST sign-in/temporary-access-pass", pass_sign_in),
        ],
        tenant.admin_cookie,
    ))
}
