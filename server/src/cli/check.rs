//! `errcode-lsp check`: walks paths like ripgrep, analyses every file, prints or fixes findings.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::render::{self as output, FileReport, Report};
use super::{error, CheckArgs, Format, EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};
use errcode_core::analysis::Finding;
use errcode_core::fix::{self, Applicability};
use errcode_core::locale::Locale;
use errcode_core::project::Projects;
use errcode_core::scan::Lang;
use errcode_core::walk::{named_path_problem, walk, File, WalkOptions};
use errcode_core::write::{self, NotWritten};

/// More threads than this many per core only add overhead (`-j 99999` once spun 7,706 threads
/// for twelve minutes).
const MAX_THREADS_PER_CORE: usize = 4;

/// The worker threads for `-j`: one per core by default, at most `MAX_THREADS_PER_CORE` per
/// core (with a note when capped).
fn thread_count(requested: Option<usize>) -> usize {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let max = cores * MAX_THREADS_PER_CORE;
    match requested {
        None | Some(0) => cores,
        Some(n) if n > max => {
            eprintln!("note: -j {n} is more than {MAX_THREADS_PER_CORE} threads per core; using {max}");
            max
        }
        Some(n) => n,
    }
}

pub fn run(args: &CheckArgs, locale: Locale) -> u8 {
    let paths: Vec<PathBuf> = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let stdin = paths.iter().any(|p| p.as_os_str() == "-");
    if stdin && (paths.len() > 1 || args.fix) {
        error("`check -` reads one text from stdin: no other paths, and no `--fix` (the fixed text has nowhere to go)");
        return EXIT_ERROR;
    }
    if !stdin && args.stdin_filename.is_some() {
        error("`--stdin-filename` goes with `check -` (read the text from stdin)");
        return EXIT_ERROR;
    }
    // A named path that cannot be read is an error, not a file skipped in silence.
    for path in paths.iter().filter(|_| !stdin) {
        if let Some(why) = named_path_problem(path) {
            error(format!("{}: {why}", path.display()));
            return EXIT_ERROR;
        }
    }

    // Each file is judged by its own project (the nearest errcode.toml, repository or package
    // above it), however the run was started.
    let projects = Projects::new(None);
    let options = WalkOptions {
        standard_filters: !args.no_ignore,
        default_excludes: !args.no_default_excludes,
        threads: thread_count(args.threads),
    };
    let files: Mutex<Vec<FileReport>> = Mutex::new(Vec::new());
    // Each file's project root, for `--fix` (a symlink is written through only inside it).
    let roots: Mutex<HashMap<PathBuf, PathBuf>> = Mutex::new(HashMap::new());
    // A file named twice (`check x.ts x.ts`, or a path and a symlink to it) is checked once.
    let seen: Mutex<HashSet<(u64, u64)>> = Mutex::new(HashSet::new());
    let (format, fix) = (args.format, args.fix);
    let visit = |file: File<'_>| {
        if let Some(id) = file.identity {
            if !seen.lock().unwrap_or_else(|e| e.into_inner()).insert(id) {
                return;
            }
        }
        let unsafe_fixes = args.unsafe_fixes || file.project.settings.unsafe_fixes;
        if let Some(report) = check_file(&file, format, fix, unsafe_fixes, locale) {
            if fix {
                let root = file.project.root.clone();
                roots.lock().unwrap_or_else(|e| e.into_inner()).insert(report.path.clone(), root);
            }
            files.lock().unwrap_or_else(|e| e.into_inner()).push(report);
        }
    };
    let walked = if stdin { check_stdin(args, &projects, &visit) } else { walk(&paths, &options, &projects, &visit) };
    let walked = match walked {
        Ok(walked) => walked,
        Err(e) => {
            error(e);
            return EXIT_ERROR;
        }
    };

    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let projects = projects.loaded();
    let mut report = Report {
        scanned: walked.checked,
        files,
        skipped: walked.skipped,
        fixed: Vec::new(),
        not_fixed: Vec::new(),
        projects: projects.clone(),
        locale,
    };

    if args.fix {
        apply_fixes(&mut report, &roots.into_inner().unwrap_or_else(|e| e.into_inner()));
    }

    output::print(&report, args.format);
    let failing = report.files.iter().flat_map(|f| &f.findings).filter(|l| args.min_severity.fails(l.finding.severity));
    let mut code = if report.not_fixed.iter().any(|n| n.failed) {
        EXIT_ERROR
    } else if failing.count() > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    };
    // The projects without an active catalog were named on stderr (see `output::print`).
    if args.require_active && (projects.is_empty() || projects.iter().any(|p| p.active_catalogs().is_empty())) {
        error("no catalog is active for the checked files (`--require-active`); see `errcode-lsp status`");
        code = EXIT_ERROR;
    }
    // The process ends now: freeing every finding and cached verdict one by one would only
    // cost time (it showed up in profiles of large trees).
    std::mem::forget(report);
    std::mem::forget(projects);
    code
}

