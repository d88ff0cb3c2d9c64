//! `--format json`: the document of [`model::Document`], pretty-printed.
//!
//! The findings are the hot part on large trees, so they are written by hand, per file on the
//! walker threads (see [`Renderer::file`]), byte for byte what serde_json's pretty printer gives
//! for [`model::Finding`] (the tests below and `tests/cli` hold it to that), and streamed;
//! the rest of the document is the serde model.

use std::io::Write;

use super::{model, rendered, FileReport, Renderer, Report};

/// The JSON document.
pub struct Json;

impl Renderer for Json {
    fn file(&self, file: &FileReport) -> Option<Vec<u8>> {
        Some(json_file(file))
    }

    fn write(&self, report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
        write_json(report, out)
    }
}

/// The JSON finding objects of one file, comma-separated and indented as items of the
/// document's `findings` array: exactly what pretty-printing the whole document gives (a test
/// holds it to that). Written by hand, the path escaped once per file: this is the hot part of
/// `check --format json` on large trees.
pub fn json_file(file: &FileReport) -> Vec<u8> {
    let mut path = Vec::new();
    json_string(&mut path, &file.path.display().to_string());
    let mut out = Vec::with_capacity(file.findings.len() * 512);
    for (i, l) in file.findings.iter().enumerate() {
        let f = &l.finding;
        if i > 0 {
            out.extend_from_slice(b",\n");
        }
        out.extend_from_slice(b"    {\n      \"path\": ");
        out.extend_from_slice(&path);
        let mut number = itoa::Buffer::new();
        for (key, value) in
            [("line", l.line), ("column", l.column), ("end_line", l.end_line), ("end_column", l.end_column)]
        {
            json_key(&mut out, key);
            out.extend_from_slice(number.format(value).as_bytes());
        }
        for (key, value) in [
            ("literal", f.literal.as_str()),
            ("kind", f.kind.as_str()),
            ("rule", f.kind.rule_id()),
            ("severity", f.severity.as_str()),
            ("message", f.message.text(file.locale)),
        ] {
            json_key(&mut out, key);
            json_string(&mut out, value);
        }
        out.extend_from_slice(b",\n      \"suggestions\": [");
        for (k, suggestion) in f.suggestions.iter().enumerate() {
            out.extend_from_slice(if k == 0 { b"\n        " } else { b",\n        " });
            json_string(&mut out, suggestion);
        }
        if !f.suggestions.is_empty() {
            out.extend_from_slice(b"\n      ");
        }
        out.extend_from_slice(b"],\n      \"fix\": ");
        match &f.fix {
            Some(fix) => json_string(&mut out, fix),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b"\n    }");
    }
    out
}

/// Appends `,`, a line break and `key: ` at the indentation of a finding's fields.
fn json_key(out: &mut Vec<u8>, key: &str) {
    out.extend_from_slice(b",\n      \"");
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b"\": ");
}

/// Appends `s` as a JSON string, escaped as serde_json does.
fn json_string(out: &mut Vec<u8>, s: &str) {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

/// Writes the `--format json` document: `{version, findings, fixed, summary, projects}`,
/// pretty-printed. The findings come pre-rendered per file (see [`render_file`]).
fn write_json(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(b"{\n  \"version\": 1,\n  \"findings\": [")?;
    let mut empty = true;
    for file in &report.files {
        let items = rendered(file, &Json);
        if !items.is_empty() {
            out.write_all(if empty { b"\n" } else { b",\n" })?;
            out.write_all(&items)?;
            empty = false;
        }
    }
    out.write_all(if empty { b"],\n" } else { b"\n  ],\n" })?;
    let tail = model::Tail::of(report);
    // `{\n  "fixed": ...\n}`: the tail, already at the document's indentation, minus its `{\n`.
    let tail = serde_json::to_vec_pretty(&tail).map_err(std::io::Error::other)?;
    out.write_all(&tail[2..])?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::*;
    use crate::cli::render::{Located, Skipped};
    use errcode_core::analysis::{Finding, FindingKind, Verdict};
    use errcode_core::config::Severity;
    use errcode_core::locale::Locale;
    use errcode_core::messages::{Facts, Message};

    fn located(literal: &str, suggestions: &[&str], fix: Option<&str>, line: usize) -> Located {
        let verdict = Verdict {
            kind: FindingKind::Misspelled,
            literal: literal.to_string(),
            suggestions: suggestions.iter().map(|s| s.to_string()).collect(),
            fix: fix.map(str::to_string),
            severity: Severity::Warning,
            // Quotes, a tab and a control character in the message, to be escaped.
            message: Message::new(Facts::Misspelled {
                literal: format!("{literal}\"quoted\"\tand\u{1}"),
                best: suggestions.first().unwrap_or(&"X").to_string(),
            }),
        };
        Located {
            finding: Finding {
                start: 0,
                end: literal.len(),
                verdict: Arc::new(verdict),
                applicability: Default::default(),
            },
            line,
            column: 3,
            end_line: line,
            end_column: 3 + literal.len(),
            line_text: String::new(),
            indent: 0,
        }
    }

    /// The hand-written writer gives exactly what serde_json gives for the model.
    #[test]
    fn hand_written_findings_are_the_serde_model_pretty_printed() {
        let files = vec![
            FileReport {
                path: PathBuf::from("src/q\"uo\\te é.ts"),
                findings: vec![
                    located("EXCEED_RATE_LIMIT", &["EXCEED_RATELIMIT"], Some("EXCEED_RATELIMIT"), 1),
                    located("INVALID_ENV_IDS", &["INVALID_ENV", "INVALID_ENV_ID"], None, 7),
                    located("NO_SUGGESTION_X", &[], None, 9),
                ],
                text: None,
                rendered: None,
                locale: Locale::En,
            },
            FileReport {
                path: PathBuf::from("b.ts"),
                findings: vec![located("A_B_C_D", &["A_B_C"], None, 2)],
                text: None,
                rendered: None,
                locale: Locale::En,
            },
        ];
        let report = Report {
            scanned: 3,
            files,
            skipped: Skipped::default(),
            fixed: Vec::new(),
            not_fixed: Vec::new(),
            projects: Vec::new(),
            locale: Locale::En,
        };
        let mut written = Vec::new();
        Json.write(&report, &mut written).unwrap();
        let model = model::Document::of(&report);
        let want = serde_json::to_string_pretty(&model).unwrap() + "\n";
        assert_eq!(String::from_utf8(written).unwrap(), want);
    }
}
