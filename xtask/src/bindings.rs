//! Trims what a bundle's wasm and its JavaScript bindings say to each other: short import names,
//! and no exports for classes no instance of which can reach JavaScript.
//!
//! **Short names.**
//! wasm-bindgen names each binding `__wbg_{function}_{16 hex digits}`, and the wasm and its glue
//! both carry every name: 7.6 KB of the sign-in app's wasm, and random hex compresses badly. Both
//! files are ours, so the names can be anything they agree on — `a`, `b`, … — as emscripten does
//! with binaryen's `--minify-imports-and-exports` (which renames only `env` imports, and all of a
//! module's or none: the snippets' imports must keep their JavaScript export names).
//!
//! Only the imports of the bindings module (`…_bg.js`) are renamed; the snippets' and the split
//! loader's are not. The wasm's other sections are copied byte for byte. The glue must hold each
//! old name exactly once, as its key in the import object, or the build stops.
//!
//! **Dead classes.** Leptos links server functions' streaming, so wasm-streams' three stream
//! adapters are `#[wasm_bindgen]` classes whose methods the wasm exports, and exports are roots
//! no optimizer may remove (1.5 KB gzip of the sign-in wasm). wasm-bindgen writes a `__wrap` for
//! a class whose instances the wasm hands to JavaScript, and a `constructor` for one JavaScript
//! can make; a class with neither has no instance anywhere, so the exports its methods call — and
//! nothing else in the glue calls — are dropped, and `wasm-opt -Oz` removes the code only they
//! reached. The glue keeps the classes, which nothing can instantiate.

use std::path::Path;

use wasm_encoder::Encode;
use wasmparser::{BinaryReader, TypeRef};

/// Renames `dir`'s `{stem}_bg.wasm` imports from its bindings, in the wasm and in `{stem}.js`,
/// drops the exports of classes without instances, and updates their integrity in `index.html`.
pub fn trim(dir: &Path, stem: &str) -> Result<(), String> {
    let wasm_file = format!("{stem}_bg.wasm");
    let glue_file = format!("{stem}.js");
    let read =
        |file: &str| std::fs::read(dir.join(file)).map_err(|e| format!("reading {file}: {e}"));
    let wasm = read(&wasm_file)?;
    let glue =
        String::from_utf8(read(&glue_file)?).map_err(|_| format!("{glue_file} is not UTF-8"))?;

    let dead = exports_only_dead_classes_call(&glue);
    let trimmed = rewrite(&wasm, is_bindings_module, |export| {
        dead.iter().any(|name| name == export)
    })
    .map_err(|e| format!("{wasm_file}: {e}"))?;
    let glue = renamed_in_glue(&glue, &trimmed.renames).map_err(|e| format!("{glue_file}: {e}"))?;
    let mut wasm = trimmed.wasm;
    if trimmed.dropped_exports > 0 {
        let path = dir.join(&wasm_file);
        std::fs::write(&path, &wasm).map_err(|e| format!("writing {wasm_file}: {e}"))?;
        crate::split::optimize(&path)?;
        wasm = read(&wasm_file)?;
    }

    let index = dir.join("index.html");
    let mut html =
        std::fs::read_to_string(&index).map_err(|e| format!("reading index.html: {e}"))?;
    for (file, bytes) in [(&wasm_file, &wasm[..]), (&glue_file, glue.as_bytes())] {
        std::fs::write(dir.join(file), bytes).map_err(|e| format!("writing {file}: {e}"))?;
        html = crate::build::with_integrity(&html, file, bytes)?;
    }
    std::fs::write(&index, html).map_err(|e| format!("writing index.html: {e}"))
}

/// Each renamed import's (old name, new name).
type Renames = Vec<(String, String)>;

/// wasm-bindgen's module for the generated bindings (`./{out-name}_bg.js`).
fn is_bindings_module(module: &str) -> bool {
    module.ends_with("_bg.js")
}

