//! Documentation of a code, for hovers, completion, the definition page and `explain`: one
//! entry per code, whatever the number of catalogs listing it, in the reader's language.
//!
//! [`Doc::of`] merges every catalog's entry for a code: the richest text (in the requested
//! language) leads, the numeric code comes from any catalog that has one, and the other
//! catalogs are listed as "also in: <catalog> (<category>)" with whatever they add (a note, a
//! link, a different number). [`markdown`] and [`plain`] render it; the CLI renders the same
//! model for terminals and as JSON.

use serde::Serialize;

use crate::catalog::{Catalog, CatalogSet, Entry, Status};
use crate::locale::Locale;
use crate::messages::{self, Label};

/// The merged documentation of one code in one language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Doc {
    pub code: String,
    /// The language the text was asked for (`en`, `zh-CN`); a field that language lacks falls
    /// back to the other.
    pub locale: &'static str,
    /// The numeric code, from any catalog that knows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numeric: Option<i64>,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
    /// The catalog whose text is shown, and the code's category there.
    pub catalog: String,
    pub category: String,
    pub summary: String,
    /// Markdown: likely causes and what to do.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub details: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// The other catalogs that list the code.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_in: Vec<AlsoIn>,
}

/// Another catalog's entry for the same code: where, and what it adds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AlsoIn {
    pub catalog: String,
    pub category: String,
    /// Its numeric code, when it differs from the one shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numeric: Option<i64>,
    /// Its note, when the shown entry has a different one (or none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Its docs link, when it differs from the one shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
}

impl AlsoIn {
    /// "Also in: <catalog> (<category>)" and what this catalog adds, as Markdown or plain text.
    pub fn line(&self, locale: Locale, markdown: bool) -> String {
        let catalog = if markdown { format!("`{}`", self.catalog) } else { self.catalog.clone() };
        let mut parts =
            vec![format!("{}{catalog} ({})", messages::labelled(locale, Label::AlsoIn, markdown), self.category)];
        if let Some(n) = self.numeric {
            parts.push(format!("{} {n}", messages::label(locale, Label::Numeric)));
        }
        parts.extend(self.note.clone());
        if let Some(docs) = &self.docs {
            let label = messages::label(locale, Label::Documentation);
            parts.push(if markdown { format!("[{label}]({docs})") } else { docs.clone() });
        }
        parts.join(if markdown { " · " } else { ", " })
    }
}

/// How much an entry has to say in `locale`: text written in that language counts first,
/// then its length.
fn richness(entry: &Entry, locale: Locale) -> (bool, usize) {
    let view = entry.localized(locale.tag());
    let translated = locale == Locale::En || view.locale.is_some();
    let len = view.summary.trim().len() + view.details.trim().len() + view.note.map_or(0, |n| n.trim().len());
    (translated, len)
}

/// The index of the entry whose text leads: the richest; ties keep catalog order.
fn lead(entries: &[(&Catalog, &Entry)], locale: Locale) -> Option<usize> {
    if entries.len() == 1 {
        return Some(0);
    }
    let (at, _) = entries
        .iter()
        .enumerate()
        .max_by(|(i, (_, a)), (j, (_, b))| richness(a, locale).cmp(&richness(b, locale)).then(j.cmp(i)))?;
    Some(at)
}

/// The one-line summary of `code` as its documentation shows it (cheaper than [`Doc::of`]).
pub fn summary<'a>(set: &'a CatalogSet, code: &str, locale: Locale) -> Option<&'a str> {
    let entries: Vec<(&Catalog, &Entry)> = set.lookup(code).collect();
    let (_, entry) = entries[lead(&entries, locale)?];
    Some(entry.summary_in(locale.tag()).trim())
}

