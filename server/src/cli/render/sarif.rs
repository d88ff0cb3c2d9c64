//! `--format sarif`: SARIF 2.1.0 through typed structs, for GitHub code scanning.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use serde::Serialize;

use super::{Renderer, Report};
use errcode_core::analysis::FindingKind;
use errcode_core::config::Severity;

/// The SARIF log, written whole.
pub struct Sarif;

impl Renderer for Sarif {
    fn write(&self, report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
        let base = std::env::current_dir()
            .map(|dir| errcode_core::project::find_root(&dir))
            .unwrap_or_else(|_| std::path::PathBuf::from("."));
        let artifacts: Vec<ArtifactLocation> = report.files.iter().map(|f| sarif_artifact(&base, &f.path)).collect();
        serde_json::to_writer_pretty(&mut *out, &to_sarif(report, &base, &artifacts)).map_err(std::io::Error::other)?;
        writeln!(out)
    }
}

// The SARIF 2.1.0 objects this tool writes (a subset of the schema; field names as in the
// spec, camelCase).

#[derive(Serialize)]
pub struct Log<'a> {
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    pub version: &'static str,
    pub runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Run<'a> {
    pub tool: Tool,
    pub original_uri_base_ids: BTreeMap<&'static str, UriBase>,
    pub column_kind: &'static str,
    pub results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
pub struct UriBase {
    pub uri: String,
}

#[derive(Serialize)]
pub struct Tool {
    pub driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Driver {
    pub name: &'static str,
    pub version: &'static str,
    pub information_uri: &'static str,
    pub rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    pub id: &'static str,
    pub name: &'static str,
    pub short_description: Text,
    pub full_description: Text,
    pub help_uri: String,
    pub help: Help,
    pub default_configuration: Configuration,
}

#[derive(Serialize)]
pub struct Text {
    pub text: String,
}

#[derive(Serialize)]
pub struct Help {
    pub text: String,
    pub markdown: String,
}

#[derive(Serialize)]
pub struct Configuration {
    pub level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifResult<'a> {
    pub rule_id: &'static str,
    pub rule_index: usize,
    pub level: &'static str,
    pub message: Text,
    pub locations: Vec<Location<'a>>,
    pub partial_fingerprints: BTreeMap<&'static str, String>,
    pub properties: Properties<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fixes: Vec<Fix<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location<'a> {
    pub physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalLocation<'a> {
    pub artifact_location: &'a ArtifactLocation,
    pub region: Region,
}

#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactLocation {
    pub uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri_base_id: Option<&'static str>,
}

#[derive(Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    pub start_line: usize,
    pub start_column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

#[derive(Serialize)]
pub struct Properties<'a> {
    pub literal: &'a str,
    pub suggestions: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fix<'a> {
    pub description: Text,
    pub artifact_changes: Vec<ArtifactChange<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactChange<'a> {
    pub artifact_location: &'a ArtifactLocation,
    pub replacements: Vec<Replacement<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Replacement<'a> {
    pub deleted_region: Region,
    pub inserted_content: Content<'a>,
}

#[derive(Serialize)]
pub struct Content<'a> {
    pub text: &'a str,
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint | Severity::Off => "note",
    }
}

/// Where the rules and the project are documented.
const HOMEPAGE: &str = env!("CARGO_PKG_HOMEPAGE");

/// The characters a SARIF artifact URI keeps as they are: RFC 3986 unreserved characters and
/// the path separator; everything else (spaces, non-ASCII bytes, `%`, `#`, `?`) is
/// percent-encoded.
const URI_PATH: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~').remove(b'/');

/// The SARIF `artifactLocation` of `path`: relative to `base` (the project root the run was
/// started in) and percent-encoded with `uriBaseId` `%SRCROOT%`, or for a file outside it an
/// absolute `file://` URI without `uriBaseId`.
pub fn sarif_artifact(base: &std::path::Path, path: &std::path::Path) -> ArtifactLocation {
    let absolute = match std::env::current_dir().and_then(|d| d.canonicalize()) {
        Ok(cwd) if path.is_relative() => cwd.join(path),
        _ => std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
    };
    match absolute.strip_prefix(base) {
        Ok(rel) => {
            let parts: Vec<String> = rel
                .components()
                .map(|c| percent_encoding::utf8_percent_encode(&c.as_os_str().to_string_lossy(), URI_PATH).to_string())
                .collect();
            ArtifactLocation { uri: parts.join("/"), uri_base_id: Some("%SRCROOT%") }
        }
        Err(_) => ArtifactLocation { uri: file_uri(&absolute), uri_base_id: None },
    }
}

/// An absolute path as a `file://` URI (`file:///C:/...` on Windows), percent-encoded.
fn file_uri(path: &std::path::Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    const FILE_PATH: &percent_encoding::AsciiSet = &URI_PATH.remove(b':');
    let encoded = percent_encoding::utf8_percent_encode(&text, FILE_PATH).to_string();
    if encoded.starts_with('/') {
        format!("file://{encoded}")
    } else {
        format!("file:///{encoded}")
    }
}

