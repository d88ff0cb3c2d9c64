//! Property tests (proptest): position conversions, scanner invariants, and CLI/server parity
//! on generated texts.
//!
//! Failures are not persisted to files (the seeds printed on failure reproduce them); set
//! `PROPTEST_CASES` to run more cases.

#[path = "common/mod.rs"]
mod common;

use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};

use errcode_core::scan::{scan, Lang};
use errcode_lsp::lsp::convert::{offset, position, Encoding};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use ropey::Rope;
use serde_json::{json, Value};
use tower_lsp_server::ls_types::Position;

use common::{check_findings, cli, diagnostic_findings, line_starts, offset_of, Client, Project};

fn config(cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(cases);
    Config { cases, failure_persistence: None, ..Config::default() }
}

// ----------------------------------------------------------------------------------------------
// Text strategies
// ----------------------------------------------------------------------------------------------

/// Arbitrary Unicode text rich in line breaks and multi-unit characters.
fn unicode_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-zA-Z_ ]{1,4}",
        2 => Just("\r\n".to_string()),
        2 => Just("\n".to_string()),
        2 => Just("\r".to_string()),
        1 => Just("😀".to_string()),
        1 => Just("👍🏽".to_string()),
        1 => Just("中文".to_string()),
        1 => Just("e\u{301}".to_string()),
        1 => Just("é".to_string()),
        1 => Just("\u{2028}\u{85}\u{b}\u{c}".to_string()),
        2 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

/// Text built from code-like tokens: quotes, escapes, comment markers, interpolation, heredoc
/// and raw-string openers, line breaks and multi-byte characters.
fn code_like_text() -> impl Strategy<Value = String> {
    const TOKENS: &[&str] = &[
        "\"",
        "'",
        "`",
        "\\",
        "\\\"",
        "\\'",
        "//",
        "/*",
        "*/",
        "#",
        "--",
        "--[[",
        "]]",
        "<!--",
        "-->",
        "${",
        "#{",
        "{",
        "}",
        "(",
        ")",
        "\\(",
        "\n",
        "\r\n",
        "\r",
        " ",
        "\t",
        "r#\"",
        "\"#",
        "\"\"\"",
        "'''",
        "<<EOF",
        "<<-'EOF'",
        "EOF",
        "f\"",
        "b'",
        "@\"",
        "$\"",
        "=",
        ":",
        ",",
        "- ",
        "[",
        "]",
        "[[codes]]",
        "<script>",
        "</script>",
        "<script lang=\"ts\">",
        "{{",
        "}}",
        "EXCEED_RATE_LIMIT",
        "FUNCTON_NOT_FOUND",
        "INVALID_ENV_ID",
        "中文",
        "😀",
        "é",
        "e\u{301}",
        "errcode-ignore",
        "errcode-ignore-next-line",
        "?",
        "|",
        ">",
        "x",
        "0",
    ];
    prop::collection::vec(prop::sample::select(TOKENS), 0..60).prop_map(|v| v.concat())
}

// ----------------------------------------------------------------------------------------------
// Position conversions
// ----------------------------------------------------------------------------------------------

fn width(ch: char, enc: Encoding) -> usize {
    match enc {
        Encoding::Utf8 => ch.len_utf8(),
        Encoding::Utf16 => ch.len_utf16(),
    }
}

/// The reference conversion: LSP position of a byte offset on a char boundary.
fn model_position(text: &str, at: usize, enc: Encoding) -> Position {
    let starts = line_starts(text);
    let line = starts.partition_point(|&s| s <= at) - 1;
    let col: usize = text[starts[line]..at].chars().map(|c| width(c, enc)).sum();
    Position { line: line as u32, character: col as u32 }
}

