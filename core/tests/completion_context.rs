//! Where completion offers codes (`analysis::completion::completion_at`): the table in
//! `fixtures/completion/contexts.txt` (quiet and active places in every language family), plus
//! replace ranges, windows without their context, and robustness.

use errcode_core::analysis::completion::{completion_at, says_code, says_codes, CompletionContext, Rule};
use errcode_core::catalog::builtin;
use errcode_core::scan::{scan, Lang};

const FIXTURE: &str = include_str!("fixtures/completion/contexts.txt");

/// One row of the table.
struct Row {
    line: usize,
    lang: Lang,
    expected: Option<Rule>,
    /// The text without the cursor marker, and the cursor's byte offset.
    text: String,
    offset: usize,
}

fn rule_named(name: &str) -> Option<Rule> {
    use Rule::*;
    let all = [Compared, Assigned, Keyed, Returned, Argument, Case, ListItem, KnownList, ConfigValue, CodeShaped];
    all.into_iter().find(|r| format!("{r:?}") == name)
}

fn rows() -> Vec<Row> {
    let mut rows = Vec::new();
    let mut lang = None;
    for (i, line) in FIXTURE.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            lang = Some(
                *Lang::ALL
                    .iter()
                    .find(|l| l.name() == name)
                    .unwrap_or_else(|| panic!("line {line_no}: no language {name}")),
            );
            continue;
        }
        let (expected, text) = line.split_once(" | ").unwrap_or_else(|| panic!("line {line_no}: no ` | `"));
        let expected = match expected.trim() {
            "quiet" => None,
            name => Some(rule_named(name).unwrap_or_else(|| panic!("line {line_no}: no rule {name}"))),
        };
        let text = text.replace("\\n", "\n").replace("\\t", "\t");
        let offset = text.find("$0").unwrap_or_else(|| panic!("line {line_no}: no $0"));
        rows.push(Row {
            line: line_no,
            lang: lang.unwrap_or_else(|| panic!("line {line_no}: row before a [language]")),
            expected,
            text: text.replacen("$0", "", 1),
            offset,
        });
    }
    rows
}

fn complete(lang: Lang, text: &str, offset: usize) -> Option<CompletionContext> {
    completion_at(lang, text, &scan(lang, text), offset, builtin::is_known)
}

#[test]
fn the_table_of_places() {
    let rows = rows();
    let mut failures = Vec::new();
    for row in &rows {
        let got = complete(row.lang, &row.text, row.offset).map(|c| c.rule);
        if got != row.expected {
            failures.push(format!(
                "line {}: {} {:?}: expected {:?}, got {:?}",
                row.line,
                row.lang.name(),
                row.text,
                row.expected,
                got
            ));
        }
    }
    assert!(failures.is_empty(), "{} of {} rows failed:\n{}", failures.len(), rows.len(), failures.join("\n"));
}

#[test]
fn the_table_covers_every_family_both_ways() {
    let rows = rows();
    let families: &[&[Lang]] = &[
        &[Lang::JavaScript],
        &[Lang::TypeScript],
        &[Lang::Vue],
        &[Lang::Svelte],
        &[Lang::Wxml],
        &[Lang::Wxs],
        &[Lang::Python],
        &[Lang::Go],
        &[Lang::Rust],
        &[Lang::Java],
        &[Lang::Kotlin],
        &[Lang::CSharp],
        &[Lang::Php],
        &[Lang::Ruby],
        &[Lang::Dart, Lang::Swift],
        &[Lang::Lua],
        &[Lang::Shell],
        &[Lang::Json, Lang::Jsonc],
        &[Lang::Yaml],
        &[Lang::Toml],
        &[Lang::Env],
        &[Lang::Ini],
    ];
    // A new language of the table needs rows too.
    for &lang in Lang::ALL.iter().filter(|&&l| l != Lang::Generic) {
        assert!(families.iter().any(|f| f.contains(&lang)), "no rows for {} in the families", lang.name());
    }
    for family in families {
        let of =
            |quiet: bool| rows.iter().filter(|r| family.contains(&r.lang) && r.expected.is_none() == quiet).count();
        assert!(of(true) > 0 && of(false) > 0, "{family:?}: quiet {} / active {}", of(true), of(false));
    }
    // Every rule is exercised.
    for rule in [
        Rule::Compared,
        Rule::Assigned,
        Rule::Keyed,
        Rule::Returned,
        Rule::Argument,
        Rule::Case,
        Rule::ListItem,
        Rule::KnownList,
        Rule::ConfigValue,
        Rule::CodeShaped,
    ] {
        assert!(rows.iter().any(|r| r.expected == Some(rule)), "{rule:?}");
    }
}

