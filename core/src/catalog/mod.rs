//! Catalogs of error codes: the data model, the built-in catalogs embedded at build time, and
//! loading team catalogs from TOML, JSON or YAML files.

pub mod builtin;
pub mod l10n;
mod model;
pub mod parse;

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use l10n::LocalizedView;
pub use model::{CatalogFile, CatalogMeta, Entry, Localized, LocalizedMeta, Status};

use crate::analysis::tokens::is_code_shaped;
use crate::error::FileError;

/// Where a catalog came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Embedded in the binary.
    Builtin,
    /// A team catalog file.
    File(PathBuf),
}

/// A loaded, validated catalog.
#[derive(Debug)]
pub struct Catalog {
    pub meta: CatalogMeta,
    pub entries: Vec<Entry>,
    pub origin: Origin,
    /// 1-based line of each entry's `code` in its file (same order as `entries`), for
    /// go-to-definition; empty for built-in catalogs.
    pub lines: Vec<usize>,
}

impl Catalog {
    pub fn name(&self) -> &str {
        &self.meta.name
    }

    /// Loads and validates a catalog from a file on disk. The format follows the extension:
    /// `.toml`, `.json`, `.yaml`/`.yml`.
    pub fn load(path: &Path) -> Result<Catalog, FileError> {
        let text = crate::files::read_text(path, "catalog", crate::files::MAX_CATALOG_SIZE, None)?;
        Catalog::from_text(path, &text, Origin::File(path.to_path_buf()))
    }

    /// Parses and validates catalog text; `path` names it in errors and picks the format.
    pub fn from_text(path: &Path, text: &str, origin: Origin) -> Result<Catalog, FileError> {
        let file: CatalogFile = parse::parse_by_extension(path, text)?;
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut lines = Vec::with_capacity(file.codes.len());
        let mut locator = parse::Locator::new(text);
        for entry in &file.codes {
            let line = locator.next(&entry.code).unwrap_or(1);
            lines.push(line);
            let problem = if entry.code.trim().is_empty() {
                Some("a code must not be empty".to_string())
            } else if entry.code.chars().any(char::is_whitespace) {
                Some(format!("code `{}` contains whitespace", entry.code))
            } else if seen.contains_key(entry.code.as_str()) {
                Some(format!("code `{}` is listed twice in this catalog", entry.code))
            } else if entry.status == Status::Deprecated && entry.replaced_by.is_none() {
                Some(format!("code `{}` is deprecated but has no `replaced_by`", entry.code))
            } else if entry.replaced_by.as_deref() == Some(entry.code.as_str()) {
                Some(format!("code `{}` cannot replace itself", entry.code))
            } else {
                None
            };
            if let Some(message) = problem {
                return Err(FileError::at_line(path, line, 1, message));
            }
            // Fixes write the replacement into source: it must be a code, nothing else.
            if let Some(to) = entry.replaced_by.as_deref().filter(|to| !is_code_shaped(to)) {
                let line = locator.find_after("replaced_by").unwrap_or(line);
                let message = format!(
                    "code `{}`: `replaced_by` `{}` is not code-shaped (upper-case letters and digits, words joined \
                     by single underscores, like `NEW_CODE`); fixes write it into source",
                    entry.code,
                    to.escape_debug()
                );
                return Err(FileError::at_line(path, line, 1, message));
            }
            if let Some((key, message)) = l10n_problem(entry.l10n.keys()) {
                let line = locator.find_after(key).unwrap_or(line);
                return Err(FileError::at_line(path, line, 1, format!("code `{}`: {message}", entry.code)));
            }
            seen.insert(&entry.code, line);
        }
        if file.catalog.name.trim().is_empty() {
            return Err(FileError::new(path, "`catalog.name` must not be empty"));
        }
        if let Some((key, message)) = l10n_problem(file.catalog.l10n.keys()) {
            let line = parse::Locator::new(text).find_after(key).unwrap_or(1);
            return Err(FileError::at_line(path, line, 1, format!("`catalog`: {message}")));
        }
        // A translated category name must name a category of this catalog (a typo there would
        // silently leave the category untranslated).
        for (tag, localized) in &file.catalog.l10n {
            let used =
                |c: &str| file.catalog.categories.iter().any(|k| k == c) || file.codes.iter().any(|e| e.category == c);
            if let Some(unknown) = localized.categories.keys().find(|c| !used(c)) {
                let line = parse::Locator::new(text).find_after(unknown).unwrap_or(1);
                return Err(FileError::at_line(
                    path,
                    line,
                    1,
                    format!("`catalog.l10n.{tag}.categories` names `{unknown}`, which no code of this catalog uses"),
                ));
            }
        }
        Ok(Catalog { meta: file.catalog, entries: file.codes, origin, lines })
    }
}