/// The reference conversion: byte offset of a position, clamped like the server's.
fn model_offset(text: &str, pos: Position, enc: Encoding) -> usize {
    let unit = match enc {
        Encoding::Utf8 => errcode_core::text::Unit::Utf8,
        Encoding::Utf16 => errcode_core::text::Unit::Utf16,
    };
    offset_of(text, pos.line as usize, pos.character as usize, unit)
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn positions_round_trip_at_every_char_boundary(text in unicode_text()) {
        let rope = Rope::from_str(&text);
        let bytes = text.as_bytes();
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            for i in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let p = position(&rope, i, enc);
                // Between `\r` and `\n` is not addressable in LSP: it is the end of the line.
                if i > 0 && bytes[i - 1] == b'\r' && bytes.get(i) == Some(&b'\n') {
                    prop_assert_eq!(offset(&rope, p, enc), i - 1, "{:?} inside CRLF at {}", enc, i);
                    continue;
                }
                prop_assert_eq!(p, model_position(&text, i, enc), "{:?} position of byte {}", enc, i);
                prop_assert_eq!(offset(&rope, p, enc), i, "{:?} at byte {} ({:?})", enc, i, p);
            }
        }
    }

    #[test]
    fn positions_past_the_end_clamp(text in unicode_text(), line in 0u32..50, character in 0u32..200, far in any::<bool>()) {
        let rope = Rope::from_str(&text);
        let (line, character) = if far { (line.saturating_mul(100_000_000), u32::MAX - character) } else { (line, character) };
        let pos = Position { line, character };
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            let got = offset(&rope, pos, enc);
            prop_assert_eq!(got, model_offset(&text, pos, enc), "{:?} {:?}", enc, pos);
            prop_assert!(text.is_char_boundary(got));
        }
        // Offsets past the end clamp to the end's position.
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            let end = position(&rope, text.len(), enc);
            prop_assert_eq!(position(&rope, text.len() + 1 + character as usize, enc), end);
            prop_assert_eq!(end, model_position(&text, text.len(), enc));
        }
    }

    #[test]
    fn any_position_maps_to_a_char_boundary_and_back_to_a_position_not_after_it(
        text in unicode_text(), line in 0u32..12, character in 0u32..40,
    ) {
        let rope = Rope::from_str(&text);
        let pos = Position { line, character };
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            let at = offset(&rope, pos, enc);
            prop_assert_eq!(at, model_offset(&text, pos, enc), "{:?} {:?}", enc, pos);
            let back = position(&rope, at, enc);
            prop_assert!((back.line, back.character) <= (pos.line, pos.character), "{:?}: {:?} -> {} -> {:?}", enc, pos, at, back);
        }
    }
}

// ----------------------------------------------------------------------------------------------
// Scanner invariants
// ----------------------------------------------------------------------------------------------

