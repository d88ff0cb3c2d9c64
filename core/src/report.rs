//! The handled-codes report: which codes of the active catalogs a project references, grouped
//! by catalog and category, with counts, locations, coverage, the categories never handled and
//! the deprecated codes still in use. Pure data (serialisable; the JSON output is this
//! structure); rendering is in `cli/report.rs`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::catalog::{CatalogSet, Origin, Status};
use crate::index::FileRefs;

/// The version of the JSON structure; bumped only on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

/// The whole report.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Report {
    pub version: u32,
    pub project: ProjectInfo,
    pub totals: Totals,
    pub catalogs: Vec<CatalogReport>,
    /// Every category of an active catalog none of whose codes is referenced.
    pub never_handled: Vec<NeverHandled>,
    /// Deprecated codes still referenced, with their replacements.
    pub deprecated: Vec<DeprecatedUse>,
    /// What needs fixing: every misspelled or deprecated use, with its location and the codes
    /// to use instead, sorted by location.
    pub findings: Vec<FindingUse>,
    /// When and from which commit the report was made (filled in by the command line).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated: Option<Generated>,
}

/// One use that needs fixing.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct FindingUse {
    #[serde(flatten)]
    pub location: Location,
    pub literal: String,
    /// `misspelled` or `deprecated`.
    pub kind: &'static str,
    pub severity: &'static str,
    pub message: String,
    /// The codes to use instead, best first, each with its documentation link when its
    /// catalog has one.
    pub suggestions: Vec<Suggestion>,
    /// The replacement `check --fix` would make.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// A code to use instead.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Suggestion {
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
}

/// When and from what a report was made.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Generated {
    /// UTC, RFC 3339 (`2026-12-02T15:04:05Z`).
    pub at: String,
    /// The commit checked out at the project root, when it is a git repository.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// The errcode-lsp version.
    pub by: String,
}

/// What was reported on.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ProjectInfo {
    /// A display name: the folder name of the first path reported on.
    pub name: String,
    /// The project root (locations are relative to it).
    pub root: String,
    /// The reported paths, relative to the root (`.` for the root itself).
    pub paths: Vec<String>,
    pub active_catalogs: Vec<String>,
    /// One line on what is active and why (as `errcode-lsp status` says).
    pub status: String,
}

