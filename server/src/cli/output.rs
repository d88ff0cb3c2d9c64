//! Output of `check`: human (rustc/ruff style), JSON and SARIF 2.1.0.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use anstyle::{AnsiColor, Style};
use serde_json::{json, Value};

use super::check::SkipReason;
use super::Format;
use crate::analysis::{Finding, FindingKind};
use crate::config::Severity;
use crate::project::Project;
use crate::text::LineIndex;

/// Everything `check` found.
pub struct Report {
    pub scanned: usize,
    /// Files with findings, sorted by path.
    pub files: Vec<FileReport>,
    pub skipped: Skipped,
    pub fixed: Vec<Fixed>,
    pub projects: Vec<Arc<Project>>,
}

impl Report {
    /// Findings still present (after `--fix`).
    pub fn remaining(&self) -> usize {
        self.files.iter().map(|f| f.findings.len()).sum()
    }
}

/// Findings of one file, with its text for locating and quoting them.
pub struct FileReport {
    pub path: PathBuf,
    pub findings: Vec<Finding>,
    pub text: Option<String>,
}

/// Files that were not checked, by reason.
#[derive(Default, Debug)]
pub struct Skipped {
    pub binary: usize,
    pub not_utf8: usize,
    pub too_large: usize,
    pub unreadable: usize,
}

impl Skipped {
    pub fn add(&mut self, why: SkipReason) {
        match why {
            SkipReason::Binary => self.binary += 1,
            SkipReason::NotUtf8 => self.not_utf8 += 1,
            SkipReason::TooLarge => self.too_large += 1,
            SkipReason::Unreadable => self.unreadable += 1,
        }
    }

    fn total(&self) -> usize {
        self.binary + self.not_utf8 + self.too_large + self.unreadable
    }
}

/// One replacement made by `--fix`.
pub struct Fixed {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub from: String,
    pub to: String,
}

/// 1-based line and column (in characters) of a finding's start and end.
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

pub fn locate(index: &LineIndex, text: &str, f: &Finding) -> Location {
    let s = index.char_pos(text, f.start);
    let e = index.char_pos(text, f.end);
    Location { line: s.line + 1, column: s.col + 1, end_line: e.line + 1, end_column: e.col + 1 }
}

pub fn print(report: &Report, format: Format) {
    match format {
        Format::Human => human(report),
        Format::Json => println!("{}", serde_json::to_string_pretty(&to_json(report)).unwrap_or_default()),
        Format::Sarif => println!("{}", serde_json::to_string_pretty(&to_sarif(report)).unwrap_or_default()),
    }
}

fn severity_style(severity: Severity) -> Style {
    let color = match severity {
        Severity::Error => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
        Severity::Info | Severity::Hint | Severity::Off => AnsiColor::Cyan,
    };
    Style::new().bold().fg_color(Some(color.into()))
}