/// A fingerprint that follows a finding across commits while lines move: the rule, the file,
/// the literal and which occurrence of that literal in the file it is (FNV-1a, 64 bits).
fn fingerprint(rule: &str, uri: &str, literal: &str, occurrence: usize) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [rule, uri, literal, &occurrence.to_string()] {
        for byte in part.bytes().chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// How a severity ranks, for picking the strictest.
fn severity_rank(severity: Severity) -> u8 {
    match severity {
        Severity::Error => 4,
        Severity::Warning => 3,
        Severity::Info => 2,
        Severity::Hint => 1,
        Severity::Off => 0,
    }
}

/// The SARIF log of `report`; `artifacts` are the files' locations, in `report.files` order,
/// relative to `base`.
fn to_sarif<'a>(report: &'a Report, base: &std::path::Path, artifacts: &'a [ArtifactLocation]) -> Log<'a> {
    let kinds = [FindingKind::Misspelled, FindingKind::Deprecated];
    // A rule's default level: the strictest any checked project gives its kind (each result
    // carries the level of its own project).
    let default_level = |k: FindingKind| {
        let severities = report.projects.iter().map(|p| match k {
            FindingKind::Misspelled => p.settings.severities.misspelled,
            FindingKind::Deprecated => p.settings.severities.deprecated,
        });
        let strictest = severities.max_by_key(|s| severity_rank(*s)).unwrap_or(Severity::Warning);
        sarif_level(strictest)
    };
    let rules: Vec<Rule> = kinds
        .iter()
        .map(|k| {
            let (name, short, full, anchor) = match k {
                FindingKind::Misspelled => (
                    "MisspelledErrorCode",
                    "A string literal is a misspelling of a known error code.",
                    "The literal is not a known error code but is within a few typing slips of exactly one known code; comparisons against it will never match what the service returns.",
                    "what-you-get",
                ),
                FindingKind::Deprecated => (
                    "DeprecatedErrorCode",
                    "A string literal is a deprecated error code.",
                    "The literal is a known error code that has been replaced by another; the service may no longer return it.",
                    "what-you-get",
                ),
            };
            let help_uri = format!("{HOMEPAGE}#{anchor}");
            Rule {
                id: k.rule_id(),
                name,
                short_description: Text { text: short.to_string() },
                full_description: Text { text: full.to_string() },
                help: Help {
                    text: format!("{full} Replace it with the suggested code (`errcode-lsp check --fix` does it when the suggestion is unambiguous), or allow the literal in errcode.toml. `errcode-lsp explain CODE` shows a code's documentation. See {help_uri}."),
                    markdown: format!("{full}\n\nReplace it with the suggested code (`errcode-lsp check --fix` does it when the suggestion is unambiguous), or allow the literal in `errcode.toml`. `errcode-lsp explain CODE` shows a code's documentation. See [the documentation]({help_uri})."),
                },
                help_uri,
                default_configuration: Configuration { level: default_level(*k) },
            }
        })
        .collect();
    let mut results = Vec::new();
    for (file, artifact) in report.files.iter().zip(artifacts) {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for loc in &file.findings {
            let f = &loc.finding;
            let occurrence = seen.entry(f.literal.as_str()).or_default();
            *occurrence += 1;
            let region = Region {
                start_line: loc.line,
                start_column: loc.column,
                end_line: loc.end_line,
                end_column: loc.end_column,
            };
            let fixes = match &f.fix {
                Some(fix) => vec![Fix {
                    description: Text { text: format!("Replace `{}` with `{fix}`", f.literal) },
                    artifact_changes: vec![ArtifactChange {
                        artifact_location: artifact,
                        replacements: vec![Replacement {
                            deleted_region: region,
                            inserted_content: Content { text: fix },
                        }],
                    }],
                }],
                None => Vec::new(),
            };
            results.push(SarifResult {
                rule_id: f.kind.rule_id(),
                rule_index: kinds.iter().position(|k| *k == f.kind).unwrap_or(0),
                level: sarif_level(f.severity),
                message: Text { text: f.message.text(report.locale).to_string() },
                locations: vec![Location {
                    physical_location: PhysicalLocation { artifact_location: artifact, region },
                }],
                partial_fingerprints: BTreeMap::from([(
                    "errcodeFinding/v1",
                    fingerprint(f.kind.rule_id(), &artifact.uri, &f.literal, *occurrence),
                )]),
                properties: Properties { literal: &f.literal, suggestions: &f.suggestions },
                fixes,
            });
        }
    }
    let mut base_uri = file_uri(base);
    if !base_uri.ends_with('/') {
        base_uri.push('/');
    }
    Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "errcode-lsp",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: HOMEPAGE,
                    rules,
                },
            },
            original_uri_base_ids: BTreeMap::from([("%SRCROOT%", UriBase { uri: base_uri })]),
            column_kind: "unicodeCodePoints",
            results,
        }],
    }
}
