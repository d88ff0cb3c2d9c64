//! Output of `check`: human (rustc/ruff style), JSON and SARIF 2.1.0.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use anstyle::{AnsiColor, Style};
use serde::Serialize;
use serde_json::{json, Value};

use super::Format;
use errcode_core::analysis::{Finding, FindingKind};
use errcode_core::config::Severity;
use errcode_core::project::Project;
use errcode_core::text::{positions_forward, Unit};
pub use errcode_core::walk::Skipped;

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

/// Located findings of one file (and its text, kept only for `--fix`).
pub struct FileReport {
    pub path: PathBuf,
    pub findings: Vec<Located>,
    pub text: Option<String>,
    /// The findings already rendered for the output format (see [`render_file`]), done on the
    /// walker threads when nothing will change them; `None` renders them when printing.
    pub rendered: Option<Vec<u8>>,
}

/// A finding with its 1-based line and columns (in characters), and for the human format the
/// text of its line and the display width of the text before it (for the caret line).
pub struct Located {
    pub finding: Finding,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// Empty unless asked for (see [`locate_all`]).
    pub line_text: String,
    pub indent: usize,
}

/// Locates the findings of `text` (sorted, as the analyzer returns them) in one forward pass;
/// with `line_text`, also copies each finding's line (only the human format shows it).
pub fn locate_all(text: &str, findings: Vec<Finding>, line_text: bool) -> Vec<Located> {
    let offsets: Vec<usize> = findings.iter().flat_map(|f| [f.start, f.end]).collect();
    let chars = positions_forward(text, &offsets, Unit::Chars);
    findings
        .into_iter()
        .enumerate()
        .map(|(i, finding)| {
            let (start, end) = (chars[2 * i], chars[2 * i + 1]);
            let (line_text, indent) = if line_text {
                line_window(text, finding.start, finding.literal.chars().count())
            } else {
                (String::new(), 0)
            };
            Located {
                line: start.line + 1,
                column: start.col + 1,
                end_line: end.line + 1,
                end_column: end.col + 1,
                line_text,
                indent,
                finding,
            }
        })
        .collect()
}

/// How many characters of a long line the human format shows on each side of a finding.
const CONTEXT_CHARS: usize = 80;

/// The part of the line around `start` that the human format shows, and the display width
/// before `start` in it: the whole line when it is short, else up to `CONTEXT_CHARS` characters
/// on each side of the literal, cut ends marked `...` (as rustc and ruff do). Bounded work per
/// finding however long the line (a minified file's single line has thousands of findings).
fn line_window(text: &str, start: usize, literal_chars: usize) -> (String, usize) {
    let is_break = |c: char| c == '\n' || c == '\r';
    let mut from = start;
    let mut cut_left = false;
    for (n, (i, c)) in text[..start].char_indices().rev().enumerate() {
        if is_break(c) {
            break;
        }
        if n == CONTEXT_CHARS {
            cut_left = true;
            break;
        }
        from = i;
    }
    let mut to = text.len();
    let mut cut_right = false;
    for (n, (i, c)) in text[start..].char_indices().enumerate() {
        if is_break(c) {
            to = start + i;
            break;
        }
        if n == literal_chars + CONTEXT_CHARS {
            to = start + i;
            cut_right = true;
            break;
        }
    }
    let ellipsis = if cut_left { "..." } else { "" };
    let indent = ellipsis.len() + display_width(&expand_tabs(&text[from..start]));
    let tail = if cut_right { "..." } else { "" };
    (format!("{ellipsis}{}{tail}", expand_tabs(&text[from..to])), indent)
}

/// One replacement made by `--fix`.
pub struct Fixed {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub from: String,
    pub to: String,
}

pub fn print(report: &Report, format: Format) {
    match format {
        Format::Human => human(report),
        Format::Json => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let _ = write_json(report, &mut out).and_then(|()| out.flush());
        }
        Format::Sarif => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let _ = serde_json::to_writer_pretty(&mut out, &to_sarif(report));
            let _ = writeln!(out);
        }
    }
}

/// The findings of one file as they appear in `format`'s output: rustc-style diagnostics, or
/// the JSON finding objects (comma-separated, indented for the `findings` array). `None` for
/// SARIF, which is written whole.
pub fn render_file(file: &FileReport, format: Format) -> Option<Vec<u8>> {
    match format {
        Format::Human => Some(human_file(file)),
        Format::Json => Some(json_file(file)),
        Format::Sarif => None,
    }
}