/// `check -`: the text on stdin, as the file `--stdin-filename` names (its language, and the
/// project it belongs to; the generic scanner and the current directory's project without it).
fn check_stdin(
    args: &CheckArgs,
    projects: &Projects,
    visit: &(dyn Fn(File<'_>) + Sync),
) -> Result<errcode_core::walk::Walked, errcode_core::error::FileError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().lock().read_to_end(&mut bytes) {
        return Err(errcode_core::error::FileError::new(Path::new("<stdin>"), format!("cannot read: {e}")));
    }
    let name = args.stdin_filename.clone().unwrap_or_else(|| PathBuf::from("<stdin>"));
    let mut walked = errcode_core::walk::Walked::default();
    let Ok(text) = std::str::from_utf8(&bytes) else {
        walked.skipped.not_utf8 += 1;
        return Ok(walked);
    };
    let project = match &args.stdin_filename {
        Some(path) => projects.for_entry(path, false)?,
        None => projects.for_path(Path::new("."))?,
    };
    let lang = Lang::from_path(&name).unwrap_or(Lang::Generic);
    visit(File { path: &name, lang, text, project: &project, explicit: true, identity: None });
    walked.checked = 1;
    Ok(walked)
}

/// Checks one file; `None` means clean. Findings are located (line, column, and the line's
/// text for the human format) here, on the walker thread, so the file's text can be dropped;
/// it is kept only for `--fix`. Without `--fix` the findings are final, so they are rendered
/// for the output format here too, in parallel.
/// With `unsafe_fixes` (the flag or the project's setting), unsafe fixes count as safe.
fn check_file(file: &File<'_>, format: Format, fix: bool, unsafe_fixes: bool, locale: Locale) -> Option<FileReport> {
    let project = file.project;
    // A catalog file's codes are declarations, not uses: never a finding, never a fix.
    if project.is_catalog_file(file.path) {
        return None;
    }
    let mut findings: Vec<Finding> = project.analyzer.analyze(file.lang, file.text);
    if findings.is_empty() {
        return None;
    }
    if unsafe_fixes {
        for f in &mut findings {
            f.applicability = Applicability::Safe;
        }
    }
    let mut report = FileReport {
        path: display_path(file.path),
        findings: output::locate_all(file.text, findings, format == Format::Human),
        text: fix.then(|| file.text.to_string()),
        rendered: None,
        locale,
    };
    if !fix {
        report.rendered = output::render_file(&report, format);
    }
    Some(report)
}

/// Paths are shown as given, without a leading `./`.
fn display_path(path: &Path) -> PathBuf {
    path.strip_prefix(".").map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

/// Rewrites each file's unambiguous, safe findings and records what changed, and every file
/// that could not be written and why: one failure never stops the others.
fn apply_fixes(report: &mut Report, roots: &HashMap<PathBuf, PathBuf>) {
    for file in &mut report.files {
        let Some(text) = file.text.take() else { continue };
        let fixable: Vec<&Finding> =
            file.findings.iter().map(|l| &l.finding).filter(|f| f.fix.is_some() && f.applicability.is_safe()).collect();
        if fixable.is_empty() {
            continue;
        }
        let (new_text, applied) = fix::apply(&text, &fixable);
        let root = roots.get(&file.path).map_or(Path::new("."), PathBuf::as_path);
        match write::replace_file(&file.path, root, &text, &new_text) {
            Ok(written) => {
                if written.through_symlink {
                    report.not_fixed.push(output::NotFixed {
                        path: file.path.clone(),
                        failed: false,
                        written: true,
                        why: format!("is a symlink: fixed its target {}", written.target.display()),
                    });
                }
            }
            Err(e) => {
                let failed = matches!(e, NotWritten::Failed(_));
                report.not_fixed.push(output::NotFixed {
                    path: file.path.clone(),
                    failed,
                    written: false,
                    why: e.to_string(),
                });
                continue;
            }
        }
        // Findings never overlap, so a finding is known by where it starts.
        let applied: std::collections::HashSet<usize> = applied.into_iter().map(|f| f.start).collect();
        let was_applied = |f: &Finding| applied.contains(&f.start);
        for located in &file.findings {
            if was_applied(&located.finding) {
                report.fixed.push(output::Fixed {
                    path: file.path.clone(),
                    line: located.line,
                    column: located.column,
                    from: located.finding.literal.clone(),
                    to: located.finding.fix.clone().unwrap_or_default(),
                });
            }
        }
        file.findings.retain(|l| !was_applied(&l.finding));
    }
}
