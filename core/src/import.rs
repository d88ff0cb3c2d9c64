//! Importing an error-code docs page into a catalog: turns the common text layout (a title,
//! category headings, and entries of a `CODE` line followed by description lines) into a
//! [`CatalogFile`], and writes catalogs as TOML, JSON or YAML.
//!
//! The layout, line by line:
//!
//! ```text
//! Payments Service Error Codes          <- title (becomes the description)
//! Some preamble about the page.         <- ignored
//! Card Errors                           <- category heading (a short line before a code)
//! CARD_DECLINED                         <- a code: UPPER_SNAKE alone on its line
//! The issuer declined the card. Ask     <- description: summary = first sentence,
//! for another card.                        details = everything, as Markdown
//! - bullets stay bullets
//! ```
//!
//! Pages that list codes in a table (copied from a browser: tab-separated cells; or Markdown
//! `| ... |` rows) are read by their header row instead: a code column (`错误码`, `Code`), a
//! description column (`错误描述`, `说明`, `Description`) and optionally a solution column
//! (`解决方法`, `处理建议`, `Solution`); see [`import_table`].
//!
//! A page written in Chinese (most descriptions hold Chinese text) is imported as the entries'
//! `zh-CN` translation (`[codes.l10n.zh-CN]`), leaving the English fields empty for the team to
//! fill in: readers of either language see the Chinese text until they do.

use std::collections::HashSet;

use crate::catalog::parse::Format;
use crate::catalog::{CatalogFile, CatalogMeta, Entry, Status};

/// The most words a category heading may have.
const MAX_HEADING_WORDS: usize = 8;

/// The category used when no heading precedes the first code.
pub const DEFAULT_CATEGORY: &str = "General";

/// The result of an import: the catalog and anything worth telling the user.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    pub catalog: CatalogFile,
    /// Problems that did not stop the import (e.g. a code listed twice; the first one is kept).
    pub warnings: Vec<String>,
}

/// Why an import failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    /// The input holds no text.
    Empty,
    /// No line of the input is an error code.
    NoCodes,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::Empty => write!(f, "the input is empty"),
            ImportError::NoCodes => write!(
                f,
                "no error codes found: expected lines that hold only an UPPER_SNAKE code (like `CARD_DECLINED`), \
                 each followed by its description"
            ),
        }
    }
}

impl std::error::Error for ImportError {}

/// Whether `line` (trimmed) is a code line: `^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$`.
pub fn is_code_line(line: &str) -> bool {
    let bytes = line.as_bytes();
    if !bytes.first().is_some_and(u8::is_ascii_uppercase) {
        return false;
    }
    let mut after_underscore = false;
    for &b in bytes {
        match b {
            b'A'..=b'Z' | b'0'..=b'9' => after_underscore = false,
            b'_' if !after_underscore => after_underscore = true,
            _ => return false,
        }
    }
    !after_underscore
}

/// Whether `line` (trimmed) could be a category heading: short, not a sentence, not a bullet.
pub fn is_heading_shaped(line: &str) -> bool {
    !line.is_empty()
        && bullet_text(line).is_none()
        && !line.ends_with(['.', ':', ';', '。', '：', '；'])
        && line.split_whitespace().count() <= MAX_HEADING_WORDS
}

/// The text of a bullet line (`- `, `* `, `• `), or `None` for other lines.
fn bullet_text(line: &str) -> Option<&str> {
    ["- ", "* ", "• ", "· "].iter().find_map(|p| line.strip_prefix(p)).map(str::trim)
}

/// Parses a docs page; `name` becomes the catalog name and `source` its `source`.
pub fn import(text: &str, name: &str, source: Option<String>) -> Result<Imported, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    if lines.iter().all(|l| l.is_empty()) {
        return Err(ImportError::Empty);
    }
    let mut imported = match import_table(&lines, name, source.clone()) {
        Some(imported) => imported,
        None => import_lines(&lines, name, source)?,
    };
    if is_chinese_page(&imported.catalog) {
        to_translation(&mut imported.catalog, CHINESE);
    }
    Ok(imported)
}

/// The language tag a Chinese page's text is filed under.
const CHINESE: &str = "zh-CN";

/// Whether the text holds a CJK ideograph.
fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c))
}