/// The rendered findings of `file`, from the walker threads if they did it.
fn rendered(file: &FileReport, format: Format) -> std::borrow::Cow<'_, [u8]> {
    match &file.rendered {
        Some(bytes) => bytes.into(),
        None => render_file(file, format).unwrap_or_default().into(),
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
    // One write per file, rendered on the walker threads when possible.
    for file in &report.files {
        let _ = out.write_all(&rendered(file, Format::Human));
    }
    let remaining = report.remaining();
    let fixable = report.files.iter().flat_map(|f| &f.findings).filter(|l| l.finding.fix.is_some()).count();
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
        for (n, what) in [
            (s.generated, "generated or vendored"),
            (s.binary, "binary"),
            (s.not_utf8, "not UTF-8"),
            (s.too_large, "too large"),
            (s.unreadable, "unreadable"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        }
        summary.push_str(&format!(", skipped {} ({})", s.total(), parts.join(", ")));
    }
    if s.excluded_folders > 0 {
        let n = s.excluded_folders;
        summary.push_str(&format!(", left out {n} excluded folder{} (build output, dependencies)", plural(n)));
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

/// The rustc-style diagnostics of one file (styled; `anstream` strips the styles when stdout
/// is not a terminal or `NO_COLOR` is set).
fn human_file(file: &FileReport) -> Vec<u8> {
    let bold = Style::new().bold();
    let blue = Style::new().bold().fg_color(Some(AnsiColor::Blue.into()));
    let mut buf = Vec::new();
    for loc in &file.findings {
        let f = &loc.finding;
        let style = severity_style(f.severity);
        let gutter = loc.line.to_string().len();
        let pad = " ".repeat(gutter);
        let _ =
            writeln!(buf, "{style}{}[{}]{style:#}{bold}: {}{bold:#}", f.severity.as_str(), f.kind.rule_id(), f.message);
        let _ = writeln!(buf, "{pad}{blue}-->{blue:#} {}:{}:{}", file.path.display(), loc.line, loc.column);
        let _ = writeln!(buf, "{pad} {blue}|{blue:#}");
        let _ = writeln!(buf, "{blue}{}{blue:#} {blue}|{blue:#} {}", loc.line, loc.line_text);
        let carets = "^".repeat(display_width(&f.literal).max(1));
        let help = match (&f.kind, f.suggestions.first()) {
            (FindingKind::Misspelled, Some(best)) => format!(" did you mean `{best}`?"),
            (FindingKind::Deprecated, Some(to)) => format!(" use `{to}`"),
            _ => String::new(),
        };
        let _ = writeln!(buf, "{pad} {blue}|{blue:#} {}{style}{carets}{help}{style:#}", " ".repeat(loc.indent));
        if f.suggestions.len() > 1 {
            let others: Vec<String> = f.suggestions[1..].iter().map(|s| format!("`{s}`")).collect();
            let _ = writeln!(buf, "{pad} {blue}={blue:#} {bold}note{bold:#}: other candidates: {}", others.join(", "));
        }
        let _ = writeln!(buf);
    }
    buf
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

/// Everything of the `--format json` document after `findings`.
#[derive(Serialize)]
struct JsonTail {
    fixed: Value,
    summary: Value,
    projects: Value,
}

/// The JSON finding objects of one file, comma-separated and indented as items of the
/// document's `findings` array: exactly what pretty-printing the whole document gives (a test
/// holds it to that). Written by hand, the path escaped once per file: this is the hot part of
/// `check --format json` on large trees.
fn json_file(file: &FileReport) -> Vec<u8> {
    let mut path = Vec::new();
    json_string(&mut path, &file.path.display().to_string());
    let mut out = Vec::with_capacity(file.findings.len() * 512);
    for (i, l) in file.findings.iter().enumerate() {
        let f = &l.finding;
        if i > 0 {
            out.extend_from_slice(b",\n");
        }
        out.extend_from_slice(b"    {\n      \"path\": ");
        out.extend_from_slice(&path);
        let mut number = itoa::Buffer::new();
        for (key, value) in
            [("line", l.line), ("column", l.column), ("end_line", l.end_line), ("end_column", l.end_column)]
        {
            json_key(&mut out, key);
            out.extend_from_slice(number.format(value).as_bytes());
        }
        for (key, value) in [
            ("literal", f.literal.as_str()),
            ("kind", f.kind.as_str()),
            ("rule", f.kind.rule_id()),
            ("severity", f.severity.as_str()),
            ("message", &f.message),
        ] {
            json_key(&mut out, key);
            json_string(&mut out, value);
        }
        out.extend_from_slice(b",\n      \"suggestions\": [");
        for (k, suggestion) in f.suggestions.iter().enumerate() {
            out.extend_from_slice(if k == 0 { b"\n        " } else { b",\n        " });
            json_string(&mut out, suggestion);
        }
        if !f.suggestions.is_empty() {
            out.extend_from_slice(b"\n      ");
        }
        out.extend_from_slice(b"],\n      \"fix\": ");
        match &f.fix {
            Some(fix) => json_string(&mut out, fix),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b"\n    }");
    }
    out
}

/// Appends `,`, a line break and `key: ` at the indentation of a finding's fields.
fn json_key(out: &mut Vec<u8>, key: &str) {
    out.extend_from_slice(b",\n      \"");
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b"\": ");
}

/// Appends `s` as a JSON string, escaped as serde_json does.
fn json_string(out: &mut Vec<u8>, s: &str) {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

/// Writes the `--format json` document: `{version, findings, fixed, summary, projects}`,
/// pretty-printed. The findings come pre-rendered per file (see [`render_file`]).
fn write_json(report: &Report, out: &mut impl Write) -> std::io::Result<()> {
    out.write_all(b"{\n  \"version\": 1,\n  \"findings\": [")?;
    let mut empty = true;
    for file in &report.files {
        let items = rendered(file, Format::Json);
        if !items.is_empty() {
            out.write_all(if empty { b"\n" } else { b",\n" })?;
            out.write_all(&items)?;
            empty = false;
        }
    }
    out.write_all(if empty { b"],\n" } else { b"\n  ],\n" })?;
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
    let tail = JsonTail {
        fixed: Value::Array(fixed),
        summary: json!({
            "findings": report.remaining(),
            "files_checked": report.scanned,
            "files_with_findings": report.files.iter().filter(|f| !f.findings.is_empty()).count(),
            "fixed": report.fixed.len(),
            "skipped": {"binary": s.binary, "not_utf8": s.not_utf8, "too_large": s.too_large, "unreadable": s.unreadable, "generated": s.generated, "excluded_folders": s.excluded_folders},
        }),
        projects: Value::Array(projects),
    };
    // `{\n  "fixed": ...\n}`: the tail, already at the document's indentation, minus its `{\n`.
    let tail = serde_json::to_vec_pretty(&tail).map_err(std::io::Error::other)?;
    out.write_all(&tail[2..])?;
    out.write_all(b"\n")
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
        for loc in &file.findings {
            let f = &loc.finding;
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
