//! Parsing TOML, JSON and YAML files into typed values, with errors that name file, line and column.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::FileError;

/// The formats a catalog or config file may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Toml,
    Json,
    Yaml,
}

impl Format {
    pub fn from_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "toml" => Some(Format::Toml),
            "json" => Some(Format::Json),
            "yaml" | "yml" => Some(Format::Yaml),
            _ => None,
        }
    }
}

/// Parses `text` in the format given by `path`'s extension.
pub fn parse_by_extension<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, FileError> {
    let format = Format::from_path(path)
        .ok_or_else(|| FileError::new(path, "unknown catalog format: use a .toml, .json, .yaml or .yml file"))?;
    parse(path, text, format)
}

/// Parses `text` as `format`; errors carry the location the parser reports.
pub fn parse<T: DeserializeOwned>(path: &Path, text: &str, format: Format) -> Result<T, FileError> {
    match format {
        Format::Toml => toml::from_str(text).map_err(|e| {
            let message = e.message().trim().to_string();
            match e.span() {
                Some(span) => FileError::at_offset(path, text, span.start, message),
                None => FileError::new(path, message),
            }
        }),
        Format::Json => serde_json::from_str(text).map_err(|e| {
            let message = strip_location(&e.to_string());
            if e.line() == 0 {
                FileError::new(path, message)
            } else {
                FileError::at_line(path, e.line(), e.column().max(1), message)
            }
        }),
        Format::Yaml => serde_yaml_ng::from_str(text).map_err(|e| {
            let message = strip_location(&e.to_string());
            match e.location() {
                // The parser may report the end of input one line past the last one.
                Some(loc) if loc.line() > crate::text::LineIndex::new(text).line_count() => {
                    FileError::at_offset(path, text, text.len(), message)
                }
                Some(loc) => FileError::at_line(path, loc.line(), loc.column(), message),
                None => FileError::new(path, message),
            }
        }),
    }
}

/// Parser messages end in " at line 3 column 5"; we print the location ourselves.
fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Finds the first whole-word occurrence of `value` and returns its 1-based line (1 when it is
/// not found).
pub fn locate_value(text: &str, value: &str) -> usize {
    Locator::new(text).next(value).unwrap_or(1)
}

/// Finds values one after another in a text, counting lines as it goes (linear overall).
pub struct Locator<'a> {
    text: &'a str,
    /// Where the previous match ended, and the 1-based line there.
    pos: usize,
    line: usize,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Locator<'a> {
        Locator { text, pos: 0, line: 1 }
    }

    /// The 1-based line of the next whole-word occurrence of `value` after the previous one.
    pub fn next(&mut self, value: &str) -> Option<usize> {
        let at = find_word(self.text, value, self.pos)?;
        self.line += memchr::memchr_iter(b'\n', &self.text.as_bytes()[self.pos..at]).count();
        // A value holds no line break, so the line at its end is the line at its start.
        self.pos = at + value.len();
        Some(self.line)
    }

    /// The 1-based line of the first occurrence of `needle` (anywhere, not only as a whole word)
    /// after the previous match, without moving on; `None` when it is empty or absent.
    pub fn find_after(&self, needle: &str) -> Option<usize> {
        if needle.trim().is_empty() {
            return None;
        }
        let at = self.pos + self.text.get(self.pos..)?.find(needle)?;
        Some(self.line + memchr::memchr_iter(b'\n', &self.text.as_bytes()[self.pos..at]).count())
    }
}

/// The offset of the next whole-word occurrence of `value` at or after byte `from`.
fn find_word(text: &str, value: &str, from: usize) -> Option<usize> {
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    let bytes = text.as_bytes();
    let mut start = from.min(text.len());
    while let Some(pos) = text.get(start..).and_then(|rest| rest.find(value)) {
        let at = start + pos;
        let end = at + value.len();
        let before_ok = at == 0 || !is_word(bytes[at - 1]);
        let after_ok = end >= bytes.len() || !is_word(bytes[end]);
        if before_ok && after_ok && !value.is_empty() {
            return Some(at);
        }
        start = at + value.len().max(1);
        while start < text.len() && !text.is_char_boundary(start) {
            start += 1;
        }
    }
    None
}