/// Whether most described entries are written in Chinese.
fn is_chinese_page(file: &CatalogFile) -> bool {
    let described: Vec<&Entry> = file.codes.iter().filter(|e| !e.summary.trim().is_empty()).collect();
    !described.is_empty()
        && described.iter().filter(|e| has_cjk(&e.summary) || has_cjk(&e.details)).count() * 2 > described.len()
}

/// Moves the text of every entry (and the catalog's description) into its `tag` translation.
fn to_translation(file: &mut CatalogFile, tag: &str) {
    if !file.catalog.description.is_empty() {
        let description = std::mem::take(&mut file.catalog.description);
        file.catalog.l10n.entry(tag.to_string()).or_default().description = Some(description);
    }
    for entry in &mut file.codes {
        let summary = std::mem::take(&mut entry.summary);
        let details = std::mem::take(&mut entry.details);
        let l10n = entry.l10n.entry(tag.to_string()).or_default();
        l10n.summary = (!summary.is_empty()).then_some(summary);
        l10n.details = (!details.is_empty()).then_some(details);
    }
}

/// The header names of a table's columns.
const CODE_HEADERS: &[&str] =
    &["错误码", "错误代码", "错误码名称", "错误名称", "返回码", "code", "error code", "errcode", "name"];
const DESCRIPTION_HEADERS: &[&str] = &[
    "错误描述",
    "描述",
    "说明",
    "含义",
    "错误信息",
    "错误说明",
    "错误原因",
    "description",
    "message",
    "meaning",
    "reason",
];
const SOLUTION_HEADERS: &[&str] = &[
    "解决方法",
    "解决方案",
    "处理建议",
    "处理方法",
    "处理方式",
    "建议",
    "solution",
    "resolution",
    "what to do",
    "action",
];
const NUMBER_HEADERS: &[&str] = &["错误码值", "数字错误码", "数值", "numeric", "number", "errno"];

/// The cells of a table row: tab-separated, or a Markdown `| a | b |` row.
fn cells(line: &str) -> Option<Vec<String>> {
    let clean = |c: &str| c.trim().trim_matches('`').trim().to_string();
    if line.contains('\t') {
        return Some(line.split('\t').map(clean).collect());
    }
    let inner = line.strip_prefix('|')?.strip_suffix('|')?;
    Some(inner.split('|').map(clean).collect())
}