/// The `n`th short name: `a`…`z`, `A`…`Z`, then two letters and more. Valid JavaScript property
/// names, never `__proto__`.
fn short_name(mut n: usize) -> String {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = Vec::new();
    loop {
        name.push(LETTERS[n % LETTERS.len()]);
        n /= LETTERS.len();
        if n == 0 {
            break;
        }
        n -= 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// The exports that only the methods of classes without instances call: classes that neither
/// the wasm hands to JavaScript (`{Class}.__wrap`) nor JavaScript can make (a `constructor`). A
/// class's destructor export (`__wbg_{class}_free`) is also called by its finalization registry,
/// which only ever holds the class's instances.
fn exports_only_dead_classes_call(glue: &str) -> Vec<String> {
    let mut dead: Vec<String> = Vec::new();
    for rest in glue.split("export class ").skip(1) {
        let Some((class, body)) = rest.split_once(" {") else {
            continue;
        };
        let body = body.split("\n}\n").next().unwrap_or(body);
        if glue.contains(&format!("{class}.__wrap(")) || body.contains("constructor(") {
            continue;
        }
        let outside = glue.replacen(body, "", 1);
        let destructor = format!("__wbg_{}_free", class.to_lowercase());
        for called in body.split("wasm.").skip(1).filter_map(called_name) {
            let only_here = called == destructor || !outside.contains(&format!("wasm.{called}("));
            if only_here && !dead.iter().any(|name| name == called) {
                dead.push(called.to_string());
            }
        }
    }
    dead
}

/// The export a glue call starts with: `name(` after `wasm.`.
fn called_name(call: &str) -> Option<&str> {
    let (name, _) = call.split_once('(')?;
    name.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        .then_some(name)
}

/// A rewritten wasm: its renamed imports (old, new) and how many exports it no longer has.
struct Rewritten {
    wasm: Vec<u8>,
    renames: Renames,
    dropped_exports: usize,
}

/// `wasm` with the imports of each module `rename` picks renamed to short names and the exports
/// `drop` picks removed. Every other byte of every other section is kept.
fn rewrite(
    wasm: &[u8],
    rename: impl Fn(&str) -> bool,
    drop: impl Fn(&str) -> bool,
) -> Result<Rewritten, String> {
    const HEADER: usize = 8;
    if wasm.len() < HEADER || &wasm[..4] != b"\0asm" {
        return Err("not a wasm module".into());
    }
    let mut out = wasm[..HEADER].to_vec();
    let mut renames = Vec::new();
    let mut dropped_exports = 0;
    let mut sections = BinaryReader::new(&wasm[HEADER..], HEADER as u64);
    while !sections.eof() {
        let id = sections.read_u8().map_err(parse_error)?;
        let size = sections.read_var_u32().map_err(parse_error)?;
        let start = sections.original_position();
        let body = sections.read_bytes(size as usize).map_err(parse_error)?;
        const IMPORT_SECTION: u8 = 2;
        const EXPORT_SECTION: u8 = 7;
        let body = match id {
            IMPORT_SECTION => import_section(body, start, &rename, &mut renames)?,
            EXPORT_SECTION => export_section(body, start, &drop, &mut dropped_exports)?,
            _ => body.to_vec(),
        };
        out.push(id);
        body.len().encode(&mut out);
        out.extend_from_slice(&body);
    }
    Ok(Rewritten {
        wasm: out,
        renames,
        dropped_exports,
    })
}

fn import_section(
    body: &[u8],
    offset: u64,
    rename: &impl Fn(&str) -> bool,
    renames: &mut Renames,
) -> Result<Vec<u8>, String> {
    let mut reader = BinaryReader::new(body, offset);
    let count = reader.read_var_u32().map_err(parse_error)?;
    let mut out = Vec::with_capacity(body.len());
    count.encode(&mut out);
    for _ in 0..count {
        let module = reader.read_string().map_err(parse_error)?;
        let name = reader.read_string().map_err(parse_error)?;
        let described = (reader.original_position() - offset) as usize;
        reader.read::<TypeRef>().map_err(parse_error)?;
        let description = &body[described..(reader.original_position() - offset) as usize];
        let name = if rename(module) {
            let short = short_name(renames.len());
            renames.push((name.to_string(), short.clone()));
            short
        } else {
            name.to_string()
        };
        module.encode(&mut out);
        name.encode(&mut out);
        out.extend_from_slice(description);
    }
    if !reader.eof() {
        return Err("bytes after the last import".into());
    }
    Ok(out)
}

fn export_section(
    body: &[u8],
    offset: u64,
    drop: &impl Fn(&str) -> bool,
    dropped: &mut usize,
) -> Result<Vec<u8>, String> {
    let mut reader = BinaryReader::new(body, offset);
    let count = reader.read_var_u32().map_err(parse_error)?;
    let mut kept = Vec::with_capacity(body.len());
    let mut left: u32 = 0;
    for _ in 0..count {
        let name = reader.read_string().map_err(parse_error)?;
        let kind = reader.read_u8().map_err(parse_error)?;
        let index = reader.read_var_u32().map_err(parse_error)?;
        if drop(name) {
            *dropped += 1;
            continue;
        }
        name.encode(&mut kept);
        kept.push(kind);
        index.encode(&mut kept);
        left += 1;
    }
    if !reader.eof() {
        return Err("bytes after the last export".into());
    }
    let mut out = Vec::with_capacity(kept.len() + 5);
    left.encode(&mut out);
    out.extend_from_slice(&kept);
    Ok(out)
}

/// The glue with each renamed import's key in its import object renamed.
fn renamed_in_glue(glue: &str, renames: &[(String, String)]) -> Result<String, String> {
    let mut glue = glue.to_string();
    for (old, new) in renames {
        let key = format!("{old}: ");
        if glue.matches(old.as_str()).count() != 1 || !glue.contains(&key) {
            return Err(format!("{old} is not named exactly once, as an import key"));
        }
        glue = glue.replacen(&key, &format!("{new}: "), 1);
    }
    Ok(glue)
}

fn parse_error(e: wasmparser::BinaryReaderError) -> String {
    e.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module importing two bindings, one snippet function and a memory, with a type section
    /// before, an export section exporting the first import three times, and a custom section
    /// after, in the binary format.
    fn module() -> Vec<u8> {
        let mut imports = Vec::new();
        4u32.encode(&mut imports);
        for (module, name, description) in [
            (
                "./app_bg.js",
                "__wbg_get_0123456789abcdef",
                &[0x00, 0x00][..],
            ),
            ("./snippets/app/webauthn.js", "get", &[0x00, 0x00]),
            (
                "./app_bg.js",
                "__wbindgen_init_externref_table",
                &[0x00, 0x01],
            ),
            ("./app_bg.js", "memory", &[0x02, 0x00, 0x01]),
        ] {
            module.encode(&mut imports);
            name.encode(&mut imports);
            imports.extend_from_slice(description);
        }
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        // Types: () -> () and (i32) -> ().
        wasm.extend_from_slice(&[0x01, 0x08, 0x02, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7f, 0x00]);
        wasm.push(0x02);
        imports.len().encode(&mut wasm);
        wasm.extend_from_slice(&imports);
        let mut exports = Vec::new();
        3u32.encode(&mut exports);
        for name in [
            "main",
            "intounderlyingsource_pull",
            "__wbg_intounderlyingsource_free",
        ] {
            name.encode(&mut exports);
            exports.extend_from_slice(&[0x00, 0x00]);
        }
        wasm.push(0x07);
        exports.len().encode(&mut wasm);
        wasm.extend_from_slice(&exports);
        wasm.extend_from_slice(&[0x00, 0x04, 0x03, b'a', b'b', b'c']);
        wasm
    }

    fn exports(wasm: &[u8]) -> Vec<String> {
        let mut found = Vec::new();
        for payload in wasmparser::Parser::new(0).parse_all(wasm) {
            if let wasmparser::Payload::ExportSection(section) = payload.unwrap() {
                for export in section {
                    found.push(export.unwrap().name.to_string());
                }
            }
        }
        found
    }

    fn keep(_: &str) -> bool {
        false
    }

    fn imports(wasm: &[u8]) -> Vec<(String, String)> {
        let mut validator = wasmparser::Validator::new();
        validator.validate_all(wasm).expect("a valid module");
        let mut found = Vec::new();
        for payload in wasmparser::Parser::new(0).parse_all(wasm) {
            if let wasmparser::Payload::ImportSection(section) = payload.unwrap() {
                for import in section.into_imports() {
                    let import = import.unwrap();
                    found.push((import.module.to_string(), import.name.to_string()));
                }
            }
        }
        found
    }

    #[test]
    fn only_the_bindings_imports_get_short_names_and_the_rest_is_kept() {
        let original = module();
        let Rewritten {
            wasm: renamed,
            renames,
            dropped_exports,
        } = rewrite(&original, is_bindings_module, keep).unwrap();
        assert_eq!(dropped_exports, 0);
        assert_eq!(exports(&renamed), exports(&original));
        assert_eq!(
            imports(&renamed),
            [
                ("./app_bg.js", "a"),
                ("./snippets/app/webauthn.js", "get"),
                ("./app_bg.js", "b"),
                ("./app_bg.js", "c"),
            ]
            .map(|(m, n)| (m.to_string(), n.to_string()))
        );
        assert_eq!(
            renames[0],
            ("__wbg_get_0123456789abcdef".into(), "a".into())
        );
        assert!(renamed.len() < original.len());
        // The sections around the imports are unchanged.
        assert_eq!(renamed[..18], original[..18]);
        assert!(renamed.ends_with(&[0x00, 0x04, 0x03, b'a', b'b', b'c']));
        assert!(rewrite(b"\0asm\x01\0\0\0\x02\x05\x01", is_bindings_module, keep).is_err());
    }

    #[test]
    fn only_what_a_class_without_instances_alone_calls_is_dropped() {
        let glue = "export class IntoUnderlyingSource {\n\
                    \x20   free() { wasm.__wbg_intounderlyingsource_free(ptr, 0); }\n\
                    \x20   pull(c) { return wasm.intounderlyingsource_pull(this.__wbg_ptr, c); }\n\
                    \x20   size() { return wasm.shared_helper(this.__wbg_ptr); }\n\
                    }\n\
                    const IntoUnderlyingSourceFinalization = new FinalizationRegistry(\
                    ptr => wasm.__wbg_intounderlyingsource_free(ptr, 1));\n\
                    export function helper() { return wasm.shared_helper(0); }\n\
                    export function pullHelper() { return wasm.intounderlyingsource_pull_now(); }\n\
                    export class Made {\n    constructor() { wasm.made_new(); }\n}\n\
                    export class Handed {\n    get() { return wasm.handed_get(this.__wbg_ptr); }\n}\n\
                    function f(ptr) { return Handed.__wrap(ptr); }";
        let dead = exports_only_dead_classes_call(glue);
        // A free function the glue calls elsewhere stays, whatever its name.
        assert_eq!(
            dead,
            [
                "__wbg_intounderlyingsource_free",
                "intounderlyingsource_pull"
            ]
        );
        let trimmed = rewrite(&module(), is_bindings_module, |e| {
            dead.iter().any(|name| name == e)
        })
        .unwrap();
        assert_eq!(trimmed.dropped_exports, 2);
        assert_eq!(exports(&trimmed.wasm), ["main"]);
        imports(&trimmed.wasm); // still valid
    }

    #[test]
    fn the_glue_keys_follow_and_a_name_used_elsewhere_stops_the_build() {
        let renames = [("__wbg_get_0123".to_string(), "a".to_string())];
        let glue =
            "const import0 = {\n    __proto__: null,\n    __wbg_get_0123: function(arg0) {},\n};";
        assert_eq!(
            renamed_in_glue(glue, &renames).unwrap(),
            "const import0 = {\n    __proto__: null,\n    a: function(arg0) {},\n};"
        );
        let twice = format!("{glue}\nwasm.__wbg_get_0123();");
        assert!(renamed_in_glue(&twice, &renames).is_err());
        assert!(renamed_in_glue("const import0 = {};", &renames).is_err());
    }

    #[test]
    fn sizes_past_one_byte_are_written_as_wasm_reads_them() {
        // 100 imports and 100 exports: sections of several hundred bytes, whose sizes take
        // more than one LEB128 byte.
        let mut import_section = Vec::new();
        100u32.encode(&mut import_section);
        let mut export_section = Vec::new();
        100u32.encode(&mut export_section);
        for n in 0..100u32 {
            "./app_bg.js".encode(&mut import_section);
            format!("__wbg_f{n}_0123456789abcdef").encode(&mut import_section);
            import_section.extend_from_slice(&[0x00, 0x00]);
            format!("e{n}").encode(&mut export_section);
            export_section.push(0x00);
            n.encode(&mut export_section);
        }
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        wasm.extend_from_slice(&[0x01, 0x04, 0x01, 0x60, 0x00, 0x00]);
        for (id, body) in [(0x02u8, &import_section), (0x07, &export_section)] {
            wasm.push(id);
            body.len().encode(&mut wasm);
            wasm.extend_from_slice(body);
        }
        let trimmed = rewrite(&wasm, is_bindings_module, |e| e == "e7").unwrap();
        assert_eq!(trimmed.dropped_exports, 1);
        assert_eq!(imports(&trimmed.wasm).len(), 100);
        assert_eq!(exports(&trimmed.wasm).len(), 99);
    }

    #[test]
    fn short_names_are_distinct_letters() {
        let names: Vec<String> = (0..3000).map(short_name).collect();
        assert_eq!(names[..3], ["a", "b", "c"]);
        assert_eq!(names[51], "Z");
        assert_eq!(names[52], "aa");
        let distinct: std::collections::HashSet<&String> = names.iter().collect();
        assert_eq!(distinct.len(), names.len());
        assert!(names
            .iter()
            .all(|n| n.bytes().all(|b| b.is_ascii_alphabetic())));
    }
}
