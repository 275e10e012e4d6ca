//! Builds the SPA (Trunk) and the Worker (worker-build) with the pinned tools, offline.

use std::process::Command;

use crate::util::{cargo_bin_dir, root, run, tool_path, Step};

/// Trunk passes `--offline` to cargo (Trunk.toml), so the registry index must be fetched first,
/// with the crates the standard library's own build needs (see [`SIZE_BUILD`]).
fn fetch_crates() -> Result<(), String> {
    run(Command::new("cargo")
        .args(["fetch", "--quiet"])
        .current_dir(root()))?;
    run(Command::new("cargo")
        .args(["fetch", "--quiet", "--target", "wasm32-unknown-unknown"])
        .envs(SIZE_BUILD.iter().copied())
        .current_dir(root()))
}

/// How the SPA bundles are compiled: for bytes, since every visitor downloads them.
/// - `erase_components`: Leptos boxes each component's view (about a seventh off the console's
///   wasm, 8 KB off the sign-in app's).
/// - The standard library is rebuilt with the bundle (`build-std`, `optimize_for_size`), and a
///   panic aborts at once (`panic=immediate-abort`): no panic message, location or formatting
///   machinery is linked. Neither app panics on purpose; a bug would trap instead of logging.
/// - `fmt-debug=none`, `location-detail=none`: `{:?}` writes nothing. No SPA shows or sends a
///   `Debug` string (the copy and the wire types are `Display`/serde), so it removes dead weight.
///
/// These are unstable cargo and rustc options, enabled on the machines' stable toolchain by
/// `RUSTC_BOOTSTRAP=1`, as the Leptos book's size guide does on nightly; they need the
/// `rust-src` component ([`crate::tools::ensure_build_tools`] adds it). Together they took the
/// sign-in app from 149.0 to 132.5 KB gzip and the console from 294.5 to 272.9 (2026-11-23).
///
/// The Workers keep the default build: their panic messages and `Debug` text reach the logs.
pub const SIZE_BUILD: &[(&str, &str)] = &[
    ("RUSTC_BOOTSTRAP", "1"),
    ("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort"),
    ("CARGO_UNSTABLE_BUILD_STD_FEATURES", "optimize_for_size"),
    (
        "RUSTFLAGS",
        "--cfg erase_components -Zunstable-options -Cpanic=immediate-abort \
         -Zfmt-debug=none -Zlocation-detail=none",
    ),
];

/// The SPA bundles' own target directory (their flags differ from the native builds').
pub const SPA_TARGET_DIR: &str = "target/spa";

/// Where the console's bundle lives in `dist/`, and the path it is served from. An underscore
/// cannot start a tenant segment, so this path never hides a tenant's pages.
pub const CONSOLE_DIR: &str = "_console";
/// The account pages' bundle (security info), under the same rule.
pub const ACCOUNT_DIR: &str = "_account";

/// Builds the sign-in app into `dist/`, then the account pages into `dist/_account/` and the
/// console into `dist/_console/`: three bundles, so the guest's sign-in path never downloads the
/// others' bytes. (Trunk empties its dist directory first, so the app goes first.)
pub fn spa() -> Result<(), String> {
    fetch_crates()?;
    let step = Step::start("building the SPA (trunk build --release)");
    trunk(&[])?;
    finish(&root().join("dist"), "guestpass-app", "/")?;
    step.done();
    for (name, bin, html, dir) in [
        (
            "account pages",
            "guestpass-account",
            "app/account.html",
            ACCOUNT_DIR,
        ),
        (
            "console",
            "guestpass-console",
            "console/index.html",
            CONSOLE_DIR,
        ),
    ] {
        let step = Step::start(&format!(
            "building the {name} (trunk build --release {html})"
        ));
        let dist = format!("dist/{dir}");
        let public_url = format!("/{dir}/");
        trunk(&[html, "--dist", &dist, "--public-url", &public_url])?;
        if dir == CONSOLE_DIR {
            crate::split::split(bin, &root().join(&dist))?;
        }
        finish(&root().join(&dist), bin, &public_url)?;
        step.done();
    }
    Ok(())
}

/// What every bundle gets after Trunk's build: short binding names, and its loader in a file.
fn finish(dist: &std::path::Path, bin: &str, public_url: &str) -> Result<(), String> {
    crate::bindings::trim(dist, &crate::split::trunk_stem(bin, dist)?)?;
    externalize_loader(dist, public_url)
}

/// `trunk build --release` with the [`SIZE_BUILD`] options. The bundles share a target directory
/// of their own, apart from the native builds' (the flags would otherwise rebuild every crate
/// each time one or the other runs).
fn trunk(args: &[&str]) -> Result<(), String> {
    run(Command::new(cargo_bin_dir().join("trunk"))
        .args(["build", "--release", "--config", "Trunk.toml"])
        .args(args)
        .envs(SIZE_BUILD.iter().copied())
        .env("CARGO_TARGET_DIR", root().join(SPA_TARGET_DIR))
        .current_dir(root())
        .env("PATH", tool_path())
        .env("NO_COLOR", "true"))
}

