//! `cargo xtask dev [--port N] [--fresh]`, `cargo xtask test`, `cargo xtask bench [--peer | --ceiling]`.
//! Each installs what is missing first, so they work on a fresh machine.

mod bench;
mod bindings;
mod browser;
mod build;
mod ceiling;
mod client;
mod load;
mod mockmail;
mod peer;
mod seed;
mod split;
mod stats;
mod tools;
mod util;
mod wrangler;

use std::process::{Command, ExitCode};

use util::{free_port, random_hex, random_key_b64, root, run_tests, Step};

/// Budgets checked by `cargo xtask test` (bytes are deterministic, so CI can hold them): each
/// Worker's upload, gzip KiB, by its configuration (`wrangler::CONFIGS`).
const WORKER_GZIP_BUDGETS_KIB: [(&str, &str, f64); 4] = [
    // The Worker every guest's cold start loads: issue 13's target.
    ("sign-in Worker", "wrangler.toml", 200.0),
    ("administration Worker", "wrangler.admin.toml", 270.0),
    ("account Worker", "wrangler.account.toml", 225.0),
    ("guard Worker", "edge/guard/wrangler.toml", 100.0),
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("dev") => dev(&args[1..]),
        Some("test") => test(),
        // The end-to-end layer alone, with cargo test's arguments (a test file, a filter): for
        // working on one screen without running the whole suite.
        Some("e2e") => {
            let mut totals = (0, 0);
            build::all().and_then(|()| end_to_end(&mut totals, &args[1..]))
        }
        Some("bench") if args.get(1).is_some_and(|a| a == "--peer") => peer::run(),
        Some("bench") if args.get(1).is_some_and(|a| a == "--ceiling") => ceiling::run(),
        Some("bench") => bench::run(),
        Some("build") => build::all(),
        _ => Err(
            "usage: cargo xtask <dev [--port N] [--fresh] | test | e2e [cargo test args] | bench [--peer | --ceiling] | build>"
                .into(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Development secrets, written once to the git-ignored `.dev.vars`. The `dev-` key id makes
/// a production deployment refuse them.
fn ensure_dev_vars() -> Result<(), String> {
    let path = root().join(".dev.vars");
    if path.exists() {
        return Ok(());
    }
    let text = format!(
        "# Written by `cargo xtask dev`: development only, never commit.\nENVIRONMENT=development\nSIGNING_KEYS=dev-{}:{}\nOPERATOR_TOKEN={}\n",
        random_hex(4),
        random_key_b64(),
        random_hex(32)
    );
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn dev_var(name: &str) -> Option<String> {
    let text = std::fs::read_to_string(root().join(".dev.vars")).ok()?;
    text.lines().find_map(|l| {
        l.strip_prefix(&format!("{name}="))
            .map(|v| v.trim().to_string())
    })
}

fn dev(args: &[String]) -> Result<(), String> {
    let mut port = 8787u16;
    let mut fresh = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--port" => {
                port = rest
                    .next()
                    .and_then(|p| p.parse().ok())
                    .ok_or("--port needs a number")?
            }
            "--fresh" => fresh = true,
            other => return Err(format!("unknown option {other}")),
        }
    }
    build::all()?;
    ensure_dev_vars()?;
    let state = root().join(".wrangler/state");
    if fresh {
        let _ = std::fs::remove_dir_all(&state);
        let _ = std::fs::remove_file(seed::demo_file());
    }
    let step = Step::start(&format!("starting wrangler dev on 127.0.0.1:{port}"));
    let mut wrangler = wrangler::Wrangler::start(port, &state, &[], None)?;
    step.done();
    let pid = wrangler.pid();
    ctrlc::set_handler(move || {
        wrangler::stop_group(pid);
        std::thread::sleep(std::time::Duration::from_secs(2));
        wrangler::signal_group("-KILL", pid);
        std::process::exit(0);
    })
    .map_err(|e| e.to_string())?;
    let token = dev_var("OPERATOR_TOKEN").ok_or(".dev.vars has no OPERATOR_TOKEN")?;
    let mut demo = seed::demo(&wrangler.base_url, &token)?;
    let admin_pass = seed::current_pass(&wrangler.base_url, &token, &mut demo, "admin")?;
    let member_pass = seed::current_pass(&wrangler.base_url, &token, &mut demo, "member")?;
    // Printed at localhost, not the loopback address: passkeys need a host that can be an RP ID.
    let shown = wrangler.base_url.replace("127.0.0.1", "localhost");
    seed::print(&shown, &demo, &admin_pass, &member_pass);
    wrangler.wait();
    Ok(())
}

fn native_tests(totals: &mut (u64, u64)) -> Result<(), String> {
    let step = Step::start("native tests (wire, core, app, console, xtask)");
    let mut cmd = Command::new("cargo");
    cmd.args([
        "test",
        "--no-fail-fast",
        "-p",
        "guestpass-wire",
        "-p",
        "guestpass-core",
        "-p",
        "guestpass-app",
        "-p",
        "guestpass-console",
        "-p",
        "xtask",
    ])
    .current_dir(root());
    run_tests(&mut cmd, totals)?;
    step.done();
    Ok(())
}

fn check_worker_budget() -> Result<(), String> {
    for (name, config, budget) in WORKER_GZIP_BUDGETS_KIB {
        let (raw, gzip) = wrangler::dry_run_size(config)?;
        eprintln!(
            "    {name} upload: {raw:.1} KiB raw, {gzip:.1} KiB gzip (budget {budget} KiB gzip)"
        );
        if gzip > budget {
            return Err(format!(
                "the {name} is {gzip:.1} KiB gzip, over its {budget} KiB budget"
            ));
        }
    }
    Ok(())
}

/// Settings of the Worker under test: development mode (outbox on), fresh keys, and the mock
/// provider, so both email paths run for real.
fn test_vars(mail_url: &str, token: &str) -> Vec<(String, String)> {
    vec![
        ("ENVIRONMENT".into(), "development".into()),
        (
            "SIGNING_KEYS".into(),
            format!("dev-test:{}", random_key_b64()),
        ),
        ("OPERATOR_TOKEN".into(), token.into()),
        ("EMAIL_API_URL".into(), format!("{mail_url}/emails")),
        ("EMAIL_API_KEY".into(), mockmail::API_KEY.into()),
    ]
}

fn test() -> Result<(), String> {
    let mut totals = (0, 0);
    let result = all_tests(&mut totals);
    // One plain closing line over every runner, so CI reads the whole count.
    println!("{} passed, {} failed", totals.0, totals.1);
    result
}

fn all_tests(totals: &mut (u64, u64)) -> Result<(), String> {
    native_tests(totals)?;
    build::all()?;
    let step = Step::start("size budgets");
    check_worker_budget()?;
    browser::check_spa_budget()?;
    step.done();
    browser::ensure_chromium()?;
    browser::component_tests(totals)?;
    end_to_end(totals, &[])
}

/// The black-box and browser tests against Workers of their own; `filter` goes to cargo test.
fn end_to_end(totals: &mut (u64, u64), filter: &[String]) -> Result<(), String> {
    browser::ensure_chromium()?;
    let mail = mockmail::start()?;
    let token = random_hex(32);
    let state = root().join("target/e2e-state");
    let _ = std::fs::remove_dir_all(&state);
    std::fs::create_dir_all(root().join("target")).map_err(|e| e.to_string())?;
    let log = root().join("target/e2e-wrangler.log");
    let step = Step::start(
        "starting the Workers under wrangler dev for black-box tests (development and production)",
    );
    let wrangler = wrangler::Wrangler::start(
        free_port(),
        &state,
        &test_vars(&mail.url, &token),
        Some(&log),
    )?;
    let production_vars = vec![
        ("ENVIRONMENT".to_string(), "production".to_string()),
        (
            "SIGNING_KEYS".into(),
            format!("prod-test:{}", random_key_b64()),
        ),
        ("OPERATOR_TOKEN".into(), token.clone()),
        // Small enough for a test to fill (the production tests make a handful of sends each).
        ("OTP_SENDS_PER_TENANT_PER_HOUR".into(), "5".into()),
    ];
    let production_state = root().join("target/e2e-production-state");
    let _ = std::fs::remove_dir_all(&production_state);
    let production_log = root().join("target/e2e-production-wrangler.log");
    let production = wrangler::Wrangler::start(
        free_port(),
        &production_state,
        &production_vars,
        Some(&production_log),
    )?;
    // The browser tests get a Worker of their own: every browser shares one client IP, so the
    // per-network send limit the black-box tests check would stop them.
    let browser_state = root().join("target/e2e-browser-state");
    let _ = std::fs::remove_dir_all(&browser_state);
    let browser_vars = vec![
        ("ENVIRONMENT".to_string(), "development".to_string()),
        (
            "SIGNING_KEYS".into(),
            format!("dev-browser:{}", random_key_b64()),
        ),
        ("OPERATOR_TOKEN".into(), token.clone()),
        ("OTP_SENDS_PER_IP_PER_HOUR".into(), "100000".into()),
    ];
    let browser_worker = wrangler::Wrangler::start(
        free_port(),
        &browser_state,
        &browser_vars,
        Some(&root().join("target/e2e-browser-wrangler.log")),
    )?;
    let chromedriver =
        browser::Chromedriver::start(free_port(), &root().join("target/chromedriver.log"))?;
    step.done();
    let step = Step::start(&format!(
        "black-box and browser tests against {} and {} (wrangler log: {})",
        wrangler.base_url,
        browser_worker.base_url,
        log.display()
    ));
    let mut cmd = Command::new("cargo");
    cmd.args(["test", "--no-fail-fast", "-p", "guestpass-e2e"])
        .args(if filter.is_empty() {
            vec!["--tests".to_string()]
        } else {
            filter.to_vec()
        })
        .args(["--", "--test-threads=4"])
        .current_dir(root())
        .env("GUESTPASS_BASE_URL", &wrangler.base_url)
        .env("GUESTPASS_PRODUCTION_URL", &production.base_url)
        .env("GUESTPASS_OPERATOR_TOKEN", &token)
        .env("GUESTPASS_MOCK_MAIL_URL", &mail.url)
        .env("GUESTPASS_BROWSER_URL", &browser_worker.base_url)
        .env("GUESTPASS_WEBDRIVER_URL", &chromedriver.url)
        .env("GUESTPASS_CHROMIUM", browser::CHROMIUM);
    let result = run_tests(&mut cmd, totals);
    drop(chromedriver);
    drop(wrangler);
    drop(production);
    drop(browser_worker);
    result?;
    step.done();
    Ok(())
}
