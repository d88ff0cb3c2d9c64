//! Incremental edits through `text::rope::apply` (what the server's document store applies each
//! `didChange` content change with; UTF-8 or UTF-16 columns) against a plain `String` model with
//! its own, straightforward position conversion and the same clamping rules: the texts are
//! equal after every change, and so are their findings.
#![no_main]

use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

use errcode_core::analysis::Analyzer;
use errcode_core::catalog::{builtin, CatalogSet};
use errcode_core::config::Severities;
use errcode_core::scan::Lang;
use errcode_core::text::{rope, LineCol, Unit};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use ropey::Rope;

const LANGUAGE_IDS: &[&str] = &[
    "typescript",
    "javascript",
    "python",
    "go",
    "rust",
    "yaml",
    "json",
    "jsonc",
    "toml",
    "dotenv",
    "ini",
    "shellscript",
    "lua",
    "ruby",
    "php",
    "vue",
    "svelte",
    "csharp",
    "java",
    "kotlin",
    "dart",
    "swift",
    "wxml",
    "wxs",
    "plaintext",
];

#[derive(Arbitrary, Debug)]
struct Input {
    utf8: bool,
    language: u8,
    initial: String,
    changes: Vec<Change>,
}

#[derive(Arbitrary, Debug)]
struct Change {
    /// Replace the whole text instead of a range (rarely).
    full: u8,
    start: (u8, u8),
    end: (u8, u8),
    text: String,
    /// Send together with the next change in one notification.
    batch_with_next: bool,
}

/// Small numbers mostly, so that positions land inside the text; a few far past the end.
fn coord(v: u8) -> u32 {
    if v >= 250 {
        u32::MAX - (255 - v as u32) * 1000
    } else {
        v as u32 % 64
    }
}

/// Byte offsets where each line starts; `\n`, `\r\n` and a lone `\r` end a line.
fn line_starts(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut starts = vec![0];
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\r' if b.get(i + 1) == Some(&b'\n') => {
                starts.push(i + 2);
                i += 2;
            }
            b'\r' | b'\n' => {
                starts.push(i + 1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    starts
}

/// The model's position -> byte offset: lines past the end go to the text's end, columns past
/// a line's end to the end of its content, a column inside a character to its start.
fn model_offset(text: &str, pos: LineCol, utf8: bool) -> usize {
    let starts = line_starts(text);
    let line = pos.line;
    if line >= starts.len() {
        return text.len();
    }
    let start = starts[line];
    let mut end = starts.get(line + 1).copied().unwrap_or(text.len());
    if text[start..end].ends_with("\r\n") {
        end -= 2;
    } else if text[start..end].ends_with('\n') || text[start..end].ends_with('\r') {
        end -= 1;
    }
    let col = pos.col;
    let mut units = 0;
    for (i, ch) in text[start..end].char_indices() {
        let w = if utf8 { ch.len_utf8() } else { ch.len_utf16() };
        if units + w > col {
            return start + i;
        }
        units += w;
    }
    end
}

fn analyzer() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(|| {
        Analyzer::new(Arc::new(CatalogSet::new(builtin::all().to_vec())), BTreeSet::new(), Severities::default())
    })
}

fuzz_target!(|input: Input| {
    if input.changes.len() > 64 {
        return;
    }
    let unit = if input.utf8 { Unit::Utf8 } else { Unit::Utf16 };
    let lang = Lang::from_language_id(LANGUAGE_IDS[input.language as usize % LANGUAGE_IDS.len()]).unwrap_or(Lang::Generic);
    let mut doc = Rope::from_str(&input.initial);
    let mut model = input.initial;
    for change in input.changes {
        let range = (change.full != 7).then(|| {
            (
                LineCol { line: coord(change.start.0) as usize, col: coord(change.start.1) as usize },
                LineCol { line: coord(change.end.0) as usize, col: coord(change.end.1) as usize },
            )
        });
        match range {
            Some((start, end)) => {
                let a = model_offset(&model, start, input.utf8);
                let b = model_offset(&model, end, input.utf8);
                model.replace_range(a.min(b)..a.max(b), &change.text);
            }
            None => model = change.text.clone(),
        }
        rope::apply(&mut doc, range, &change.text, unit);
        // Several changes of one notification are applied one after the other, as here.
        if change.batch_with_next {
            continue;
        }
        let text = doc.to_string();
        assert_eq!(text, model, "{unit:?}: the document differs from the model after {range:?}");
        assert_eq!(analyzer().analyze(lang, &text), analyzer().analyze(lang, &model));
    }
});
