//! Builds the SPA (Trunk) and the Worker (worker-build) with the pinned tools, offline.

use std::process::Command;

use crate::util::{cargo_bin_dir, root, run, tool_path, Step};

/// Trunk passes `--offline` to cargo (Trunk.toml), so the registry index must be fetched first.
fn fetch_crates() -> Result<(), String> {
    run(Command::new("cargo")
        .args(["fetch", "--quiet"])
        .current_dir(root()))
}

pub fn spa() -> Result<(), String> {
    fetch_crates()?;
    let step = Step::start("building the SPA (trunk build --release)");
    run(Command::new(cargo_bin_dir().join("trunk"))
        .args(["build", "--release", "--config", "Trunk.toml"])
        .current_dir(root())
        .env("PATH", tool_path())
        .env("NO_COLOR", "true"))?;
    step.done();
    Ok(())
}

pub fn worker() -> Result<(), String> {
    let step = Step::start("building the Worker (worker-build --release)");
    let root = root();
    let node_bin = root.join("node_modules/.bin");
    run(Command::new(cargo_bin_dir().join("worker-build"))
        .arg("--release")
        .current_dir(root.join("edge/worker"))
        .env("PATH", tool_path())
        // worker-build downloads these from GitHub unless told where they are.
        .env("WASM_BINDGEN_BIN", cargo_bin_dir().join("wasm-bindgen"))
        .env("WASM_OPT_BIN", node_bin.join("wasm-opt"))
        .env(
            "ESBUILD_BIN",
            root.join("node_modules/@esbuild/linux-x64/bin/esbuild"),
        ))?;
    step.done();
    Ok(())
}

pub fn all() -> Result<(), String> {
    crate::tools::ensure_build_tools()?;
    worker()?;
    spa()
}
