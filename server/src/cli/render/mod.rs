//! Renderers of the command line's outputs, one file per format, over one model.
//!
//! `check` builds a [`Report`] (files with located findings, skipped counts, fixes, projects);
//! each format is a [`Renderer`]: `human.rs` (rustc style), `json.rs` (the serde model in
//! `model.rs`, findings streamed per file), `sarif.rs` (SARIF 2.1.0 through typed structs),
//! `github.rs` (workflow commands). A renderer may render one file's findings on the walker
//! thread that read it ([`Renderer::file`]); [`Renderer::write`] writes the document.
//! `html.rs` renders `report --format html`.

pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod model;
pub mod sarif;

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use anstyle::{AnsiColor, Style};

use super::{terminal, Format};
use errcode_core::analysis::Finding;
use errcode_core::locale::Locale;
use errcode_core::project::Project;
use errcode_core::text::{file_positions_forward, Unit, BOM};
pub use errcode_core::walk::Skipped;
use human::{display_width, expand_tabs};

/// One output format of `check`.
pub trait Renderer: Sync {
    /// The findings of one file as they appear in the output, rendered on the walker thread
    /// when nothing will change them; `None` when the format is written whole.
    fn file(&self, _file: &FileReport) -> Option<Vec<u8>> {
        None
    }

    /// Writes the whole output for `report`.
    fn write(&self, report: &Report, out: &mut dyn Write) -> std::io::Result<()>;
}

/// The renderer of `format`.
pub fn renderer(format: Format) -> &'static dyn Renderer {
    match format {
        Format::Human => &human::Human,
        Format::Json => &json::Json,
        Format::Sarif => &sarif::Sarif,
        Format::Github => &github::Github,
    }
}

/// Everything `check` found.
pub struct Report {
    pub scanned: usize,
    /// Files with findings, sorted by path.
    pub files: Vec<FileReport>,
    pub skipped: Skipped,
    pub fixed: Vec<Fixed>,
    /// Files `--fix` did not write (or wrote elsewhere: through a symlink), and why.
    pub not_fixed: Vec<NotFixed>,
    pub projects: Vec<Arc<Project>>,
    /// The language of messages and summaries (rule ids and field names never change).
    pub locale: Locale,
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
    /// The findings already rendered for the output format (see [`Renderer::file`]), done on
    /// the walker threads when nothing will change them; `None` renders them when printing.
    pub rendered: Option<Vec<u8>>,
    /// The language of its messages.
    pub locale: Locale,
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
    // A file's byte order mark is not a column (editors drop it).
    let chars = file_positions_forward(text, &offsets, Unit::Chars);
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
        // A file's byte order mark is not part of its first line.
        if is_break(c) || (i == 0 && c == BOM) {
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
    // Control characters are shown escaped (so the caret is placed after their escapes).
    let before = terminal::line(&expand_tabs(&text[from..start])).into_owned();
    let indent = ellipsis.len() + display_width(&before);
    let tail = if cut_right { "..." } else { "" };
    (format!("{ellipsis}{before}{}{tail}", terminal::line(&expand_tabs(&text[start..to]))), indent)
}

/// One replacement made by `--fix`.
pub struct Fixed {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub from: String,
    pub to: String,
}

/// A file `--fix` did not write as asked: refused or failed (`failed`: the run exits 2),
/// skipped (changed since it was read), or written through a symlink (`written`).
pub struct NotFixed {
    pub path: PathBuf,
    pub failed: bool,
    pub written: bool,
    pub why: String,
}

impl NotFixed {
    pub fn status(&self) -> &'static str {
        match (self.failed, self.written) {
            (true, _) => "failed",
            (false, true) => "fixed",
            (false, false) => "skipped",
        }
    }
}

impl Report {
    /// How many remaining findings have a safe fix, and how many only an unsafe one.
    pub fn fixable(&self) -> (usize, usize) {
        let with_fix = || self.files.iter().flat_map(|f| &f.findings).filter(|l| l.finding.fix.is_some());
        let safe = with_fix().filter(|l| l.finding.applicability.is_safe()).count();
        (safe, with_fix().count() - safe)
    }
}

/// Prints `report` in `format` on stdout, and names on stderr each project without an active
/// catalog.
pub fn print(report: &Report, format: Format) {
    let renderer = renderer(format);
    if format == Format::Human {
        // Styled; `anstream` strips the styles when stdout is not a terminal or `NO_COLOR` is set.
        let mut out = anstream::stdout().lock();
        let _ = renderer.write(report, &mut out);
    } else {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        let _ = renderer.write(report, &mut out).and_then(|()| out.flush());
    }
    inactive_notes(report);
}

/// The findings of one file as they appear in `format`'s output (see [`Renderer::file`]).
pub fn render_file(file: &FileReport, format: Format) -> Option<Vec<u8>> {
    renderer(format).file(file)
}

/// The rendered findings of `file`, from the walker threads if they did it.
fn rendered<'a>(file: &'a FileReport, renderer: &dyn Renderer) -> std::borrow::Cow<'a, [u8]> {
    match &file.rendered {
        Some(bytes) => bytes.into(),
        None => renderer.file(file).unwrap_or_default().into(),
    }
}

/// Names on stderr each checked project that has no active catalog, and why.
fn inactive_notes(report: &Report) {
    let blue = Style::new().bold().fg_color(Some(AnsiColor::Blue.into()));
    let mut err = anstream::stderr().lock();
    for project in &report.projects {
        if project.active_catalogs().is_empty() {
            let note =
                errcode_core::messages::check::fix_label(report.locale, errcode_core::messages::check::FixLabel::Note);
            let _ = writeln!(
                err,
                "{blue}{note}{blue:#}: {}: {}",
                terminal::path(&project.root),
                terminal::line(&project.summary_in(report.locale))
            );
        }
    }
}