/// rustc-style diagnostics on stdout, a summary on stderr-free stdout, notes on stderr.
fn human(report: &Report) {
    let mut out = anstream::stdout().lock();
    let bold = Style::new().bold();
    let blue = Style::new().bold().fg_color(Some(AnsiColor::Blue.into()));
    let green = Style::new().bold().fg_color(Some(AnsiColor::Green.into()));
    for fixed in &report.fixed {
        let _ = writeln!(
            out,
            "{green}fixed{green:#}: {}:{}:{}: `{}` -> `{}`",
            fixed.path.display(),
            fixed.line,
            fixed.column,
            fixed.from,
            fixed.to
        );
    }
    for file in &report.files {
        let Some(text) = &file.text else { continue };
        let index = LineIndex::new(text);
        for f in &file.findings {
            let loc = locate(&index, text, f);
            let style = severity_style(f.severity);
            let line_range = index.line_range(text, loc.line - 1);
            let line_text = &text[line_range.clone()];
            let gutter = loc.line.to_string().len();
            let pad = " ".repeat(gutter);
            let _ = writeln!(
                out,
                "{style}{}[{}]{style:#}{bold}: {}{bold:#}",
                f.severity.as_str(),
                f.kind.rule_id(),
                f.message
            );
            let _ = writeln!(out, "{pad}{blue}-->{blue:#} {}:{}:{}", file.path.display(), loc.line, loc.column);
            let _ = writeln!(out, "{pad} {blue}|{blue:#}");
            let _ = writeln!(out, "{blue}{}{blue:#} {blue}|{blue:#} {}", loc.line, expand_tabs(line_text));
            let before = &text[line_range.start..f.start.max(line_range.start)];
            let indent = display_width(&expand_tabs(before));
            let carets = "^".repeat(display_width(&f.literal).max(1));
            let help = match (&f.kind, f.suggestions.first()) {
                (FindingKind::Misspelled, Some(best)) => format!(" did you mean `{best}`?"),
                (FindingKind::Deprecated, Some(to)) => format!(" use `{to}`"),
                _ => String::new(),
            };
            let _ = writeln!(out, "{pad} {blue}|{blue:#} {}{style}{carets}{help}{style:#}", " ".repeat(indent));
            if f.suggestions.len() > 1 {
                let others: Vec<String> = f.suggestions[1..].iter().map(|s| format!("`{s}`")).collect();
                let _ =
                    writeln!(out, "{pad} {blue}={blue:#} {bold}note{bold:#}: other candidates: {}", others.join(", "));
            }
            let _ = writeln!(out);
        }
    }
    let remaining = report.remaining();
    let fixable = report.files.iter().flat_map(|f| &f.findings).filter(|f| f.fix.is_some()).count();
    let files_with = report.files.iter().filter(|f| !f.findings.is_empty()).count();
    let mut summary = if remaining == 0 {
        format!("{green}No problems found{green:#}")
    } else {
        format!(
            "{bold}Found {remaining} problem{} in {files_with} file{}{bold:#}",
            plural(remaining),
            plural(files_with)
        )
    };
    if fixable > 0 {
        summary.push_str(&format!(" ({fixable} fixable with `--fix`)"));
    }
    if !report.fixed.is_empty() {
        summary.push_str(&format!("; fixed {}", report.fixed.len()));
    }
    summary.push_str(&format!("; checked {} file{}", report.scanned, plural(report.scanned)));
    let s = &report.skipped;
    if s.total() > 0 {
        let mut parts = Vec::new();
        for (n, what) in
            [(s.binary, "binary"), (s.not_utf8, "not UTF-8"), (s.too_large, "too large"), (s.unreadable, "unreadable")]
        {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        }
        summary.push_str(&format!(", skipped {} ({})", s.total(), parts.join(", ")));
    }
    let _ = writeln!(out, "{summary}.");
    drop(out);
    let mut err = anstream::stderr().lock();
    for project in &report.projects {
        if project.active_catalogs().is_empty() {
            let _ = writeln!(err, "{blue}note{blue:#}: {}: {}", project.root.display(), project.summary());
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn expand_tabs(s: &str) -> String {
    s.replace('\t', "    ")
}

fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

fn finding_json(path: &std::path::Path, text: &str, index: &LineIndex, f: &Finding) -> Value {
    let loc = locate(index, text, f);
    json!({
        "path": path.display().to_string(),
        "line": loc.line,
        "column": loc.column,
        "end_line": loc.end_line,
        "end_column": loc.end_column,
        "literal": f.literal,
        "kind": f.kind.as_str(),
        "rule": f.kind.rule_id(),
        "severity": f.severity.as_str(),
        "message": f.message,
        "suggestions": f.suggestions,
        "fix": f.fix,
    })
}

fn to_json(report: &Report) -> Value {
    let mut findings = Vec::new();
    for file in &report.files {
        let Some(text) = &file.text else { continue };
        let index = LineIndex::new(text);
        findings.extend(file.findings.iter().map(|f| finding_json(&file.path, text, &index, f)));
    }
    let fixed: Vec<Value> = report
        .fixed
        .iter()
        .map(|f| json!({"path": f.path.display().to_string(), "line": f.line, "column": f.column, "from": f.from, "to": f.to}))
        .collect();
    let projects: Vec<Value> = report
        .projects
        .iter()
        .map(|p| {
            json!({
                "root": p.root.display().to_string(),
                "config": p.config_path.as_ref().map(|c| c.display().to_string()),
                "active_catalogs": p.active_catalogs(),
                "status": p.summary(),
            })
        })
        .collect();
    let s = &report.skipped;
    json!({
        "version": 1,
        "findings": findings,
        "fixed": fixed,
        "summary": {
            "findings": report.remaining(),
            "files_checked": report.scanned,
            "files_with_findings": report.files.iter().filter(|f| !f.findings.is_empty()).count(),
            "fixed": report.fixed.len(),
            "skipped": {"binary": s.binary, "not_utf8": s.not_utf8, "too_large": s.too_large, "unreadable": s.unreadable},
        },
        "projects": projects,
    })
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint | Severity::Off => "note",
    }
}

fn to_sarif(report: &Report) -> Value {
    let kinds = [FindingKind::Misspelled, FindingKind::Deprecated];
    let default_level = |k: FindingKind| {
        let sev = report.projects.first().map(|p| p.settings.severities).unwrap_or_default();
        sarif_level(match k {
            FindingKind::Misspelled => sev.misspelled,
            FindingKind::Deprecated => sev.deprecated,
        })
    };
    let rules: Vec<Value> = kinds
        .iter()
        .map(|k| {
            let (name, short, full) = match k {
                FindingKind::Misspelled => (
                    "MisspelledErrorCode",
                    "A string literal is a misspelling of a known error code.",
                    "The literal is not a known error code but is within a few typing slips of exactly one known code; comparisons against it will never match what the service returns.",
                ),
                FindingKind::Deprecated => (
                    "DeprecatedErrorCode",
                    "A string literal is a deprecated error code.",
                    "The literal is a known error code that has been replaced by another; the service may no longer return it.",
                ),
            };
            json!({
                "id": k.rule_id(),
                "name": name,
                "shortDescription": {"text": short},
                "fullDescription": {"text": full},
                "defaultConfiguration": {"level": default_level(*k)},
            })
        })
        .collect();
    let mut results = Vec::new();
    for file in &report.files {
        let Some(text) = &file.text else { continue };
        let index = LineIndex::new(text);
        for f in &file.findings {
            let loc = locate(&index, text, f);
            let uri = file.path.display().to_string().replace('\\', "/");
            let region = json!({
                "startLine": loc.line, "startColumn": loc.column,
                "endLine": loc.end_line, "endColumn": loc.end_column,
            });
            let mut result = json!({
                "ruleId": f.kind.rule_id(),
                "ruleIndex": kinds.iter().position(|k| *k == f.kind).unwrap_or(0),
                "level": sarif_level(f.severity),
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                    "region": region,
                }}],
                "properties": {"literal": f.literal, "suggestions": f.suggestions},
            });
            if let Some(fix) = &f.fix {
                result["fixes"] = json!([{
                    "description": {"text": format!("Replace `{}` with `{fix}`", f.literal)},
                    "artifactChanges": [{
                        "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                        "replacements": [{"deletedRegion": region, "insertedContent": {"text": fix}}],
                    }],
                }]);
            }
            results.push(result);
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "errcode-lsp",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}
