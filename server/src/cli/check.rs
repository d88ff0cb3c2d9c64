//! `errcode-lsp check`: walks paths like ripgrep, analyses every file, prints or fixes findings.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use ignore::{WalkBuilder, WalkState};

use super::output::{self, FileReport, Report, Skipped};
use super::{error, CheckArgs, EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};
use crate::analysis::Finding;
use crate::fix;
use crate::project::{find_root, Project};
use crate::scan::Lang;
use crate::text::LineIndex;

/// How many leading bytes are looked at to decide that a file is binary (like ripgrep/git).
const BINARY_PROBE: usize = 8 * 1024;

pub fn run(args: &CheckArgs) -> u8 {
    let paths: Vec<PathBuf> = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    for path in &paths {
        if !path.exists() {
            error(format!("{}: no such file or directory", path.display()));
            return EXIT_ERROR;
        }
    }

    // One project per distinct root.
    let mut projects: Vec<Arc<Project>> = Vec::new();
    let mut roots: HashMap<PathBuf, usize> = HashMap::new();
    let mut walks: Vec<(PathBuf, usize)> = Vec::new();
    for path in &paths {
        let root = find_root(path);
        let index = match roots.get(&root) {
            Some(&i) => i,
            None => match Project::load(&root, None) {
                Ok(project) => {
                    projects.push(Arc::new(project));
                    roots.insert(root.clone(), projects.len() - 1);
                    projects.len() - 1
                }
                Err(e) => {
                    error(e);
                    return EXIT_ERROR;
                }
            },
        };
        walks.push((path.clone(), index));
    }

    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let files: Mutex<Vec<FileReport>> = Mutex::new(Vec::new());
    let skipped: Mutex<Skipped> = Mutex::new(Skipped::default());
    let scanned = AtomicUsize::new(0);
    for (path, index) in &walks {
        let project = &projects[*index];
        if project.analyzer.catalogs().is_empty() {
            continue;
        }
        let explicit_file = path.is_file();
        let mut builder = WalkBuilder::new(path);
        builder.threads(threads);
        if args.no_ignore {
            builder.standard_filters(false);
        }
        builder.build_parallel().run(|| {
            let files = &files;
            let skipped = &skipped;
            let scanned = &scanned;
            let project = project.clone();
            Box::new(move |entry| {
                let Ok(entry) = entry else {
                    skipped.lock().unwrap().unreadable += 1;
                    return WalkState::Continue;
                };
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    return WalkState::Continue;
                }
                let lang = match Lang::from_path(entry.path()) {
                    Some(lang) => lang,
                    None if explicit_file => Lang::Generic,
                    None => return WalkState::Continue,
                };
                match check_file(&project, entry.path(), lang) {
                    Ok(report) => {
                        scanned.fetch_add(1, Ordering::Relaxed);
                        if let Some(report) = report {
                            files.lock().unwrap().push(report);
                        }
                    }
                    Err(why) => skipped.lock().unwrap().add(why),
                }
                WalkState::Continue
            })
        });
    }

    let mut files = files.into_inner().unwrap();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut report = Report {
        scanned: scanned.into_inner(),
        files,
        skipped: skipped.into_inner().unwrap(),
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
    if report.remaining() > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// Why a file was skipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkipReason {
    Binary,
    NotUtf8,
    TooLarge,
    Unreadable,
}

/// Checks one file; `Ok(None)` means scanned and clean.
fn check_file(project: &Project, path: &Path, lang: Lang) -> Result<Option<FileReport>, SkipReason> {
    let meta = std::fs::metadata(path).map_err(|_| SkipReason::Unreadable)?;
    if meta.len() > project.settings.max_file_size {
        return Err(SkipReason::TooLarge);
    }
    let bytes = std::fs::read(path).map_err(|_| SkipReason::Unreadable)?;
    if memchr::memchr(0, &bytes[..bytes.len().min(BINARY_PROBE)]).is_some() {
        return Err(SkipReason::Binary);
    }
    let text = String::from_utf8(bytes).map_err(|_| SkipReason::NotUtf8)?;
    let findings: Vec<Finding> = project.analyzer.analyze(lang, &text);
    // The text is kept only when it is needed to print or fix findings.
    Ok((!findings.is_empty()).then(|| FileReport { path: display_path(path), findings, text: Some(text) }))
}

/// Paths are shown as given, without a leading `./`.
fn display_path(path: &Path) -> PathBuf {
    path.strip_prefix(".").map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

/// Rewrites each file's unambiguous findings and records what changed.
fn apply_fixes(report: &mut Report) -> Result<(), String> {
    for file in &mut report.files {
        let Some(text) = &file.text else { continue };
        let fixable: Vec<&Finding> = file.findings.iter().filter(|f| f.fix.is_some()).collect();
        if fixable.is_empty() {
            continue;
        }
        let (new_text, applied) = fix::apply(text, &fixable);
        write_atomically(&file.path, &new_text)
            .map_err(|e| format!("{}: cannot write fixes: {e}", file.path.display()))?;
        let index = LineIndex::new(text);
        for f in applied {
            let at = index.char_pos(text, f.start);
            report.fixed.push(output::Fixed {
                path: file.path.clone(),
                line: at.line + 1,
                column: at.col + 1,
                from: f.literal.clone(),
                to: f.fix.clone().unwrap_or_default(),
            });
        }
        file.findings.retain(|f| f.fix.is_none());
        file.text = Some(new_text);
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
