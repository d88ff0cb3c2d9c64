//! Detects whether a project uses CloudBase, so the built-in catalogs switch on only there
//! (like Tailwind CSS IntelliSense and i18n-ally do for their frameworks).

use std::fs;
use std::path::Path;

use crate::locale::Locale;

/// The files that make a directory a project root (besides `errcode.toml` and `.git`): package
/// manifests and CloudBase/mini-program config files. A file belongs to the project of its
/// nearest ancestor holding one, so each package of a monorepo, each cloud function and each
/// repository under a folder is judged on its own.
pub const MANIFESTS: &[&str] = &[
    "package.json",
    "project.config.json",
    "cloudbaserc.json",
    "cloudbaserc.js",
    "cloudbaserc.ts",
    "pyproject.toml",
    "Pipfile",
    "setup.py",
    "go.mod",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
];

/// Whether a file named `name` is a manifest (see [`MANIFESTS`]; also `requirements*.txt`).
pub fn is_manifest(name: &str) -> bool {
    MANIFESTS.contains(&name) || is_requirements(name)
}

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
    // Java and Android: the CloudBase Java SDKs, the Android SDK (`com.tencent.tcb:
    // cloudbase-android-sdk`) or the tcb module of the Tencent Cloud SDK.
    ("pom.xml", &["com.tencent.cloudbase", "com.tencent.tcb", "tencentcloud-sdk-java-tcb", "cloudbase-java"]),
    (
        "build.gradle",
        &[
            "com.tencent.cloudbase",
            "com.tencent.tcb",
            "cloudbase-android-sdk",
            "tencentcloud-sdk-java-tcb",
            "cloudbase-java",
        ],
    ),
    (
        "build.gradle.kts",
        &[
            "com.tencent.cloudbase",
            "com.tencent.tcb",
            "cloudbase-android-sdk",
            "tencentcloud-sdk-java-tcb",
            "cloudbase-java",
        ],
    ),
];

/// What detection found: each marker names a file and what in it marks CloudBase.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Detection {
    pub markers: Vec<Marker>,
}

/// A file that marks a CloudBase project, and what in it does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marker {
    /// The file, relative to the project root where it is inside it.
    pub file: String,
    pub kind: MarkerKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MarkerKind {
    /// `cloudbaserc.json` and friends.
    CliConfig,
    /// A CloudBase npm package among the dependencies.
    DependsOn(String),
    /// A mini-program's `cloudfunctionRoot`.
    CloudFunctions(String),
    /// A manifest naming a CloudBase SDK (Python, Go, Java, Android).
    NamesSdk(String),
}

impl Marker {
    /// `file: what`, in `locale`.
    pub fn text(&self, locale: Locale) -> String {
        use MarkerKind::*;
        let what = match (&self.kind, locale) {
            (CliConfig, Locale::En) => "CloudBase CLI config file".to_string(),
            (CliConfig, Locale::ZhCn) => "云开发 CLI 配置文件".to_string(),
            (DependsOn(dep), Locale::En) => format!("depends on `{dep}`"),
            (DependsOn(dep), Locale::ZhCn) => format!("依赖 `{dep}`"),
            (CloudFunctions(root), Locale::En) => {
                format!("mini program with cloud functions (`cloudfunctionRoot`: {root})")
            }
            (CloudFunctions(root), Locale::ZhCn) => format!("带云函数的小程序（`cloudfunctionRoot`：{root}）"),
            (NamesSdk(sdk), Locale::En) => format!("names the CloudBase SDK `{sdk}`"),
            (NamesSdk(sdk), Locale::ZhCn) => format!("引用了云开发 SDK `{sdk}`"),
        };
        let colon = if locale == Locale::ZhCn { "：" } else { ": " };
        format!("{}{colon}{what}", self.file)
    }
}

impl Detection {
    pub fn uses_cloudbase(&self) -> bool {
        !self.markers.is_empty()
    }

    /// Each marker as `file: what`, in English.
    pub fn reasons(&self) -> Vec<String> {
        self.markers.iter().map(|m| m.text(Locale::En)).collect()
    }
}

/// How many parent directories are looked at when the root itself has no marker.
const MAX_PARENTS: usize = 4;

/// Looks for CloudBase markers in `root` itself, then in its parents up to the repository root
/// (an editor may open `src/` of a CloudBase project; a package of a monorepo inherits what its
/// workspace root depends on). Folders below `root` are other projects (see [`MANIFESTS`]): a
/// marker there does not switch the catalogs on for `root`'s own files. Stops at the first
/// marker found.
pub fn detect(root: &Path) -> Detection {
    let mut detection = Detection::default();
    if let Some(marker) = search_dir(root, Some(root)) {
        detection.markers.push(marker);
        return detection;
    }
    if root.join(".git").exists() {
        return detection;
    }
    for parent in root.ancestors().skip(1).take(MAX_PARENTS) {
        if let Some(marker) = search_dir(parent, None) {
            detection.markers.push(marker);
            break;
        }
        if parent.join(".git").exists() {
            break;
        }
    }
    detection
}

