//! `errcode-lsp report`: which codes a project handles, as Markdown, JSON or one self-contained
//! HTML page. The data comes from `errcode_core::report`; this file walks the tree and renders.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use clap::ValueEnum;

use super::{error, EXIT_CLEAN, EXIT_ERROR};
use errcode_core::catalog::{Catalog, CatalogSet};
use errcode_core::index::index_tree;
use errcode_core::project::{Project, Projects};
use errcode_core::report::{self, percent, CodeReport, Location, ProjectInfo, Report};
use errcode_core::walk::WalkOptions;

#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// Files or directories to report on (default: the current directory); one project.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    pub format: ReportFormat,
    /// Write the report to this file instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also look at files ignored by .gitignore, and hidden files.
    #[arg(long)]
    pub no_ignore: bool,
    /// Also look at build output, dependencies and generated files.
    #[arg(long)]
    pub no_default_excludes: bool,
}

/// The active catalogs of every project, each once (by name).
fn union_of(projects: &[Arc<Project>]) -> CatalogSet {
    let mut catalogs: Vec<Arc<Catalog>> = Vec::new();
    for project in projects {
        for catalog in project.analyzer.catalogs().catalogs() {
            if !catalogs.iter().any(|c| c.name() == catalog.name()) {
                catalogs.push(catalog.clone());
            }
        }
    }
    CatalogSet::new(catalogs)
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Markdown,
    Json,
    Html,
}

pub fn run(args: &ReportArgs) -> u8 {
    let paths: Vec<PathBuf> = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let mut walks = Vec::new();
    for path in &paths {
        match path.canonicalize() {
            Ok(p) => walks.push(p),
            Err(e) => {
                error(format!("{}: {e}", path.display()));
                return EXIT_ERROR;
            }
        }
    }
    // Each file is analysed by its own project (a package of a monorepo by its own settings);
    // the report covers the codes of every catalog active in any of them.
    let projects = Projects::new(None);
    let project = match projects.for_path(&walks[0]) {
        Ok(p) => p,
        Err(e) => {
            error(e);
            return EXIT_ERROR;
        }
    };
    let root = project.root.clone();
    let options = WalkOptions {
        standard_filters: !args.no_ignore,
        default_excludes: !args.no_default_excludes,
        threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
    };
    let (files, walked) = match index_tree(&walks, &projects, &options, &|_| false) {
        Ok(found) => found,
        Err(e) => {
            error(e);
            return EXIT_ERROR;
        }
    };
    let set = union_of(&projects.loaded());
    let first = &walks[0];
    let dir = if first.is_dir() { first.as_path() } else { first.parent().unwrap_or(first) };
    let info = ProjectInfo {
        name: dir.file_name().map_or_else(|| dir.display().to_string(), |n| n.to_string_lossy().into_owned()),
        root: root.display().to_string(),
        paths: walks.iter().map(|p| report::display_path(&root, p)).collect(),
        active_catalogs: set.catalogs().iter().map(|c| c.name().to_string()).collect(),
        status: project.summary(),
    };
    let mut report = report::build(info, &root, &set, &files);
    report.totals.files_checked = walked.checked;
    report.totals.skipped = walked.skipped;
    if report.catalogs.is_empty() {
        eprintln!("nothing to report: {}", report.project.status);
    }
    let text = match args.format {
        ReportFormat::Markdown => markdown(&report),
        ReportFormat::Json => serde_json::to_string_pretty(&report).unwrap_or_default() + "\n",
        ReportFormat::Html => html(&report),
    };
    match &args.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, text) {
                error(format!("{}: cannot write: {e}", path.display()));
                return EXIT_ERROR;
            }
            eprintln!("wrote {}", path.display());
        }
        None => print!("{text}"),
    }
    EXIT_CLEAN
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The inactive-project message (also shown inside every format's output).
fn inactive_message(report: &Report) -> String {
    format!(
        "Nothing to report: {}. Error codes are looked for only when a catalog is active \
         (see `errcode-lsp status`).",
        report.project.status
    )
}

fn headline(report: &Report) -> String {
    let t = &report.totals;
    format!(
        "{} of {} known codes handled ({}) in {}; {} of {} categories handled.",
        t.codes_handled,
        t.codes_known,
        plural(t.references, "reference"),
        plural(t.files, "file"),
        t.categories_handled,
        t.categories
    )
}

/// Escapes text for a Markdown table cell or inline text.
fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn md_locations(locations: &[Location]) -> String {
    locations.iter().map(|l| format!("`{}`", md_cell(&l.to_string()))).collect::<Vec<_>>().join(", ")
}

pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let p = &report.project;
    let _ = writeln!(out, "# Error-code report: {}\n", p.name);
    let paths = p.paths.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
    let _ = writeln!(out, "Project root: `{}`; reported paths: {paths}.  ", p.root);
    if report.catalogs.is_empty() {
        let _ = writeln!(out, "\n**{}**", inactive_message(report));
        return out;
    }
    let _ = writeln!(out, "Active catalogs: {}.\n", p.active_catalogs.join(", "));
    let _ = writeln!(out, "**{}**\n", headline(report));

    let _ = writeln!(out, "## Never handled\n");
    if report.never_handled.is_empty() {
        let _ = writeln!(out, "Every category has at least one handled code.\n");
    } else {
        let _ = writeln!(out, "No code of these categories appears anywhere in the project:\n");
        for n in &report.never_handled {
            let _ = writeln!(out, "- **{}** ({}, {})", n.category, n.catalog, plural(n.codes, "code"));
        }
        out.push('\n');
    }

    if !report.deprecated.is_empty() {
        let _ = writeln!(out, "## Deprecated codes in use\n");
        for d in &report.deprecated {
            let _ = writeln!(
                out,
                "- `{}` ({}): use `{}` instead; {}: {}",
                d.code,
                d.catalog,
                d.replaced_by,
                plural(d.count, "use"),
                md_locations(&d.locations)
            );
        }
        out.push('\n');
    }

    for catalog in &report.catalogs {
        let _ = writeln!(out, "## {} ({}/{} codes handled)\n", catalog.name, catalog.handled, catalog.total);
        if !catalog.description.is_empty() {
            let _ = writeln!(out, "{}\n", catalog.description);
        }
        let _ = writeln!(out, "| Category | Handled | Coverage |\n| --- | ---: | ---: |");
        for c in &catalog.categories {
            let never = if c.handled == 0 { " (never handled)" } else { "" };
            let _ = writeln!(
                out,
                "| {}{never} | {}/{} | {}% |",
                md_cell(&c.name),
                c.handled,
                c.total,
                percent(c.handled, c.total)
            );
        }
        out.push('\n');
        for c in catalog.categories.iter().filter(|c| !c.codes.is_empty()) {
            let _ = writeln!(out, "### {} ({}/{})\n", c.name, c.handled, c.total);
            let _ = writeln!(out, "| Code | Count | Locations |\n| --- | ---: | --- |");
            for code in &c.codes {
                let _ = writeln!(
                    out,
                    "| `{}`{} | {} | {} |",
                    code.code,
                    status_note(code),
                    code.count,
                    md_locations(&code.locations)
                );
            }
            out.push('\n');
        }
    }
    out
}