/// Counts over the whole report.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Totals {
    /// Files with at least one reference.
    pub files: usize,
    /// References to known codes.
    pub references: usize,
    /// Distinct codes referenced.
    pub codes_handled: usize,
    /// Distinct codes in the active catalogs.
    pub codes_known: usize,
    pub categories_handled: usize,
    pub categories: usize,
    /// Files read and checked.
    pub files_checked: usize,
    /// Files not checked, by reason (generated or vendored, binary, ...).
    pub skipped: crate::walk::Skipped,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct CatalogReport {
    pub name: String,
    pub description: String,
    /// Codes of this catalog that are referenced.
    pub handled: usize,
    pub total: usize,
    pub categories: Vec<CategoryReport>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct CategoryReport {
    pub name: String,
    /// Codes of this category that are referenced.
    pub handled: usize,
    pub total: usize,
    /// Every code of the category is legacy (old, no longer documented): not expected to be
    /// handled, so never listed as "never handled".
    pub legacy: bool,
    /// The referenced codes, in catalog order.
    pub codes: Vec<CodeReport>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct CodeReport {
    pub code: String,
    pub summary: String,
    /// `current`, `deprecated` or `legacy`.
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
    /// The code's documentation page, when its catalog links one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    pub count: usize,
    /// Sorted by path, line, column.
    pub locations: Vec<Location>,
}

/// A 1-based position in a file, relative to the project root.
#[derive(Clone, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub path: String,
    pub line: u32,
    /// In characters.
    pub column: u32,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.column)
    }
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct NeverHandled {
    pub catalog: String,
    pub category: String,
    /// How many codes the category has.
    pub codes: usize,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct DeprecatedUse {
    pub code: String,
    pub catalog: String,
    pub replaced_by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    pub count: usize,
    pub locations: Vec<Location>,
}

/// Builds the report from the references found under `paths` (see `index::index_tree`).
/// `root` is the project root; paths outside it are shown as they are.
pub fn build(info: ProjectInfo, root: &Path, set: &CatalogSet, files: &HashMap<PathBuf, FileRefs>) -> Report {
    // Every reference, per code.
    // The team catalog files define codes rather than handle them, so they are left out.
    let definitions: Vec<&Path> = set
        .catalogs()
        .iter()
        .filter_map(|c| match &c.origin {
            Origin::File(path) => Some(path.as_path()),
            Origin::Builtin => None,
        })
        .collect();
    let files: Vec<(&PathBuf, &FileRefs)> =
        files.iter().filter(|(path, _)| !definitions.contains(&path.as_path())).collect();
    let mut uses: BTreeMap<&str, Vec<Location>> = BTreeMap::new();
    for &(path, refs) in &files {
        let shown = display_path(root, path);
        for r in &refs.refs {
            uses.entry(&r.code).or_default().push(Location {
                path: shown.clone(),
                line: r.pos.line + 1,
                column: r.pos.chars.0 + 1,
            });
        }
    }
    for locations in uses.values_mut() {
        locations.sort();
    }

    let mut catalogs = Vec::new();
    let mut never_handled = Vec::new();
    let mut deprecated = Vec::new();
    let mut totals = Totals {
        files: files.iter().filter(|(_, f)| !f.refs.is_empty()).count(),
        references: uses.values().map(Vec::len).sum(),
        codes_handled: uses.keys().filter(|c| set.contains(c)).count(),
        codes_known: set.codes().len(),
        ..Totals::default()
    };
    for catalog in set.catalogs() {
        // Categories in the catalog's display order, then any others in entry order.
        let mut order: Vec<&str> = catalog.meta.categories.iter().map(String::as_str).collect();
        for e in &catalog.entries {
            if !order.contains(&e.category.as_str()) {
                order.push(&e.category);
            }
        }
        let mut categories = Vec::new();
        for name in order {
            let entries: Vec<_> = catalog.entries.iter().filter(|e| e.category == name).collect();
            if entries.is_empty() {
                continue;
            }
            let codes: Vec<CodeReport> = entries
                .iter()
                .filter_map(|e| {
                    let locations = uses.get(e.code.as_str())?;
                    Some(CodeReport {
                        code: e.code.clone(),
                        summary: e.summary.clone(),
                        status: e.status,
                        replaced_by: e.replaced_by.clone(),
                        docs: e.docs.clone(),
                        count: locations.len(),
                        locations: locations.clone(),
                    })
                })
                .collect();
            for c in codes.iter().filter(|c| c.status == Status::Deprecated) {
                let replaced_by = c.replaced_by.clone().unwrap_or_default();
                deprecated.push(DeprecatedUse {
                    code: c.code.clone(),
                    catalog: catalog.name().to_string(),
                    docs: docs_of(set, &replaced_by),
                    replaced_by,
                    count: c.count,
                    locations: c.locations.clone(),
                });
            }
            // A category of legacy codes only is history, not a gap: it is neither "never
            // handled" nor counted among the categories to handle.
            let legacy = entries.iter().all(|e| e.status == Status::Legacy);
            if !codes.is_empty() {
                totals.categories_handled += 1;
                totals.categories += 1;
            } else if !legacy {
                never_handled.push(NeverHandled {
                    catalog: catalog.name().to_string(),
                    category: name.to_string(),
                    codes: entries.len(),
                });
                totals.categories += 1;
            }
            categories.push(CategoryReport {
                name: name.to_string(),
                handled: codes.len(),
                total: entries.len(),
                legacy,
                codes,
            });
        }
        catalogs.push(CatalogReport {
            name: catalog.name().to_string(),
            description: catalog.meta.description.clone(),
            handled: categories.iter().map(|c| c.handled).sum(),
            total: catalog.entries.len(),
            categories,
        });
    }
    let mut findings = Vec::new();
    for &(path, refs) in &files {
        let shown = display_path(root, path);
        for f in &refs.findings {
            findings.push(FindingUse {
                location: Location { path: shown.clone(), line: f.pos.line + 1, column: f.pos.chars.0 + 1 },
                literal: f.finding.literal.clone(),
                kind: f.finding.kind.as_str(),
                severity: f.finding.severity.as_str(),
                message: f.finding.message.to_string(),
                suggestions: f
                    .finding
                    .suggestions
                    .iter()
                    .map(|code| Suggestion { code: code.clone(), docs: docs_of(set, code) })
                    .collect(),
                fix: f.finding.fix.clone(),
            });
        }
    }
    findings.sort_by(|a, b| a.location.cmp(&b.location));
    Report {
        version: SCHEMA_VERSION,
        project: info,
        totals,
        catalogs,
        never_handled,
        deprecated,
        findings,
        generated: None,
    }
}

/// The documentation link of `code` in the first catalog of `set` that has one.
fn docs_of(set: &CatalogSet, code: &str) -> Option<String> {
    set.lookup(code).find_map(|(_, e)| e.docs.clone())
}

/// `path` relative to `root` with `/` separators, or as given when it lies outside.
pub fn display_path(root: &Path, path: &Path) -> String {
    let Ok(rel) = path.strip_prefix(root) else { return path.display().to_string() };
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// The share `handled / total` in whole percent (0 for an empty total).
pub fn percent(handled: usize, total: usize) -> usize {
    (handled * 100).checked_div(total).unwrap_or(0)
}
