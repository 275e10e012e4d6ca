//! `cargo xtask bench --peer`: Guestpass beside its closest open-source peer, OpenAuth 0.4.3's
//! email-code flow (`bench/peer-openauth/`), both under this repository's `wrangler dev` on local
//! KV, driven by one client.
//!
//! Each round is a whole sign-in on each system, in the order A B, then B A, then A B…, so the
//! machine's drift hits both alike. Each round times the floor (a route that touches no
//! storage), the send, the verify, and then Guestpass's session read and OpenAuth's token call.
//! Guestpass's sends come from a pool of client addresses, one per round (its per-network limits
//! stay as deployed); its tenant's hourly cap is lifted, since one tenant takes every send.
//!
//! Then each system's cold start, several times: `wrangler dev` is restarted on the state the
//! run left, and once it says it is ready, the first request of a sign-in is timed (Guestpass's
//! send; OpenAuth's `/authorize`, whose cookie it needs before it will send).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::bench::{self, GuestSignIn};
use crate::client::{Answer, Body, Client};
use crate::stats::Sorted;
use crate::util::{self, free_port, random_hex, root, Step};
use crate::{build, wrangler};

/// Rounds of the interleaved run (the issue asks for at least 300).
const ROUNDS: usize = 300;
/// Untimed rounds first, so neither system is measured while its isolate warms.
const WARMUP: usize = 10;
const COLD_STARTS: usize = 5;

const PEER_DIR: &str = "bench/peer-openauth";
const PEER_CLIENT_ID: &str = "bench";
const PEER_REDIRECT_URI: &str = "http://localhost/callback";

const STEPS: [&str; 4] = [
    "floor (no storage)",
    "send a code",
    "verify the code",
    "session read (Guestpass) / token call (OpenAuth)",
];

pub fn run() -> Result<(), String> {
    build::all()?;
    install_peer()?;
    let token = random_hex(32);
    // The per-network send limit as deployed: each round is its own client network.
    let vars: Vec<(String, String)> = bench::bench_vars(&token)
        .into_iter()
        .filter(|(name, _)| name != bench::PER_IP_LIMIT)
        .collect();
    let dir = root().join("target/bench-peer");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let ours = System::guestpass(&dir, &vars)?;
    let peer = System::openauth(&dir);

    let step = Step::start("starting Guestpass and OpenAuth under wrangler dev");
    let guestpass = ours.start_warm()?;
    let openauth = peer.start_warm()?;
    step.done();
    let gp = Client::new(&guestpass.base_url);
    let oa = Client::new(&openauth.base_url);
    let tenant = bench::bench_tenant(&gp, &token, WARMUP + ROUNDS + COLD_STARTS)?;
    let guestpass_round = |i: usize| -> Result<[f64; 4], String> {
        let sign_in = GuestSignIn {
            client: &gp,
            tenant: &tenant.id,
            guest: &tenant.guests[i],
            ip: bench::client(i),
        };
        let floor = gp.get(&guestpass_wire::Endpoint::Health.path(&[]), &[])?.ms;
        let (sent, challenge) = sign_in.send()?;
        let (verified, cookie) = sign_in.verify(&challenge, &sign_in.code()?)?;
        let session = sign_in.session(&cookie)?;
        Ok([floor, sent.ms, verified.ms, session.ms])
    };
    let openauth_round = |i: usize| openauth_sign_in(&oa, &format!("peer{i}@bench.example"));

    let step = Step::start(&format!(
        "{ROUNDS} sign-ins on each, interleaved (after {WARMUP} untimed)"
    ));
    let mut samples = [(); 4].map(|_| (Vec::new(), Vec::new()));
    for i in 0..WARMUP + ROUNDS {
        let (ours, theirs) = if i % 2 == 0 {
            let ours = guestpass_round(i)?;
            (ours, openauth_round(i)?)
        } else {
            let theirs = openauth_round(i)?;
            (guestpass_round(i)?, theirs)
        };
        if i >= WARMUP {
            for (k, (a, b)) in samples.iter_mut().enumerate() {
                a.push(ours[k]);
                b.push(theirs[k]);
            }
        }
    }
    step.done();
    drop((guestpass, openauth));

    let step = Step::start(&format!("{COLD_STARTS} cold starts of each"));
    let mut cold = (Vec::new(), Vec::new());
    for k in 0..COLD_STARTS {
        let guest = WARMUP + ROUNDS + k;
        let first_send = |client: &Client| -> Result<Answer, String> {
            let sign_in = GuestSignIn {
                client,
                tenant: &tenant.id,
                guest: &tenant.guests[guest],
                ip: bench::client(guest),
            };
            Ok(sign_in.send()?.0)
        };
        let first_authorize = |client: &Client| openauth_authorize(client);
        if k % 2 == 0 {
            cold.0.push(ours.cold_start(first_send)?);
            cold.1.push(peer.cold_start(first_authorize)?);
        } else {
            cold.1.push(peer.cold_start(first_authorize)?);
            cold.0.push(ours.cold_start(first_send)?);
        }
    }
    step.done();
    report(&samples, &cold);
    Ok(())
}

