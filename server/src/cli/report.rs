//! `errcode-lsp report`: which codes a project handles, as Markdown, JSON or one self-contained
//! HTML page. The data comes from `errcode_core::report`; this file walks the tree and renders.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use clap::ValueEnum;

use super::{error, terminal, EXIT_CLEAN, EXIT_ERROR};
use errcode_core::catalog::{Catalog, CatalogSet, Status};
use errcode_core::index::index_tree;
use errcode_core::project::{Project, Projects};
use errcode_core::report::{self, percent, CodeReport, Generated, Location, ProjectInfo, Report};
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
        if let Some(why) = errcode_core::walk::named_path_problem(path) {
            error(format!("{}: {why}", path.display()));
            return EXIT_ERROR;
        }
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
    report.generated =
        Some(Generated { at: now_rfc3339(), commit: head_commit(&root), by: env!("CARGO_PKG_VERSION").to_string() });
    if report.catalogs.is_empty() {
        eprintln!("nothing to report: {}", terminal::line(&report.project.status));
    }
    let text = match args.format {
        // Names and catalog text are the project's: no control characters in the document.
        ReportFormat::Markdown => terminal::text(&markdown(&report)).into_owned(),
        ReportFormat::Json => serde_json::to_string_pretty(&report).unwrap_or_default() + "\n",
        ReportFormat::Html => super::render::html::report(&report),
    };
    match &args.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, text) {
                error(format!("{}: cannot write: {e}", path.display()));
                return EXIT_ERROR;
            }
            eprintln!("wrote {}", terminal::path(path));
        }
        None => print!("{text}"),
    }
    EXIT_CLEAN
}

pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The inactive-project message (also shown inside every format's output).
pub(crate) fn inactive_message(report: &Report) -> String {
    format!(
        "Nothing to report: {}. Error codes are looked for only when a catalog is active \
         (see `errcode-lsp status`).",
        report.project.status
    )
}

pub(crate) fn headline(report: &Report) -> String {
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
    let _ = writeln!(out, "Reported paths: {paths} (locations are relative to the project root).  ");
    if let Some(g) = &report.generated {
        let commit = g.commit.as_ref().map(|c| format!(" from commit `{c}`")).unwrap_or_default();
        let _ = writeln!(out, "Made {}{commit} by errcode-lsp {}.  ", g.at, g.by);
    }
    if report.catalogs.is_empty() {
        let _ = writeln!(out, "\n**{}**", inactive_message(report));
        return out;
    }
    let _ = writeln!(out, "Active catalogs: {}.\n", p.active_catalogs.join(", "));
    let _ = writeln!(out, "**{}**\n", headline(report));

    if !report.findings.is_empty() {
        let _ = writeln!(out, "## Needs fixing\n");
        let _ = writeln!(out, "| Location | Written | Use instead | Problem |\n| --- | --- | --- | --- |");
        for f in &report.findings {
            let instead: Vec<String> = f
                .suggestions
                .iter()
                .map(|s| match &s.docs {
                    Some(url) => format!("[`{}`]({url})", s.code),
                    None => format!("`{}`", s.code),
                })
                .collect();
            let _ = writeln!(
                out,
                "| `{}` | `{}` | {} | {} |",
                md_cell(&f.location.to_string()),
                md_cell(&f.literal),
                instead.join(", "),
                md_cell(&f.message)
            );
        }
        out.push('\n');
    }

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
            let never = match (c.handled, c.legacy) {
                (0, true) => " (legacy)",
                (0, false) => " (never handled)",
                _ => "",
            };
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
        (Status::Deprecated, Some(r)) => format!(" (deprecated, use `{r}`)"),
        (Status::Deprecated, None) => " (deprecated)".to_string(),
        (Status::Legacy, _) => " (legacy)".to_string(),
        (Status::Current, _) => String::new(),
    }
}

/// The current time in UTC as RFC 3339 (`SOURCE_DATE_EPOCH` when set, for reproducible reports).
fn now_rfc3339() -> String {
    let secs =
        std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<i64>().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
        });
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rest / 3600, rest / 60 % 60, rest % 60)
}

/// The commit checked out in the git repository holding `root`, read from `.git` (nothing is
/// executed): `HEAD`, the branch it names, or `packed-refs`.
fn head_commit(root: &std::path::Path) -> Option<String> {
    let repo = root.ancestors().find(|d| d.join(".git").exists())?;
    let mut git = repo.join(".git");
    if git.is_file() {
        // A worktree or submodule: `gitdir: <path>`.
        let link = std::fs::read_to_string(&git).ok()?;
        git = repo.join(link.strip_prefix("gitdir:")?.trim());
    }
    let head = std::fs::read_to_string(git.join("HEAD")).ok()?;
    let head = head.trim();
    let Some(name) = head.strip_prefix("ref:").map(str::trim) else {
        return is_hash(head).then(|| head.to_string());
    };
    // A linked worktree keeps its refs in the main repository (`commondir`).
    let common = std::fs::read_to_string(git.join("commondir")).ok().map(|c| git.join(c.trim()));
    for dir in [Some(git.clone()), common].into_iter().flatten() {
        if let Ok(hash) = std::fs::read_to_string(dir.join(name)) {
            let hash = hash.trim();
            if is_hash(hash) {
                return Some(hash.to_string());
            }
        }
        if let Ok(packed) = std::fs::read_to_string(dir.join("packed-refs")) {
            let found = packed.lines().find_map(|l| l.strip_suffix(name)?.trim().to_string().into());
            if let Some(hash) = found.filter(|h: &String| is_hash(h)) {
                return Some(hash);
            }
        }
    }
    None
}

fn is_hash(s: &str) -> bool {
    s.len() >= 40 && s.bytes().all(|b| b.is_ascii_hexdigit())
}
