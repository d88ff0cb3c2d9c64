//! Which files are checked, for every consumer alike: `check`, `report`, the language server's
//! workspace index (and so its references, symbols and workspace diagnostics) and the files the
//! editor reports changed. One walk and one file policy:
//!
//! * directories are walked like ripgrep (the `ignore` crate: `.gitignore`, `.ignore`, hidden
//!   files), each file judged by its own project's settings (see [`Projects`]);
//! * build output and dependencies are left out: the folders of [`DEFAULT_EXCLUDES`] (or the
//!   project's `exclude` list instead), the project's `extend-exclude`, and generated or vendored
//!   files ([`Generated`]: `*.min.*`, minified JavaScript, `linguist-generated` /
//!   `linguist-vendored` in `.gitattributes`, "generated, do not edit" headers);
//! * a file named explicitly is always checked (whatever its name or place), as a generic text
//!   file if its language is unknown; a named path that cannot be read is an error
//!   ([`named_path_problem`]), not a skip;
//! * binary, non-UTF-8, unreadable and over-large files are skipped; every skip is counted.

use std::cell::RefCell;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{WalkBuilder, WalkState};

use crate::error::FileError;
use crate::project::Project;
use crate::scan::Lang;

/// Folders of build output and dependencies, left out by name wherever they are (unless the
/// project's `exclude` replaces this list, or `--no-default-excludes`).
pub const DEFAULT_EXCLUDES: &[&str] = &[
    // JavaScript dependencies and build output.
    "node_modules",
    "bower_components",
    "jspm_packages",
    "dist",
    "build",
    ".next",
    ".nuxt",
    ".output",
    ".svelte-kit",
    "coverage",
    // WeChat mini-programs: npm packages built for the mini-program, and built component
    // libraries; uni-app's build output.
    "miniprogram_npm",
    "miniprogram_dist",
    "unpackage",
    // Python, Go, PHP, Rust, Java and Dart.
    ".venv",
    "venv",
    "__pycache__",
    "site-packages",
    ".tox",
    "vendor",
    "target",
    ".gradle",
    ".dart_tool",
    "Pods",
];

/// How many leading bytes are looked at to decide that a file is binary (like ripgrep and git).
pub const BINARY_PROBE: usize = 8 * 1024;

/// A JavaScript line longer than this means a minified (generated) file.
pub const MINIFIED_LINE: usize = 1000;

/// Why a file was not checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Skip {
    Binary,
    NotUtf8,
    TooLarge,
    Unreadable,
    /// Generated or vendored: nobody edits it (see [`Generated`]).
    Generated(Generated),
}

/// How a file was recognised as generated or vendored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Generated {
    /// `*.min.js` and the like.
    MinifiedName,
    /// A JavaScript line over [`MINIFIED_LINE`] characters.
    MinifiedText,
    /// `linguist-generated` or `linguist-vendored` in `.gitattributes`.
    Attributes,
    /// A "generated, do not edit" header (`@generated`, Go's `Code generated ... DO NOT EDIT`).
    Header,
}

/// How many files were skipped, by reason.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    pub binary: usize,
    pub not_utf8: usize,
    pub too_large: usize,
    pub unreadable: usize,
    pub generated: usize,
    /// Folders left out whole (build output, dependencies, `exclude` globs); not in [`total`].
    ///
    /// [`total`]: Skipped::total
    pub excluded_folders: usize,
}

impl Skipped {
    pub fn add(&mut self, why: Skip) {
        match why {
            Skip::Binary => self.binary += 1,
            Skip::NotUtf8 => self.not_utf8 += 1,
            Skip::TooLarge => self.too_large += 1,
            Skip::Unreadable => self.unreadable += 1,
            Skip::Generated(_) => self.generated += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.binary + self.not_utf8 + self.too_large + self.unreadable + self.generated
    }
}

/// How a walk goes.
#[derive(Clone, Copy, Debug)]
pub struct WalkOptions {
    /// Respect `.gitignore`/`.ignore` and skip hidden files (`--no-ignore` turns this off).
    pub standard_filters: bool,
    /// Leave out build output, dependencies and generated files (`--no-default-excludes` turns
    /// this off; the project's own `exclude`/`extend-exclude` still apply).
    pub default_excludes: bool,
    pub threads: usize,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions { standard_filters: true, default_excludes: true, threads: 1 }
    }
}