/// Installs the peer's pinned packages (its own `package-lock.json`) when they are missing.
fn install_peer() -> Result<(), String> {
    let dir = root().join(PEER_DIR);
    if dir
        .join("node_modules/@openauthjs/openauth/package.json")
        .exists()
    {
        return Ok(());
    }
    let step = Step::start("installing the peer's packages (npm ci)");
    util::run(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir),
    )?;
    step.done();
    Ok(())
}

/// One system under `wrangler dev`: how to start it, and where its state and output go.
struct System {
    configs: Vec<PathBuf>,
    state: PathBuf,
    log: PathBuf,
    health: String,
}

impl System {
    fn guestpass(dir: &Path, vars: &[(String, String)]) -> Result<System, String> {
        Ok(System {
            configs: wrangler::configs(vars, &dir.join("guestpass.config"))?,
            state: dir.join("guestpass"),
            log: dir.join("guestpass.log"),
            health: guestpass_wire::Endpoint::Health.path(&[]),
        })
    }

    fn openauth(dir: &Path) -> System {
        System {
            configs: vec![root().join(PEER_DIR).join("wrangler.toml")],
            state: dir.join("openauth"),
            log: dir.join("openauth.log"),
            health: "/health".into(),
        }
    }

    fn start_warm(&self) -> Result<wrangler::Wrangler, String> {
        let log = Some(self.log.as_path());
        wrangler::Wrangler::spawn_ready(&self.configs, free_port(), &self.state, log, |server| {
            server.wait_answering(&self.health, log, Duration::from_secs(90))
        })
    }

    /// Restarts the system on its state and times `first`, the first request its fresh isolates
    /// answer: (that request's ms, seconds from starting wrangler to its answer).
    fn cold_start(
        &self,
        first: impl Fn(&Client) -> Result<Answer, String>,
    ) -> Result<(f64, f64), String> {
        // Each start's output replaces the last's, beside the warm run's. A start whose port
        // was taken is not timed: the time runs from the start that got its port.
        let log = self.log.with_extension("cold.log");
        let server = wrangler::Wrangler::spawn_ready(
            &self.configs,
            free_port(),
            &self.state,
            Some(&log),
            |server| server.wait_ready_line(&log, Duration::from_secs(90)),
        )?;
        let answer = first(&Client::new(&server.base_url))?;
        Ok((answer.ms, server.started.elapsed().as_secs_f64()))
    }
}

/// The cookies a browser would hold for the peer's origin.
#[derive(Default)]
struct Jar(Vec<String>);

impl Jar {
    /// Takes the cookies an answer set (an empty value deletes one).
    fn take(&mut self, answer: &Answer) {
        for cookie in &answer.cookies {
            let name = cookie.split('=').next().unwrap_or_default();
            self.0.retain(|c| c.split('=').next() != Some(name));
            if !cookie.ends_with('=') {
                self.0.push(cookie.clone());
            }
        }
    }

    fn header(&self) -> String {
        self.0.join("; ")
    }
}

/// OpenAuth's first step: the authorization request, which answers with its encrypted
/// `authorization` cookie and a redirect to the code provider.
fn openauth_authorize(client: &Client) -> Result<Answer, String> {
    let answer = client.get(
        &format!(
            "/authorize?client_id={PEER_CLIENT_ID}&redirect_uri={PEER_REDIRECT_URI}&response_type=code&provider=code"
        ),
        &[],
    )?;
    if answer.status != 302 || answer.cookie("authorization").is_none() {
        return Err(format!(
            "OpenAuth authorize: {} {}",
            answer.status, answer.body
        ));
    }
    Ok(answer)
}

