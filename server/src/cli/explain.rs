//! `errcode-lsp explain`, `codes` and `status`: documentation and catalog listings.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::json;

use std::io::Write;

use anstyle::{AnsiColor, Style};

use super::{error, terminal, ExplainFormat, ListFormat, EXIT_CLEAN, EXIT_ERROR};
use errcode_core::analysis::matcher::Matcher;
use errcode_core::catalog::{builtin, CatalogSet};
use errcode_core::docs::{self, Doc};
use errcode_core::locale::Locale;
use errcode_core::messages::{self, Label};
use errcode_core::project::{find_root, Project};
use errcode_core::walk::named_path_problem;

/// Loads the project around `dir` (default: the current directory), or prints why not (a
/// named path that does not exist or cannot be read is an error, not the project of `/`).
fn load_project(dir: Option<PathBuf>) -> Result<Project, u8> {
    if let Some(why) = dir.as_deref().and_then(named_path_problem) {
        error(format!("{}: {why}", dir.as_deref().unwrap_or(Path::new(".")).display()));
        return Err(EXIT_ERROR);
    }
    let dir = dir.unwrap_or_else(|| PathBuf::from("."));
    Project::load(&find_root(&dir), None).map_err(|e| {
        error(e);
        EXIT_ERROR
    })
}

/// Every catalog `explain` can draw on: all built-ins plus the project's team catalogs,
/// whether active or not (explaining a code is useful anywhere).
fn explain_set(project: Option<&Project>) -> CatalogSet {
    let mut catalogs: Vec<_> = builtin::all().to_vec();
    if let Some(project) = project {
        for c in project.analyzer.catalogs().catalogs() {
            if !catalogs.iter().any(|b| Arc::ptr_eq(b, c)) {
                catalogs.push(c.clone());
            }
        }
    }
    CatalogSet::new(catalogs)
}

/// The merged documentation of `code`, or of every named code carrying the number `code`.
fn docs_of(set: &CatalogSet, code: &str, locale: Locale) -> Vec<Doc> {
    if let Some(doc) = Doc::of(set, code, locale) {
        return vec![doc];
    }
    // A numeric code (`-501001`) explains every named code that carries that number.
    let Ok(n) = code.parse::<i64>() else { return Vec::new() };
    let mut named: Vec<&str> = Vec::new();
    for e in set.catalogs().iter().flat_map(|c| c.entries.iter()).filter(|e| e.numeric == Some(n)) {
        if !named.contains(&e.code.as_str()) {
            named.push(&e.code);
        }
    }
    named.iter().filter_map(|c| Doc::of(set, c, locale)).collect()
}

pub fn explain(code: &str, format: Option<ExplainFormat>, locale: Locale) -> u8 {
    let project = load_project(None).ok();
    let set = explain_set(project.as_ref());
    let found = docs_of(&set, code, locale);
    if !found.is_empty() {
        use std::io::IsTerminal;
        let format = format.unwrap_or(if std::io::stdout().is_terminal() {
            ExplainFormat::Terminal
        } else {
            ExplainFormat::Plain
        });
        let mut out = anstream::stdout().lock();
        let text = match format {
            // Catalog text may hold control characters: escaped before the styles are added.
            ExplainFormat::Terminal => found.iter().map(|d| styled(&escaped(d), locale)).collect::<Vec<_>>().join("\n"),
            ExplainFormat::Plain => {
                terminal::text(&found.iter().map(|d| d.plain(locale)).collect::<Vec<_>>().join("\n\n")).into_owned()
            }
            ExplainFormat::Markdown => {
                let md = found.iter().map(|d| d.markdown(locale)).collect::<Vec<_>>().join("\n\n---\n\n");
                terminal::text(&md).into_owned()
            }
            // JSON escapes control characters itself.
            ExplainFormat::Json => serde_json::to_string_pretty(&found).unwrap_or_default(),
        };
        let _ = writeln!(out, "{}", text.trim_end());
        return EXIT_CLEAN;
    }
    let upper = code.to_ascii_uppercase();
    let matcher = Matcher::new(set.codes().iter().map(String::as_str));
    let suggestion = if set.contains(&upper) {
        Some(messages::Suggestion::DidYouMean(upper))
    } else if let Some(near) = matcher.near_miss(&upper) {
        Some(messages::Suggestion::DidYouMean(near.suggestions[0].clone()))
    } else {
        let mut close: Vec<(usize, &String)> =
            set.codes().iter().map(|c| (strsim::osa_distance(&upper, c), c)).filter(|(d, _)| *d <= 4).collect();
        close.sort();
        (!close.is_empty())
            .then(|| messages::Suggestion::Similar(close.iter().take(3).map(|(_, c)| c.to_string()).collect()))
    };
    error(messages::unknown_code(locale, code, suggestion.as_ref()));
    EXIT_ERROR
}