/// A file to check.
pub struct File<'a> {
    pub path: &'a Path,
    pub lang: Lang,
    pub text: &'a str,
    pub project: &'a Arc<Project>,
    /// Named on the command line (not found by walking a directory).
    pub explicit: bool,
    /// Device and inode of the file read (from the open file, no extra `stat`), to tell a
    /// file reached twice (named twice, or through a symlink); `None` for stdin and where the
    /// platform has none.
    pub identity: Option<(u64, u64)>,
}

/// What a walk did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Walked {
    /// Files read and handed to the visitor.
    pub checked: usize,
    pub skipped: Skipped,
}

/// The exclusion rules of one project, compiled once (see [`Project::policy`]).
#[derive(Debug)]
pub struct Policy {
    /// Default excluded folder names (empty when the project's `exclude` replaces them).
    folders: Vec<String>,
    /// The project's `exclude` / `extend-exclude` globs, one matcher per folder they are
    /// relative to.
    globs: Vec<Gitignore>,
    /// `.gitattributes` of the repository: paths marked `linguist-generated` or
    /// `linguist-vendored`.
    attributes: Option<Gitignore>,
}

impl Policy {
    /// The policy of `project`.
    pub fn of(project: &Project) -> Policy {
        let excludes = &project.settings.excludes;
        let folders = match &excludes.exclude {
            Some(_) => Vec::new(),
            None => DEFAULT_EXCLUDES.iter().map(|s| s.to_string()).collect(),
        };
        let mut by_dir: Vec<(PathBuf, Vec<&str>)> = Vec::new();
        for (dir, pattern) in excludes.exclude.iter().flatten().chain(&excludes.extend) {
            match by_dir.iter_mut().find(|(d, _)| d == dir) {
                Some((_, patterns)) => patterns.push(pattern),
                None => by_dir.push((dir.clone(), vec![pattern])),
            }
        }
        let globs = by_dir
            .into_iter()
            .filter_map(|(dir, patterns)| {
                let mut builder = GitignoreBuilder::new(&dir);
                for pattern in patterns {
                    // A bad glob is left out (the rest still apply).
                    let _ = builder.add_line(None, pattern);
                }
                builder.build().ok()
            })
            .collect();
        Policy { folders, globs, attributes: attributes(&project.root) }
    }

    /// Whether the folder `dir` is left out (its name is a default exclude, or a glob matches).
    pub fn excludes_dir(&self, dir: &Path, defaults: bool) -> bool {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        (defaults && self.folders.iter().any(|f| f == name)) || self.glob_matches(dir, true)
    }

    /// Whether the file `path` is left out by a glob.
    pub fn excludes_file(&self, path: &Path) -> bool {
        self.glob_matches(path, false)
    }

    fn glob_matches(&self, path: &Path, is_dir: bool) -> bool {
        self.globs.iter().any(|g| path.starts_with(g.path()) && g.matched(path, is_dir).is_ignore())
    }

    /// Whether `path` is generated or vendored by its name or `.gitattributes`.
    pub fn generated_by_name(&self, path: &Path) -> Option<Generated> {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.contains(".min.") || name.ends_with(".map") {
            return Some(Generated::MinifiedName);
        }
        let attributes = self.attributes.as_ref()?;
        let marked =
            path.starts_with(attributes.path()) && attributes.matched_path_or_any_parents(path, false).is_ignore();
        marked.then_some(Generated::Attributes)
    }

    /// Whether a file or folder found while walking (not named explicitly) is left out, before
    /// reading it: a default-excluded folder on its way below `root`, or a glob.
    pub fn leaves_out(&self, path: &Path, root: &Path, defaults: bool) -> bool {
        let below = path.strip_prefix(root).unwrap_or(path);
        let mut dir = root.to_path_buf();
        let parents = below.parent().map(|p| p.components().count()).unwrap_or(0);
        for component in below.components().take(parents) {
            dir.push(component);
            if self.excludes_dir(&dir, defaults) {
                return true;
            }
        }
        self.excludes_file(path)
    }
}

