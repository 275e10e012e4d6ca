//! Small helpers shared by the commands.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
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
    std::env::join_paths(parts)
        .expect("paths join")
        .to_string_lossy()
        .into_owned()
}

/// Runs a command to completion, inheriting the terminal.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start {:?}: {e}", cmd.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{:?} failed with {status}", cmd.get_program()))
    }
}

/// Runs `cargo test`-like command, echoing its output, and adds up its `test result:` lines.
pub fn run_tests(cmd: &mut Command, totals: &mut (u64, u64)) -> Result<(), String> {
    use std::io::{BufRead, BufReader};
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {:?}: {e}", cmd.get_program()))?;
    for line in BufReader::new(child.stdout.take().expect("piped"))
        .lines()
        .map_while(Result::ok)
    {
        println!("{line}");
        if let Some((passed, failed)) = parse_test_result(&line) {
            totals.0 += passed;
            totals.1 += failed;
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{:?} failed with {status}", cmd.get_program()))
    }
}

/// `test result: ok. 8 passed; 1 failed; …` → (8, 1).
pub fn parse_test_result(line: &str) -> Option<(u64, u64)> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let number_before = |word: &str| -> Option<u64> {
        let at = rest.find(word)?;
        rest[..at]
            .trim_end()
            .rsplit([' ', '.', ';'])
            .next()?
            .parse()
            .ok()
    };
    Some((number_before(" passed")?, number_before(" failed")?))
}

pub struct Step {
    started: Instant,
}

impl Step {
    pub fn start(what: &str) -> Step {
        eprintln!("==> {what}");
        Step {
            started: Instant::now(),
        }
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
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

#[cfg(test)]
mod tests {
    use super::parse_test_result;

    #[test]
    fn test_result_lines_are_counted() {
        assert_eq!(
            parse_test_result("test result: ok. 81 passed; 0 failed; 0 ignored"),
            Some((81, 0))
        );
        assert_eq!(
            parse_test_result("test result: FAILED. 9 passed; 1 failed; 0 ignored"),
            Some((9, 1))
        );
        assert_eq!(parse_test_result("running 3 tests"), None);
    }
}
