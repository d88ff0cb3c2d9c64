//! Arbitrary text as a catalog (.toml, .json, .yaml) and as errcode.toml: parsing never panics;
//! an error's line, when present, is 1-based and within the text (counting `\n`, `\r\n` and a
//! lone `\r` as line breaks, as editors do), its column 1-based; a loaded catalog's entry lines
//! are within the text too.
#![no_main]

use std::path::Path;

use errcode_core::catalog::{Catalog, Origin};
use errcode_core::config::ConfigFile;
use errcode_core::error::FileError;
use libfuzzer_sys::fuzz_target;

/// The number of lines of `text`, counting every kind of line break.
fn line_count(text: &str) -> usize {
    let b = text.as_bytes();
    let mut n = 1;
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            n += 1;
        }
    }
    n
}

fn check_error(what: &str, text: &str, e: &FileError) {
    if let Some(line) = e.line {
        let max = line_count(text);
        assert!(line >= 1 && line <= max, "{what}: error line {line} outside 1..={max}: {e}");
    }
    if let Some(column) = e.column {
        assert!(column >= 1, "{what}: error column {column} is not 1-based: {e}");
    }
    assert!(!e.message.is_empty(), "{what}: an error without a message");
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for name in ["team.toml", "team.json", "team.yaml"] {
        match Catalog::from_text(Path::new(name), text, Origin::Builtin) {
            Ok(catalog) => {
                assert_eq!(catalog.lines.len(), catalog.entries.len(), "{name}");
                for &line in &catalog.lines {
                    assert!(line >= 1 && line <= line_count(text), "{name}: entry line {line} outside the text");
                }
            }
            Err(e) => check_error(name, text, &e),
        }
    }
    if let Err(e) = ConfigFile::parse(Path::new("errcode.toml"), text) {
        check_error("errcode.toml", text, &e);
    }
});
