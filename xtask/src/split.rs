//! Splits the console's wasm at its `#[wasm_split(group)]` pages (what Leptos's `#[lazy]` is
//! made of), as `cargo leptos --split` does: the administrator downloads the shell and the
//! overview first, and a group of pages' code when one of them is about to be shown.
//!
//! Trunk builds the console as usual (HTML, CSS, loader, and a wasm it cannot split); then this
//! step takes the raw wasm cargo linked (`--emit-relocs`, so its code can be moved), splits it
//! with `wasm_split_cli_support`, runs wasm-bindgen on the main part under Trunk's file name (so
//! Trunk's `index.html` and loader stay right), and `wasm-opt -Oz` on every part. Split parts
//! are named by their content's hash, like Trunk's files, so a deployment never mixes parts of
//! two builds from a cache.

use std::path::Path;
use std::process::Command;

use crate::build::{content_hash, with_integrity, SPA_TARGET_DIR};
use crate::util::{cargo_bin_dir, root, run, tool_path};

/// What the wasm imports the split-off code's loaders from: a placeholder wasm-bindgen copies into
/// the glue's imports, renamed to its content-hashed name at the end.
const LINK_PLACEHOLDER: &str = "./__wasm_split.js";

/// How the split-off parts' file names start: they are fetched when a page needs them, so the
/// size budgets count them apart from the wasm that loads first.
pub const LAZY_PREFIX: &str = "lazy-";

/// Splits `dist/{dir}`'s `{bin}` bundle in place.
pub fn split(bin: &str, dir: &Path) -> Result<(), String> {
    let target = root().join(SPA_TARGET_DIR);
    let raw = target.join(format!("wasm32-unknown-unknown/release/{bin}.wasm"));
    let stem = trunk_stem(bin, dir)?;
    let work = target.join("split").join(bin);
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| format!("creating {}: {e}", work.display()))?;

    let input = std::fs::read(&raw).map_err(|e| format!("reading {}: {e}", raw.display()))?;
    let main_wasm = work.join("main.wasm");
    let main_module = format!("./{stem}.js");
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(&input);
        options.output_dir = &work;
        options.main_out_path = &main_wasm;
        options.main_module = &main_module;
        options.link_name = LINK_PLACEHOLDER;
        options
    })
    .map_err(|e| format!("splitting {bin}: {e:#}"))?;
    if split.split_modules.is_empty() {
        return Err(format!("{bin} has no #[wasm_split] function to split off"));
    }

    // The main part through wasm-bindgen, over Trunk's glue and wasm.
    run(Command::new(cargo_bin_dir().join("wasm-bindgen"))
        .args(["--target", "web", "--no-typescript", "--keep-lld-exports"])
        .arg("--out-name")
        .arg(&stem)
        .arg("--out-dir")
        .arg(dir)
        .arg(&main_wasm)
        .env("PATH", tool_path()))?;
    optimize(&dir.join(format!("{stem}_bg.wasm")))?;

    // The split-off parts: optimized, then named by their content.
    let mut loader = std::fs::read_to_string(work.join(LINK_PLACEHOLDER))
        .map_err(|e| format!("reading the split loader: {e}"))?;
    for part in &split.split_modules {
        optimize(part)?;
        let name = file_name(part)?;
        let bytes = std::fs::read(part).map_err(|e| format!("reading {name}: {e}"))?;
        let hashed = format!(
            "{LAZY_PREFIX}{}-{}.wasm",
            name.trim_end_matches(".wasm"),
            content_hash(&bytes)
        );
        std::fs::write(dir.join(&hashed), &bytes).map_err(|e| format!("writing {hashed}: {e}"))?;
        let quoted = format!("\"./{name}\"");
        if !loader.contains(&quoted) {
            return Err(format!("the split loader does not fetch {name}"));
        }
        loader = loader.replace(&quoted, &format!("\"./{hashed}\""));
    }
    let loader_name = format!("split-{}.js", content_hash(loader.as_bytes()));
    std::fs::write(dir.join(&loader_name), &loader)
        .map_err(|e| format!("writing {loader_name}: {e}"))?;

    // The glue imports the loaders from the placeholder: point it at the hashed loader.
    let glue_path = dir.join(format!("{stem}.js"));
    let glue = std::fs::read_to_string(&glue_path)
        .map_err(|e| format!("reading {}: {e}", glue_path.display()))?;
    let glue = import_loader_from(&glue, &loader_name)
        .ok_or_else(|| format!("{stem}.js does not import {LINK_PLACEHOLDER}"))?;
    std::fs::write(&glue_path, glue)
        .map_err(|e| format!("writing {}: {e}", glue_path.display()))?;

    // Trunk's `index.html` preloads the glue and the wasm with the integrity of what it built.
    let index = dir.join("index.html");
    let mut html =
        std::fs::read_to_string(&index).map_err(|e| format!("reading index.html: {e}"))?;
    for file in [format!("{stem}.js"), format!("{stem}_bg.wasm")] {
        let bytes = std::fs::read(dir.join(&file)).map_err(|e| format!("reading {file}: {e}"))?;
        html = with_integrity(&html, &file, &bytes)?;
    }
    std::fs::write(&index, html).map_err(|e| format!("writing index.html: {e}"))
}

