//! Small helpers shared by the commands.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

pub fn cargo_bin_dir() -> PathBuf {
    match std::env::var_os("CARGO_HOME") {
        Some(home) => PathBuf::from(home).join("bin"),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo/bin"),
    }
}

/// PATH with the pinned tools first: ~/.cargo/bin and node_modules/.bin (binaryen's wasm-opt
/// 132; Debian's wasm-opt 108 silently breaks the app and must never be found first).
pub fn tool_path() -> String {
    let mut parts = vec![cargo_bin_dir(), root().join("node_modules/.bin")];
    if let Some(path) = std::env::var_os("PATH") {
        parts.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(parts).expect("paths join").to_string_lossy().into_owned()
}

/// Runs a command to completion, inheriting the terminal.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("cannot start {:?}: {e}", cmd.get_program()))?;
    if status.success() { Ok(()) } else { Err(format!("{:?} failed with {status}", cmd.get_program())) }
}

pub struct Step {
    started: Instant,
}

impl Step {
    pub fn start(what: &str) -> Step {
        eprintln!("==> {what}");
        Step { started: Instant::now() }
    }

    pub fn done(self) {
        eprintln!("    done in {:.1}s", self.started.elapsed().as_secs_f64());
    }
}

pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("OS randomness");
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn random_key_b64() -> String {
    use base64::Engine;
    let mut buf = [0u8; 32];
    getrandom::fill(&mut buf).expect("OS randomness");
    base64::engine::general_purpose::STANDARD.encode(buf)
}

/// A free loopback port (bound, then released for the child to take).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}