/// The `linguist-generated` / `linguist-vendored` paths of the `.gitattributes` of the
/// repository holding `root` (the root's own, and the repository root's).
fn attributes(root: &Path) -> Option<Gitignore> {
    let repo = root.ancestors().find(|d| d.join(".git").exists()).unwrap_or(root);
    let mut builder = GitignoreBuilder::new(repo);
    let mut any = false;
    let mut files = vec![repo.join(".gitattributes")];
    if root != repo {
        files.push(root.join(".gitattributes"));
    }
    for file in files {
        let Some(text) = read_small(&file) else { continue };
        let base = file.parent().and_then(|d| d.strip_prefix(repo).ok()).unwrap_or(Path::new(""));
        for line in text.lines() {
            let mut words = line.split_whitespace();
            let Some(pattern) = words.next().filter(|p| !p.starts_with('#')) else { continue };
            let mut verdict = None;
            for attr in words {
                match attr {
                    "linguist-generated"
                    | "linguist-generated=true"
                    | "linguist-vendored"
                    | "linguist-vendored=true" => verdict = Some(true),
                    "-linguist-generated"
                    | "linguist-generated=false"
                    | "-linguist-vendored"
                    | "linguist-vendored=false" => verdict = Some(false),
                    _ => {}
                }
            }
            let Some(on) = verdict else { continue };
            // A pattern without a slash matches at any depth; one with a slash is relative to
            // the folder of the .gitattributes file.
            let anchored = pattern.trim_start_matches('/');
            let rel = if pattern.contains('/') && !base.as_os_str().is_empty() {
                format!("/{}/{anchored}", base.display())
            } else if pattern.contains('/') {
                format!("/{anchored}")
            } else {
                pattern.to_string()
            };
            let line = if on { rel } else { format!("!{rel}") };
            any |= builder.add_line(None, &line).is_ok();
        }
    }
    any.then(|| builder.build().ok()).flatten()
}

