//! The serde model of `check --format json`: `{version, findings, fixed, summary, projects}`.
//! [`Document`] is the whole document; the JSON renderer streams the findings by hand and
//! serializes [`Tail`] for the rest (see `json.rs`).

use serde::Serialize;

use super::Report;

/// The version of the JSON document; bumped only on incompatible changes.
#[cfg_attr(not(test), allow(dead_code))]
pub const VERSION: u32 = 1;

/// The whole `--format json` document.
// Only the tests build the whole document: the renderer streams the findings by hand.
#[cfg_attr(not(test), allow(dead_code))]
#[derive(Serialize)]
pub struct Document<'a> {
    pub version: u32,
    pub findings: Vec<Finding<'a>>,
    #[serde(flatten)]
    pub tail: Tail<'a>,
}

/// One finding.
#[cfg_attr(not(test), allow(dead_code))]
#[derive(Serialize)]
pub struct Finding<'a> {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub literal: &'a str,
    pub kind: &'static str,
    pub rule: &'static str,
    pub severity: &'static str,
    pub message: &'a str,
    pub suggestions: &'a [String],
    pub fix: Option<&'a str>,
}

/// Everything after `findings`.
#[derive(Serialize)]
pub struct Tail<'a> {
    pub fixed: Vec<Fixed<'a>>,
    pub not_fixed: Vec<NotFixed<'a>>,
    pub summary: Summary,
    pub projects: Vec<Project<'a>>,
}

/// One replacement made by `--fix`.
#[derive(Serialize)]
pub struct Fixed<'a> {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub from: &'a str,
    pub to: &'a str,
}

#[derive(Serialize)]
pub struct NotFixed<'a> {
    pub path: String,
    /// `failed`, `skipped` or `fixed` (written through a symlink).
    pub status: &'static str,
    pub reason: &'a str,
}

#[derive(Serialize)]
pub struct Summary {
    pub findings: usize,
    pub files_checked: usize,
    pub files_with_findings: usize,
    pub fixed: usize,
    /// Remaining findings with a safe fix, and with only an unsafe one (`--unsafe-fixes`).
    pub fixable: usize,
    pub unsafe_fixable: usize,
    /// Files `--fix` failed to write.
    pub not_fixed: usize,
    pub skipped: Skipped,
}

/// Files not checked, by reason: the walker's own counts, serialized as they are.
pub use errcode_core::walk::Skipped;

/// A project checked.
#[derive(Serialize)]
pub struct Project<'a> {
    pub root: String,
    pub config: Option<String>,
    pub active_catalogs: Vec<&'a str>,
    pub status: String,
}

#[cfg_attr(not(test), allow(dead_code))]
impl<'a> Document<'a> {
    pub fn of(report: &'a Report) -> Document<'a> {
        let findings = report
            .files
            .iter()
            .flat_map(|file| {
                file.findings.iter().map(move |l| {
                    let f = &l.finding;
                    Finding {
                        path: file.path.display().to_string(),
                        line: l.line,
                        column: l.column,
                        end_line: l.end_line,
                        end_column: l.end_column,
                        literal: &f.literal,
                        kind: f.kind.as_str(),
                        rule: f.kind.rule_id(),
                        severity: f.severity.as_str(),
                        message: f.message.text(file.locale),
                        suggestions: &f.suggestions,
                        fix: f.fix.as_deref(),
                    }
                })
            })
            .collect();
        Document { version: VERSION, findings, tail: Tail::of(report) }
    }
}

impl<'a> Tail<'a> {
    pub fn of(report: &'a Report) -> Tail<'a> {
        let s = &report.skipped;
        Tail {
            fixed: report
                .fixed
                .iter()
                .map(|f| Fixed {
                    path: f.path.display().to_string(),
                    line: f.line,
                    column: f.column,
                    from: &f.from,
                    to: &f.to,
                })
                .collect(),
            not_fixed: report
                .not_fixed
                .iter()
                .map(|n| NotFixed { path: n.path.display().to_string(), status: n.status(), reason: &n.why })
                .collect(),
            summary: Summary {
                findings: report.remaining(),
                files_checked: report.scanned,
                files_with_findings: report.files.iter().filter(|f| !f.findings.is_empty()).count(),
                fixed: report.fixed.len(),
                fixable: report.fixable().0,
                unsafe_fixable: report.fixable().1,
                not_fixed: report.not_fixed.iter().filter(|n| n.failed).count(),
                skipped: *s,
            },
            projects: report
                .projects
                .iter()
                .map(|p| Project {
                    root: p.root.display().to_string(),
                    config: p.config_path.as_ref().map(|c| c.display().to_string()),
                    active_catalogs: p.active_catalogs(),
                    status: p.summary(),
                })
                .collect(),
        }
    }
}
