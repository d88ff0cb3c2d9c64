//! `errcode-lsp check`: walks paths like ripgrep, analyses every file, prints or fixes findings.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::output::{self, FileReport, Report};
use super::{error, CheckArgs, Format, EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};
use errcode_core::analysis::Finding;
use errcode_core::fix;
use errcode_core::project::Projects;
use errcode_core::walk::{walk, File, WalkOptions};

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

pub fn run(args: &CheckArgs) -> u8 {
    let paths: Vec<PathBuf> = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    for path in &paths {
        if let Err(e) = std::fs::metadata(path) {
            let why = if e.kind() == std::io::ErrorKind::NotFound {
                "no such file or directory".to_string()
            } else {
                e.to_string()
            };
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
    let (format, fix) = (args.format, args.fix);
    let walked = walk(&paths, &options, &projects, &|file: File<'_>| {
        if let Some(report) = check_file(&file, format, fix) {
            files.lock().unwrap_or_else(|e| e.into_inner()).push(report);
        }
    });
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
        projects: projects.clone(),
    };

    if args.fix {
        if let Err(e) = apply_fixes(&mut report) {
            error(e);
            return EXIT_ERROR;
        }
    }

    output::print(&report, args.format);
    let code = if report.remaining() > 0 { EXIT_FINDINGS } else { EXIT_CLEAN };
    // The process ends now: freeing every finding and cached verdict one by one would only
    // cost time (it showed up in profiles of large trees).
    std::mem::forget(report);
    std::mem::forget(projects);
    code
}

/// Checks one file; `None` means clean. Findings are located (line, column, and the line's
/// text for the human format) here, on the walker thread, so the file's text can be dropped;
/// it is kept only for `--fix`. Without `--fix` the findings are final, so they are rendered
/// for the output format here too, in parallel.
fn check_file(file: &File<'_>, format: Format, fix: bool) -> Option<FileReport> {
    let project = file.project;
    // A catalog file's codes are declarations, not uses: never a finding, never a fix.
    if project.is_catalog_file(file.path) {
        return None;
    }
    let findings: Vec<Finding> = project.analyzer.analyze(file.lang, file.text);
    if findings.is_empty() {
        return None;
    }
    let mut report = FileReport {
        path: display_path(file.path),
        findings: output::locate_all(file.text, findings, format == Format::Human),
        text: fix.then(|| file.text.to_string()),
        rendered: None,
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

/// Rewrites each file's unambiguous findings and records what changed.
fn apply_fixes(report: &mut Report) -> Result<(), String> {
    for file in &mut report.files {
        let Some(text) = file.text.take() else { continue };
        let fixable: Vec<&Finding> = file.findings.iter().map(|l| &l.finding).filter(|f| f.fix.is_some()).collect();
        if fixable.is_empty() {
            continue;
        }
        let (new_text, applied) = fix::apply(&text, &fixable);
        write_atomically(&file.path, &new_text)
            .map_err(|e| format!("{}: cannot write fixes: {e}", file.path.display()))?;
        let applied: Vec<*const Finding> = applied.into_iter().map(|f| f as *const Finding).collect();
        let was_applied = |f: &Finding| applied.contains(&(f as *const Finding));
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
    Ok(())
}

/// Writes `contents` to a temporary file next to `path` and renames it over `path`, keeping
/// the original permissions, so a crash never leaves a half-written file.
fn write_atomically(path: &Path, contents: &str) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.errcode-fix.{}", std::process::id()));
    std::fs::write(&tmp, contents)?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(&tmp, meta.permissions());
    }
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
