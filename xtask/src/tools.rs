//! Installs what the project needs on a fresh machine, and skips what is already there.
//! Versions are pinned: the wasm-bindgen CLI must equal the library in Cargo.lock, and Trunk
//! 0.22 needs a newer Rust than these machines have (see ../shared/TOOLCHAIN.md).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{cargo_bin_dir, root, run, Step};

pub const TRUNK: &str = "0.21.14";
pub const WASM_BINDGEN: &str = "0.2.130";
pub const WORKER_BUILD: &str = "0.8.7";

fn version_of(program: &Path) -> Option<String> {
    let out = Command::new(program).arg("--version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn cargo_install(name: &str, version: &str, binary: &str, locked: bool) -> Result<(), String> {
    let path = cargo_bin_dir().join(binary);
    if version_of(&path).is_some_and(|v| v.contains(version)) {
        return Ok(());
    }
    let step = Step::start(&format!(
        "installing {name} {version} (first run only; several minutes)"
    ));
    let mut cmd = Command::new("cargo");
    cmd.args(["install", name, "--version", version]);
    // wasm-bindgen-cli's lockfile names a crate the registry no longer has: install it unlocked.
    if locked {
        cmd.arg("--locked");
    }
    // One shared target directory lets the tools reuse each other's compiled dependencies.
    cmd.env("CARGO_TARGET_DIR", tool_target_dir());
    run(&mut cmd)?;
    step.done();
    Ok(())
}

fn tool_target_dir() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir)
        .join(".cache/guestpass-tools-target")
}

/// Adds a rustup target or component unless it is installed.
fn ensure_rustup(kind: &str, name: &str) -> Result<(), String> {
    let out = Command::new("rustup")
        .args([kind, "list", "--installed"])
        .output()
        .map_err(|e| format!("rustup: {e}"))?;
    if String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|l| l.trim() == name)
    {
        return Ok(());
    }
    run(Command::new("rustup").args([kind, "add", name]))
}

pub fn ensure_wasm_target() -> Result<(), String> {
    ensure_rustup("target", "wasm32-unknown-unknown")
}

pub fn ensure_npm_packages() -> Result<(), String> {
    let root = root();
    let marker = root.join("node_modules/.package-lock.json");
    let lock = root.join("package-lock.json");
    let fresh = match (
        std::fs::metadata(&marker).and_then(|m| m.modified()),
        std::fs::metadata(&lock).and_then(|m| m.modified()),
    ) {
        (Ok(installed), Ok(locked)) => installed >= locked,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    let step = Step::start("installing npm packages from package-lock.json");
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&root))?;
    step.done();
    Ok(())
}

/// Everything the builds need: the wasm target, the pinned Rust tools, the npm packages.
pub fn ensure_build_tools() -> Result<(), String> {
    ensure_wasm_target()?;
    // The SPA bundles rebuild the standard library for size (`build::SIZE_BUILD`).
    ensure_rustup("component", "rust-src")?;
    ensure_npm_packages()?;
    cargo_install("wasm-bindgen-cli", WASM_BINDGEN, "wasm-bindgen", false)?;
    cargo_install("worker-build", WORKER_BUILD, "worker-build", true)?;
    cargo_install("trunk", TRUNK, "trunk", true)?;
    Ok(())
}