fn check_spans(text: &str) -> Result<(), TestCaseError> {
    for &lang in Lang::ALL {
        let spans = scan(lang, text);
        let mut prev_end = 0;
        for s in &spans {
            prop_assert!(s.start <= s.end && s.end <= text.len(), "{:?}: {:?} out of 0..{}", lang, s, text.len());
            prop_assert!(
                text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
                "{:?}: {:?} splits a char",
                lang,
                s
            );
            prop_assert!(
                s.start >= prev_end,
                "{:?}: {:?} overlaps the previous span (ending at {})",
                lang,
                s,
                prev_end
            );
            prev_end = s.end;
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn scanner_spans_are_sorted_disjoint_on_char_boundaries_for_arbitrary_strings(text in any::<String>()) {
        check_spans(&text)?;
    }

    #[test]
    fn scanner_spans_are_sorted_disjoint_on_char_boundaries_for_unicode_text(text in unicode_text()) {
        check_spans(&text)?;
    }

    #[test]
    fn scanner_spans_are_sorted_disjoint_on_char_boundaries_for_code_like_text(text in code_like_text()) {
        check_spans(&text)?;
    }
}

// ----------------------------------------------------------------------------------------------
// CLI / server parity
// ----------------------------------------------------------------------------------------------

/// (file extension, LSP language id, line comment marker)
const LANGS: &[(&str, &str, &str)] = &[
    ("ts", "typescript", "//"),
    ("js", "javascript", "//"),
    ("py", "python", "#"),
    ("go", "go", "//"),
    ("rs", "rust", "//"),
    ("rb", "ruby", "#"),
    ("lua", "lua", "--"),
    ("sh", "shellscript", "#"),
    ("yaml", "yaml", "#"),
    ("toml", "toml", "#"),
    ("env", "dotenv", "#"),
    ("jsonc", "jsonc", "//"),
    ("json", "json", "//"),
    ("ini", "ini", ";"),
    ("vue", "vue", "//"),
];

const CODES: &[&str] = &[
    "EXCEED_RATE_LIMIT",
    "EXCEED_RATELIMIT",
    "FUNCTON_NOT_FOUND",
    "FUNCTION_NOT_FOUND",
    "INVALID_ENV_ID",
    "CHECK_LOGIN_FAILED",
    "SERVICE_TIMOUT",
    "ACESS_TOKEN_EXPIRED",
    "ACCESS_TOKEN_EXPIERD",
    "STORAGE_EXCEED_AUTHORTY",
    "DATABASE_COLLECTION_NOT_EXISTS",
    "NODE_ENV",
    "INVALID_POST",
];

/// One line fragment, given the file's comment marker.
fn fragment(comment: &'static str) -> impl Strategy<Value = String> {
    let code = prop::sample::select(CODES);
    let pad = prop::sample::select(&["", " ", "中文 ", "😀", "é", "\t"][..]);
    prop_oneof![
        4 => (code.clone(), pad.clone()).prop_map(|(c, p)| format!("{p}\"{c}\"")),
        3 => (code.clone(), pad.clone()).prop_map(|(c, p)| format!("{p}'{c}'")),
        2 => (code.clone(), pad.clone()).prop_map(|(c, p)| format!("{p}`{c}`")),
        1 => (code.clone(), code.clone()).prop_map(|(a, b)| format!("\"{a}, {b}\"")),
        2 => code.clone().prop_map(|c| format!("key: {c}")),
        2 => code.clone().prop_map(|c| format!("ERROR_CODE={c}")),
        3 => code.clone().prop_map(|c| format!("x(\"{c}\") ")),
        1 => code.clone().prop_map(|c| format!("`${{a}}{c}` ")),
        1 => code.clone().prop_map(move |c| format!("{comment} \"{c}\"")),
        1 => Just(format!("{comment} errcode-ignore ")),
        1 => Just(format!("{comment} errcode-ignore-next-line")),
        1 => pad.prop_map(|p| format!("{p}\"unterminated ")),
        1 => Just("{ ".to_string()),
        1 => Just("} ".to_string()),
        1 => Just("\\".to_string()),
    ]
}

/// A small file: (extension, language id, text).
fn source_file() -> impl Strategy<Value = (&'static str, &'static str, String)> {
    prop::sample::select(LANGS).prop_flat_map(|(ext, id, comment)| {
        let line = prop::collection::vec(fragment(comment), 0..4).prop_map(|v| v.concat());
        let eol = prop::sample::select(&["\n", "\n", "\r\n", "\r"][..]);
        prop::collection::vec((line, eol), 1..8).prop_map(move |lines| {
            let text: String = lines.into_iter().flat_map(|(l, e)| [l, e.to_string()]).collect();
            (ext, id, text)
        })
    })
}

#[test]
fn cli_and_server_agree_on_generated_texts() {
    let project = Project::cloudbase();
    let client = RefCell::new(Client::start(&project.root()));
    let counter = AtomicUsize::new(0);
    let mut runner = TestRunner::new(config(24));
    let flagged = AtomicUsize::new(0);
    let result = runner.run(&source_file(), |(ext, id, text)| {
        let n = counter.fetch_add(1, Ordering::Relaxed);
        let rel = if ext == "env" { format!("case{n}/prod.env") } else { format!("case{n}/file.{ext}") };
        project.write(&rel, &text);
        let (code, out, err) = cli(&project.root(), &["check", &rel, "--format", "json"]);
        prop_assert!(code == 0 || code == 1, "check exited with {}: {}", code, err);
        let report: Value = serde_json::from_str(&out).map_err(|e| TestCaseError::fail(format!("{e}: {out}")))?;
        let from_cli = check_findings(&text, &report);

        let uri = project.uri(&rel);
        let mut client = client.borrow_mut();
        client.open(&uri, id, &text);
        let from_server = diagnostic_findings(&text, &client.diagnostics(&uri, Some(1)));
        client.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
        if !from_cli.is_empty() {
            flagged.fetch_add(1, Ordering::Relaxed);
        }
        prop_assert_eq!(from_server, from_cli, "{} ({}): {:?}", rel, id, text);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let cases = counter.load(Ordering::Relaxed);
    eprintln!("parity: {cases} cases, {} with findings", flagged.load(Ordering::Relaxed));
    assert!(
        cases < 8 || flagged.load(Ordering::Relaxed) > 0,
        "no generated case had a finding: the grammar is too weak"
    );
    client.into_inner().shutdown();
}

// ----------------------------------------------------------------------------------------------
// Catalog error locations
// ----------------------------------------------------------------------------------------------

/// Found by the `catalog` fuzz target. A YAML catalog that holds only comments and does not end
/// in a line break is reported one line past the end of the file (`# a` -> "t.yaml:2:1: missing
/// field `catalog`"): `catalog::parse::parse` passes serde_yaml_ng's end-of-stream location on
/// unclamped. Editors get a diagnostic on a line that does not exist.
#[test]
fn yaml_catalog_errors_point_inside_the_file() {
    use errcode_core::catalog::{Catalog, Origin};
    for text in ["# a", "# team codes\n# none yet"] {
        let lines = text.split('\n').count();
        let e = Catalog::from_text(std::path::Path::new("team.yaml"), text, Origin::Builtin).unwrap_err();
        assert!(e.line.is_some_and(|l| (1..=lines).contains(&l)), "{text:?} ({lines} lines): {e}");
    }
}
