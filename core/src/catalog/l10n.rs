//! Translated catalog text: which of an entry's translations (`l10n`) a requested locale uses,
//! and the entry's text in that locale, falling back field by field to the base (English) text.
//!
//! Locales are matched leniently: case and `_`/`-` do not matter (`zh_CN`, `zh-cn`), a POSIX
//! suffix is ignored (`zh_CN.UTF-8`), and a locale with no exact translation takes the closest one
//! in the same language (`zh`, `zh-Hans` and `zh-SG` use `zh-CN`; `en-US` uses `en`).

use super::model::{CatalogMeta, Entry, Localized};

/// Whether `tag` may key an `l10n` table: a BCP 47-style language tag, i.e. a language of 2–8
/// letters followed by `-`-separated subtags of 1–8 letters or digits (`zh-CN`, `en`, `zh-Hans`).
pub fn is_language_tag(tag: &str) -> bool {
    let mut subtags = tag.split('-');
    let language = subtags.next().unwrap_or_default();
    (2..=8).contains(&language.len())
        && language.bytes().all(|b| b.is_ascii_alphabetic())
        && subtags.all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// A parsed, lower-cased locale: language, script and region (the parts matching looks at).
#[derive(Debug, PartialEq, Eq)]
struct Locale {
    full: String,
    language: String,
    script: Option<String>,
    region: Option<String>,
}

impl Locale {
    fn parse(tag: &str) -> Option<Locale> {
        // POSIX locales: `zh_CN.UTF-8`, `de_DE@euro`.
        let tag = tag.trim().split(['.', '@']).next().unwrap_or_default();
        let full = tag.replace('_', "-").to_ascii_lowercase();
        let mut subtags = full.split('-').filter(|s| !s.is_empty());
        let language = subtags.next()?.to_string();
        if !language.bytes().all(|b| b.is_ascii_alphabetic()) {
            return None;
        }
        let (mut script, mut region) = (None, None);
        for s in subtags {
            if script.is_none() && region.is_none() && s.len() == 4 && s.bytes().all(|b| b.is_ascii_alphabetic()) {
                script = Some(s.to_string());
            } else if region.is_none()
                && ((s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic()))
                    || (s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit())))
            {
                region = Some(s.to_string());
            }
        }
        Some(Locale { full, language, script, region })
    }

    /// The script, where the tag gives it or the language implies it (Chinese: Simplified
    /// unless Traditional is named or implied by the region).
    fn effective_script(&self) -> Option<&str> {
        if let Some(script) = &self.script {
            return Some(script);
        }
        if self.language == "zh" {
            return Some(match self.region.as_deref() {
                Some("tw" | "hk" | "mo") => "hant",
                _ => "hans",
            });
        }
        None
    }

    fn is_bare(&self) -> bool {
        self.script.is_none() && self.region.is_none()
    }
}

/// The key among `keys` that best serves `requested`, or `None` when no key has its language.
/// An exact match (ignoring case and `_`) wins; otherwise keys of the same language are ranked by
/// script (explicit or implied), then region, then a bare language key; ties go to the first key.
pub fn match_locale<'k>(keys: impl IntoIterator<Item = &'k str>, requested: &str) -> Option<&'k str> {
    let want = Locale::parse(requested)?;
    let mut best: Option<(u32, &'k str)> = None;
    for key in keys {
        let Some(have) = Locale::parse(key) else { continue };
        if have.language != want.language {
            continue;
        }
        let score = if have.full == want.full {
            100
        } else {
            (if have.effective_script() == want.effective_script() { 8 } else { 0 })
                + (if have.region.is_some() && have.region == want.region { 4 } else { 0 })
                + (if have.is_bare() { 2 } else { 0 })
        };
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, key));
        }
    }
    best.map(|(_, key)| key)
}

/// An entry's text in one locale, each field already resolved through the fallbacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalizedView<'a> {
    /// The `l10n` key the requested locale matched, if any (its text may still be partial).
    pub locale: Option<&'a str>,
    pub summary: &'a str,
    pub details: &'a str,
    pub note: Option<&'a str>,
    pub docs: Option<&'a str>,
}

/// `Some(text)` unless it is missing or blank.
fn present(text: Option<&str>) -> Option<&str> {
    text.filter(|t| !t.trim().is_empty())
}

impl Entry {
    /// The translation `locale` uses (see [`match_locale`]), with its key.
    pub fn l10n_for(&self, locale: &str) -> Option<(&str, &Localized)> {
        let key = match_locale(self.l10n.keys().map(String::as_str), locale)?;
        self.l10n.get_key_value(key).map(|(k, v)| (k.as_str(), v))
    }

    /// The entry's text for `locale`: each field from the matching translation, else the base
    /// (English) field, else (when the base field is empty) the first translation that has it.
    pub fn localized(&self, locale: &str) -> LocalizedView<'_> {
        let matched = self.l10n_for(locale);
        let translated = matched.map(|(_, l)| l);
        LocalizedView {
            locale: matched.map(|(k, _)| k),
            summary: self.pick(translated, Some(&self.summary), |l| l.summary.as_deref()).unwrap_or_default(),
            details: self.pick(translated, Some(&self.details), |l| l.details.as_deref()).unwrap_or_default(),
            note: self.pick(translated, self.note.as_deref(), |l| l.note.as_deref()),
            docs: self.pick(translated, self.docs.as_deref(), |l| l.docs.as_deref()),
        }
    }

    /// One field: from `translated`, else `base`, else the first translation that has it.
    fn pick<'a>(
        &'a self,
        translated: Option<&'a Localized>,
        base: Option<&'a str>,
        field: fn(&Localized) -> Option<&str>,
    ) -> Option<&'a str> {
        present(translated.and_then(field))
            .or(present(base))
            .or_else(|| self.l10n.values().find_map(|l| present(field(l))))
    }

    /// The summary for `locale` (see [`Entry::localized`]).
    pub fn summary_in(&self, locale: &str) -> &str {
        self.localized(locale).summary
    }

    /// The details for `locale` (see [`Entry::localized`]).
    pub fn details_in(&self, locale: &str) -> &str {
        self.localized(locale).details
    }

    /// The note for `locale` (see [`Entry::localized`]).
    pub fn note_in(&self, locale: &str) -> Option<&str> {
        self.localized(locale).note
    }

    /// The docs link for `locale` (see [`Entry::localized`]).
    pub fn docs_in(&self, locale: &str) -> Option<&str> {
        self.localized(locale).docs
    }
}

impl CatalogMeta {
    /// The name of `category` in `locale`, or `category` itself when no translation names it.
    pub fn category_in<'a>(&'a self, category: &'a str, locale: &str) -> &'a str {
        match_locale(self.l10n.keys().map(String::as_str), locale)
            .and_then(|k| self.l10n.get(k))
            .and_then(|l| l.categories.get(category))
            .map(String::as_str)
            .filter(|name| !name.trim().is_empty())
            .unwrap_or(category)
    }

    /// The catalog's description for `locale`, with the same fallbacks as [`Entry::localized`].
    pub fn description_in(&self, locale: &str) -> &str {
        let matched = match_locale(self.l10n.keys().map(String::as_str), locale).and_then(|k| self.l10n.get(k));
        present(matched.and_then(|l| l.description.as_deref()))
            .or(present(Some(&self.description)))
            .or_else(|| self.l10n.values().find_map(|l| present(l.description.as_deref())))
            .unwrap_or_default()
    }
}
