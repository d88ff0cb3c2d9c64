//! The human format: rustc/ruff-style diagnostics per finding and a summary line. Names, lines
//! and messages from files are printed with their control characters escaped (`cli::terminal`).

use std::io::Write;

use anstyle::{AnsiColor, Style};

use super::{rendered, FileReport, Renderer, Report};
use crate::cli::terminal;
use errcode_core::analysis::FindingKind;
use errcode_core::config::Severity;

fn severity_style(severity: Severity) -> Style {
    let color = match severity {
        Severity::Error => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
        Severity::Info | Severity::Hint | Severity::Off => AnsiColor::Cyan,
    };
    Style::new().bold().fg_color(Some(color.into()))
}

/// rustc-style diagnostics and a summary.
pub struct Human;

impl Renderer for Human {
    fn file(&self, file: &FileReport) -> Option<Vec<u8>> {
        Some(human_file(file))
    }

    fn write(&self, report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
        human(report, out)
    }
}

/// rustc-style diagnostics on stdout, a summary on stderr-free stdout, notes on stderr.
fn human(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let bold = Style::new().bold();
    let green = Style::new().bold().fg_color(Some(AnsiColor::Green.into()));
    for fixed in &report.fixed {
        let _ = writeln!(
            out,
            "{green}fixed{green:#}: {}:{}:{}: `{}` -> `{}`",
            terminal::path(&fixed.path),
            fixed.line,
            fixed.column,
            terminal::line(&fixed.from),
            terminal::line(&fixed.to)
        );
    }
    let yellow = Style::new().bold().fg_color(Some(AnsiColor::Yellow.into()));
    let red = Style::new().bold().fg_color(Some(AnsiColor::Red.into()));
    let blue = Style::new().bold().fg_color(Some(AnsiColor::Blue.into()));
    for n in &report.not_fixed {
        let (style, label) = match n.status() {
            "failed" => (red, "not fixed"),
            "skipped" => (yellow, "skipped"),
            _ => (blue, "note"),
        };
        let _ = writeln!(out, "{style}{label}{style:#}: {}: {}", terminal::path(&n.path), terminal::line(&n.why));
    }
    // One write per file, rendered on the walker threads when possible.
    for file in &report.files {
        out.write_all(&rendered(file, &Human))?;
    }
    let remaining = report.remaining();
    let (fixable, unsafe_fixable) = report.fixable();
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
    match (fixable, unsafe_fixable) {
        (0, 0) => {}
        (n, 0) => summary.push_str(&format!(" ({n} fixable with `--fix`)")),
        (0, u) => summary.push_str(&format!(" ({u} fixable with `--fix --unsafe-fixes`)")),
        (n, u) => summary.push_str(&format!(" ({n} fixable with `--fix`, {u} more with `--unsafe-fixes`)")),
    }
    if !report.fixed.is_empty() {
        summary.push_str(&format!("; fixed {}", report.fixed.len()));
    }
    let failed = report.not_fixed.iter().filter(|n| n.failed).count();
    let skipped = report.not_fixed.iter().filter(|n| !n.failed && !n.written).count();
    if failed > 0 {
        summary.push_str(&format!("; {failed} file{} not fixed", plural(failed)));
    }
    if skipped > 0 {
        summary.push_str(&format!("; {skipped} file{} skipped (changed while fixing)", plural(skipped)));
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
    writeln!(out, "{summary}.")
}

/// The rustc-style diagnostics of one file (styled; `anstream` strips the styles when stdout
/// is not a terminal or `NO_COLOR` is set).
fn human_file(file: &FileReport) -> Vec<u8> {
    let bold = Style::new().bold();
    let blue = Style::new().bold().fg_color(Some(AnsiColor::Blue.into()));
    let mut buf = Vec::new();
    let path = terminal::path(&file.path);
    for loc in &file.findings {
        let f = &loc.finding;
        let style = severity_style(f.severity);
        let gutter = loc.line.to_string().len();
        let pad = " ".repeat(gutter);
        let message = terminal::line(&f.message);
        let _ = writeln!(buf, "{style}{}[{}]{style:#}{bold}: {message}{bold:#}", f.severity.as_str(), f.kind.rule_id());
        let _ = writeln!(buf, "{pad}{blue}-->{blue:#} {path}:{}:{}", loc.line, loc.column);
        let _ = writeln!(buf, "{pad} {blue}|{blue:#}");
        let _ = writeln!(buf, "{blue}{}{blue:#} {blue}|{blue:#} {}", loc.line, loc.line_text);
        let carets = "^".repeat(display_width(&terminal::line(&f.literal)).max(1));
        let help = match (&f.kind, f.suggestions.first()) {
            (FindingKind::Misspelled, Some(best)) => format!(" did you mean `{}`?", terminal::line(best)),
            (FindingKind::Deprecated, Some(to)) => format!(" use `{}`", terminal::line(to)),
            _ => String::new(),
        };
        let _ = writeln!(buf, "{pad} {blue}|{blue:#} {}{style}{carets}{help}{style:#}", " ".repeat(loc.indent));
        if f.suggestions.len() > 1 {
            let others: Vec<String> = f.suggestions[1..].iter().map(|s| format!("`{}`", terminal::line(s))).collect();
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

pub(super) fn expand_tabs(s: &str) -> String {
    s.replace('\t', "    ")
}

pub(super) fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}