/// The glue with its `import` statements of the placeholder pointed at `loader`. The wasm's
/// import names, the keys of the glue's import object, stay as they are. `None` when the glue
/// does not import the placeholder (the wasm was not split).
fn import_loader_from(glue: &str, loader: &str) -> Option<String> {
    let from_placeholder = format!(" from \"{LINK_PLACEHOLDER}\"");
    glue.contains(&from_placeholder)
        .then(|| glue.replace(&from_placeholder, &format!(" from \"./{loader}\"")))
}

/// Trunk's name for the bundle's glue and wasm: `{bin}-{hash}` (from `{bin}-{hash}.js`).
pub fn trunk_stem(bin: &str, dir: &Path) -> Result<String, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    let mut stems = entries
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter_map(|name| {
            let stem = name.strip_suffix(".js")?;
            stem.strip_prefix(&format!("{bin}-"))?;
            Some(stem.to_string())
        });
    match (stems.next(), stems.next()) {
        (Some(stem), None) => Ok(stem),
        _ => Err(format!("{} has no single {bin}-*.js", dir.display())),
    }
}

/// `wasm-opt -Oz` in place, with the features Trunk enables for the bundles.
pub fn optimize(wasm: &Path) -> Result<(), String> {
    run(Command::new(root().join("node_modules/.bin/wasm-opt"))
        .arg(wasm)
        .arg("-Oz")
        .args(
            [
                "bulk-memory",
                "nontrapping-float-to-int",
                "sign-ext",
                "mutable-globals",
                "reference-types",
                "multivalue",
            ]
            .map(|feature| format!("--enable-{feature}")),
        )
        .arg("-o")
        .arg(wasm)
        .env("PATH", tool_path()))
}

fn file_name(path: &Path) -> Result<String, String> {
    path.file_name()
        .and_then(|name| name.to_str())
        .map(str::to_string)
        .ok_or_else(|| format!("{} has no file name", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_glue_imports_the_hashed_loader_and_keeps_the_wasm_import_names() {
        let glue = "import * as import1 from \"./__wasm_split.js\"\n\
                    imports = { \"./__wasm_split.js\": import1 };";
        let pointed = import_loader_from(glue, "split-0123.js").unwrap();
        assert!(pointed.starts_with("import * as import1 from \"./split-0123.js\""));
        assert!(pointed.contains("{ \"./__wasm_split.js\": import1 }"));
        assert_eq!(
            import_loader_from("import x from \"./other.js\"", "split-0123.js"),
            None
        );
    }
}
