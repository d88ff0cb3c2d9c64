//! Turns the built-in catalogs (`catalogs/*.toml`, the files people edit and review) into
//! compact JSON in `OUT_DIR`, which `catalog::builtin` embeds: the same data, parsed in a
//! fraction of the time (TOML parsing was about 2 ms of every `check` run). The TOML is only
//! translated here, value for value; the catalog is still validated when it is loaded, and
//! `catalog::builtin`'s tests check that the embedded JSON reads as the TOML does.

use std::path::Path;

/// The built-in catalogs, by file stem (the order of `catalog::builtin::NAMES`).
const CATALOGS: &[&str] = &["cloudbase-http", "cloudbase-sdk"];

fn main() {
    let out = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    for name in CATALOGS {
        let source = format!("catalogs/{name}.toml");
        println!("cargo::rerun-if-changed={source}");
        let text = std::fs::read_to_string(&source).unwrap_or_else(|e| panic!("cannot read {source}: {e}"));
        let value: toml::Value = toml::from_str(&text).unwrap_or_else(|e| panic!("{source} is not valid TOML: {e}"));
        let json = serde_json::to_string(&value).unwrap_or_else(|e| panic!("{source} cannot be written as JSON: {e}"));
        let target = Path::new(&out).join(format!("{name}.json"));
        std::fs::write(&target, json).unwrap_or_else(|e| panic!("cannot write {}: {e}", target.display()));
    }
}