#[test]
fn the_edit_replaces_the_whole_word_and_keeps_the_prefix() {
    let text = "if (err.code === \"FUNCTION_NOT_FOUND\") {}";
    let at = text.find("NOT").unwrap();
    let ctx = complete(Lang::TypeScript, text, at).unwrap();
    assert_eq!((ctx.start, ctx.end), (text.find("FUNC").unwrap(), text.find("\")").unwrap()));
    assert_eq!(ctx.prefix, "FUNCTION_");
    assert!(ctx.is_code_place());
    // A lowercase prefix in a code place.
    let text = "if (err.code === \"func";
    let ctx = complete(Lang::JavaScript, text, text.len()).unwrap();
    assert_eq!((ctx.prefix.as_str(), ctx.rule), ("func", Rule::Compared));
    // Outside a code place only the code-shaped word asks.
    let text = "log(\"FUNC";
    let ctx = complete(Lang::JavaScript, text, text.len()).unwrap();
    assert_eq!((ctx.prefix.as_str(), ctx.rule, ctx.is_code_place()), ("FUNC", Rule::CodeShaped, false));
}

#[test]
fn earlier_codes_in_the_same_literal_keep_a_code_place() {
    let text = "code: \"INVALID_ENV, serv";
    let ctx = complete(Lang::JavaScript, text, text.len()).unwrap();
    assert_eq!((ctx.prefix.as_str(), ctx.rule), ("serv", Rule::Keyed));
    // Prose before the word does not.
    let text = "code: \"failed with serv";
    assert_eq!(complete(Lang::JavaScript, text, text.len()), None);
}

#[test]
fn empty_config_values_offer_codes_only_under_a_code_key() {
    for (lang, text, active) in [
        (Lang::Yaml, "code: ", true),
        (Lang::Yaml, "name: ", false),
        (Lang::Yaml, "codes:\n  - ", true),
        (Lang::Yaml, "alerts:\n  - ", false),
        (Lang::Env, "ERR_CODE=", true),
        (Lang::Env, "HOME=", false),
        (Lang::Ini, "error_code = ", true),
        (Lang::Toml, "code = ", false),
    ] {
        let ctx = complete(lang, text, text.len());
        assert_eq!(ctx.is_some(), active, "{lang:?} {text:?}");
        if let Some(ctx) = ctx {
            assert_eq!((ctx.start, ctx.end, ctx.prefix.as_str()), (text.len(), text.len(), ""));
        }
    }
}

#[test]
fn context_missing_from_the_window_is_quiet_not_wrong() {
    // The window starts inside the switch: its header is not there.
    let text = "  case \"A\":\n    break;\n  case \"";
    assert_eq!(complete(Lang::JavaScript, text, text.len()), None);
    // A window holding only the literal.
    assert_eq!(complete(Lang::JavaScript, "", 0), None);
    // The switch header lies beyond the look-behind bound.
    let mut text = String::from("switch (err.code) {\n");
    for i in 0..300 {
        text.push_str(&format!("  case \"C{i}\": retry({i}); break;\n"));
    }
    text.push_str("  case \"");
    assert_eq!(complete(Lang::JavaScript, &text, text.len()), None);
    // ... and within it, it is found.
    let text = "switch (err.code) {\n  case \"A\": retry(); break;\n  case \"";
    assert_eq!(complete(Lang::JavaScript, text, text.len()).map(|c| c.rule), Some(Rule::Case));
}

#[test]
fn names_that_say_code() {
    for name in [
        "code",
        "errCode",
        "err_code",
        "ERROR_CODE",
        "error_code",
        "errorCode",
        "retryCodes",
        "errno",
        "errcode",
        "getErrorCode",
        "HTTPErrorCode",
        "error-code",
        "errors",
        "code2",
    ] {
        assert!(says_code(name), "{name}");
    }
    for name in
        ["decode", "encoded", "unicode", "errand", "terror", "statusText", "errorMessage", "error_desc", "errMsg", ""]
    {
        assert!(!says_code(name), "{name}");
    }
    for name in ["FATAL", "retryable", "RETRIABLE_ERRORS", "transientCodes", "recoverable"] {
        assert!(says_codes(name) && !says_codes("fatalMessage"), "{name}");
    }
    assert!(!says_code("retryable"));
}

