//! The console's wasm is linked with its relocations (`--emit-relocs`), which xtask's split step
//! needs to move each `#[lazy]` page's code into a chunk of its own. Only this crate's wasm gets
//! them: in the other bundles they would be dead weight.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bins=--emit-relocs");
    }
}
