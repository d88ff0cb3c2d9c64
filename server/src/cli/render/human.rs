//! The human format: rustc/ruff-style diagnostics per finding and a summary line. Names, lines
//! and messages from files are printed with their control characters escaped (`cli::terminal`).

use std::io::Write;

use anstyle::{AnsiColor, Style};

use super::{rendered, FileReport, Renderer, Report};
use crate::cli::terminal;
use errcode_core::analysis::FindingKind;
use errcode_core::config::Severity;
use errcode_core::messages::check::{self, FixLabel};

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
    let lang = report.locale;
    let bold = Style::new().bold();
    let green = Style::new().bold().fg_color(Some(AnsiColor::Green.into()));
    for fixed in &report.fixed {
        let _ = writeln!(
            out,
            "{green}{}{green:#}: {}:{}:{}: `{}` -> `{}`",
            check::fix_label(lang, FixLabel::Fixed),
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
            "failed" => (red, check::fix_label(lang, FixLabel::NotFixed)),
            "skipped" => (yellow, check::fix_label(lang, FixLabel::Skipped)),
            _ => (blue, check::fix_label(lang, FixLabel::Note)),
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
        format!("{green}{}{green:#}", check::no_problems(lang))
    } else {
        format!("{bold}{}{bold:#}", check::found(lang, remaining, files_with))
    };
    summary.push_str(&check::fixable(lang, fixable, unsafe_fixable));
    if !report.fixed.is_empty() {
        summary.push_str(&check::fixed(lang, report.fixed.len()));
    }
    let failed = report.not_fixed.iter().filter(|n| n.failed).count();
    let skipped = report.not_fixed.iter().filter(|n| !n.failed && !n.written).count();
    if failed > 0 {
        summary.push_str(&check::not_fixed_files(lang, failed));
    }
    if skipped > 0 {
        summary.push_str(&check::changed_files(lang, skipped));
    }
    summary.push_str(&check::checked(lang, report.scanned));
    let s = &report.skipped;
    if s.total() > 0 {
        use check::SkipReason as R;
        let parts = [
            (s.generated, R::Generated),
            (s.binary, R::Binary),
            (s.not_utf8, R::NotUtf8),
            (s.too_large, R::TooLarge),
            (s.unreadable, R::Unreadable),
        ];
        summary.push_str(&check::skipped(lang, s.total(), &parts));
    }
    if s.excluded_folders > 0 {
        summary.push_str(&check::excluded_folders(lang, s.excluded_folders));
    }
    writeln!(out, "{summary}{}", check::end(lang))
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
        let message = terminal::line(f.message.text(file.locale));
        let _ = writeln!(buf, "{style}{}[{}]{style:#}{bold}: {message}{bold:#}", f.severity.as_str(), f.kind.rule_id());
        let _ = writeln!(buf, "{pad}{blue}-->{blue:#} {path}:{}:{}", loc.line, loc.column);
        let _ = writeln!(buf, "{pad} {blue}|{blue:#}");
        let _ = writeln!(buf, "{blue}{}{blue:#} {blue}|{blue:#} {}", loc.line, loc.line_text);
        let carets = "^".repeat(display_width(&terminal::line(&f.literal)).max(1));
        let help = match (&f.kind, f.suggestions.first()) {
            (FindingKind::Misspelled, Some(best)) => check::did_you_mean(file.locale, &terminal::line(best)),
            (FindingKind::Deprecated, Some(to)) => check::use_instead(file.locale, &terminal::line(to)),
            _ => String::new(),
        };
        let _ = writeln!(buf, "{pad} {blue}|{blue:#} {}{style}{carets}{help}{style:#}", " ".repeat(loc.indent));
        if f.suggestions.len() > 1 {
            let others: Vec<String> = f.suggestions[1..].iter().map(|s| format!("`{}`", terminal::line(s))).collect();
            let (note, other) = (check::fix_label(file.locale, FixLabel::Note), check::other_candidates(file.locale));
            let _ = writeln!(buf, "{pad} {blue}={blue:#} {bold}{note}{bold:#}: {other}: {}", others.join(", "));
        }
        let _ = writeln!(buf);
    }
    buf
}

pub(super) fn expand_tabs(s: &str) -> String {
    s.replace('\t', "    ")
}

pub(super) fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}