#[test]
fn every_offset_of_every_row_in_every_language_is_answered() {
    // Robustness: no panic, ranges inside the text, whatever the language and position.
    for row in rows() {
        let text = &row.text;
        for lang in Lang::ALL {
            let spans = scan(*lang, text);
            for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
                if let Some(ctx) = completion_at(*lang, text, &spans, offset, builtin::is_known) {
                    assert!(
                        ctx.start <= offset && offset <= ctx.end && ctx.end <= text.len(),
                        "{lang:?} {text:?} {offset}"
                    );
                }
            }
        }
    }
}

#[test]
fn pathological_text_is_answered_quickly() {
    // Every backward search is bounded: nothing here may take more than a few milliseconds.
    let cases = [
        format!("{}{}x, \"", "(".repeat(500_000), "[{".repeat(250_000)),
        format!("{} === \"", ")".repeat(100_000)),
        format!("{} === \"", "(x)".repeat(100_000)),
        format!("f{} === \"", "()".repeat(100_000)),
        format!("{}\"", "a.".repeat(200_000)),
        format!("{}\"", "\"A\", ".repeat(100_000)),
        format!("switch (err.code) {{\n{}  case \"", "{ case \"A\": }\n".repeat(50_000)),
        format!("{} = \"", "x<".repeat(100_000)),
        format!("{}\"", "=> ".repeat(100_000)),
    ];
    for text in &cases {
        for lang in [Lang::JavaScript, Lang::Rust, Lang::Python, Lang::Kotlin, Lang::Yaml, Lang::Json] {
            let spans = scan(lang, text);
            let started = std::time::Instant::now();
            for _ in 0..10 {
                completion_at(lang, text, &spans, text.len(), builtin::is_known);
            }
            let each = started.elapsed() / 10;
            assert!(each < std::time::Duration::from_millis(20), "{lang:?} {:?}...: {each:?}", &text[..40]);
        }
    }
}

/// Ranking: used codes first (more uses first), prefix before fuzzy matches, deprecated last,
/// one item per code even when two catalogs list it, cut at the cap and marked incomplete.
#[test]
fn ranking_puts_used_and_prefix_matches_first_and_deprecated_last() {
    use errcode_core::analysis::completion::rank;
    use errcode_core::catalog::CatalogSet;
    let set = CatalogSet::new(builtin::all().to_vec());
    let none = &[];
    let r = rank(&set, "FUNC", none, 500);
    let codes: Vec<&str> = r.items.iter().map(|c| c.code).collect();
    assert!(!r.incomplete);
    assert_eq!(codes.iter().filter(|c| **c == "FUNCTION_NOT_FOUND").count(), 1, "one item per code: {codes:?}");
    let first_fuzzy = codes.iter().position(|c| !c.starts_with("FUNC")).unwrap_or(codes.len());
    assert!(codes[..first_fuzzy].iter().all(|c| c.starts_with("FUNC")), "{codes:?}");
    assert!(codes[first_fuzzy..].iter().all(|c| !c.starts_with("FUNC")), "{codes:?}");
    // A code used in the workspace comes first, ahead of unused prefix matches.
    let used_first = rank(&set, "FUNC", &[("FUNCTIONS_EXECUTE_FAIL", 3), ("FUNCTION_NOT_FOUND", 0)], 500);
    assert_eq!(used_first.items[0].code, "FUNCTIONS_EXECUTE_FAIL");
    // Deprecated codes after every current one.
    let all = rank(&set, "", none, 500);
    let first_deprecated = all.items.iter().position(|c| c.deprecated).expect("a deprecated code");
    assert!(all.items[first_deprecated..].iter().all(|c| c.deprecated));
    assert!(set.deprecation(all.items[first_deprecated].code).is_some());
    // The cap: the best `max`, incomplete.
    let capped = rank(&set, "", none, 10);
    assert!(capped.incomplete);
    assert_eq!(capped.items, all.items[..10]);
}

