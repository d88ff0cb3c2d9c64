//! The product's own words in every language it speaks: diagnostic messages, action titles,
//! hover labels and the CLI's summaries. Catalog text is not here (it lives in the catalogs'
//! `l10n` tables); code names, file names and numbers are never translated.
//!
//! One function (or `Message` variant) per sentence, with every language side by side, so a
//! translator reads and checks them together.

use std::fmt;

use crate::locale::Locale;

/// The message of a finding: its facts, and its text in each language, written once when the
/// verdict is made (a verdict is shared by every finding of its literal, in every file), so
/// that showing it costs no formatting. `Display` is the English text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Message {
    facts: Facts,
    en: Box<str>,
    zh: Box<str>,
}

impl Message {
    pub fn new(facts: Facts) -> Message {
        let (en, zh) = (facts.text(Locale::En).into(), facts.text(Locale::ZhCn).into());
        Message { facts, en, zh }
    }

    /// What the message says, as facts.
    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    /// The message in `lang`.
    pub fn text(&self, lang: Locale) -> &str {
        match lang {
            Locale::En => &self.en,
            Locale::ZhCn => &self.zh,
        }
    }
}

impl From<Facts> for Message {
    fn from(facts: Facts) -> Message {
        Message::new(facts)
    }
}

/// What a finding's message says, so each client and output format renders it in its own
/// language.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Facts {
    /// A deprecated code: use its replacement.
    Deprecated { literal: String, to: String },
    /// A deprecated code where it is compared or matched: services may still send it.
    DeprecatedMatched { literal: String, to: String },
    /// An unknown code close to a known one.
    Misspelled { literal: String, best: String },
    /// An unknown code close to a deprecated one: fixed straight to the replacement.
    MisspelledDeprecated { literal: String, best: String, to: String },
}

impl Facts {
    /// The message in `lang`.
    pub fn text(&self, lang: Locale) -> String {
        use Facts::*;
        match (self, lang) {
            (Deprecated { literal, to }, Locale::En) => format!("`{literal}` is deprecated: use `{to}` instead"),
            (Deprecated { literal, to }, Locale::ZhCn) => format!("`{literal}` 已弃用，请改用 `{to}`"),
            (DeprecatedMatched { literal, to }, Locale::En) => format!(
                "`{literal}` is deprecated: it is matched here and services may still send it, so also handle `{to}`"
            ),
            (DeprecatedMatched { literal, to }, Locale::ZhCn) => {
                format!("`{literal}` 已弃用：这里用它做匹配，而服务端仍可能返回它，请同时处理 `{to}`")
            }
            (Misspelled { literal, best }, Locale::En) => {
                format!("unknown error code `{literal}`: did you mean `{best}`?")
            }
            (Misspelled { literal, best }, Locale::ZhCn) => format!("未知错误码 `{literal}`，是否应为 `{best}`？"),
            (MisspelledDeprecated { literal, best, to }, Locale::En) => {
                format!("unknown error code `{literal}`: did you mean `{best}`? It is deprecated: use `{to}`")
            }
            (MisspelledDeprecated { literal, best, to }, Locale::ZhCn) => {
                format!("未知错误码 `{literal}`，是否应为 `{best}`？该错误码已弃用，请改用 `{to}`")
            }
        }
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text(Locale::En))
    }
}

/// Quick fix: replace the literal with `code`.
pub fn replace_with(lang: Locale, code: &str) -> String {
    match lang {
        Locale::En => format!("Replace with `{code}`"),
        Locale::ZhCn => format!("替换为 `{code}`"),
    }
}

/// Source action: fix every finding of the document.
pub fn fix_all(lang: Locale, count: usize) -> String {
    match lang {
        Locale::En => format!("Fix all error codes ({count})"),
        Locale::ZhCn => format!("修复全部错误码（{count} 处）"),
    }
}

/// Quick fix: add the literal to the `allow` list of the config file `file`.
pub fn allow_in(lang: Locale, literal: &str, file: &str) -> String {
    match lang {
        Locale::En => format!("Allow `{literal}` in {file}"),
        Locale::ZhCn => format!("在 {file} 中允许 `{literal}`"),
    }
}