/// `doc` with the control characters of its text escaped (see `terminal`).
fn escaped(doc: &Doc) -> Doc {
    let t = |s: &str| terminal::text(s).into_owned();
    let mut doc = doc.clone();
    for field in [&mut doc.code, &mut doc.catalog, &mut doc.category, &mut doc.summary, &mut doc.details] {
        *field = t(field);
    }
    for field in [&mut doc.note, &mut doc.docs, &mut doc.replaced_by].into_iter().flatten() {
        *field = t(field);
    }
    for also in &mut doc.also_in {
        for field in [&mut also.catalog, &mut also.category] {
            *field = t(field);
        }
        for field in [&mut also.note, &mut also.docs].into_iter().flatten() {
            *field = t(field);
        }
    }
    doc
}

/// A code's documentation for a terminal: a bold heading, the status in colour, Markdown
/// headings bold and bullets as `•`, code spans and links highlighted. Styles are dropped
/// when stdout is not a terminal or `NO_COLOR` is set (`anstream`).
fn styled(doc: &Doc, locale: Locale) -> String {
    let bold = Style::new().bold();
    let dim = Style::new().dimmed();
    let code_style = Style::new().fg_color(Some(AnsiColor::Cyan.into()));
    let link = Style::new().underline().fg_color(Some(AnsiColor::Blue.into()));
    let warn = Style::new().bold().fg_color(Some(AnsiColor::Yellow.into()));
    let inline = |text: &str| -> String {
        // `code` spans in cyan, **bold** in bold; the marks themselves are dropped.
        let mut out = String::new();
        let mut rest = text;
        while let Some(i) = rest.find(['`', '*']) {
            out.push_str(&rest[..i]);
            let (mark, style) = if rest[i..].starts_with("**") {
                ("**", bold)
            } else if rest[i..].starts_with('`') {
                ("`", code_style)
            } else {
                ("*", Style::new().italic())
            };
            let after = &rest[i + mark.len()..];
            match after.find(mark) {
                Some(end) => {
                    out.push_str(&format!("{style}{}{style:#}", &after[..end]));
                    rest = &after[end + mark.len()..];
                }
                None => {
                    out.push_str(mark);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    };
    let mut out = format!("{bold}{}{bold:#}", doc.code);
    if let Some(n) = doc.numeric {
        out.push_str(&format!(" ({n})"));
    }
    out.push_str(&format!("  {dim}{} · {}{dim:#}\n", doc.catalog, doc.category));
    if let Some(line) = doc.status_line(locale) {
        out.push_str(&format!("{warn}{}{warn:#}\n", docs::strip_markdown(&line)));
    }
    out.push('\n');
    out.push_str(&inline(&doc.summary));
    out.push('\n');
    if !doc.details.is_empty() {
        out.push('\n');
        for line in doc.details.lines() {
            let trimmed = line.trim_start();
            if let Some(item) = trimmed.strip_prefix("- ").or_else(|| trimmed.strip_prefix("* ")) {
                let indent = &line[..line.len() - trimmed.len()];
                out.push_str(&format!("  {indent}• {}\n", inline(item)));
            } else if trimmed.starts_with("**") && trimmed.ends_with("**") && trimmed.len() > 4 {
                out.push_str(&format!("{bold}{}{bold:#}\n", &trimmed[2..trimmed.len() - 2]));
            } else {
                out.push_str(&inline(line));
                out.push('\n');
            }
        }
    }
    if let Some(note) = &doc.note {
        out.push_str(&format!("\n{bold}{}{bold:#}{}\n", messages::labelled(locale, Label::Note, false), inline(note)));
    }
    if let Some(url) = &doc.docs {
        out.push_str(&format!("\n{}{link}{url}{link:#}\n", messages::labelled(locale, Label::Documentation, false)));
    }
    for also in &doc.also_in {
        out.push_str(&inline(&also.line(locale, false)));
        out.push('\n');
    }
    out
}

pub fn codes(format: ListFormat, all: bool, dir: Option<PathBuf>, locale: Locale) -> u8 {
    let project = match load_project(dir) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let set = if all {
        explain_set(Some(&project))
    } else {
        CatalogSet::new(project.analyzer.catalogs().catalogs().to_vec())
    };
    match format {
        ListFormat::Json => {
            let codes: Vec<_> = set
                .catalogs()
                .iter()
                .flat_map(|c| {
                    c.entries.iter().map(move |e| {
                        json!({
                            "code": e.code, "catalog": c.name(), "category": e.category, "summary": e.summary,
                            "numeric": e.numeric, "status": e.status.as_str(), "replaced_by": e.replaced_by, "docs": e.docs,
                        })
                    })
                })
                .collect();
            let out =
                json!({ "active_catalogs": project.active_catalogs(), "status": project.summary(), "codes": codes });
            println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        }
        ListFormat::Human => {
            if set.is_empty() {
                eprintln!("{}", terminal::line(&project.summary_in(locale)));
            }
            for catalog in set.catalogs() {
                println!("# {} ({} codes)", terminal::line(catalog.name()), catalog.entries.len());
                for e in &catalog.entries {
                    let status = match e.status {
                        errcode_core::catalog::Status::Current => String::new(),
                        errcode_core::catalog::Status::Deprecated => {
                            format!(" [deprecated -> {}]", terminal::line(e.replaced_by.as_deref().unwrap_or("?")))
                        }
                        errcode_core::catalog::Status::Legacy => " [legacy]".to_string(),
                    };
                    let category = catalog.meta.category_in(&e.category, locale.tag());
                    let (code, category) = (terminal::line(&e.code), terminal::line(category));
                    let summary = terminal::line(e.summary_in(locale.tag()).trim()).into_owned();
                    println!("{code:<48} {} {summary}{status}", pad(&category, 28));
                }
                println!();
            }
        }
    }
    EXIT_CLEAN
}

pub fn status(path: Option<PathBuf>, locale: Locale) -> u8 {
    let project = match load_project(path) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let t = |key| messages::status_label(locale, key);
    use messages::StatusLabel as S;
    println!("{}: {}", t(S::Root), terminal::path(&project.root));
    match &project.config_path {
        Some(p) => println!("{}: {}", t(S::Config), terminal::path(p)),
        None => println!("{}: {}", t(S::Config), t(S::NoConfig)),
    }
    // As written in errcode.toml (`auto`), not as the Rust enum is named.
    let activation = serde_json::to_value(project.settings.activation).ok();
    println!("{}: {}", t(S::Activation), activation.as_ref().and_then(|v| v.as_str()).unwrap_or("auto"));
    for c in &project.catalogs {
        let state = if c.active { t(S::Active) } else { t(S::Inactive) };
        let origin = if c.origin == "built-in" { t(S::BuiltIn).to_string() } else { c.origin.clone() };
        let codes = messages::code_count(locale, c.codes);
        let (name, reason, origin) = (
            terminal::line(&c.name),
            terminal::line(&c.why.text(locale)).into_owned(),
            terminal::line(&origin).into_owned(),
        );
        println!("  {name:<20} {} {codes}  {reason}{}", pad(state, 8), messages::aside(locale, &origin));
    }
    println!("{}", terminal::line(&project.summary_in(locale)));
    EXIT_CLEAN
}

/// `text` padded to `width` terminal columns (Chinese characters take two).
fn pad(text: &str, width: usize) -> String {
    let used = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}