/// Ranking a 100,000-code catalog (deprecated, legacy, numeric-only and doubly listed codes,
/// some used) agrees with ranking by sorting every code, the way it was done before it kept only
/// the first codes of each class.
#[test]
fn ranking_a_huge_catalog_agrees_with_sorting_every_code() {
    use errcode_core::analysis::completion::rank;
    use errcode_core::catalog::{Catalog, CatalogMeta, CatalogSet, Entry, Origin, Status};
    use std::cmp::Reverse;
    use std::sync::Arc;

    const WORDS: [&str; 7] = ["PAY", "CARD", "USER", "TOKEN", "QUOTA", "ORDER", "SESSION"];
    let entry = |code: String, status: Status| Entry {
        code,
        category: "Generated".to_string(),
        summary: "Generated.".to_string(),
        details: String::new(),
        numeric: None,
        status,
        replaced_by: (status == Status::Deprecated).then(|| "PAY_PAY_0".to_string()),
        note: None,
        docs: None,
        l10n: Default::default(),
    };
    let catalog = |name: &str, entries: Vec<Entry>| {
        let meta = CatalogMeta {
            name: name.to_string(),
            description: String::new(),
            source: None,
            categories: Vec::new(),
            l10n: Default::default(),
        };
        Arc::new(Catalog { meta, entries, origin: Origin::Builtin, lines: Vec::new() })
    };
    let status = |i: usize| match i % 13 {
        0 | 5 => Status::Deprecated,
        7 => Status::Legacy,
        _ => Status::Current,
    };
    let name = |i: usize| format!("{}_{}_{i}", WORDS[i % 7], WORDS[(i / 7) % 5]);
    let big: Vec<Entry> = (0..100_000)
        .map(|i| if i % 1000 == 3 { entry(format!("{i}"), Status::Current) } else { entry(name(i), status(i)) })
        .collect();
    // A second catalog lists some codes again: current there, so they are not deprecated.
    let again: Vec<Entry> = (0..100_000).step_by(130).map(|i| entry(name(i), Status::Current)).collect();
    let set = CatalogSet::new(vec![catalog("big", big), catalog("again", again)]);

    // The ranking as it was: every offered code sorted by its whole key.
    let sorted = |prefix: &str, used: &[(&str, usize)]| {
        let fuzzy = |code: &str| {
            let mut chars = code.chars().map(|c| c.to_ascii_uppercase());
            let mut wanted = prefix.chars().map(|c| c.to_ascii_uppercase());
            match wanted.next() {
                None => true,
                Some(first) => chars.next() == Some(first) && wanted.all(|p| chars.any(|c| c == p)),
            }
        };
        let mut ranked = Vec::new();
        for code in set.codes() {
            if !code.starts_with(|c: char| c.is_ascii_alphabetic()) {
                continue;
            }
            let prefix_match =
                code.len() >= prefix.len() && code.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes());
            if !prefix_match && !fuzzy(code) {
                continue;
            }
            let n = used.iter().find(|(c, _)| c == code).map_or(0, |&(_, n)| n);
            let legacy = set.primary(code).unwrap().1.status == Status::Legacy;
            ranked.push((set.is_deprecated(code), !prefix_match, n == 0, Reverse(n), legacy, code.as_str()));
        }
        ranked.sort_unstable();
        ranked.into_iter().map(|k| (k.5, k.0)).collect::<Vec<(&str, bool)>>()
    };
    // Used: a deprecated code, a legacy one, a doubly listed one, and names that are no code.
    let (deprecated, legacy, doubly) = (name(13 * 20 + 5), name(13 * 9 + 7), name(130 * 4));
    let used = [
        ("CARD_PAY_1", 2),
        ("PAY_PAY_0", 5),
        (deprecated.as_str(), 9),
        (legacy.as_str(), 1),
        (doubly.as_str(), 1),
        ("NOT_IN_THE_CATALOG", 4),
        ("ORDER_CARD_12", 0),
    ];
    assert!(set.is_deprecated(&deprecated) && set.primary(&legacy).unwrap().1.status == Status::Legacy);
    for prefix in ["", "pay_c", "PC", "Z"] {
        for used in [&used[..], &[]] {
            let all = sorted(prefix, used);
            for max in [0, 10, 500, 300_000] {
                let ranked = rank(&set, prefix, used, max);
                let got: Vec<(&str, bool)> = ranked.items.iter().map(|c| (c.code, c.deprecated)).collect();
                let want = &all[..all.len().min(max)];
                assert!(got == want, "prefix {prefix:?}, max {max}, {} used: {got:?}", used.len());
                assert_eq!(ranked.incomplete, all.len() > max, "prefix {prefix:?}, max {max}");
            }
        }
    }
}