fn read_small(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > 1024 * 1024 {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// Whether `text` (of language `lang`) is generated: a "do not edit" header near the top, or
/// (JavaScript and TypeScript) a line over [`MINIFIED_LINE`] bytes.
pub fn generated_by_text(lang: Lang, text: &str) -> Option<Generated> {
    let head = &text.as_bytes()[..text.len().min(1024)];
    let header = memchr::memmem::find(head, b"@generated").is_some()
        || (memchr::memmem::find(head, b"Code generated").is_some()
            && memchr::memmem::find(head, b"DO NOT EDIT").is_some());
    if header {
        return Some(Generated::Header);
    }
    if matches!(lang, Lang::JavaScript | Lang::TypeScript) && has_long_line(text.as_bytes()) {
        return Some(Generated::MinifiedText);
    }
    None
}

/// Whether a line of `bytes` is longer than [`MINIFIED_LINE`]. Such a line covers a whole
/// aligned window of half that size, so only windows are probed (one short `memchr` each, not
/// one step per line); a window without a newline is then measured exactly.
fn has_long_line(bytes: &[u8]) -> bool {
    const WINDOW: usize = MINIFIED_LINE / 2;
    if bytes.len() <= MINIFIED_LINE {
        return false;
    }
    let mut at = 0;
    while at + WINDOW <= bytes.len() {
        let window = &bytes[at..at + WINDOW];
        if memchr::memchr(b'\n', window).is_none() {
            let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
            let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
            if end - start > MINIFIED_LINE {
                return true;
            }
            at = end;
        } else {
            at += WINDOW;
        }
    }
    false
}

thread_local! {
    /// Each walker thread reads files into one reused buffer (no fresh pages per file); its
    /// length is the most it has held, the bytes past the current file are stale.
    static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Reads `path` as text for checking: its size at most `max_size`, not binary (no NUL byte in
/// the first [`BINARY_PROBE`] bytes), valid UTF-8. Calls `f` with the text and the file's
/// identity ([`crate::write::identity_of`]).
pub fn read_text<T>(path: &Path, max_size: u64, f: impl FnOnce(&str, Option<(u64, u64)>) -> T) -> Result<T, Skip> {
    BUFFER.with_borrow_mut(|buffer| {
        let mut file = std::fs::File::open(path).map_err(|_| Skip::Unreadable)?;
        let meta = file.metadata().map_err(|_| Skip::Unreadable)?;
        if !meta.is_file() {
            return Err(Skip::Unreadable);
        }
        if meta.len() > max_size {
            return Err(Skip::TooLarge);
        }
        // The size it had when opened (never more than the limit, even if it grows meanwhile):
        // no extra read to find the end. The buffer keeps its bytes from earlier files and is
        // only zeroed where it grows: zeroing every file's length first cost a memset of every
        // byte read (~5% of a large tree's `check`).
        let len = meta.len() as usize;
        if buffer.len() < len {
            buffer.resize(len, 0);
        }
        let mut filled = 0;
        while filled < len {
            match file.read(&mut buffer[filled..len]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return Err(Skip::Unreadable),
            }
        }
        let buffer = &buffer[..filled];
        if memchr::memchr(0, &buffer[..buffer.len().min(BINARY_PROBE)]).is_some() {
            return Err(Skip::Binary);
        }
        // SIMD validation: a measurable share of `check` on large trees with the standard one.
        let text = simdutf8::basic::from_utf8(buffer).map_err(|_| Skip::NotUtf8)?;
        Ok(f(text, crate::write::identity_of(&meta)))
    })
}

/// The language of a file found by walking (by its name; a name that is not UTF-8 is read
/// lossily), or of an explicitly named one (generic text when unknown).
pub fn lang_of(path: &Path, explicit: bool) -> Option<Lang> {
    let lang = Lang::from_path(path).or_else(|| Lang::from_path(Path::new(&*path.to_string_lossy())));
    match lang {
        Some(lang) => Some(lang),
        None if explicit => Some(Lang::Generic),
        None => None,
    }
}

/// Decides on one file found by walking or named explicitly (the language server asks this of
/// files that change on disk): its language when it is checked, else nothing. `Err` when the
/// policy leaves it out for a reason worth counting (generated); reading it may still skip it.
pub fn admit(project: &Project, path: &Path, explicit: bool, defaults: bool) -> Result<Option<Lang>, Skip> {
    let Some(lang) = lang_of(path, explicit) else { return Ok(None) };
    if explicit {
        return Ok(Some(lang));
    }
    if defaults {
        if let Some(why) = project.policy().generated_by_name(path) {
            return Err(Skip::Generated(why));
        }
    }
    Ok(Some(lang))
}

/// Whether an open editor buffer of `path` is left alone (no diagnostics, not a use): what a
/// walk of its project leaves out by default (excluded folders and globs) or recognises as
/// generated or vendored (by name, `.gitattributes` or its text).
pub fn buffer_is_left_out(project: &Project, path: &Path, lang: Lang, text: &str) -> bool {
    let policy = project.policy();
    (path.starts_with(&project.root) && policy.leaves_out(path, &project.root, true))
        || policy.generated_by_name(path).is_some()
        || generated_by_text(lang, text).is_some()
}

/// Whether the language server should index a file the editor reports changed: the same
/// answer a fresh walk of `root` would give (ignore files, hidden files, excluded folders and
/// globs, generated names).
pub fn watched_file_is_walked(project: &Project, root: &Path, path: &Path) -> bool {
    if !path.starts_with(root) || project.policy().leaves_out(path, root, true) {
        return false;
    }
    // Hidden files and folders below the root, and what ignore files say.
    let below = path.strip_prefix(root).unwrap_or(path);
    if below.components().any(|c| c.as_os_str().to_str().is_some_and(|s| s.starts_with('.'))) {
        return false;
    }
    if ignored(root, path) {
        return false;
    }
    matches!(admit(project, path, false, true), Ok(Some(_)))
}

/// Whether `.gitignore`/`.ignore` files between `root` and `path` (and git's excludes) ignore
/// `path`.
fn ignored(root: &Path, path: &Path) -> bool {
    let below = path.strip_prefix(root).unwrap_or(path);
    let mut dir = root.to_path_buf();
    let mut dirs = vec![dir.clone()];
    for component in below.parent().map(|p| p.components()).into_iter().flatten() {
        dir.push(component);
        dirs.push(dir.clone());
    }
    // Deeper files win, as in git.
    for dir in dirs.iter().rev() {
        for name in [".ignore", ".gitignore"] {
            let file = dir.join(name);
            if !file.is_file() {
                continue;
            }
            let mut builder = GitignoreBuilder::new(dir);
            let _ = builder.add(&file);
            if let Ok(matcher) = builder.build() {
                let m = matcher.matched_path_or_any_parents(path, false);
                if m.is_ignore() {
                    return true;
                }
                if m.is_whitelist() {
                    return false;
                }
            }
        }
    }
    let repo = root.ancestors().find(|d| d.join(".git").exists());
    let exclude = repo.map(|r| r.join(".git/info/exclude")).filter(|f| f.is_file());
    exclude.is_some_and(|file| {
        let mut builder = GitignoreBuilder::new(repo.unwrap_or(root));
        let _ = builder.add(&file);
        builder.build().is_ok_and(|m| m.matched_path_or_any_parents(path, false).is_ignore())
    })
}

/// Why a path named on the command line cannot be walked, if it cannot: it does not exist, it
/// cannot be looked at or read (a file opened, a folder listed; the real reason, such as
/// "Permission denied"), or it is neither a regular file nor a folder. Named paths are never
/// skipped in silence: `check`, `report` and `status` stop with this error (exit 2).
pub fn named_path_problem(path: &Path) -> Option<String> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Some("no such file or directory".to_string()),
        Err(e) => return Some(format!("cannot read: {e}")),
    };
    let read = if meta.is_dir() {
        std::fs::read_dir(path).map(drop)
    } else if meta.is_file() {
        // Regular files only: opening a FIFO would wait for a writer.
        std::fs::File::open(path).map(drop)
    } else {
        return Some("not a regular file or folder".to_string());
    };
    read.err().map(|e| format!("cannot read: {e}"))
}

/// Where a walk gets each file's project from: `project::Projects` from the command line; the
/// language server's workspace, which never fails (it keeps the last good project).
pub trait ProjectSource: Sync {
    /// The project of `path`, a directory when `is_dir`, else a file.
    fn project(&self, path: &Path, is_dir: bool) -> Result<Arc<Project>, FileError>;
}

/// Walks `paths` (files or directories) and calls `visit` with every file to check, on up to
/// `options.threads` threads; each file is judged by its project (from `projects`). Stops at
/// the first project that does not load (a bad `errcode.toml` or catalog) and returns its error.
pub fn walk(
    paths: &[PathBuf],
    options: &WalkOptions,
    projects: &dyn ProjectSource,
    visit: &(dyn Fn(File<'_>) + Sync),
) -> Result<Walked, FileError> {
    let checked = AtomicUsize::new(0);
    let skipped = Mutex::new(Skipped::default());
    let failure: Mutex<Option<FileError>> = Mutex::new(None);
    for root in paths {
        let explicit_file = root.is_file();
        let mut builder = WalkBuilder::new(root);
        builder.threads(options.threads.max(1));
        if !options.standard_filters {
            builder.standard_filters(false);
        }
        let defaults = options.default_excludes;
        // Project roots are canonical: the policy judges a file by its canonical path (the
        // visitor still gets the path as walked, relative when the root was).
        let canonical_root = root.canonicalize().unwrap_or_else(|_| root.clone());
        let canonical_root = &canonical_root;
        builder.build_parallel().run(|| {
            let (checked, skipped, failure) = (&checked, &skipped, &failure);
            // The folder whose files this thread visited last, and its project: a folder's
            // files come one after another, and asking `projects` for each one (an absolute
            // path, two locks, two lookups) was ~2% of a large tree's `check`.
            let mut last: Option<(PathBuf, Arc<Project>)> = None;
            Box::new(move |entry| {
                let Ok(entry) = entry else {
                    skipped.lock().unwrap_or_else(|e| e.into_inner()).unreadable += 1;
                    return WalkState::Continue;
                };
                let walked_path = entry.path();
                let absolute = match walked_path.strip_prefix(root) {
                    Ok(rest) if rest.as_os_str().is_empty() => canonical_root.clone(),
                    Ok(rest) => canonical_root.join(rest),
                    Err(_) => walked_path.to_path_buf(),
                };
                let path = absolute.as_path();
                let explicit = explicit_file && entry.depth() == 0;
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                // A folder below the walked path is judged by the project around it (its own
                // project, if it is one, starts inside it).
                let judged = match path.parent() {
                    Some(parent) if is_dir && entry.depth() > 0 => projects.project(parent, true),
                    Some(parent) if !is_dir => match &last {
                        Some((dir, project)) if dir == parent => Ok(project.clone()),
                        _ => projects.project(path, false).inspect(|p| last = Some((parent.to_path_buf(), p.clone()))),
                    },
                    _ => projects.project(path, is_dir),
                };
                let project = match judged {
                    Ok(project) => project,
                    Err(e) => {
                        failure.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert(e);
                        return WalkState::Quit;
                    }
                };
                if is_dir {
                    let left_out = entry.depth() > 0 && project.policy().excludes_dir(path, defaults);
                    if left_out {
                        skipped.lock().unwrap_or_else(|e| e.into_inner()).excluded_folders += 1;
                        return WalkState::Skip;
                    }
                    return WalkState::Continue;
                }
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    return WalkState::Continue;
                }
                // Nothing to check where no catalog is active (`check` says why per project).
                if project.analyzer.catalogs().is_empty() || (!explicit && project.policy().excludes_file(path)) {
                    return WalkState::Continue;
                }
                let lang = match admit(&project, path, explicit, defaults) {
                    Ok(Some(lang)) => lang,
                    Ok(None) => return WalkState::Continue,
                    Err(why) => {
                        skipped.lock().unwrap_or_else(|e| e.into_inner()).add(why);
                        return WalkState::Continue;
                    }
                };
                let outcome = read_text(path, project.settings.max_file_size, |text, identity| {
                    if defaults && !explicit {
                        if let Some(why) = generated_by_text(lang, text) {
                            return Err(Skip::Generated(why));
                        }
                    }
                    visit(File { path: walked_path, lang, text, project: &project, explicit, identity });
                    Ok(())
                });
                match outcome.and_then(|r| r) {
                    Ok(()) => {
                        checked.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(why) => skipped.lock().unwrap_or_else(|e| e.into_inner()).add(why),
                }
                WalkState::Continue
            })
        });
        if let Some(e) = failure.lock().unwrap_or_else(|e| e.into_inner()).take() {
            return Err(e);
        }
    }
    Ok(Walked { checked: checked.into_inner(), skipped: skipped.into_inner().unwrap_or_else(|e| e.into_inner()) })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reused buffer holds bytes of earlier, larger files: only the file's own bytes are
    /// its text, and the binary and UTF-8 checks look at those alone.
    #[test]
    fn each_read_sees_only_its_own_file() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        };
        let big_text = "const A = \"FUNCTION_NOT_FOUND\";\n".repeat(500);
        let big = write("big.ts", big_text.as_bytes());
        let small = write("small.ts", b"x");
        let empty = write("empty.ts", b"");
        let binary = write("binary.bin", b"ab\0cd");
        let latin1 = write("latin1.txt", b"caf\xe9");
        let read = |path: &Path| read_text(path, 1 << 20, |text, identity| (text.to_string(), identity.is_some()));
        assert_eq!(read(&big).unwrap().0, big_text);
        assert_eq!(read(&small).unwrap().0, "x");
        assert_eq!(read(&empty).unwrap().0, "");
        assert_eq!(read(&binary), Err(Skip::Binary));
        // Stale bytes past the end (a NUL of the binary file, the big file's text) count for nothing.
        assert_eq!(read(&small).unwrap().0, "x");
        assert_eq!(read(&latin1), Err(Skip::NotUtf8));
        assert_eq!(read(&small).unwrap().0, "x");
        assert_eq!(read_text(&big, 100, |_, _| ()), Err(Skip::TooLarge));
        #[cfg(unix)]
        assert!(read(&small).unwrap().1, "the identity comes with the text");
    }

    #[test]
    fn long_lines_are_found_wherever_they_are() {
        let short = "let a = 1;\n".repeat(300);
        assert!(!has_long_line(short.as_bytes()));
        for len in [MINIFIED_LINE + 1, 1500, 5000] {
            for prefix in [0, 1, 7, 499, 500, 501, 2000] {
                let text = format!("{}\n{}\n{short}", "x".repeat(prefix), "y".repeat(len));
                assert!(has_long_line(text.as_bytes()), "line of {len} after {prefix}");
                let last = format!("{short}{}", "y".repeat(len));
                assert!(has_long_line(last.as_bytes()), "last line of {len}");
            }
        }
        for len in [MINIFIED_LINE, 999, 600] {
            for prefix in [0, 1, 499, 500, 501] {
                let text = format!("{}\n{}\n{short}{}", "x".repeat(prefix), "y".repeat(len), "z".repeat(len));
                assert!(!has_long_line(text.as_bytes()), "line of {len} after {prefix}");
            }
        }
    }
}
