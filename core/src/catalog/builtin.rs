//! The built-in catalogs, embedded in the binary at build time: `core/catalogs/*.toml` are the
//! source, and `build.rs` turns them into compact JSON, which parses several times faster than
//! the TOML (every `check` run and every server start loads them).

use rustc_hash::FxHashSet;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use super::{Catalog, Origin};

/// (file name, contents) of each built-in catalog, as `build.rs` wrote them.
const SOURCES: &[(&str, &str)] = &[
    ("cloudbase-http.json", include_str!(concat!(env!("OUT_DIR"), "/cloudbase-http.json"))),
    ("cloudbase-sdk.json", include_str!(concat!(env!("OUT_DIR"), "/cloudbase-sdk.json"))),
];

/// The names of the built-in catalogs, in order.
pub const NAMES: &[&str] = &["cloudbase-http", "cloudbase-sdk"];

/// Every built-in catalog, parsed once.
pub fn all() -> &'static [Arc<Catalog>] {
    static ALL: OnceLock<Vec<Arc<Catalog>>> = OnceLock::new();
    ALL.get_or_init(|| {
        SOURCES
            .iter()
            .map(|(file, text)| {
                let catalog = Catalog::from_text(Path::new(file), text, Origin::Builtin)
                    .unwrap_or_else(|e| panic!("built-in catalog is invalid (a build bug): {e}"));
                Arc::new(catalog)
            })
            .collect()
    })
}

/// The built-in catalog called `name`.
pub fn get(name: &str) -> Option<Arc<Catalog>> {
    all().iter().find(|c| c.name() == name).cloned()
}

/// Whether `code` is listed in any built-in catalog, active or not.
pub fn is_known(code: &str) -> bool {
    static KNOWN: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    KNOWN.get_or_init(|| all().iter().flat_map(|c| c.entries.iter().map(|e| e.code.as_str())).collect()).contains(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The TOML files people edit, read the way a team catalog is read.
    const TOML: &[(&str, &str)] = &[
        ("cloudbase-http.toml", include_str!("../../catalogs/cloudbase-http.toml")),
        ("cloudbase-sdk.toml", include_str!("../../catalogs/cloudbase-sdk.toml")),
    ];

    #[test]
    fn the_embedded_json_reads_as_the_toml_source() {
        assert_eq!(all().len(), NAMES.len());
        assert_eq!(TOML.len(), NAMES.len());
        for ((file, text), name) in TOML.iter().zip(NAMES) {
            let from_toml = Catalog::from_text(Path::new(file), text, Origin::Builtin).unwrap();
            let embedded = get(name).unwrap_or_else(|| panic!("no built-in catalog {name}"));
            assert_eq!(from_toml.name(), *name, "{file}");
            assert_eq!(embedded.meta, from_toml.meta, "{file}: catalog table");
            assert_eq!(embedded.entries.len(), from_toml.entries.len(), "{file}: number of codes");
            for (a, b) in embedded.entries.iter().zip(&from_toml.entries) {
                assert_eq!(a, b, "{file}: code {}", b.code);
            }
        }
    }
}
