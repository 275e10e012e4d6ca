//! Starts and stops `wrangler dev` (workerd with local KV and Durable Objects): the sign-in
//! Worker, the administration and account Workers it hands requests to, and the guard's Worker,
//! whose Durable Object the three bind, in one process.
//!
//! wrangler runs in its own process group so that stopping it also stops workerd: killing only
//! the npx process would leave workerd holding the port.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::root;

/// The Workers' configurations: the sign-in Worker first (it serves the port), then the
/// administration and account Workers it hands requests to, and the guard's.
pub const CONFIGS: [&str; 4] = [
    "wrangler.toml",
    "wrangler.admin.toml",
    "wrangler.account.toml",
    "edge/guard/wrangler.toml",
];

/// The configurations to run. Without `vars`, the repository's own, which read `.dev.vars`
/// beside them. With `vars`, copies in `dir` (paths made absolute) beside a `.dev.vars` that
/// holds exactly `vars`: wrangler gives `--var` to the first Worker only, but a `.dev.vars` to
/// every Worker whose configuration sits beside it.
pub fn configs(vars: &[(String, String)], dir: &Path) -> Result<Vec<PathBuf>, String> {
    if vars.is_empty() {
        return Ok(CONFIGS.iter().map(PathBuf::from).collect());
    }
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut written = Vec::new();
    for config in CONFIGS {
        let source = root().join(config);
        let text = std::fs::read_to_string(&source).map_err(|e| format!("{config}: {e}"))?;
        let base = source.parent().unwrap_or(Path::new("/"));
        let copy = dir.join(config.replace('/', "-"));
        std::fs::write(&copy, absolute_paths(&text, base))
            .map_err(|e| format!("{}: {e}", copy.display()))?;
        written.push(copy);
    }
    let dev_vars: String = vars
        .iter()
        .map(|(name, value)| format!("{name}={value:?}\n"))
        .collect();
    std::fs::write(dir.join(".dev.vars"), dev_vars).map_err(|e| format!(".dev.vars: {e}"))?;
    Ok(written)
}