/// Another candidate of a misspelling, with what it means (related information).
pub fn or_code(lang: Locale, code: &str, summary: &str) -> String {
    match lang {
        Locale::En => format!("or `{code}`: {summary}"),
        Locale::ZhCn => format!("或 `{code}`：{summary}"),
    }
}

/// The tooltip of a code's link to its documentation.
pub fn open_docs(lang: Locale, code: &str) -> String {
    match lang {
        Locale::En => format!("Open the documentation of {code}"),
        Locale::ZhCn => format!("打开 {code} 的文档"),
    }
}

/// A deprecated code's replacement, as one sentence (hover, completion, explain).
pub fn deprecated_use(lang: Locale, to: &str) -> String {
    match lang {
        Locale::En => format!("Deprecated: use `{to}` instead."),
        Locale::ZhCn => format!("已弃用：请改用 `{to}`。"),
    }
}

/// A legacy code (known, no longer documented, no direct successor).
pub fn legacy(lang: Locale) -> &'static str {
    match lang {
        Locale::En => "Legacy: no longer documented.",
        Locale::ZhCn => "旧版错误码：官方文档已不再收录。",
    }
}

/// What `explain` suggests for an unknown code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Suggestion {
    DidYouMean(String),
    Similar(Vec<String>),
}

/// `explain` of a code no catalog lists.
pub fn unknown_code(lang: Locale, code: &str, suggestion: Option<&Suggestion>) -> String {
    let quoted = |codes: &[String]| codes.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>();
    match (lang, suggestion) {
        (Locale::En, None) => format!("unknown error code `{code}`"),
        (Locale::En, Some(Suggestion::DidYouMean(c))) => format!("unknown error code `{code}`; did you mean `{c}`?"),
        (Locale::En, Some(Suggestion::Similar(cs))) => {
            format!("unknown error code `{code}`; similar codes: {}", quoted(cs).join(", "))
        }
        (Locale::ZhCn, None) => format!("未知错误码 `{code}`"),
        (Locale::ZhCn, Some(Suggestion::DidYouMean(c))) => format!("未知错误码 `{code}`，是否应为 `{c}`？"),
        (Locale::ZhCn, Some(Suggestion::Similar(cs))) => {
            format!("未知错误码 `{code}`；相近的错误码：{}", quoted(cs).join("、"))
        }
    }
}

/// The labels of `errcode-lsp status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusLabel {
    Root,
    Config,
    NoConfig,
    Activation,
    Active,
    Inactive,
    BuiltIn,
}

pub fn status_label(lang: Locale, label: StatusLabel) -> &'static str {
    use StatusLabel::*;
    match (label, lang) {
        (Root, Locale::En) => "project root",
        (Root, Locale::ZhCn) => "项目根目录",
        (Config, Locale::En) => "config",
        (Config, Locale::ZhCn) => "配置文件",
        (NoConfig, Locale::En) => "none (errcode.toml or .errcode.toml at the root)",
        (NoConfig, Locale::ZhCn) => "无（可在根目录放置 errcode.toml 或 .errcode.toml）",
        (Activation, Locale::En) => "activation",
        (Activation, Locale::ZhCn) => "启用方式",
        (Active, Locale::En) => "active",
        (Active, Locale::ZhCn) => "已启用",
        (Inactive, Locale::En) => "inactive",
        (Inactive, Locale::ZhCn) => "未启用",
        (BuiltIn, Locale::En) => "built-in",
        (BuiltIn, Locale::ZhCn) => "内置",
    }
}

/// ` (text)` after what it explains; full-width parentheses, no space, in Chinese.
pub fn aside(lang: Locale, text: &str) -> String {
    match lang {
        Locale::En => format!(" ({text})"),
        Locale::ZhCn => format!("（{text}）"),
    }
}

/// `N codes`, right-aligned to four digits.
pub fn code_count(lang: Locale, n: usize) -> String {
    match lang {
        Locale::En => format!("{n:>4} codes"),
        Locale::ZhCn => format!("{n:>4} 个错误码"),
    }
}

/// Hover labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Label {
    Note,
    Documentation,
    AlsoIn,
    Numeric,
}

