//! The built-in catalogs, embedded in the binary at build time from `server/catalogs/`.

use rustc_hash::FxHashSet;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use super::{Catalog, Origin};

/// (file name, contents) of each built-in catalog.
const SOURCES: &[(&str, &str)] = &[
    ("cloudbase-http.toml", include_str!("../../catalogs/cloudbase-http.toml")),
    ("cloudbase-sdk.toml", include_str!("../../catalogs/cloudbase-sdk.toml")),
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