/// One whole email-code sign-in on OpenAuth: [floor, send, verify, token] in ms. The steps
/// before the send (authorize, the provider's start page) and reading the code are untimed.
fn openauth_sign_in(client: &Client, email: &str) -> Result<[f64; 4], String> {
    let floor = client.get("/health", &[])?.ms;
    let mut jar = Jar::default();
    jar.take(&openauth_authorize(client)?);
    jar.take(&client.get("/code/authorize", &[("cookie", &jar.header())])?);
    let sent = client.post(
        "/code/authorize",
        Body::Form(&[("action", "request"), ("email", email)]),
        &[("cookie", &jar.header())],
    )?;
    if sent.status != 200 || !sent.body.contains("\"code\"") {
        return Err(format!("OpenAuth send: {} {}", sent.status, sent.body));
    }
    jar.take(&sent);
    let code = client
        .get(&format!("/bench/code?email={email}"), &[])?
        .json()["code"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let verified = client.post(
        "/code/authorize",
        Body::Form(&[("action", "verify"), ("code", &code)]),
        &[("cookie", &jar.header())],
    )?;
    let authorization_code = verified
        .location
        .as_deref()
        .and_then(|l| l.split_once("code=").map(|(_, rest)| rest))
        .and_then(|rest| rest.split('&').next())
        .filter(|_| verified.status == 302)
        .ok_or_else(|| {
            format!(
                "OpenAuth verify: {} {:?} {}",
                verified.status, verified.location, verified.body
            )
        })?
        .to_string();
    let token = client.post(
        "/token",
        Body::Form(&[
            ("grant_type", "authorization_code"),
            ("code", &authorization_code),
            ("redirect_uri", PEER_REDIRECT_URI),
            ("client_id", PEER_CLIENT_ID),
        ]),
        &[],
    )?;
    if token.status != 200 || token.json()["access_token"].as_str().is_none() {
        return Err(format!("OpenAuth token: {} {}", token.status, token.body));
    }
    Ok([floor, sent.ms, verified.ms, token.ms])
}

/// Guestpass's samples and OpenAuth's.
type Samples = (Vec<f64>, Vec<f64>);
/// Each cold start's (first request ms, seconds from starting wrangler to its answer).
type ColdStarts = Vec<(f64, f64)>;

fn report(samples: &[Samples; 4], cold: &(ColdStarts, ColdStarts)) {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "\nGuestpass beside OpenAuth 0.4.3, {ROUNDS} interleaved rounds, one keep-alive client each, \
         wrangler dev on {cores} cores of {cpu}"
    );
    println!(
        "\n| step | Guestpass p50 / p90 / p99 ms | OpenAuth p50 / p90 / p99 ms | Guestpass/OpenAuth p50 | p99 |\n|---|---|---|---|---|"
    );
    for (name, (ours, theirs)) in STEPS.iter().zip(samples) {
        let (a, b) = (Sorted::new(ours.clone()), Sorted::new(theirs.clone()));
        let line = |v: &Sorted| {
            format!(
                "{:.1} / {:.1} / {:.1}",
                v.percentile(0.5),
                v.percentile(0.9),
                v.percentile(0.99)
            )
        };
        println!(
            "| {name} | {} | {} | {:.2} | {:.2} |",
            line(&a),
            line(&b),
            a.percentile(0.5) / b.percentile(0.5),
            a.percentile(0.99) / b.percentile(0.99)
        );
    }
    let (ours, theirs) = cold;
    // Each column's median: the first request's ms, the seconds to its answer.
    let medians = |v: &[(f64, f64)]| {
        let column = |pick: fn(&(f64, f64)) -> f64| Sorted::new(v.iter().map(pick).collect());
        (
            column(|c| c.0).percentile(0.5),
            column(|c| c.1).percentile(0.5),
        )
    };
    let (ours, theirs) = (medians(ours), medians(theirs));
    println!(
        "\n| cold start, median of {COLD_STARTS} | first request after \"Ready\" ms | wrangler start to its answer s |\n|---|---|---|"
    );
    println!("| Guestpass (send) | {:.1} | {:.1} |", ours.0, ours.1);
    println!(
        "| OpenAuth (authorize) | {:.1} | {:.1} |",
        theirs.0, theirs.1
    );
}