impl Doc {
    /// The merged documentation of `code` from every catalog of `set` that lists it.
    pub fn of(set: &CatalogSet, code: &str, locale: Locale) -> Option<Doc> {
        let entries: Vec<(&Catalog, &Entry)> = set.lookup(code).collect();
        let lead_at = lead(&entries, locale)?;
        let (catalog, lead) = entries[lead_at];
        let view = lead.localized(locale.tag());
        let numeric = lead.numeric.or_else(|| entries.iter().find_map(|(_, e)| e.numeric));
        let numeric = numeric.filter(|n| n.to_string() != code);
        let (status, replaced_by) = match set.deprecation(code) {
            Some(e) => (Status::Deprecated, e.replaced_by.clone()),
            None if entries.iter().all(|(_, e)| e.status == Status::Legacy) => (Status::Legacy, None),
            None => (Status::Current, None),
        };
        let note = view.note.map(|n| n.trim().to_string());
        let docs = view.docs.map(str::to_string);
        let also_in = entries
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != lead_at)
            .map(|(_, (c, e))| {
                let other = e.localized(locale.tag());
                AlsoIn {
                    catalog: c.name().to_string(),
                    category: c.meta.category_in(&e.category, locale.tag()).to_string(),
                    numeric: e.numeric.filter(|n| Some(*n) != numeric && n.to_string() != code),
                    note: other.note.map(|n| n.trim().to_string()).filter(|n| Some(n) != note.as_ref()),
                    docs: other.docs.filter(|d| Some(*d) != docs.as_deref()).map(str::to_string),
                }
            })
            .collect();
        Some(Doc {
            code: lead.code.clone(),
            locale: locale.tag(),
            numeric,
            status,
            replaced_by,
            catalog: catalog.name().to_string(),
            category: catalog.meta.category_in(&lead.category, locale.tag()).to_string(),
            summary: view.summary.trim().to_string(),
            details: view.details.trim().to_string(),
            note,
            docs,
            also_in,
        })
    }

    /// The status line (deprecated or legacy), if any.
    pub fn status_line(&self, locale: Locale) -> Option<String> {
        match self.status {
            Status::Deprecated => Some(messages::deprecated_use(locale, self.replaced_by.as_deref().unwrap_or("?"))),
            Status::Legacy => Some(messages::legacy(locale).to_string()),
            Status::Current => None,
        }
    }

    /// Markdown, for hovers and the definition page.
    pub fn markdown(&self, locale: Locale) -> String {
        let mut out = format!("**`{}`**", self.code);
        if let Some(n) = self.numeric {
            out.push_str(&format!(" ({n})"));
        }
        out.push_str(&format!(" · {} · {}\n\n", self.catalog, self.category));
        if let Some(line) = self.status_line(locale) {
            let icon = if self.status == Status::Deprecated { "⚠️" } else { "🕰" };
            // "Deprecated: use ..." -> "⚠️ **Deprecated**: use ..."
            let (head, rest) = line.split_once(['：', ':']).unwrap_or((&line, ""));
            let colon = if locale == Locale::ZhCn { "：" } else { ":" };
            out.push_str(&format!("{icon} **{head}**{colon}{rest}\n\n"));
        }
        push_block(&mut out, &self.summary);
        push_block(&mut out, &self.details);
        if let Some(note) = &self.note {
            push_block(&mut out, &format!("{}{note}", messages::labelled(locale, Label::Note, true)));
        }
        if let Some(docs) = &self.docs {
            push_block(&mut out, &format!("[{}]({docs})", messages::label(locale, Label::Documentation)));
        }
        for also in &self.also_in {
            push_block(&mut out, &also.line(locale, true));
        }
        // Catalog text is untrusted (team catalogs come from the repository): no raw HTML, no
        // images, web links only.
        crate::text::markdown::sanitize(out.trim_end(), None)
    }

    /// Plain text, for clients without Markdown and for pipes.
    pub fn plain(&self, locale: Locale) -> String {
        let mut out = self.code.clone();
        if let Some(n) = self.numeric {
            out.push_str(&format!(" ({n})"));
        }
        out.push_str(&format!(" - {} / {}\n", self.catalog, self.category));
        if let Some(line) = self.status_line(locale) {
            out.push_str(&strip_markdown(&line));
            out.push('\n');
        }
        out.push('\n');
        push_block(&mut out, &self.summary);
        push_block(&mut out, &strip_markdown(&self.details));
        if let Some(note) = &self.note {
            push_block(&mut out, &format!("{}{note}", messages::labelled(locale, Label::Note, false)));
        }
        if let Some(docs) = &self.docs {
            push_block(&mut out, &format!("{}{docs}", messages::labelled(locale, Label::Documentation, false)));
        }
        for also in &self.also_in {
            push_block(&mut out, &also.line(locale, false));
        }
        out.trim_end().to_string()
    }
}

/// Appends a paragraph (skipped when blank) and a blank line.
fn push_block(out: &mut String, text: &str) {
    let text = text.trim();
    if !text.is_empty() {
        out.push_str(text);
        out.push_str("\n\n");
    }
}