pub fn label(lang: Locale, label: Label) -> &'static str {
    use Label::*;
    match (label, lang) {
        (Note, Locale::En) => "Note",
        (Note, Locale::ZhCn) => "注意",
        (Documentation, Locale::En) => "Documentation",
        (Documentation, Locale::ZhCn) => "文档",
        (AlsoIn, Locale::En) => "Also in",
        (AlsoIn, Locale::ZhCn) => "同时收录于",
        (Numeric, Locale::En) => "numeric code",
        (Numeric, Locale::ZhCn) => "数字错误码",
    }
}

/// A label and its colon, ready for the text that follows: `Note: ` or `注意：`; with
/// `italic`, the label and colon in Markdown italics (`*Note:* `, `*注意：*`).
pub fn labelled(lang: Locale, l: Label, italic: bool) -> String {
    let (colon, space) = match lang {
        Locale::En => (":", " "),
        Locale::ZhCn => ("：", ""),
    };
    let star = if italic { "*" } else { "" };
    format!("{star}{}{colon}{star}{space}", label(lang, l))
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The summary line of `check`, in pieces: each function is one clause.
pub mod check {
    use super::{plural, Locale};

    pub fn no_problems(lang: Locale) -> &'static str {
        match lang {
            Locale::En => "No problems found",
            Locale::ZhCn => "未发现问题",
        }
    }

    pub fn found(lang: Locale, problems: usize, files: usize) -> String {
        match lang {
            Locale::En => format!("Found {problems} problem{} in {files} file{}", plural(problems), plural(files)),
            Locale::ZhCn => format!("在 {files} 个文件中发现 {problems} 个问题"),
        }
    }

    /// How many findings `--fix` (and `--unsafe-fixes`) would fix.
    pub fn fixable(lang: Locale, safe: usize, unsafe_only: usize) -> String {
        match (lang, safe, unsafe_only) {
            (_, 0, 0) => String::new(),
            (Locale::En, n, 0) => format!(" ({n} fixable with `--fix`)"),
            (Locale::En, 0, u) => format!(" ({u} fixable with `--fix --unsafe-fixes`)"),
            (Locale::En, n, u) => format!(" ({n} fixable with `--fix`, {u} more with `--unsafe-fixes`)"),
            (Locale::ZhCn, n, 0) => format!("（{n} 个可用 `--fix` 修复）"),
            (Locale::ZhCn, 0, u) => format!("（{u} 个可用 `--fix --unsafe-fixes` 修复）"),
            (Locale::ZhCn, n, u) => format!("（{n} 个可用 `--fix` 修复，另有 {u} 个需加 `--unsafe-fixes`）"),
        }
    }

    pub fn fixed(lang: Locale, n: usize) -> String {
        match lang {
            Locale::En => format!("; fixed {n}"),
            Locale::ZhCn => format!("；已修复 {n} 个"),
        }
    }

    pub fn not_fixed_files(lang: Locale, n: usize) -> String {
        match lang {
            Locale::En => format!("; {n} file{} not fixed", plural(n)),
            Locale::ZhCn => format!("；{n} 个文件未能修复"),
        }
    }

    pub fn changed_files(lang: Locale, n: usize) -> String {
        match lang {
            Locale::En => format!("; {n} file{} skipped (changed while fixing)", plural(n)),
            Locale::ZhCn => format!("；{n} 个文件已跳过（修复期间被改动）"),
        }
    }

    pub fn checked(lang: Locale, n: usize) -> String {
        match lang {
            Locale::En => format!("; checked {n} file{}", plural(n)),
            Locale::ZhCn => format!("；共检查 {n} 个文件"),
        }
    }

    /// Why files were skipped, with counts: `[(count, reason)]`, reasons as in [`SkipReason`].
    pub fn skipped(lang: Locale, total: usize, parts: &[(usize, SkipReason)]) -> String {
        let parts: Vec<String> = parts
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, why)| match lang {
                Locale::En => format!("{n} {}", why.text(lang)),
                Locale::ZhCn => format!("{}{n} 个", why.text(lang)),
            })
            .collect();
        match lang {
            Locale::En => format!(", skipped {total} ({})", parts.join(", ")),
            Locale::ZhCn => format!("，跳过 {total} 个（{}）", parts.join("、")),
        }
    }

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum SkipReason {
        Generated,
        Binary,
        NotUtf8,
        TooLarge,
        Unreadable,
    }

    impl SkipReason {
        fn text(self, lang: Locale) -> &'static str {
            use SkipReason::*;
            match (self, lang) {
                (Generated, Locale::En) => "generated or vendored",
                (Generated, Locale::ZhCn) => "生成或第三方文件",
                (Binary, Locale::En) => "binary",
                (Binary, Locale::ZhCn) => "二进制文件",
                (NotUtf8, Locale::En) => "not UTF-8",
                (NotUtf8, Locale::ZhCn) => "非 UTF-8 文件",
                (TooLarge, Locale::En) => "too large",
                (TooLarge, Locale::ZhCn) => "过大的文件",
                (Unreadable, Locale::En) => "unreadable",
                (Unreadable, Locale::ZhCn) => "无法读取的文件",
            }
        }
    }

    pub fn excluded_folders(lang: Locale, n: usize) -> String {
        match lang {
            Locale::En => format!(", left out {n} excluded folder{} (build output, dependencies)", plural(n)),
            Locale::ZhCn => format!("，排除了 {n} 个目录（构建产物、依赖）"),
        }
    }

    /// The end of the summary sentence.
    pub fn end(lang: Locale) -> &'static str {
        match lang {
            Locale::En => ".",
            Locale::ZhCn => "。",
        }
    }

    /// The caret line's help: the likely code, or the replacement.
    pub fn did_you_mean(lang: Locale, code: &str) -> String {
        match lang {
            Locale::En => format!(" did you mean `{code}`?"),
            Locale::ZhCn => format!(" 是否应为 `{code}`？"),
        }
    }

    pub fn use_instead(lang: Locale, code: &str) -> String {
        match lang {
            Locale::En => format!(" use `{code}`"),
            Locale::ZhCn => format!(" 请改用 `{code}`"),
        }
    }

    pub fn other_candidates(lang: Locale) -> &'static str {
        match lang {
            Locale::En => "other candidates",
            Locale::ZhCn => "其他候选",
        }
    }

    /// The label of a line about `--fix`: `fixed`, `not fixed`, `skipped`, `note`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum FixLabel {
        Fixed,
        NotFixed,
        Skipped,
        Note,
    }

    pub fn fix_label(lang: Locale, label: FixLabel) -> &'static str {
        use FixLabel::*;
        match (label, lang) {
            (Fixed, Locale::En) => "fixed",
            (Fixed, Locale::ZhCn) => "已修复",
            (NotFixed, Locale::En) => "not fixed",
            (NotFixed, Locale::ZhCn) => "未修复",
            (Skipped, Locale::En) => "skipped",
            (Skipped, Locale::ZhCn) => "已跳过",
            (Note, Locale::En) => "note",
            (Note, Locale::ZhCn) => "注意",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_keeps_its_facts_in_both_languages() {
        let messages = [
            Facts::Deprecated { literal: "OLD_CODE".into(), to: "NEW_CODE".into() },
            Facts::DeprecatedMatched { literal: "OLD_CODE".into(), to: "NEW_CODE".into() },
            Facts::Misspelled { literal: "OLD_CODD".into(), best: "OLD_CODE".into() },
            Facts::MisspelledDeprecated { literal: "OLD_CODD".into(), best: "OLD_CODE".into(), to: "NEW_CODE".into() },
        ];
        for facts in messages {
            let m = Message::new(facts.clone());
            assert_eq!(m.facts(), &facts);
            let (en, zh) = (m.text(Locale::En), m.text(Locale::ZhCn));
            assert_eq!(m.to_string(), en);
            assert_ne!(en, zh);
            // The code names are in both, quoted the same way.
            for code in ["`OLD_CODE`", "`OLD_CODD`", "`NEW_CODE`"] {
                assert_eq!(en.contains(code), zh.contains(code), "{code} in {en} / {zh}");
            }
            assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{zh}");
        }
        assert_eq!(replace_with(Locale::ZhCn, "A_B"), "替换为 `A_B`");
        assert_eq!(fix_all(Locale::En, 3), "Fix all error codes (3)");
        assert_eq!(allow_in(Locale::ZhCn, "X_Y", "errcode.toml"), "在 errcode.toml 中允许 `X_Y`");
    }
}