fn status_note(code: &CodeReport) -> String {
    match (code.status, &code.replaced_by) {
        ("deprecated", Some(r)) => format!(" (deprecated, use `{r}`)"),
        ("deprecated", None) => " (deprecated)".to_string(),
        ("legacy", _) => " (legacy)".to_string(),
        _ => String::new(),
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const CSS: &str = r#"
:root {
  color-scheme: light dark;
  --bg: #f6f7f9; --card: #ffffff; --text: #1d2330; --muted: #5d6675; --border: #dde1e7;
  --accent: #2563eb; --bar: #e6e9ef; --low: #dc2626;
  --warn-bg: #fff4e5; --warn-border: #f59e0b; --warn-text: #7a4100;
  --dep-bg: #fdecec; --dep-border: #ef4444; --code-bg: #eef1f5;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1217; --card: #171b22; --text: #e4e7ec; --muted: #98a2b3; --border: #2a303b;
    --accent: #60a5fa; --bar: #262c36; --low: #f87171;
    --warn-bg: #2a2110; --warn-border: #b7791f; --warn-text: #fcd9a0;
    --dep-bg: #2b1517; --dep-border: #b91c1c; --code-bg: #222834;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 20px 48px; }
header { margin-bottom: 20px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.3rem; margin: 32px 0 12px; }
h3 { font-size: 1.05rem; margin: 0; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.9em; }
code { background: var(--code-bg); padding: 1px 5px; border-radius: 4px; }
.muted { color: var(--muted); }
.meta { margin: 2px 0; color: var(--muted); overflow-wrap: anywhere; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin-top: 16px; }
.stat { background: var(--card); border: 1px solid var(--border); border-radius: 10px; padding: 12px 14px; }
.stat .n { font-size: 1.6rem; font-weight: 700; }
.stat .l { color: var(--muted); font-size: 0.85rem; }
.card { background: var(--card); border: 1px solid var(--border); border-radius: 10px; padding: 14px 16px; margin: 12px 0; }
.never { background: var(--warn-bg); border: 1px solid var(--warn-border); border-left-width: 6px; color: var(--warn-text);
  border-radius: 10px; padding: 14px 18px; margin: 20px 0; }
.never h2 { margin: 0 0 6px; color: inherit; }
.never ul { margin: 8px 0 0; padding-left: 20px; columns: 2 320px; }
.never li { break-inside: avoid; margin: 2px 0; }
.deprecated { background: var(--dep-bg); border: 1px solid var(--dep-border); border-left-width: 6px;
  border-radius: 10px; padding: 14px 18px; margin: 20px 0; }
.deprecated h2 { margin: 0 0 6px; }
.cat-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 6px 14px; }
.cat-head .count { margin-left: auto; font-variant-numeric: tabular-nums; color: var(--muted); }
.bar { height: 10px; background: var(--bar); border-radius: 5px; overflow: hidden; margin: 10px 0 4px; }
.bar > span { display: block; height: 100%; min-width: 0; border-radius: 5px; background: var(--accent); }
.badge { display: inline-block; font-size: 0.75rem; font-weight: 600; padding: 1px 8px; border-radius: 999px;
  border: 1px solid currentColor; }
.badge.never-b { color: var(--low); }
.badge.dep { color: var(--low); }
.badge.legacy { color: var(--muted); }
table { width: 100%; border-collapse: collapse; margin-top: 10px; }
th, td { text-align: left; padding: 7px 8px; border-top: 1px solid var(--border); vertical-align: top; }
th { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); border-top: none; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; width: 4.5em; }
td.code { white-space: nowrap; }
table.codes td:first-child { width: 52%; }
table.codes td.locations { width: 40%; }
.summary { color: var(--muted); font-size: 0.9rem; margin-top: 3px; }
.badge { margin-left: 6px; }
details summary { cursor: pointer; color: var(--accent); }
details ul { margin: 6px 0 0; padding-left: 18px; }
details li { overflow-wrap: anywhere; }
footer { margin-top: 40px; color: var(--muted); font-size: 0.85rem; }
@media (max-width: 700px) {
  main { padding: 16px 12px 32px; }
  td.code { white-space: normal; overflow-wrap: anywhere; }
  table.codes tr { display: grid; grid-template-columns: 1fr auto; }
  table.codes th:last-child { display: none; }
  table.codes td.locations { grid-column: 1 / -1; width: auto; border-top: none; padding-top: 0; }
  table.codes td:first-child { width: auto; }
  .deprecated tr { display: grid; grid-template-columns: auto 1fr auto; gap: 0 8px; border-top: 1px solid var(--border); }
  .deprecated th { display: none; }
  .deprecated td { border-top: none; padding: 6px 0; white-space: normal; }
  .deprecated td code { white-space: nowrap; }
  .deprecated td:nth-child(2)::before { content: "\2192  "; color: var(--muted); }
  .deprecated td:last-child { grid-column: 1 / -1; padding-top: 0; }
  .stats { grid-template-columns: 1fr 1fr; }
  .never ul { columns: 1; }
}
"#;

fn bar(handled: usize, total: usize) -> String {
    let pct = percent(handled, total);
    format!(
        "<div class=\"bar\" role=\"img\" aria-label=\"{handled} of {total} codes handled\"><span \
         style=\"width:{pct}%\"></span></div>"
    )
}

fn html_locations(locations: &[Location]) -> String {
    let items: String =
        locations.iter().map(|l| format!("<li class=\"mono\">{}</li>", escape(&l.to_string()))).collect();
    let open = if locations.len() <= 3 { " open" } else { "" };
    format!("<details{open}><summary>{}</summary><ul>{items}</ul></details>", plural(locations.len(), "location"))
}

pub fn html(report: &Report) -> String {
    let p = &report.project;
    let t = &report.totals;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Error-code report: {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        escape(&p.name)
    );
    let _ = write!(out, "<header>\n<h1>Error-code report: {}</h1>\n", escape(&p.name));
    let paths = p.paths.iter().map(|s| format!("<code>{}</code>", escape(s))).collect::<Vec<_>>().join(", ");
    let _ = write!(
        out,
        "<p class=\"meta\">Project root <code>{}</code> &middot; reported paths {paths}</p>\n\
         <p class=\"meta\">{}</p>\n",
        escape(&p.root),
        escape(&p.status)
    );
    if report.catalogs.is_empty() {
        let _ = write!(
            out,
            "</header>\n<section class=\"never\"><h2>Nothing to report</h2><p>{}</p></section>\n",
            escape(&inactive_message(report))
        );
        out.push_str("</main>\n</body>\n</html>\n");
        return out;
    }
    let stat =
        |n: String, l: &str| format!("<div class=\"stat\"><div class=\"n\">{n}</div><div class=\"l\">{l}</div></div>");
    let _ = write!(
        out,
        "<div class=\"stats\">{}{}{}{}</div>\n</header>\n",
        stat(format!("{}<span class=\"muted\"> / {}</span>", t.codes_handled, t.codes_known), "codes handled"),
        stat(
            format!("{}<span class=\"muted\"> / {}</span>", t.categories_handled, t.categories),
            "categories with a handled code"
        ),
        stat(t.references.to_string(), "references"),
        stat(t.files.to_string(), "files with references"),
    );

    out.push_str("<section class=\"never\" id=\"never-handled\">\n<h2>Never handled</h2>\n");
    if report.never_handled.is_empty() {
        out.push_str("<p>Every category has at least one handled code.</p>\n");
    } else {
        let _ = write!(
            out,
            "<p>{} without a single reference in the project:</p>\n<ul>\n",
            match report.never_handled.len() {
                1 => "1 category".to_string(),
                n => format!("{n} categories"),
            }
        );
        for n in &report.never_handled {
            let _ = writeln!(
                out,
                "<li><strong>{}</strong> <span class=\"muted\">{} &middot; {}</span></li>",
                escape(&n.category),
                escape(&n.catalog),
                plural(n.codes, "code")
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");

    if !report.deprecated.is_empty() {
        out.push_str(
            "<section class=\"deprecated\" id=\"deprecated\">\n<h2>Deprecated codes in use</h2>\n<table>\n\
             <tr><th>Code</th><th>Use instead</th><th class=\"num\">Count</th><th>Locations</th></tr>\n",
        );
        for d in &report.deprecated {
            let _ = writeln!(
                out,
                "<tr><td class=\"code\"><code>{}</code></td><td class=\"code\"><code>{}</code></td>\
                 <td class=\"num\">{}</td><td>{}</td></tr>",
                escape(&d.code),
                escape(&d.replaced_by),
                d.count,
                html_locations(&d.locations)
            );
        }
        out.push_str("</table>\n</section>\n");
    }

    for catalog in &report.catalogs {
        let _ = write!(
            out,
            "<section class=\"catalog\">\n<h2>{} <span class=\"muted\">&middot; {} of {} codes handled</span></h2>\n",
            escape(&catalog.name),
            catalog.handled,
            catalog.total
        );
        if !catalog.description.is_empty() {
            let _ = writeln!(out, "<p class=\"muted\">{}</p>", escape(&catalog.description));
        }
        for c in &catalog.categories {
            let badge = if c.handled == 0 { "<span class=\"badge never-b\">never handled</span>" } else { "" };
            let _ = write!(
                out,
                "<div class=\"card\">\n<div class=\"cat-head\"><h3>{}</h3>{badge}<span class=\"count\">{}/{} \
                 &middot; {}%</span></div>\n{}\n",
                escape(&c.name),
                c.handled,
                c.total,
                percent(c.handled, c.total),
                bar(c.handled, c.total)
            );
            if !c.codes.is_empty() {
                out.push_str(
                    "<table class=\"codes\">\n<tr><th>Code</th><th class=\"num\">Count</th><th>Locations</th></tr>\n",
                );
                for code in &c.codes {
                    let badge = match code.status {
                        "deprecated" => " <span class=\"badge dep\">deprecated</span>",
                        "legacy" => " <span class=\"badge legacy\">legacy</span>",
                        _ => "",
                    };
                    let _ = writeln!(
                        out,
                        "<tr><td><code>{}</code>{badge}<div class=\"summary\">{}</div></td>\
                         <td class=\"num\">{}</td><td class=\"locations\">{}</td></tr>",
                        escape(&code.code),
                        escape(&code.summary),
                        code.count,
                        html_locations(&code.locations)
                    );
                }
                out.push_str("</table>\n");
            }
            out.push_str("</div>\n");
        }
        out.push_str("</section>\n");
    }
    let _ = write!(
        out,
        "<footer>Generated by errcode-lsp {} &middot; <code>errcode-lsp report --format html</code></footer>\n\
         </main>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    out
}