/// Trunk writes the wasm loader as an inline `<script type="module">`, which our CSP (no
/// `unsafe-inline`) rightly blocks. Move it to its own content-addressed file, with SRI.
fn externalize_loader(dist: &std::path::Path, public_url: &str) -> Result<(), String> {
    let index_path = dist.join("index.html");
    let html = std::fs::read_to_string(&index_path)
        .map_err(|e| format!("reading {}: {e}", index_path.display()))?;
    let (before, rest) = html
        .split_once("<script type=\"module\">")
        .ok_or("dist/index.html has no inline module script")?;
    let (script, after) = rest
        .split_once("</script>")
        .ok_or("dist/index.html: unterminated script")?;
    if after.contains("<script>") || after.contains("<script type=\"module\">") {
        return Err("dist/index.html has more than one inline script".into());
    }
    let name = format!("start-{}.js", content_hash(script.as_bytes()));
    std::fs::write(dist.join(&name), script).map_err(|e| format!("writing {name}: {e}"))?;
    let integrity = sri_digest(script.as_bytes());
    let tag = format!(
        "<script type=\"module\" src=\"{public_url}{name}\" integrity=\"sha384-{integrity}\"></script>"
    );
    std::fs::write(&index_path, format!("{before}{tag}{after}"))
        .map_err(|e| format!("writing index.html: {e}"))
}

/// A file's content in its name, as Trunk names its files: the first 8 bytes of its SHA-256, in
/// hex.
pub fn content_hash(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The base64 SHA-384 of `bytes`, for an `integrity="sha384-…"` attribute.
pub fn sri_digest(bytes: &[u8]) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha384};
    base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes))
}

/// `html` with the `integrity` of the tag whose `href` ends with `/{file}` set to `bytes`' digest.
pub fn with_integrity(html: &str, file: &str, bytes: &[u8]) -> Result<String, String> {
    let at = html
        .find(&format!("/{file}\""))
        .ok_or_else(|| format!("index.html does not load {file}"))?;
    let tag_end = at + html[at..].find('>').ok_or("index.html: unterminated tag")?;
    let attribute = "integrity=\"sha384-";
    let value = at
        + html[at..tag_end]
            .find(attribute)
            .ok_or_else(|| format!("index.html loads {file} without integrity"))?
        + attribute.len();
    let value_end = value
        + html[value..]
            .find('"')
            .ok_or("index.html: unterminated attribute")?;
    Ok(format!(
        "{}{}{}",
        &html[..value],
        sri_digest(bytes),
        &html[value_end..]
    ))
}

/// The Workers' builds, (crate, output directory, cargo features): the sign-in Worker, the
/// administration and the account Workers (the same crate with feature `admin` or `account`)
/// and the guard's (`wrangler::CONFIGS` runs them together).
const WORKER_BUILDS: [(&str, &str, &str); 4] = [
    ("edge/worker", "build", ""),
    ("edge/worker", "build-admin", "admin"),
    ("edge/worker", "build-account", "account"),
    ("edge/guard", "build", ""),
];

pub fn worker() -> Result<(), String> {
    let step = Step::start(
        "building the Workers (worker-build --release: sign-in, administration, account, guard)",
    );
    let root = root();
    let node_bin = root.join("node_modules/.bin");
    for (crate_dir, out_dir, features) in WORKER_BUILDS {
        let mut cmd = Command::new(cargo_bin_dir().join("worker-build"));
        cmd.args(["--release", "--out-dir", out_dir]);
        if !features.is_empty() {
            cmd.args(["--", "--features", features]);
        }
        run(cmd
            .current_dir(root.join(crate_dir))
            .env("PATH", tool_path())
            // worker-build downloads these from GitHub unless told where they are.
            .env("WASM_BINDGEN_BIN", cargo_bin_dir().join("wasm-bindgen"))
            .env("WASM_OPT_BIN", node_bin.join("wasm-opt"))
            .env(
                "ESBUILD_BIN",
                root.join("node_modules/@esbuild/linux-x64/bin/esbuild"),
            ))?;
        strip_worker_names(&root.join(crate_dir).join(out_dir).join("index_bg.wasm"))?;
    }
    step.done();
    Ok(())
}

/// worker-build keeps the wasm's name section (function names, about 190 KB raw, 48 KB gzip)
/// for symbolized stacks; the Worker reports failures by message, and the upload is its cold
/// start, so the names go. The features are worker-build's own list, so nothing is re-encoded in
/// a form workerd does not read yet.
fn strip_worker_names(wasm: &std::path::Path) -> Result<(), String> {
    let mut cmd = Command::new(root().join("node_modules/.bin/wasm-opt"));
    cmd.arg(wasm)
        .args(["--strip-debug", "--strip-producers"])
        .args(
            [
                "mutable-globals",
                "sign-ext",
                "nontrapping-float-to-int",
                "bulk-memory",
                "multivalue",
                "reference-types",
                "exception-handling",
            ]
            .map(|feature| format!("--enable-{feature}")),
        )
        .arg("-o")
        .arg(wasm)
        .env("PATH", tool_path());
    run(&mut cmd)
}

pub fn all() -> Result<(), String> {
    crate::tools::ensure_build_tools()?;
    worker()?;
    spa()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_named_files_integrity_changes() {
        let html = "<link rel=\"modulepreload\" href=\"/_console/app-1.js\" integrity=\"sha384-OLD\">\
                    <link rel=\"preload\" href=\"/_console/app-1_bg.wasm\" integrity=\"sha384-KEEP\">";
        let updated = with_integrity(html, "app-1.js", b"new glue").unwrap();
        let digest = sri_digest(b"new glue");
        assert!(updated.contains(&format!("app-1.js\" integrity=\"sha384-{digest}\">")));
        assert!(updated.contains("app-1_bg.wasm\" integrity=\"sha384-KEEP\""));
        assert!(with_integrity(html, "missing.js", b"x").is_err());
        let without = "<link href=\"/_console/app-1.js\"><p integrity=\"sha384-X\">";
        assert!(with_integrity(without, "app-1.js", b"x").is_err());
    }
}
