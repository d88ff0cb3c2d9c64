//! Detects whether a project uses CloudBase, so the built-in catalogs switch on only there
//! (like Tailwind CSS IntelliSense and i18n-ally do for their frameworks).

use std::fs;
use std::path::{Path, PathBuf};

/// How deep below the root manifests are looked for (cloud functions often live in
/// `cloudfunctions/<name>/package.json`).
const MAX_DEPTH: usize = 3;

/// Directories never searched for manifests.
const SKIP_DIRS: &[&str] = &["node_modules", ".git", "target", "dist", "build", "vendor", "__pycache__", ".venv", "venv"];

/// npm packages that mark a CloudBase project.
fn is_cloudbase_npm(name: &str) -> bool {
    name.starts_with("@cloudbase/") || matches!(name, "wx-server-sdk" | "tcb-admin-node" | "tcb-js-sdk" | "@tcb/cli")
}

/// Markers of the CloudBase SDKs in Python, Go and Java manifests (matched case-insensitively).
const OTHER_SDK_MARKERS: &[(&str, &[&str])] = &[
    // Python: the `cloudbase` / `tcb` SDK packages (`pip install cloudbase`, tcb-python-sdk).
    ("requirements.txt", &["tcb-python-sdk", "tcb_python_sdk", "cloudbase-python", "cloudbase"]),
    ("pyproject.toml", &["tcb-python-sdk", "tcb_python_sdk", "cloudbase"]),
    ("Pipfile", &["tcb-python-sdk", "cloudbase"]),
    ("setup.py", &["tcb-python-sdk", "cloudbase"]),
    // Go: TencentCloudBase modules or the tcb package of the Tencent Cloud SDK.
    ("go.mod", &["github.com/tencentcloudbase/", "tencentcloud-sdk-go/tencentcloud/tcb"]),
    // Java: the CloudBase Java SDKs or the tcb module of the Tencent Cloud SDK.
    ("pom.xml", &["com.tencent.cloudbase", "tencentcloud-sdk-java-tcb", "cloudbase-java"]),
    ("build.gradle", &["com.tencent.cloudbase", "tencentcloud-sdk-java-tcb", "cloudbase-java"]),
    ("build.gradle.kts", &["com.tencent.cloudbase", "tencentcloud-sdk-java-tcb", "cloudbase-java"]),
];

/// What detection found: each reason names a file and what in it marks CloudBase.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Detection {
    pub reasons: Vec<String>,
}

impl Detection {
    pub fn uses_cloudbase(&self) -> bool {
        !self.reasons.is_empty()
    }
}

/// Looks for CloudBase markers under `root` (at most [`MAX_DEPTH`] levels deep, skipping
/// dependency and build folders). Stops at the first marker found.
pub fn detect(root: &Path) -> Detection {
    let mut detection = Detection::default();
    visit(root, root, 0, &mut detection);
    detection
}

fn visit(root: &Path, dir: &Path, depth: usize, found: &mut Detection) {
    let Ok(read) = fs::read_dir(dir) else { return };
    let mut subdirs: Vec<PathBuf> = Vec::new();
    let mut entries: Vec<_> = read.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else { continue };
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if kind.is_dir() {
            if !SKIP_DIRS.contains(&name.as_ref()) && !name.starts_with('.') {
                subdirs.push(path);
            }
            continue;
        }
        if !kind.is_file() {
            continue;
        }
        if let Some(reason) = check_file(&name, &path) {
            let shown = path.strip_prefix(root).unwrap_or(&path).display().to_string();
            found.reasons.push(format!("{shown}: {reason}"));
            return;
        }
    }
    if depth < MAX_DEPTH {
        for sub in subdirs {
            visit(root, &sub, depth + 1, found);
            if found.uses_cloudbase() {
                return;
            }
        }
    }
}

/// Why the file at `path` (named `name`) marks a CloudBase project, if it does.
fn check_file(name: &str, path: &Path) -> Option<String> {
    match name {
        "cloudbaserc.json" | "cloudbaserc.js" | "cloudbaserc.ts" => {
            Some("CloudBase CLI config file".to_string())
        }
        "package.json" => {
            let text = read_small(path)?;
            let json: serde_json::Value = serde_json::from_str(&text).ok()?;
            for section in ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"] {
                if let Some(deps) = json.get(section).and_then(|d| d.as_object()) {
                    if let Some(dep) = deps.keys().find(|k| is_cloudbase_npm(k)) {
                        return Some(format!("depends on `{dep}`"));
                    }
                }
            }
            None
        }
        "project.config.json" => {
            let text = read_small(path)?;
            let json: serde_json::Value = serde_json::from_str(&text).ok()?;
            json.get("cloudfunctionRoot")
                .and_then(|v| v.as_str())
                .map(|root| format!("mini program with cloud functions (`cloudfunctionRoot`: {root})"))
        }
        _ => {
            let (_, markers) = OTHER_SDK_MARKERS
                .iter()
                .find(|(file, _)| *file == name || (*file == "requirements.txt" && is_requirements(name)))?;
            let text = read_small(path)?.to_ascii_lowercase();
            markers
                .iter()
                .find(|m| mentions(&text, m))
                .map(|m| format!("names the CloudBase SDK `{m}`"))
        }
    }
}

fn is_requirements(name: &str) -> bool {
    name.starts_with("requirements") && name.ends_with(".txt")
}

/// `text` mentions `marker` as a whole package name (not as part of a longer name).
fn mentions(text: &str, marker: &str) -> bool {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    text.match_indices(marker).any(|(at, m)| {
        let before = text[..at].chars().next_back();
        let after = text[at + m.len()..].chars().next();
        !before.is_some_and(is_name) && (marker.ends_with('/') || !after.is_some_and(is_name))
    })
}

/// Reads a manifest if it is small enough to be one (1 MiB).
fn read_small(path: &Path) -> Option<String> {
    let meta = fs::metadata(path).ok()?;
    if meta.len() > 1024 * 1024 {
        return None;
    }
    fs::read_to_string(path).ok()
}