/// A Markdown table's `|---|:--:|` line.
fn is_rule_row(line: &str) -> bool {
    line.starts_with('|') && line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// Which column holds what, from a header row.
#[derive(Clone, Debug, Default)]
struct Columns {
    /// The columns that may hold the code or its number (`错误码`, `错误码名称`, `Code`...).
    codes: Vec<usize>,
    description: usize,
    solution: Option<usize>,
}

fn header(cells: &[String]) -> Option<Columns> {
    let is = |c: &String, names: &[&str]| names.contains(&c.to_lowercase().as_str());
    let codes: Vec<usize> =
        (0..cells.len()).filter(|&i| is(&cells[i], CODE_HEADERS) || is(&cells[i], NUMBER_HEADERS)).collect();
    let description = cells.iter().position(|c| is(c, DESCRIPTION_HEADERS))?;
    let solution = cells.iter().position(|c| is(c, SOLUTION_HEADERS));
    (!codes.is_empty()).then_some(Columns { codes, description, solution })
}

/// Whether a cell is a numeric code (`-501001`).
fn numeric(cell: &str) -> Option<i64> {
    cell.parse().ok().filter(|_| cell.len() <= 12)
}

/// Reads a page whose codes are the rows of tables; `None` when no table with a code column
/// and a description column holds a code.
pub fn import_table(lines: &[&str], name: &str, source: Option<String>) -> Option<Imported> {
    let mut columns: Option<Columns> = None;
    let mut category = DEFAULT_CATEGORY.to_string();
    let mut categories: Vec<String> = Vec::new();
    let mut categories_seen = std::collections::HashSet::new();
    let mut entries: Vec<Entry> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut warnings = Vec::new();
    let mut title: Option<String> = None;
    for (i, line) in lines.iter().enumerate() {
        if line.is_empty() || is_rule_row(line) {
            continue;
        }
        let row = cells(line).filter(|c| c.len() >= 2);
        if let Some(found) = row.as_deref().and_then(header) {
            columns = Some(found);
            continue;
        }
        let (Some(cols), Some(row)) = (columns.clone(), row) else {
            // Text between tables: a title, category headings, prose.
            columns = None;
            if title.is_none() && entries.is_empty() {
                title = Some(line.to_string());
            } else if is_heading_shaped(line)
                && lines[i + 1..].iter().find(|l| !l.is_empty()).is_some_and(|l| cells(l).is_some())
            {
                category = line.to_string();
            }
            continue;
        };
        let cell = |at: usize| row.get(at).map(String::as_str).unwrap_or("");
        // The code is the name where a column has one (`-501001 | INVALID_PARAM`), else the number.
        let number = cols.codes.iter().find_map(|&c| numeric(cell(c)));
        let Some(code_cell) = cols
            .codes
            .iter()
            .map(|&c| cell(c))
            .find(|c| is_code_line(c))
            .or_else(|| cols.codes.iter().map(|&c| cell(c)).find(|c| numeric(c).is_some()))
        else {
            continue;
        };
        if !seen.insert(code_cell.to_string()) {
            warnings.push(format!("`{code_cell}` is listed more than once; the first entry is kept"));
            continue;
        }
        let description = cell(cols.description);
        // The summary is the first sentence; the details say the rest (and what to do).
        let summary = first_sentence(description);
        let mut details = markdown(&[description[summary.len()..].trim()]);
        if let Some(solution) = cols.solution.map(cell).filter(|s| !s.is_empty()) {
            let heading = if has_cjk(solution) || has_cjk(description) { "**处理建议**" } else { "**What to do**" };
            // Cells flattened from HTML lists run their items together with `；`/`;`.
            let items: Vec<String> = solution
                .split(['；', ';'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| format!("- {}", bullet_text(s).unwrap_or(s)))
                .collect();
            details = format!("{details}\n\n{heading}\n{}", items.join("\n")).trim().to_string();
        }
        if title.as_deref() == Some(category.as_str()) {
            title = None;
        }
        if categories_seen.insert(category.clone()) {
            categories.push(category.clone());
        }
        entries.push(Entry {
            code: code_cell.to_string(),
            category: category.clone(),
            summary: summary.to_string(),
            details,
            numeric: number,
            status: Status::Current,
            replaced_by: None,
            note: None,
            docs: None,
            l10n: Default::default(),
        });
    }
    if entries.is_empty() {
        return None;
    }
    for e in entries.iter().filter(|e| e.summary.is_empty()) {
        warnings.push(format!("`{}` has no description", e.code));
    }
    let meta = CatalogMeta {
        name: name.to_string(),
        description: title.unwrap_or_default(),
        source,
        categories,
        l10n: Default::default(),
    };
    Some(Imported { catalog: CatalogFile { catalog: meta, codes: entries }, warnings })
}

/// Reads the line layout described at the top of this file.
fn import_lines(lines: &[&str], name: &str, source: Option<String>) -> Result<Imported, ImportError> {
    let lines = lines.to_vec();
    let codes: Vec<usize> = (0..lines.len()).filter(|&i| is_code_line(lines[i])).collect();
    let Some(&first_code) = codes.first() else { return Err(ImportError::NoCodes) };

    // The nearest non-blank line before `i`, if it is not a code line.
    let previous = |i: usize| (0..i).rev().find(|&j| !lines[j].is_empty()).filter(|&j| !is_code_line(lines[j]));
    let title = lines.iter().position(|l| !l.is_empty()).filter(|&t| t < first_code);

    // Headings: a heading-shaped line right before a code; before the first code, the first
    // heading-shaped line after the title when the line right before it is not one. Marked per
    // line, and codes and categories met are kept in sets: a page of 300,000 codes, each under
    // its own heading, took over ten minutes with lists searched per line.
    let mut heading = vec![false; lines.len()];
    for &c in &codes {
        match previous(c) {
            Some(p) if is_heading_shaped(lines[p]) => heading[p] = true,
            _ if c == first_code => {
                let from = title.map_or(0, |t| t + 1);
                if let Some(h) = (from..c).find(|&j| is_heading_shaped(lines[j])) {
                    heading[h] = true;
                }
            }
            _ => {}
        }
    }
    // A title that is itself the first heading (nothing else before the first code) is a heading.
    let title = title.filter(|&t| !heading[t]);

    let mut warnings = Vec::new();
    let mut categories: Vec<String> = Vec::new();
    let mut seen_categories: HashSet<&str> = HashSet::new();
    let mut seen_codes: HashSet<&str> = HashSet::new();
    let mut entries: Vec<Entry> = Vec::new();
    let mut category = DEFAULT_CATEGORY;
    let mut i = 0;
    while i < lines.len() {
        if heading[i] {
            category = lines[i];
            i += 1;
            continue;
        }
        if !is_code_line(lines[i]) || i < first_code {
            i += 1;
            continue;
        }
        let code = lines[i];
        let end = (i + 1..lines.len()).find(|&j| is_code_line(lines[j]) || heading[j]).unwrap_or(lines.len());
        let details = markdown(&lines[i + 1..end]);
        i = end;
        if !seen_codes.insert(code) {
            warnings.push(format!("`{code}` is listed more than once; the first entry is kept"));
            continue;
        }
        if seen_categories.insert(category) {
            categories.push(category.to_string());
        }
        entries.push(Entry {
            code: code.to_string(),
            category: category.to_string(),
            summary: summary(&details),
            details,
            numeric: None,
            status: Status::Current,
            replaced_by: None,
            note: None,
            docs: None,
            l10n: Default::default(),
        });
    }
    for e in entries.iter().filter(|e| e.summary.is_empty()) {
        warnings.push(format!("`{}` has no description", e.code));
    }
    let meta = CatalogMeta {
        name: name.to_string(),
        description: title.map(|t| lines[t].to_string()).unwrap_or_default(),
        source,
        categories,
        l10n: Default::default(),
    };
    Ok(Imported { catalog: CatalogFile { catalog: meta, codes: entries }, warnings })
}

/// Whether a line ends a sentence or introduces what follows, so the next line starts afresh.
fn ends_block(line: &str) -> bool {
    line.ends_with(['.', '!', '?', ':', ';', '。', '！', '？', '：', '；'])
}

/// Turns description lines into Markdown: paragraphs, and bullet lists kept as `- ` items;
/// wrapped lines (a line that does not end a sentence) are joined with the next one.
pub fn markdown(lines: &[&str]) -> String {
    enum Block {
        Para(String),
        List(Vec<String>),
    }
    let mut blocks: Vec<Block> = Vec::new();
    let mut open = false;
    for line in lines {
        if line.is_empty() {
            open = false;
            continue;
        }
        if let Some(item) = bullet_text(line) {
            match blocks.last_mut() {
                Some(Block::List(items)) => items.push(item.to_string()),
                _ => blocks.push(Block::List(vec![item.to_string()])),
            }
            open = true;
            continue;
        }
        let joins = open && !blocks.last().is_some_and(|b| ends_block(last_text(b)));
        match blocks.last_mut() {
            Some(Block::Para(p)) if joins => join(p, line),
            Some(Block::List(items)) if joins => join(items.last_mut().expect("lists are never empty"), line),
            _ => blocks.push(Block::Para(line.to_string())),
        }
        open = true;
    }
    fn last_text(block: &Block) -> &str {
        match block {
            Block::Para(p) => p,
            Block::List(items) => items.last().map_or("", String::as_str),
        }
    }
    fn join(to: &mut String, line: &str) {
        to.push(' ');
        to.push_str(line);
    }
    let parts: Vec<String> = blocks
        .iter()
        .map(|b| match b {
            Block::Para(p) => p.clone(),
            // Pages flattened from HTML sometimes run two items together as `first; - second`.
            Block::List(items) => {
                items.iter().map(|i| format!("- {}", i.replace("; - ", ";\n- "))).collect::<Vec<_>>().join("\n")
            }
        })
        .collect();
    parts.join("\n\n")
}

/// The first sentence of a Markdown description, on one line (a leading bullet's text if the
/// description starts with a list).
pub fn summary(details: &str) -> String {
    let first = details.split("\n\n").next().unwrap_or("");
    let first = first.lines().next().unwrap_or("");
    let first = bullet_text(first).unwrap_or(first);
    first_sentence(first).to_string()
}

/// Abbreviations whose period does not end a sentence.
const ABBREVIATIONS: &[&str] = &["e.g", "i.e", "etc", "vs", "approx", "incl", "no", "mr", "ms", "dr", "st", "cf"];

/// The text up to and including the first sentence end (`.`, `!`, `?` followed by a space,
/// or a CJK full stop), or all of `text`.
pub fn first_sentence(text: &str) -> &str {
    let text = text.trim();
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        if matches!(c, '。' | '！' | '？') {
            return &text[..end];
        }
        if !matches!(c, '.' | '!' | '?') || !text[end..].starts_with(char::is_whitespace) {
            continue;
        }
        let word = text[..i].rsplit(|ch: char| ch.is_whitespace() || ch == '(').next().unwrap_or("");
        let abbreviation = ABBREVIATIONS.contains(&word.to_ascii_lowercase().as_str());
        let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
        if c == '.' && (abbreviation || initial) {
            continue;
        }
        return &text[..end];
    }
    text
}

/// Serialises a catalog in `format`.
pub fn to_text(file: &CatalogFile, format: Format) -> Result<String, String> {
    let mut text = match format {
        Format::Toml => toml::to_string_pretty(file).map_err(|e| e.to_string())?,
        Format::Json => serde_json::to_string_pretty(file).map_err(|e| e.to_string())?,
        Format::Yaml => serde_yaml_ng::to_string(file).map_err(|e| e.to_string())?,
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_lines() {
        for ok in ["CARD_DECLINED", "SYS_ERR", "E2E_TIMEOUT_3", "OK", "HTTPSERVICE_NONACTIVATED"] {
            assert!(is_code_line(ok), "{ok}");
        }
        for no in ["Card_Declined", "CARD__DECLINED", "CARD_", "_CARD", "2FA_FAILED", "CARD DECLINED", ""] {
            assert!(!is_code_line(no), "{no}");
        }
    }

    #[test]
    fn sentences() {
        assert_eq!(first_sentence("It failed. Try again."), "It failed.");
        assert_eq!(first_sentence("Use a key (e.g. an API key) here. More."), "Use a key (e.g. an API key) here.");
        assert_eq!(first_sentence("Version 1.2 failed! Retry."), "Version 1.2 failed!");
        assert_eq!(first_sentence("No end"), "No end");
    }

    /// A page of 50,000 codes, each under its own heading (and one listed twice): linear work.
    /// Searching lists of headings and codes per line made this quadratic (a 300,000-code page
    /// took over ten minutes).
    #[test]
    fn a_huge_page_imports_in_linear_time() {
        let n = 50_000;
        let mut page = String::from("Generated Error Codes\n\n");
        for i in 0..n {
            page.push_str(&format!("Group {}\nCODE_{i}\nIt failed ({i}). Try again.\n\n", i % 1000));
        }
        page.push_str("Group 0\nCODE_7\nListed twice.\n");
        let imported = import(&page, "big", None).unwrap();
        let codes = &imported.catalog.codes;
        assert_eq!(codes.len(), n);
        assert_eq!((codes[1234].code.as_str(), codes[1234].category.as_str()), ("CODE_1234", "Group 234"));
        assert_eq!(codes[1234].summary, "It failed (1234).");
        assert_eq!(imported.catalog.catalog.categories.len(), 1000);
        assert_eq!(imported.catalog.catalog.categories[..2], ["Group 0", "Group 1"]);
        assert_eq!(imported.catalog.catalog.description, "Generated Error Codes");
        assert_eq!(imported.warnings, ["`CODE_7` is listed more than once; the first entry is kept"]);
    }

    #[test]
    fn wrapped_lines_and_bullets() {
        let md = markdown(&["Reasons include:", "- one", "- two that", "wraps;", "After the list."]);
        assert_eq!(md, "Reasons include:\n\n- one\n- two that wraps;\n\nAfter the list.");
        assert_eq!(markdown(&["A wrapped", "sentence.", "Next one."]), "A wrapped sentence.\n\nNext one.");
        assert_eq!(markdown(&["- run together; - like this"]), "- run together;\n- like this");
    }
}
