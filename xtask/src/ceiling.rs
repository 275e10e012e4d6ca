//! `cargo xtask bench --ceiling`: how much one tenant's guard instance takes before it queues.
//!
//! Concurrent clients type wrong codes (`POST …/email-otp/verify`), each request from a client
//! address of its own, so no per-network limit cuts the run short. Every one is a guard decision
//! that writes twice (the network's attempts, the failure tally); the code is dead after five
//! tries and the address locked after a hundred, so past those its record is read, not written. Each level of
//! concurrency runs against a tenant on one guard instance, then against a tenant whose records
//! the operator spread over eight (`…/operator/tenants/{tenant}/guard`), its codes those of
//! sixteen addresses: where one instance's p99 climbs while the sharded tenant's does not, the
//! instance is the bottleneck; where both climb alike, the Worker and this machine's cores are.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use guestpass_wire::Endpoint;
use serde_json::json;

use crate::bench::{self, GuestSignIn};
use crate::client::{Body, Client};
use crate::stats::Sorted;
use crate::util::{free_port, random_hex, root, Step};
use crate::{build, wrangler};

const LEVELS: [usize; 6] = [1, 2, 4, 8, 16, 32];
const REQUESTS_PER_LEVEL: usize = 600;
const SHARDS: u8 = 8;
/// Addresses whose codes the sharded run types: two a shard on average.
const SHARDED_ADDRESSES: usize = 16;

pub fn run() -> Result<(), String> {
    build::all()?;
    let token = random_hex(32);
    let state = root().join("target/bench-ceiling");
    let _ = std::fs::remove_dir_all(&state);
    let server = wrangler::Wrangler::start(
        free_port(),
        &state,
        &bench::bench_vars(&token),
        Some(&root().join("target/bench-ceiling.log")),
    )?;
    let client = Client::new(&server.base_url);
    let step = Step::start(&format!(
        "a tenant on one instance, a tenant on {SHARDS}, {SHARDED_ADDRESSES} challenges"
    ));
    let tenant_id = |domain: &str| -> Result<String, String> {
        let created = bench::create_tenant(&client, &token, domain)?;
        Ok(created["tenant"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string())
    };
    let single = tenant_id("ceiling1.example")?;
    let sharded = tenant_id("ceiling8.example")?;
    let auth = format!("Bearer {token}");
    let set = client.patch(
        &Endpoint::PatchGuard.path(&[&sharded]),
        Body::Json(&json!({ "shards": SHARDS })),
        &[("authorization", &auth)],
    )?;
    if set.status != 200 {
        return Err(format!("guard shards: {} {}", set.status, set.body));
    }
    let challenge = |tenant: &str, k: usize| -> Result<(String, String), String> {
        let sign_in = GuestSignIn {
            client: &client,
            tenant,
            // No account: the same guard work as a guest's, and no email.
            guest: &format!("nobody{k}@ceiling.example"),
            ip: format!("198.51.100.{}", k + 1),
        };
        Ok((tenant.to_string(), sign_in.send()?.1))
    };
    let one = vec![challenge(&single, 0)?];
    let spread = (0..SHARDED_ADDRESSES)
        .map(|k| challenge(&sharded, k))
        .collect::<Result<Vec<_>, _>>()?;
    step.done();
    // Client addresses past those the setup used, one per request.
    let next_ip = AtomicUsize::new(1_000);
    let mut rows = Vec::new();
    for clients in LEVELS {
        let step = Step::start(&format!("{clients} concurrent clients"));
        let one = level(&server.base_url, &one, clients, &next_ip)?;
        let spread = level(&server.base_url, &spread, clients, &next_ip)?;
        step.done();
        rows.push((clients, one, spread));
    }
    drop(server);
    println!(
        "\n| concurrent clients | one instance: req/s, p50 / p99 ms | {SHARDS} shards: req/s, p50 / p99 ms |\n|---|---|---|"
    );
    for (clients, one, spread) in &rows {
        println!("| {clients} | {one} | {spread} |");
    }
    Ok(())
}

/// One level's figures.
struct Level {
    per_second: f64,
    p50: f64,
    p99: f64,
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:.0}, {:.1} / {:.1}",
            self.per_second, self.p50, self.p99
        )
    }
}

/// `REQUESTS_PER_LEVEL` wrong codes from `clients` threads, spread round-robin over `targets`
/// (tenant, challenge). Any 5xx fails the run.
fn level(
    base: &str,
    targets: &[(String, String)],
    clients: usize,
    next_ip: &AtomicUsize,
) -> Result<Level, String> {
    let done = AtomicUsize::new(0);
    let started = Instant::now();
    let results: Vec<Result<Vec<f64>, String>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..clients)
            .map(|_| {
                scope.spawn(|| {
                    let client = Client::new(base);
                    let mut latencies = Vec::new();
                    loop {
                        let n = done.fetch_add(1, Ordering::Relaxed);
                        if n >= REQUESTS_PER_LEVEL {
                            return Ok(latencies);
                        }
                        let (tenant, challenge) = &targets[n % targets.len()];
                        let ip = bench::client(next_ip.fetch_add(1, Ordering::Relaxed));
                        let answer = client.post(
                            &Endpoint::VerifyCode.path(&[tenant]),
                            Body::Json(&json!({"challenge": challenge, "code": "00000000"})),
                            &[("cf-connecting-ip", &ip)],
                        )?;
                        if answer.status >= 500 {
                            return Err(format!("verify: {} {}", answer.status, answer.body));
                        }
                        latencies.push(answer.ms);
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|_| Err("a client panicked".into())))
            .collect()
    });
    let elapsed = started.elapsed();
    let mut samples = Vec::new();
    for result in results {
        samples.extend(result?);
    }
    let samples = Sorted::new(samples);
    Ok(Level {
        per_second: samples.len() as f64 / elapsed.max(Duration::from_millis(1)).as_secs_f64(),
        p50: samples.percentile(0.5),
        p99: samples.percentile(0.99),
    })
}