/// A marker directly in `dir`, shown relative to `base` when given.
fn search_dir(dir: &Path, base: Option<&Path>) -> Option<Marker> {
    let mut entries: Vec<_> = fs::read_dir(dir).ok()?.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    entries.iter().filter(|e| e.file_type().is_ok_and(|t| t.is_file())).find_map(|e| {
        let kind = check_file(&e.file_name().to_string_lossy(), &e.path())?;
        let path = e.path();
        let file = base.and_then(|b| path.strip_prefix(b).ok()).unwrap_or(&path).display().to_string();
        Some(Marker { file, kind })
    })
}

/// Why the file at `path` (named `name`) marks a CloudBase project, if it does.
fn check_file(name: &str, path: &Path) -> Option<MarkerKind> {
    match name {
        "cloudbaserc.json" | "cloudbaserc.js" | "cloudbaserc.ts" => Some(MarkerKind::CliConfig),
        "package.json" => {
            let text = read_small(path)?;
            let json: serde_json::Value = serde_json::from_str(&text).ok()?;
            for section in ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"] {
                if let Some(deps) = json.get(section).and_then(|d| d.as_object()) {
                    if let Some(dep) = deps.keys().find(|k| is_cloudbase_npm(k)) {
                        return Some(MarkerKind::DependsOn(dep.clone()));
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
                .map(|root| MarkerKind::CloudFunctions(root.to_string()))
        }
        _ => {
            let (_, markers) = OTHER_SDK_MARKERS
                .iter()
                .find(|(file, _)| *file == name || (*file == "requirements.txt" && is_requirements(name)))?;
            let text = read_small(path)?.to_ascii_lowercase();
            markers.iter().find(|m| mentions(&text, m)).map(|m| MarkerKind::NamesSdk(m.to_string()))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        for (rel, text) in files {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    fn reasons(files: &[(&str, &str)]) -> Vec<String> {
        detect(project(files).path()).reasons()
    }

    #[test]
    fn npm_dependencies_mark_cloudbase() {
        assert_eq!(
            reasons(&[("package.json", r#"{"dependencies": {"@cloudbase/node-sdk": "2"}}"#)]),
            ["package.json: depends on `@cloudbase/node-sdk`"]
        );
        assert!(!reasons(&[("package.json", r#"{"devDependencies": {"wx-server-sdk": "2"}}"#)]).is_empty());
        assert!(!reasons(&[("package.json", r#"{"dependencies": {"tcb-admin-node": "1"}}"#)]).is_empty());
    }

    #[test]
    fn look_alike_packages_and_broken_manifests_do_not() {
        assert!(reasons(&[("package.json", r#"{"dependencies": {"cloudbase-ui": "1", "react": "18"}}"#)]).is_empty());
        assert!(reasons(&[("package.json", "{ not json")]).is_empty());
        assert!(reasons(&[("package.json", r#"{"description": "uses @cloudbase/js-sdk"}"#)]).is_empty());
        assert!(reasons(&[("requirements.txt", "cloudbase-helpers==1.0\n")]).is_empty());
    }

    #[test]
    fn config_files_and_mini_programs() {
        assert_eq!(reasons(&[("cloudbaserc.json", "{}")]), ["cloudbaserc.json: CloudBase CLI config file"]);
        assert!(!reasons(&[("project.config.json", r#"{"cloudfunctionRoot": "cloudfunctions/"}"#)]).is_empty());
        assert!(reasons(&[("project.config.json", r#"{"miniprogramRoot": "mp/"}"#)]).is_empty());
    }

    #[test]
    fn other_languages() {
        assert!(!reasons(&[("requirements.txt", "requests\ncloudbase==1.2\n")]).is_empty());
        assert!(!reasons(&[("go.mod", "module x\nrequire github.com/TencentCloudBase/cloudbase-go v1\n")]).is_empty());
        assert!(!reasons(&[("pom.xml", "<artifactId>tencentcloud-sdk-java-tcb</artifactId>")]).is_empty());
    }

    #[test]
    fn a_marker_in_a_nested_project_does_not_switch_on_its_neighbours() {
        let cb = r#"{"dependencies": {"wx-server-sdk": "~2"}}"#;
        // The cloud function is its own project; the repository root is not CloudBase.
        let dir = project(&[("cloudfunctions/login/package.json", cb), ("scripts/build.js", "")]);
        assert!(!detect(dir.path()).uses_cloudbase());
        assert!(detect(&dir.path().join("cloudfunctions/login")).uses_cloudbase());
    }

    #[test]
    fn android_apps_depending_on_the_cloudbase_sdk() {
        let gradle = "dependencies {\n    implementation 'com.tencent.tcb:cloudbase-android-sdk:1.3.1'\n}\n";
        assert!(!reasons(&[("build.gradle", gradle)]).is_empty());
        assert!(!reasons(&[("build.gradle.kts", "implementation(\"com.tencent.tcb:cloudbase-android-sdk:1.3.1\")")])
            .is_empty());
        assert!(
            reasons(&[("build.gradle", "implementation 'com.tencent.mm.opensdk:wechat-sdk-android:6.8.0'")]).is_empty()
        );
    }

    #[test]
    fn a_subfolder_of_a_cloudbase_project_is_detected() {
        let dir = project(&[("package.json", r#"{"dependencies": {"@cloudbase/js-sdk": "2"}}"#), ("src/a.ts", "")]);
        assert!(detect(&dir.path().join("src")).uses_cloudbase());
    }
}
