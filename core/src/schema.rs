//! JSON Schemas of the two user-written file kinds: `errcode.toml` and catalog files.

use crate::catalog::CatalogFile;
use crate::config::ConfigFile;

/// The pretty-printed JSON Schema of the config file (`config == true`) or of catalog files.
pub fn json(config: bool) -> String {
    let schema = if config { schemars::schema_for!(ConfigFile) } else { schemars::schema_for!(CatalogFile) };
    serde_json::to_string_pretty(&schema).expect("a schema always serialises")
}