/// The first bad key of an `l10n` table, with what is wrong with it: not a language tag, or the
/// same tag as an earlier key but for case.
fn l10n_problem<'a>(keys: impl Iterator<Item = &'a String>) -> Option<(&'a str, String)> {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for key in keys {
        if !l10n::is_language_tag(key) {
            let hint = if key.contains('_') { format!(" (write `{}`)", key.replace('_', "-")) } else { String::new() };
            let message = format!(
                "`l10n` key `{key}` is not a language tag{hint}: use letters, digits and `-`, e.g. `zh-CN` or `en`"
            );
            return Some((key, message));
        }
        if let Some(earlier) = seen.insert(key.to_ascii_lowercase(), key) {
            return Some((key, format!("`l10n` lists `{key}` twice (also as `{earlier}`)")));
        }
    }
    None
}

/// A reference to one entry of one catalog in a [`CatalogSet`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EntryId {
    pub catalog: u32,
    pub entry: u32,
}

/// The active catalogs of a workspace, indexed for lookup.
#[derive(Debug, Default)]
pub struct CatalogSet {
    catalogs: Vec<Arc<Catalog>>,
    by_code: FxHashMap<String, Vec<EntryId>>,
    /// The deprecated codes (those with no current entry), with the entry naming the replacement.
    deprecated: FxHashMap<String, EntryId>,
    /// Distinct code names, sorted, for matching and completion.
    codes: Vec<String>,
    /// For each of `codes` (same order): whether it is deprecated, and the status of its
    /// primary entry.
    statuses: Vec<(bool, Status)>,
}

impl CatalogSet {
    pub fn new(catalogs: Vec<Arc<Catalog>>) -> CatalogSet {
        let mut by_code: FxHashMap<String, Vec<EntryId>> = FxHashMap::default();
        for (ci, catalog) in catalogs.iter().enumerate() {
            for (ei, entry) in catalog.entries.iter().enumerate() {
                by_code.entry(entry.code.clone()).or_default().push(EntryId { catalog: ci as u32, entry: ei as u32 });
            }
        }
        let mut codes: Vec<String> = by_code.keys().cloned().collect();
        codes.sort();
        let mut set = CatalogSet { catalogs, by_code, deprecated: FxHashMap::default(), codes, statuses: Vec::new() };
        set.deprecated = set
            .codes
            .iter()
            .filter_map(|code| {
                let ids = set.ids(code);
                let id = *ids.iter().find(|id| {
                    let (_, e) = set.get(**id);
                    e.status == Status::Deprecated && e.replaced_by.is_some()
                })?;
                // A code that is current in any active catalog is not deprecated.
                let current = ids.iter().any(|id| set.get(*id).1.status == Status::Current);
                (!current).then(|| (code.clone(), id))
            })
            .collect();
        set.statuses = set
            .codes
            .iter()
            .map(|code| (set.is_deprecated(code), set.primary(code).map_or(Status::Current, |(_, e)| e.status)))
            .collect();
        set
    }

    pub fn catalogs(&self) -> &[Arc<Catalog>] {
        &self.catalogs
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// Every distinct code, sorted.
    pub fn codes(&self) -> &[String] {
        &self.codes
    }

    /// Every distinct code, sorted, with whether it is deprecated (see [`CatalogSet::is_deprecated`])
    /// and the status of its primary entry: for going over all the codes (completion ranks
    /// 200,000 of them) without three lookups per code.
    pub fn codes_with_status(&self) -> impl Iterator<Item = (&str, bool, Status)> + '_ {
        self.codes.iter().zip(&self.statuses).map(|(code, &(deprecated, status))| (code.as_str(), deprecated, status))
    }

    /// The entries for `code`, in catalog order (a code may be in several catalogs).
    pub fn lookup(&self, code: &str) -> impl Iterator<Item = (&Catalog, &Entry)> + '_ {
        self.by_code.get(code).map(Vec::as_slice).unwrap_or(&[]).iter().map(|id| self.get(*id))
    }

    pub fn ids(&self, code: &str) -> &[EntryId] {
        self.by_code.get(code).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn get(&self, id: EntryId) -> (&Catalog, &Entry) {
        let catalog = &self.catalogs[id.catalog as usize];
        (catalog, &catalog.entries[id.entry as usize])
    }

    pub fn contains(&self, code: &str) -> bool {
        self.by_code.contains_key(code)
    }

    /// The first entry for `code`: the one shown first in hovers and used for status.
    pub fn primary(&self, code: &str) -> Option<(&Catalog, &Entry)> {
        self.lookup(code).next()
    }

    pub fn is_deprecated(&self, code: &str) -> bool {
        self.deprecated.contains_key(code)
    }

    /// The entry naming the replacement of a deprecated code (a code that is current in any
    /// active catalog is not deprecated).
    pub fn deprecation(&self, code: &str) -> Option<&Entry> {
        self.deprecated.get(code).map(|id| self.get(*id).1)
    }
}