/// A configuration's `main` and assets `directory`, which are relative to its own folder, made
/// absolute for a copy elsewhere.
fn absolute_paths(config: &str, base: &Path) -> String {
    config
        .lines()
        .map(|line| {
            for key in ["main = \"", "directory = \""] {
                if let Some(relative) = line.strip_prefix(key) {
                    let relative = relative.trim_start_matches("./");
                    return format!("{key}{}/{relative}", base.display());
                }
            }
            line.to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub struct Wrangler {
    child: Child,
    pub base_url: String,
    /// When this `wrangler dev` was started (a cold start is timed from it).
    pub started: Instant,
}

/// Environment that keeps wrangler from reaching for the network or the user's config.
fn quiet_env(cmd: &mut Command) {
    cmd.env("WRANGLER_SEND_METRICS", "false")
        .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
        .env("WRANGLER_HIDE_BANNER", "true")
        .env("XDG_CONFIG_HOME", root().join(".wrangler/config"))
        .env("NO_COLOR", "1");
}

impl Wrangler {
    /// Starts Guestpass's Workers under `wrangler dev` on `port` with state under `state_dir` and
    /// `vars` instead of `.dev.vars` (when given), and waits until the health route answers.
    /// Output goes to `log` when given, else to the terminal; with a log to tell, a start whose
    /// port was taken first is made again on another port ([`Wrangler::spawn_ready`]).
    pub fn start(
        port: u16,
        state_dir: &Path,
        vars: &[(String, String)],
        log: Option<&Path>,
    ) -> Result<Wrangler, String> {
        let configs = configs(vars, &state_dir.with_extension("config"))?;
        let health = guestpass_wire::Endpoint::Health.path(&[]);
        Wrangler::spawn_ready(&configs, port, state_dir, log, |wrangler| {
            wrangler.wait_answering(&health, log, Duration::from_secs(90))
        })
    }

    /// Starts `wrangler dev` with `configs` (the first serves the port) and returns at once.
    pub fn spawn(
        configs: &[PathBuf],
        port: u16,
        state_dir: &Path,
        log: Option<&Path>,
    ) -> Result<Wrangler, String> {
        let mut cmd = Command::new(root().join("node_modules/.bin/wrangler"));
        cmd.arg("dev");
        for config in configs {
            cmd.arg("-c").arg(config);
        }
        cmd.args([
            "--ip",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            // With two Workers wrangler opens an inspector; several `wrangler dev` at once (the
            // tests run three) each need their own port for it.
            "--inspector-port",
            &crate::util::free_port().to_string(),
            "--show-interactive-dev-session=false",
        ])
        .arg("--persist-to")
        .arg(state_dir)
        .current_dir(root())
        .stdin(Stdio::null());
        quiet_env(&mut cmd);
        if let Some(log) = log {
            let file = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
            cmd.stdout(file.try_clone().map_err(|e| e.to_string())?)
                .stderr(file);
        }
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let started = Instant::now();
        let child = cmd
            .spawn()
            .map_err(|e| format!("cannot start wrangler: {e}"))?;
        Ok(Wrangler {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            started,
        })
    }

    /// [`Wrangler::spawn`] on `port`, then `ready`. A port can be taken between
    /// [`crate::util::free_port`] finding it free and workerd binding it (several `wrangler dev`
    /// start at once in the tests and the benches): when `log` says so, `ready` fails at once and
    /// `wrangler dev` is started again on another port, three starts at most.
    pub fn spawn_ready(
        configs: &[PathBuf],
        port: u16,
        state_dir: &Path,
        log: Option<&Path>,
        ready: impl Fn(&Wrangler) -> Result<(), String>,
    ) -> Result<Wrangler, String> {
        let mut port = port;
        let mut tries = 3;
        loop {
            let wrangler = Wrangler::spawn(configs, port, state_dir, log)?;
            match ready(&wrangler) {
                Ok(()) => return Ok(wrangler),
                Err(why) if why.starts_with(PORT_TAKEN) && tries > 1 => {
                    tries -= 1;
                    port = crate::util::free_port();
                }
                Err(why) => return Err(why),
            }
        }
    }

    /// Waits until `path` answers 200; fails at once when `log` says a port was taken.
    pub fn wait_answering(
        &self,
        path: &str,
        log: Option<&Path>,
        limit: Duration,
    ) -> Result<(), String> {
        let started = Instant::now();
        let url = format!("{}{path}", self.base_url);
        while started.elapsed() < limit {
            if let Some(log) = log.filter(|log| port_taken(log)) {
                return Err(format!("{PORT_TAKEN} (see {})", log.display()));
            }
            // Each try is short: whatever took the port may accept and never answer.
            let asked = ureq::get(&url)
                .config()
                .timeout_global(Some(Duration::from_secs(5)))
                .build()
                .call();
            if let Ok(resp) = asked {
                if resp.status() == 200 {
                    return Ok(());
                }
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        Err(format!(
            "wrangler dev did not answer {url} within {}s",
            limit.as_secs()
        ))
    }

    /// Waits until wrangler's output (`log`) says it is ready, without sending a request: the
    /// Workers' isolates have answered nothing yet. Fails at once when a port was taken between
    /// [`crate::util::free_port`] finding it free and workerd binding it.
    pub fn wait_ready_line(&self, log: &Path, limit: Duration) -> Result<(), String> {
        let started = Instant::now();
        while started.elapsed() < limit {
            let text = std::fs::read_to_string(log).unwrap_or_default();
            if text.contains("Ready on http") {
                return Ok(());
            }
            if text.contains(PORT_TAKEN) {
                return Err(format!("{PORT_TAKEN} (see {})", log.display()));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Err(format!(
            "wrangler dev was not ready within {}s (see {})",
            limit.as_secs(),
            log.display()
        ))
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn wait(&mut self) {
        let _ = self.child.wait();
    }
}

/// Signals wrangler's whole process group. The `--` matters: procps' `kill` otherwise reads a
/// negative group id as an option and signals nothing.
pub fn signal_group(signal: &str, pid: u32) {
    let _ = Command::new("kill")
        .args([signal, "--", &format!("-{pid}")])
        .status();
}

/// Ctrl-C's signal, which wrangler handles by stopping workerd; KILL is the fallback.
pub fn stop_group(pid: u32) {
    signal_group("-INT", pid);
}

/// What wrangler logs when another process took its port first.
pub const PORT_TAKEN: &str = "Address already in use";

fn port_taken(log: &Path) -> bool {
    std::fs::read_to_string(log).is_ok_and(|text| text.contains(PORT_TAKEN))
}

impl Drop for Wrangler {
    fn drop(&mut self) {
        stop_group(self.child.id());
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        signal_group("-KILL", self.child.id());
        let _ = self.child.wait();
    }
}

/// The upload size `wrangler deploy --dry-run` reports for one of [`CONFIGS`]: (raw KiB, gzip KiB).
pub fn dry_run_size(config: &str) -> Result<(f64, f64), String> {
    let out_dir = root()
        .join("target/deploy-dry-run")
        .join(config.replace('/', "-"));
    let mut cmd = Command::new(root().join("node_modules/.bin/wrangler"));
    cmd.args(["deploy", "--dry-run", "-c", config, "--outdir"])
        .arg(&out_dir)
        .current_dir(root());
    quiet_env(&mut cmd);
    let out = cmd
        .output()
        .map_err(|e| format!("wrangler deploy --dry-run: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if !out.status.success() {
        return Err(format!("wrangler deploy --dry-run failed:\n{text}"));
    }
    parse_upload_size(&text).ok_or_else(|| format!("no 'Total Upload' line in:\n{text}"))
}

/// Parses `Total Upload: 512.34 KiB / gzip: 180.12 KiB`.
pub fn parse_upload_size(text: &str) -> Option<(f64, f64)> {
    let line = text.lines().find(|l| l.contains("Total Upload:"))?;
    let numbers: Vec<f64> = line
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter(|s| !s.is_empty() && s.contains(|c: char| c.is_ascii_digit()))
        .filter_map(|s| s.parse().ok())
        .collect();
    match numbers.as_slice() {
        [raw, gzip, ..] => Some((*raw, *gzip)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::parse_upload_size;

    #[test]
    fn a_copied_configuration_points_at_the_original_files() {
        let config =
            "name = \"x\"\nmain = \"edge/worker/build/index.js\"\n[assets]\ndirectory = \"./dist\"";
        assert_eq!(
            super::absolute_paths(config, std::path::Path::new("/repo")),
            "name = \"x\"\nmain = \"/repo/edge/worker/build/index.js\"\n[assets]\ndirectory = \"/repo/dist\""
        );
    }

    #[test]
    fn reads_the_upload_line() {
        let text = "Attaching...\nTotal Upload: 512.34 KiB / gzip: 180.12 KiB\nYour worker...";
        assert_eq!(parse_upload_size(text), Some((512.34, 180.12)));
        assert_eq!(parse_upload_size("nothing"), None);
    }
}