/// Markdown documentation of `code`, merged across catalogs, in `locale`.
pub fn markdown(set: &CatalogSet, code: &str, locale: Locale) -> Option<String> {
    Doc::of(set, code, locale).map(|d| d.markdown(locale))
}

/// Plain-text documentation of `code`, for clients without Markdown and for terminals.
pub fn plain(set: &CatalogSet, code: &str, locale: Locale) -> Option<String> {
    Doc::of(set, code, locale).map(|d| d.plain(locale))
}

/// Drops Markdown emphasis and code marks, keeping the words.
pub fn strip_markdown(s: &str) -> String {
    s.replace("**", "").replace('`', "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::builtin;

    fn builtins() -> CatalogSet {
        CatalogSet::new(builtin::all().to_vec())
    }

    #[test]
    fn a_code_in_two_catalogs_is_one_entry() {
        let set = builtins();
        assert_eq!(set.lookup("FUNCTION_NOT_FOUND").count(), 2, "the test needs a code in both built-ins");
        let doc = Doc::of(&set, "FUNCTION_NOT_FOUND", Locale::En).unwrap();
        assert_eq!(doc.also_in.len(), 1);
        assert_ne!(doc.also_in[0].catalog, doc.catalog);
        let md = doc.markdown(Locale::En);
        assert_eq!(md.matches("**`FUNCTION_NOT_FOUND`**").count(), 1, "{md}");
        assert!(!md.contains("\n---\n"), "{md}");
        assert!(md.contains(&format!("*Also in:* `{}`", doc.also_in[0].catalog)), "{md}");
    }

    #[test]
    fn chinese_text_for_every_builtin_code_with_facts_kept() {
        let set = builtins();
        let is_cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        for code in set.codes() {
            let zh = Doc::of(&set, code, Locale::ZhCn).unwrap();
            let en = Doc::of(&set, code, Locale::En).unwrap();
            assert!(is_cjk(&zh.summary), "{code}: {}", zh.summary);
            assert!(!is_cjk(&en.summary), "{code}: {}", en.summary);
            // Facts do not depend on the language.
            assert_eq!((zh.numeric, zh.status, &zh.replaced_by), (en.numeric, en.status, &en.replaced_by), "{code}");
            if zh.status == Status::Deprecated {
                let to = zh.replaced_by.as_deref().unwrap();
                assert!(zh.markdown(Locale::ZhCn).contains(&format!("请改用 `{to}`")), "{code}");
            }
        }
    }

    #[test]
    fn every_builtin_category_has_a_chinese_name() {
        for catalog in builtin::all() {
            for entry in &catalog.entries {
                let zh = catalog.meta.category_in(&entry.category, "zh-CN");
                assert!(zh != entry.category || entry.category == "JS SDK", "{}: {}", catalog.name(), entry.category);
                assert_eq!(catalog.meta.category_in(&entry.category, "en"), entry.category);
            }
        }
        let doc = Doc::of(&builtins(), "FUNCTION_NOT_FOUND", Locale::ZhCn).unwrap();
        assert_eq!(doc.category, "云函数");
        assert_eq!(doc.also_in[0].category, "云函数相关错误");
    }

    #[test]
    fn the_numeric_code_comes_from_any_catalog() {
        let set = builtins();
        let with_number = set
            .codes()
            .iter()
            .find(|c| {
                let entries: Vec<_> = set.lookup(c).collect();
                entries.len() > 1
                    && entries.iter().any(|(_, e)| e.numeric.is_none())
                    && entries.iter().any(|(_, e)| e.numeric.is_some())
            })
            .cloned();
        if let Some(code) = with_number {
            let doc = Doc::of(&set, &code, Locale::En).unwrap();
            assert!(doc.numeric.is_some(), "{code}");
            assert!(doc.markdown(Locale::En).starts_with(&format!("**`{code}`** (")), "{code}");
        }
    }

    #[test]
    fn plain_text_has_no_markdown() {
        let set = builtins();
        let text = plain(&set, "EXCEED_RATELIMIT", Locale::ZhCn).unwrap();
        assert!(text.starts_with("EXCEED_RATELIMIT"), "{text}");
        assert!(!text.contains("**") && !text.contains('`'), "{text}");
    }
}
