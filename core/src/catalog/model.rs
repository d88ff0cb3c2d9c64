//! The catalog data model: the schema of catalog files (built-in and team-provided).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The keys of `l10n` tables, as the JSON Schema states them (`l10n::is_language_tag` checks
/// the same when a catalog loads).
const LANGUAGE_TAG_PATTERN: &str = "^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$";

/// A catalog file: a named list of error codes.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CatalogFile {
    /// Catalog-wide facts.
    pub catalog: CatalogMeta,
    /// The codes of this catalog.
    #[serde(default)]
    pub codes: Vec<Entry>,
}

/// The header of a catalog file.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CatalogMeta {
    /// The catalog's name, used in `errcode.toml` to enable or disable it (e.g. `cloudbase-http`).
    pub name: String,
    /// What the catalog covers, in one sentence.
    #[serde(default)]
    pub description: String,
    /// Where the catalog's facts come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Categories in display order. Entries may use other categories too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// Translations of the catalog's description, keyed by language tag (e.g. `zh-CN`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(extend("propertyNames" = { "pattern": LANGUAGE_TAG_PATTERN }))]
    pub l10n: BTreeMap<String, LocalizedMeta>,
}

/// The catalog header's text in one language.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LocalizedMeta {
    /// What the catalog covers, in one sentence, in this language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Category names in this language, keyed by the name the entries use (e.g.
    /// `"General Errors" = "通用错误"`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub categories: BTreeMap<String, String>,
}

/// One error code.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The code exactly as it appears in responses and code, e.g. `EXCEED_RATELIMIT`.
    pub code: String,
    /// The category it belongs to, e.g. `General Errors`.
    pub category: String,
    /// One line: what the code means.
    pub summary: String,
    /// Markdown: likely causes and what to do.
    #[serde(default)]
    pub details: String,
    /// The numeric code, where the platform has one (e.g. -501001).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numeric: Option<i64>,
    /// `current` (default), `deprecated` (use `replaced_by`) or `legacy` (old, no direct successor).
    #[serde(default)]
    pub status: Status,
    /// For deprecated codes: the code to use instead. Fixes write it into source, so it must be
    /// code-shaped (upper-case letters and digits, words joined by single underscores).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$"))]
    pub replaced_by: Option<String>,
    /// Why the code is deprecated or legacy, or another caveat worth showing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// A link to the code's documentation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// Translations of `summary`, `details`, `note` and `docs`, keyed by language tag (e.g.
    /// `zh-CN`). The fields above are the English (base) text; a field a translation leaves out
    /// falls back to it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(extend("propertyNames" = { "pattern": LANGUAGE_TAG_PATTERN }))]
    pub l10n: BTreeMap<String, Localized>,
}

/// An entry's text in one language. Facts (code names, numbers, limits, links) stay as in the
/// base text; only the prose changes.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    /// One line: what the code means, in this language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Markdown: likely causes and what to do, in this language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    /// The entry's note in this language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// A link to documentation in this language, where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
}

/// The lifecycle status of a code.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// In use and documented.
    #[default]
    Current,
    /// Replaced by another code (`replaced_by`); uses are reported.
    Deprecated,
    /// Old, no longer documented, with no automatic replacement; known but not reported.
    Legacy,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Current => "current",
            Status::Deprecated => "deprecated",
            Status::Legacy => "legacy",
        }
    }
}
