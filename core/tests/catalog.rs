//! Checks the built-in catalogs against the facts they are built from: the seed list of the
//! CloudBase HTTP access service codes (copied to `catalogs/seed/`), the known renames, and the
//! rule that catalog prose is written in the project's own words; that every entry's Chinese
//! (`zh-CN`) text keeps the English text's facts; and the `l10n` schema (locale matching,
//! fallbacks, validation).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;
use std::sync::Arc;

use errcode_core::catalog::l10n::{is_language_tag, match_locale};
use errcode_core::catalog::{builtin, Catalog, Entry, Localized, Origin, Status};

/// The seed list: `category<TAB>code`, one row per code, in the order of the source page.
const SEED: &str = include_str!("../catalogs/seed/cloudbase-http-codes.tsv");

fn seed() -> Vec<(String, String)> {
    SEED.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (category, code) = l.split_once('\t').expect("seed rows are category<TAB>code");
            (category.to_string(), code.to_string())
        })
        .collect()
}

fn http() -> Arc<Catalog> {
    builtin::get("cloudbase-http").expect("cloudbase-http is built in")
}

fn sdk() -> Arc<Catalog> {
    builtin::get("cloudbase-sdk").expect("cloudbase-sdk is built in")
}

fn entry<'a>(catalog: &'a Catalog, code: &str) -> &'a Entry {
    catalog
        .entries
        .iter()
        .find(|e| e.code == code)
        .unwrap_or_else(|| panic!("`{code}` is missing from {}", catalog.name()))
}

fn all_entries() -> impl Iterator<Item = (&'static Catalog, &'static Entry)> {
    builtin::all().iter().flat_map(|c| c.entries.iter().map(move |e| (&**c, e)))
}

// (a)
#[test]
fn both_builtins_load() {
    let names: Vec<&str> = builtin::all().iter().map(|c| c.name()).collect();
    assert_eq!(names, ["cloudbase-http", "cloudbase-sdk"]);
    assert_eq!(names, builtin::NAMES);
    for catalog in builtin::all() {
        assert!(!catalog.entries.is_empty(), "{} is empty", catalog.name());
        assert!(!catalog.meta.description.trim().is_empty(), "{} has no description", catalog.name());
    }
}

#[test]
fn seed_copy_has_57_codes_in_8_categories() {
    let seed = seed();
    assert_eq!(seed.len(), 57);
    let codes: HashSet<&str> = seed.iter().map(|(_, c)| c.as_str()).collect();
    assert_eq!(codes.len(), 57, "a code is listed twice in the seed copy");
    let categories: BTreeSet<&str> = seed.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(categories.len(), 8);
}

// (b)
#[test]
fn http_catalog_matches_the_seed_exactly() {
    let http = http();
    let seed = seed();
    for (category, code) in &seed {
        let e = entry(&http, code);
        assert_eq!(&e.category, category, "`{code}` is in the wrong category");
        assert_eq!(e.status, Status::Current, "seed code `{code}` must be current");
    }
    let expected: BTreeSet<&str> = seed.iter().map(|(_, c)| c.as_str()).chain(["INVALID_ENV_ID"]).collect();
    let actual: BTreeSet<&str> = http.entries.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(actual, expected);
    assert_eq!(http.entries.len(), 58);
    assert_eq!(entry(&http, "INVALID_ENV_ID").category, "General Errors");

    // `categories` lists the seed's categories in the seed's order.
    let mut order: Vec<&str> = Vec::new();
    for (category, _) in &seed {
        if !order.contains(&category.as_str()) {
            order.push(category);
        }
    }
    assert_eq!(http.meta.categories, order);
}

#[test]
fn every_entry_uses_a_declared_category() {
    for catalog in builtin::all() {
        for e in &catalog.entries {
            assert!(
                catalog.meta.categories.contains(&e.category),
                "{}: `{}` uses undeclared category `{}`",
                catalog.name(),
                e.code,
                e.category
            );
        }
    }
}

// (c)
#[test]
fn deprecations_and_replacements() {
    let (http, sdk) = (http(), sdk());
    let old = entry(&http, "INVALID_ENV_ID");
    assert_eq!(old.status, Status::Deprecated);
    assert_eq!(old.replaced_by.as_deref(), Some("INVALID_ENV"));
    assert!(old.note.as_deref().is_some_and(|n| !n.is_empty()));

    let login = entry(&sdk, "CHECK_LOGIN_FAILED");
    assert_eq!(login.status, Status::Deprecated);
    assert_eq!(login.replaced_by.as_deref(), Some("ACCESS_TOKEN_EXPIRED"));
    assert!(login.note.as_deref().is_some_and(|n| n.contains("realtime")));

    let known: HashSet<&str> = all_entries().map(|(_, e)| e.code.as_str()).collect();
    for (catalog, e) in all_entries() {
        if let Some(target) = &e.replaced_by {
            assert!(known.contains(target.as_str()), "{}: `{}` -> unknown `{target}`", catalog.name(), e.code);
        }
        if e.status == Status::Deprecated {
            assert!(e.replaced_by.is_some(), "`{}` is deprecated without a replacement", e.code);
        }
        if e.status != Status::Current {
            assert!(e.note.is_some(), "{}: `{}` is {} but has no note", catalog.name(), e.code, e.status.as_str());
        }
    }
}

#[test]
fn inferred_successors_are_legacy_not_deprecated() {
    let sdk = sdk();
    for (code, successors) in [
        ("ENDPOINT_VERSION_NOT_FOUND", &["SERVICE_VERSION_NOT_FOUND"][..]),
        ("INVALID_CNAME", &["INVALID_HOST"][..]),
        ("REQUEST_SERVICE_FAILED", &["SERVICE_NOT_READY", "SERVICE_TIMEOUT", "BAD_GATEWAY"][..]),
        ("EXCEED_SYS_RATE_LIMIT", &["EXCEED_RATELIMIT"][..]),
    ] {
        let e = entry(&sdk, code);
        assert_eq!(e.status, Status::Legacy, "`{code}`");
        assert!(e.replaced_by.is_none(), "`{code}` has no automatic replacement");
        let note = e.note.as_deref().unwrap_or_default();
        for s in successors {
            assert!(note.contains(s), "note of `{code}` should name `{s}`");
        }
    }
}

// (d)
#[test]
fn misspelt_real_codes_are_current() {
    let sdk = sdk();
    for code in ["INVALIID_ENV", "DATABASE_INVALID_OPERRATOR", "UNKOWN_ERROR", "LOGIN_MANNER_UNREGISTED"] {
        let e = entry(&sdk, code);
        assert_eq!(e.status, Status::Current, "`{code}` is a real code");
        assert!(e.replaced_by.is_none());
        assert!(e.note.as_deref().is_some_and(|n| !n.is_empty()), "`{code}` needs a spelling note");
    }
    assert_eq!(entry(&sdk, "INVALIID_ENV").numeric, Some(-501005));
    assert_eq!(entry(&sdk, "DATABASE_INVALID_OPERRATOR").numeric, Some(-502002));
    // Both spellings exist side by side.
    assert_eq!(entry(&sdk, "UNKNOWN_ERROR").numeric, Some(-1));
}

#[test]
fn sdk_numbers_aliases_and_numeric_codes() {
    let sdk = sdk();
    // Codes that are only a number carry that number.
    let mut numeric_only = 0;
    for e in &sdk.entries {
        if e.code.starts_with('-') {
            numeric_only += 1;
            assert_eq!(e.numeric, Some(e.code.parse::<i64>().unwrap()), "`{}`", e.code);
        }
    }
    assert!(numeric_only >= 15, "expected the numeric-only WeChat codes, got {numeric_only}");
    assert_eq!(entry(&sdk, "-501015").numeric, Some(-501015));
    assert_eq!(entry(&sdk, "-604101").numeric, Some(-604101));

    // Aliases share their primary's number and name it.
    let by_code: BTreeMap<&str, &Entry> = sdk.entries.iter().map(|e| (e.code.as_str(), e)).collect();
    for (alias, primary) in [
        ("TCB_DB_REQUEST_FAIL", "DATABASE_REQUEST_FAILED"),
        ("TCB_DB_INVALID_COMMAND", "DATABASE_INVALID_OPERRATOR"),
        ("TCB_INVALID_ENV", "INVALIID_ENV"),
        ("TCB_RESOURCE_SYSTEM_ERROR", "SYS_ERR"),
        ("TCB_FUNCTIONS_EXEC_FAIL", "FUNCTIONS_EXECUTE_FAIL"),
        ("TCB_STORAGE_INVALID_SIGN_PARAM", "STORAGE_SIGN_PARAM_INVALID"),
    ] {
        let a = by_code[alias];
        assert_eq!(a.numeric, by_code[primary].numeric, "`{alias}` and `{primary}`");
        assert!(a.note.as_deref().unwrap_or_default().contains(primary), "note of `{alias}`");
    }

    // Realtime listener codes explain the number -> string change.
    let realtime = entry(&sdk, "SDK_DATABASE_REALTIME_LISTENER_INIT_WATCH_FAIL");
    assert_eq!(realtime.numeric, Some(-402002));
    assert!(realtime.note.as_deref().unwrap_or_default().contains("string"));

    // Rows listed twice in the research table became one entry with the legacy facts folded in.
    for code in ["INVALID_PATH", "INVALID_HOST"] {
        assert_eq!(sdk.entries.iter().filter(|e| e.code == code).count(), 1);
        assert!(entry(&sdk, code).note.as_deref().unwrap_or_default().contains("WeChat Cloud Run"));
    }
    let payload = entry(&sdk, "EXCEED_MAX_PAYLOAD_SIZE").note.as_deref().unwrap_or_default();
    assert!(payload.contains("20 MB") && payload.contains("100 KB"), "{payload}");
}

// (e)
#[test]
fn text_fields_are_well_formed() {
    for (catalog, e) in all_entries() {
        let summary = e.summary.trim();
        assert!(!summary.is_empty(), "{}: `{}` has an empty summary", catalog.name(), e.code);
        assert!(!summary.contains('\n'), "{}: summary of `{}` spans lines", catalog.name(), e.code);
        if let Some(docs) = &e.docs {
            assert!(docs.starts_with("https://"), "{}: `{}` docs link {docs}", catalog.name(), e.code);
            assert!(!docs.contains(' '), "{}: `{}` docs link {docs}", catalog.name(), e.code);
        }
        if let Some(note) = &e.note {
            assert!(!note.trim().is_empty(), "{}: `{}` has an empty note", catalog.name(), e.code);
        }
    }
    for e in &http().entries {
        assert!(!e.details.trim().is_empty(), "cloudbase-http: `{}` has no details", e.code);
        assert!(e.docs.is_some(), "cloudbase-http: `{}` has no docs link", e.code);
    }
}

/// Hovers sanitize catalog Markdown (team catalogs are untrusted); the built-in text, in every
/// language, must come through exactly as written, and its docs links stay links.
#[test]
fn builtin_text_is_unchanged_by_sanitizing() {
    use errcode_core::text::markdown::{safe_link, sanitize};
    for (catalog, e) in all_entries() {
        let mut texts = vec![e.summary.as_str(), e.details.as_str(), e.category.as_str(), e.code.as_str()];
        texts.extend(e.note.as_deref());
        for l in e.l10n.values() {
            texts.extend([l.summary.as_deref(), l.details.as_deref(), l.note.as_deref()].into_iter().flatten());
        }
        for text in texts {
            assert_eq!(sanitize(text, None), text, "{}: `{}`", catalog.name(), e.code);
        }
        for docs in e.docs.iter().chain(e.l10n.values().filter_map(|l| l.docs.as_ref())) {
            assert_eq!(safe_link(docs, None), Some(docs.as_str()), "{}: `{}`", catalog.name(), e.code);
            let link = format!("[Documentation]({docs})");
            assert_eq!(sanitize(&link, None), link, "{}: `{}`", catalog.name(), e.code);
        }
    }
}

// (f)
#[test]
fn key_facts_survive() {
    let http = http();
    let payload = &entry(&http, "EXCEED_MAX_PAYLOAD_SIZE").details;
    for fact in ["100 KB", "6 MB", "100 MB"] {
        assert!(payload.contains(fact), "EXCEED_MAX_PAYLOAD_SIZE lacks {fact}");
    }
    let abort = &entry(&http, "ERR_ABORT_HANDLER").details;
    for fact in ["60", ": ping", "text/event-stream", "Accept"] {
        assert!(abort.contains(fact), "ERR_ABORT_HANDLER lacks {fact}");
    }
    assert!(entry(&http, "DEFAULT_DOMAIN_EXPIRED").details.contains("5 minutes"));
    assert!(entry(&http, "SERVICE_FORBIDDEN").details.contains("1–3 minutes"));
    assert!(entry(&http, "SERVICE_NOT_FOUND").details.contains("2 minutes"));
    assert!(entry(&http, "AI_MODEL_DISABLED").details.contains("2 minutes"));
    assert!(entry(&http, "UNSUPPORTED_AUTH_TYPE").details.contains("Signature V3"));
    let execute = entry(&http, "FUNCTION_EXECUTE_FAIL");
    assert_eq!(execute.status, Status::Current);
    assert!(execute.note.as_deref().unwrap_or_default().contains("FUNCTION_INVOCATION_FAILED"));
}

// (g)
/// A few sentences of the seed page, as fixtures: no catalog text may repeat 8 words in a row
/// from them.
const SEED_SENTENCES: &[&str] = &[
    "The request data or parameter format is invalid. Please check whether the access domain name or Host is correctly filled, and whether the request headers and request body are properly configured.",
    "Environment ID is invalid or the corresponding CloudBase environment was not found. Please check whether the access domain name is correct.",
    "When using WeChat Cloud Run, there is a startup time of 1-3 minutes after the initial successful deployment of the service. You can wait and try again.",
    "The request rate exceeds the QPS quota of your purchased plan. You can upgrade your plan to increase the QPS quota.",
    "Ensure that SSE (Server-sent Event) responses continuously return data to prevent the connection from being closed due to prolonged idleness (exceeding 60 seconds).",
    "Due to security and compliance requirements, the default domain name is only available for development and testing purposes. The current default domain name has expired. Please click Renew on the CloudBase platform. The renewal is expected to take effect within 5 minutes.",
    "The Cloud Run service is in a not-ready state. Service instances may have been scaled down to 0 or the service version is undergoing cold start, preventing normal access.",
    "No available upstream address is found for the Cloud Run service. The possible reason is that traffic for all versions of the Cloud Run service has been set to zero.",
    "The function execution memory exceeds the limit. Please check the relevant logic in the function code or adjust the function memory configuration on the console.",
    "The identity in the request headers lacks permission to perform the current operation.",
    "The required configurations for model invocation, such as the API Key, are missing. Please add the configurations on the console.",
];

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

#[test]
fn catalog_prose_does_not_copy_the_seed() {
    const WINDOW: usize = 8;
    let mut seed_windows: HashSet<Vec<String>> = HashSet::new();
    for sentence in SEED_SENTENCES {
        let w = words(sentence);
        assert!(w.len() >= WINDOW);
        for window in w.windows(WINDOW) {
            seed_windows.insert(window.to_vec());
        }
    }
    let mut copied = Vec::new();
    for (catalog, e) in all_entries() {
        for (field, text) in
            [("summary", &e.summary), ("details", &e.details)].into_iter().chain(e.note.iter().map(|n| ("note", n)))
        {
            for window in words(text).windows(WINDOW) {
                if seed_windows.contains(window) {
                    copied.push(format!("{}: `{}` {field}: \"{}\"", catalog.name(), e.code, window.join(" ")));
                    break;
                }
            }
        }
    }
    assert!(copied.is_empty(), "catalog text copies the seed verbatim:\n{}", copied.join("\n"));
}

/// The guard itself works: a verbatim copy is caught.
#[test]
fn copy_guard_catches_a_verbatim_copy() {
    let copy = words("Note: the request rate exceeds the QPS quota of your purchased plan, sorry.");
    let seed = words(SEED_SENTENCES[3]);
    let seed_windows: HashSet<&[String]> = seed.windows(8).collect();
    assert!(copy.windows(8).any(|w| seed_windows.contains(w)));
}

// (h) Chinese (zh-CN) text of the built-in catalogs.

fn zh(e: &Entry) -> Option<&Localized> {
    e.l10n.get("zh-CN")
}

fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}'))
}

/// The English text of an entry that its translation must carry over: summary, details, note.
fn english_text(e: &Entry) -> String {
    [e.summary.as_str(), e.details.as_str(), e.note.as_deref().unwrap_or_default()].join("\n")
}

fn zh_text(l: &Localized) -> String {
    [&l.summary, &l.details, &l.note].iter().filter_map(|t| t.as_deref()).collect::<Vec<_>>().join("\n")
}

/// Numbers as written: digit runs with inner dots (`2.1.1`), a `-` sign when it does not join
/// two words (`-501005`, not the `3` of `V3`... whose digits still count), and a size unit
/// when one follows (`100 KB`, `20MB` -> `20 MB`).
fn numbers(text: &str) -> BTreeSet<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = BTreeSet::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && (chars[i - 1].is_ascii_digit() || chars[i - 1] == '.')) {
            i += 1;
            continue;
        }
        let signed = i > 0 && chars[i - 1] == '-' && (i == 1 || !chars[i - 2].is_ascii_alphanumeric());
        let start = i;
        while i < chars.len()
            && (chars[i].is_ascii_digit() || (chars[i] == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
        {
            i += 1;
        }
        let mut number: String = chars[start..i].iter().collect();
        if signed {
            number.insert(0, '-');
        }
        let unit_at = if chars.get(i) == Some(&' ') { i + 1 } else { i };
        let unit: String = chars[unit_at.min(chars.len())..].iter().take_while(|c| c.is_ascii_alphabetic()).collect();
        if ["KB", "MB", "GB"].contains(&unit.as_str()) {
            number = format!("{number} {unit}");
        }
        out.insert(number);
    }
    out
}

/// The facts of an English text: backticked tokens (kept in backticks), numbers, code-like names
/// (words with `_`, any built-in code), SDK package names and links.
fn facts(text: &str, codes: &HashSet<&str>) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = numbers(text);
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            out.insert(format!("`{part}`"));
        }
    }
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')) {
        let word = word.trim_matches('-');
        let sdk_package = word.ends_with("-sdk") && word.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
        if (word.contains('_') && word.bytes().any(|b| b.is_ascii_uppercase())) || codes.contains(word) || sdk_package {
            out.insert(word.to_string());
        }
    }
    for link in text.split_whitespace().filter(|w| w.starts_with("https://") || w.starts_with("http://")) {
        out.insert(link.trim_end_matches(['.', ',', ')', ';']).to_string());
    }
    out
}

/// Whether `fact` occurs in `text` as a fact of the same kind (a number as a whole number, a
/// name as a whole word).
fn keeps(text: &str, fact: &str, text_numbers: &BTreeSet<String>) -> bool {
    if fact.starts_with('`') || fact.contains("://") {
        return text.contains(fact);
    }
    if fact.starts_with(|c: char| c == '-' || c.is_ascii_digit()) && !fact.contains('_') {
        return text_numbers.contains(fact);
    }
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    text.match_indices(fact).any(|(at, _)| {
        !text[..at].chars().next_back().is_some_and(is_word)
            && !text[at + fact.len()..].chars().next().is_some_and(is_word)
    })
}

#[test]
fn fact_extraction_finds_numbers_units_and_names() {
    let codes: HashSet<&str> = ["RequestLimitExceeded"].into_iter().collect();
    let text = "Use `Accept: text/event-stream`; 100 KB text, 20MB binary, -501005 (not V3 or 1–3), since v2.1.1. \
                RequestLimitExceeded and TCB_ERR_CODE in wx-server-sdk; see https://example.com/x.";
    let got: Vec<String> = facts(text, &codes).into_iter().collect();
    for want in [
        "`Accept: text/event-stream`",
        "100 KB",
        "20 MB",
        "-501005",
        "3",
        "1",
        "2.1.1",
        "RequestLimitExceeded",
        "TCB_ERR_CODE",
        "wx-server-sdk",
        "https://example.com/x",
    ] {
        assert!(got.contains(&want.to_string()), "{want} not in {got:?}");
    }
    // A sign joining two words is a hyphen, not a minus; a code's digits are not a size.
    assert_eq!(numbers("tcb-2 and（-404011）and 码-502001"), ["-404011", "-502001", "2"].map(String::from).into());
    let zh_numbers = numbers("限制 100 KB 与 -501005");
    assert!(keeps("限制 100 KB 与 -501005", "-501005", &zh_numbers));
    assert!(!keeps("限制 100 KB 与 501005", "-501005", &numbers("限制 100 KB 与 501005")));
    assert!(!keeps("INVALID_ENV_ID", "INVALID_ENV", &BTreeSet::new()));

    // On real entries: the facts are found, and a changed one is caught.
    let all: HashSet<&str> = all_entries().map(|(_, e)| e.code.as_str()).collect();
    let http = http();
    let abort = facts(&english_text(entry(&http, "ERR_ABORT_HANDLER")), &all);
    for want in ["60", "`: ping`", "`Accept: text/event-stream`", "`Accept`", "`text/event-stream`"] {
        assert!(abort.contains(want), "{want} not in {abort:?}");
    }
    let payload = entry(&http, "EXCEED_MAX_PAYLOAD_SIZE");
    let want = facts(&english_text(payload), &all);
    assert_eq!(want, ["100 KB", "100 MB", "20 MB", "6 MB"].map(String::from).into());
    let wrong = zh_text(zh(payload).unwrap()).replace("20 MB", "2 MB");
    assert!(!keeps(&wrong, "20 MB", &numbers(&wrong)));
    let sdk = sdk();
    let execute = facts(&english_text(entry(&sdk, "FUNCTIONS_EXECUTE_FAIL")), &all);
    for want in
        ["FUNCTION_INVOCATION_FAILED", "FUNCTION_NOT_FOUND", "node-sdk", "2.1.1", "-504002", "TCB_FUNCTIONS_EXEC_FAIL"]
    {
        assert!(execute.contains(want), "{want} not in {execute:?}");
    }
}

#[test]
fn every_builtin_entry_has_chinese_text() {
    let mut problems = Vec::new();
    for (catalog, e) in all_entries() {
        let at = format!("{}: `{}`", catalog.name(), e.code);
        let keys: Vec<&str> = e.l10n.keys().map(String::as_str).collect();
        if keys != ["zh-CN"] {
            problems.push(format!("{at}: l10n keys are {keys:?}, expected exactly [\"zh-CN\"]"));
        }
        let Some(l) = zh(e) else { continue };
        let summary = l.summary.as_deref().unwrap_or_default().trim();
        if summary.is_empty() || !has_cjk(summary) || summary.contains('\n') {
            problems.push(format!("{at}: zh-CN summary must be one line of Chinese: {summary:?}"));
        }
        let details = l.details.as_deref().unwrap_or_default();
        match (e.details.trim().is_empty(), details.trim().is_empty()) {
            (false, true) => problems.push(format!("{at}: zh-CN details are missing")),
            (true, false) => problems.push(format!("{at}: zh-CN details where the English has none")),
            (false, false) if !has_cjk(details) => problems.push(format!("{at}: zh-CN details are not Chinese")),
            _ => {}
        }
        match (&e.note, &l.note) {
            (Some(_), None) => problems.push(format!("{at}: zh-CN note is missing")),
            (None, Some(_)) => problems.push(format!("{at}: zh-CN note where the English has none")),
            (Some(_), Some(n)) if !has_cjk(n) => problems.push(format!("{at}: zh-CN note is not Chinese")),
            _ => {}
        }
    }
    // SUCCESS is the one entry without details, in English and Chinese alike.
    assert!(entry(&sdk(), "SUCCESS").details.is_empty());
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn builtin_text_reads_in_chinese() {
    for catalog in builtin::all() {
        let zh = catalog.meta.description_in("zh-CN");
        assert!(has_cjk(zh), "{} has no Chinese description", catalog.name());
        assert_eq!(catalog.meta.description_in("en"), catalog.meta.description);
    }
    let http = http();
    let e = entry(&http, "EXCEED_MAX_PAYLOAD_SIZE");
    assert!(e.summary_in("zh").contains("请求体"));
    assert!(e.details_in("zh_CN").contains("**处理建议**"));
    assert_eq!(e.summary_in("en"), e.summary);
    assert_eq!(e.details_in("en-US"), e.details);
    assert!(e.note_in("zh-Hans").unwrap().contains("20 MB"));
    assert_eq!(e.docs_in("zh-cn"), Some("https://docs.cloudbase.net/error-code/service"));
    assert_eq!(e.docs_in("en"), Some("https://docs.cloudbase.net/en/error-code/service"));
    // SUCCESS has no details in either language.
    assert_eq!(entry(&sdk(), "SUCCESS").details_in("zh"), "");
}

#[test]
fn chinese_text_keeps_every_fact_of_the_english() {
    let codes: HashSet<&str> = all_entries().map(|(_, e)| e.code.as_str()).collect();
    let mut missing = Vec::new();
    let mut checked = 0;
    for (catalog, e) in all_entries() {
        let Some(l) = zh(e) else { continue };
        let text = zh_text(l);
        let text_numbers = numbers(&text);
        for fact in facts(&english_text(e), &codes) {
            checked += 1;
            if !keeps(&text, &fact, &text_numbers) {
                missing.push(format!("{}: `{}` zh-CN lacks {fact}", catalog.name(), e.code));
            }
        }
    }
    assert!(missing.is_empty(), "{} facts missing from the Chinese text:\n{}", missing.len(), missing.join("\n"));
    assert!(checked > 250, "only {checked} facts checked: is the extraction broken?");
}

#[test]
fn chinese_text_keeps_the_english_structure() {
    let mut problems = Vec::new();
    for (catalog, e) in all_entries() {
        let Some(l) = zh(e) else { continue };
        let details = l.details.as_deref().unwrap_or_default();
        let bullets = |text: &str| text.lines().filter(|l| l.starts_with("- ")).count();
        let mut shape = vec![("bullets", bullets(&e.details), bullets(details))];
        for (en, zh) in
            [("**Likely causes**", "**可能原因**"), ("**What to do**", "**处理建议**"), ("**Limits**", "**限制**")]
        {
            shape.push((en, e.details.matches(en).count(), details.matches(zh).count()));
        }
        for (what, en, zh) in shape {
            if en != zh {
                problems.push(format!("{}: `{}` has {en} {what} in English, {zh} in zh-CN", catalog.name(), e.code));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn chinese_docs_links_are_derived_from_the_english_ones() {
    let mut problems = Vec::new();
    let mut derived = 0;
    for (catalog, e) in all_entries() {
        let Some(l) = zh(e) else { continue };
        // Only a docs.cloudbase.net English page has a Chinese twin: the same path without `/en`.
        let expected = e
            .docs
            .as_deref()
            .and_then(|d| d.strip_prefix("https://docs.cloudbase.net/en/"))
            .map(|path| format!("https://docs.cloudbase.net/{path}"));
        derived += usize::from(expected.is_some());
        if l.docs != expected {
            problems.push(format!("{}: `{}` zh-CN docs {:?}, expected {expected:?}", catalog.name(), e.code, l.docs));
        }
    }
    assert!(derived >= 140, "{derived}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let sdk = sdk();
    assert_eq!(
        entry(&sdk, "FUNCTION_NOT_FOUND").docs_in("zh-CN"),
        Some("https://docs.cloudbase.net/error-code/basic/FUNCTION_NOT_FOUND")
    );
    // Pages that are Chinese already (or not CloudBase docs) are shown as they are.
    assert_eq!(entry(&sdk, "INVALID_ENV").docs_in("zh-CN"), Some("https://docs.cloudbase.net/error-code/INVALID_ENV"));
    assert_eq!(entry(&sdk, "EXCEED_SYS_RATE_LIMIT").docs_in("zh"), None);
}

/// Wording of the official Chinese pages (the quotes in the research notes), as fixtures: no
/// Chinese catalog text may repeat 10 Chinese characters in a row from them (other characters,
/// such as the term `access token`, are skipped on both sides).
const ZH_SOURCE_PHRASES: &[&str] = &[
    "环境 ID 非法或没有找到对应的云开发环境",
    "登录态校验失败、access token 过期(旧)",
    "后端版本未找到,原因可能是没有创建云托管服务的版本",
    "找不到匹配的云托管服务版本",
    "找不到云托管服务可用的上游地址",
    "可能是域名填写错误或 DNS 解析问题",
    "请求频率超过套餐资源限制",
    "请求频率超过系统限制",
    "操作的资源不存在或者非法",
    "SDK 云函数错误:云函数调用失败:轮询结果已超时过期",
    "SDK 云函数错误:云函数调用失败:函数执行失败",
];

fn zh_chars(text: &str) -> Vec<char> {
    text.chars().filter(|c| has_cjk(c.encode_utf8(&mut [0; 4]))).collect()
}

#[test]
fn chinese_prose_does_not_copy_the_official_wording() {
    const WINDOW: usize = 10;
    let mut source: HashSet<Vec<char>> = HashSet::new();
    for phrase in ZH_SOURCE_PHRASES {
        let chars = zh_chars(phrase);
        assert!(chars.len() >= WINDOW, "{phrase}");
        source.extend(chars.windows(WINDOW).map(<[char]>::to_vec));
    }
    // The guard itself works.
    assert!(zh_chars("注意：请求频率超过套餐资源限制了").windows(WINDOW).any(|w| source.contains(w)));
    let mut copied = Vec::new();
    for (catalog, e) in all_entries() {
        let Some(l) = zh(e) else { continue };
        if let Some(w) = zh_chars(&zh_text(l)).windows(WINDOW).find(|w| source.contains(*w)) {
            copied.push(format!("{}: `{}`: \"{}\"", catalog.name(), e.code, w.iter().collect::<String>()));
        }
    }
    assert!(copied.is_empty(), "Chinese text copies the official wording:\n{}", copied.join("\n"));
}

// (i) The `l10n` schema: locale matching, fallbacks, validation, formats.

fn team(name: &str, text: &str) -> Result<Catalog, errcode_core::error::FileError> {
    Catalog::from_text(Path::new(name), text, Origin::File(name.into()))
}

const TEAM_TOML: &str = r#"
[catalog]
name = "payments"
description = "Payment errors"

[catalog.l10n.zh-CN]
description = "支付错误"

[[codes]]
code = "PAYMENT_DECLINED"
category = "Billing"
summary = "The issuer declined the charge."
details = "Ask for another card."
docs = "https://wiki.example.com/en/PAYMENT_DECLINED"

[codes.l10n.zh-CN]
summary = "发卡行拒绝了这笔扣款。"
docs = "https://wiki.example.com/zh/PAYMENT_DECLINED"

[codes.l10n.ja]
summary = "カード発行会社が請求を拒否しました。"

[[codes]]
code = "ONLY_CHINESE"
category = "Billing"
summary = ""

[codes.l10n.zh-CN]
summary = "只有中文说明。"
details = "只有中文详情。"
note = "中文备注。"
"#;

#[test]
fn locale_variants_find_the_zh_cn_text() {
    let catalog = team("payments.toml", TEAM_TOML).unwrap();
    let e = &catalog.entries[0];
    for locale in ["zh-CN", "zh_CN", "zh-cn", "ZH-CN", "zh", "zh-Hans", "zh-Hans-CN", "zh_CN.UTF-8", "zh-SG", " zh "] {
        let view = e.localized(locale);
        assert_eq!(view.locale, Some("zh-CN"), "{locale}");
        assert_eq!(view.summary, "发卡行拒绝了这笔扣款。", "{locale}");
    }
    // Traditional Chinese has no translation of its own here, so it takes the Chinese one.
    assert_eq!(e.localized("zh-TW").locale, Some("zh-CN"));
    assert_eq!(e.localized("ja-JP").summary, "カード発行会社が請求を拒否しました。");
    for locale in ["en", "en-US", "fr", "", "C", "*"] {
        let view = e.localized(locale);
        assert_eq!(view.locale, None, "{locale}");
        assert_eq!(view.summary, "The issuer declined the charge.", "{locale}");
    }
}

#[test]
fn localized_fields_fall_back_to_english_then_to_a_translation() {
    let catalog = team("payments.toml", TEAM_TOML).unwrap();
    let declined = &catalog.entries[0];
    // No Chinese details: the English ones.
    assert_eq!(declined.details_in("zh-CN"), "Ask for another card.");
    assert_eq!(declined.docs_in("zh-CN"), Some("https://wiki.example.com/zh/PAYMENT_DECLINED"));
    assert_eq!(declined.docs_in("ja"), Some("https://wiki.example.com/en/PAYMENT_DECLINED"));
    assert_eq!(declined.note_in("zh-CN"), None);
    // No English text at all: the translation stands in.
    let only = &catalog.entries[1];
    let en = only.localized("en");
    assert_eq!(
        (en.locale, en.summary, en.details, en.note),
        (None, "只有中文说明。", "只有中文详情。", Some("中文备注。"))
    );
    assert_eq!(only.summary_in("zh"), "只有中文说明。");
    // The catalog's description.
    assert_eq!(catalog.meta.description_in("zh-Hans"), "支付错误");
    assert_eq!(catalog.meta.description_in("en"), "Payment errors");
}

#[test]
fn closest_locale_wins() {
    let keys = ["en", "zh-CN", "zh-TW", "pt-BR", "pt-PT"];
    for (requested, expected) in [
        ("zh-Hant", Some("zh-TW")),
        ("zh-HK", Some("zh-TW")),
        ("zh-Hans-SG", Some("zh-CN")),
        ("zh", Some("zh-CN")),
        ("en-GB", Some("en")),
        ("pt", Some("pt-BR")),
        ("pt-pt", Some("pt-PT")),
        ("de", None),
    ] {
        assert_eq!(match_locale(keys, requested), expected, "{requested}");
    }
    assert_eq!(match_locale(["zh-Hant", "zh-Hans"], "zh_CN"), Some("zh-Hans"));
    assert_eq!(match_locale(["zh-TW", "zh"], "zh-Hant-TW"), Some("zh-TW"));
    for ok in ["zh-CN", "en", "zh-Hans", "es-419", "sr-Latn-RS"] {
        assert!(is_language_tag(ok), "{ok}");
    }
    for bad in ["", " ", "zh CN", "zh_CN", "-zh", "zh-", "zh--CN", "1x", "z", "中文", "zh-CN ", "toolongtag"] {
        assert!(!is_language_tag(bad), "{bad:?}");
    }
}

#[test]
fn bad_l10n_keys_are_reported_with_file_and_line() {
    let toml = "[catalog]\nname = \"t\"\n\n[[codes]]\ncode = \"A_B\"\ncategory = \"c\"\nsummary = \"s\"\n\n\
                [codes.l10n.\"zh CN\"]\nsummary = \"x\"\n";
    let e = team("team.toml", toml).unwrap_err();
    assert_eq!(e.line, Some(9), "{e}");
    assert!(e.to_string().starts_with("team.toml:9:1: code `A_B`: `l10n` key `zh CN` is not a language tag"), "{e}");

    let json = "{\"catalog\": {\"name\": \"t\"},\n \"codes\": [\n  {\"code\": \"A_B\", \"category\": \"c\", \"summary\": \"s\",\n   \
                \"l10n\": {\n    \"zh_CN\": {\"summary\": \"x\"}}}]}\n";
    let e = team("team.json", json).unwrap_err();
    assert_eq!(e.line, Some(5), "{e}");
    assert!(e.message.contains("(write `zh-CN`)"), "{e}");

    let yaml = "catalog:\n  name: t\ncodes:\n  - code: A_B\n    category: c\n    summary: s\n    l10n:\n      \"\":\n        summary: x\n";
    let e = team("team.yaml", yaml).unwrap_err();
    assert_eq!(e.line, Some(4), "an empty key is reported at its entry: {e}");
    assert!(e.message.contains("key `` is not a language tag"), "{e}");

    let twice = "[catalog]\nname = \"t\"\n[[codes]]\ncode = \"A_B\"\ncategory = \"c\"\nsummary = \"s\"\n\
                 [codes.l10n.zh-CN]\nsummary = \"x\"\n[codes.l10n.zh-cn]\nsummary = \"y\"\n";
    let e = team("team.toml", twice).unwrap_err();
    assert_eq!(e.line, Some(9), "{e}");
    assert!(e.message.contains("lists `zh-cn` twice (also as `zh-CN`)"), "{e}");

    let meta = "[catalog]\nname = \"t\"\n\n[catalog.l10n.\"zh CN\"]\ndescription = \"x\"\n";
    let e = team("team.toml", meta).unwrap_err();
    assert_eq!(e.line, Some(4), "{e}");
    assert!(e.message.starts_with("`catalog`: `l10n` key `zh CN`"), "{e}");

    // Unknown fields in a translation are refused like anywhere else.
    let unknown = "[catalog]\nname = \"t\"\n[[codes]]\ncode = \"A_B\"\ncategory = \"c\"\nsummary = \"s\"\n\
                   [codes.l10n.zh-CN]\nsumary = \"x\"\n";
    let e = team("team.toml", unknown).unwrap_err();
    assert!(e.message.contains("sumary"), "{e}");
    assert_eq!(e.line, Some(8), "{e}");
}

#[test]
fn translated_category_names_must_name_a_category_of_the_catalog() {
    let ok = "[catalog]\nname = \"t\"\n[catalog.l10n.zh-CN.categories]\n\"Billing\" = \"账单\"\n\
              [[codes]]\ncode = \"A_B\"\ncategory = \"Billing\"\nsummary = \"s\"\n";
    let catalog = team("team.toml", ok).unwrap();
    assert_eq!(catalog.meta.category_in("Billing", "zh-CN"), "账单");
    assert_eq!(catalog.meta.category_in("Billing", "en"), "Billing");
    let typo = ok.replace("\"Billing\" = ", "\"Biling\" = ");
    let e = team("team.toml", &typo).unwrap_err();
    assert_eq!(e.line, Some(4), "{e}");
    assert!(e.message.contains("`catalog.l10n.zh-CN.categories` names `Biling`"), "{e}");
}

#[test]
fn l10n_reads_the_same_from_toml_json_and_yaml() {
    let json = r#"{"catalog": {"name": "t", "l10n": {"zh-CN": {"description": "团队"}}},
 "codes": [{"code": "A_B", "category": "c", "summary": "s",
   "l10n": {"zh-CN": {"summary": "摘要", "details": "详情", "note": "备注", "docs": "https://example.com/zh"}}}]}"#;
    let yaml = "catalog:\n  name: t\n  l10n:\n    zh-CN:\n      description: 团队\ncodes:\n  - code: A_B\n    category: c\n    \
                summary: s\n    l10n:\n      zh-CN:\n        summary: 摘要\n        details: 详情\n        note: 备注\n        \
                docs: https://example.com/zh\n";
    let toml = "[catalog]\nname = \"t\"\n[catalog.l10n.zh-CN]\ndescription = \"团队\"\n[[codes]]\ncode = \"A_B\"\n\
                category = \"c\"\nsummary = \"s\"\n[codes.l10n.zh-CN]\nsummary = \"摘要\"\ndetails = \"详情\"\nnote = \"备注\"\n\
                docs = \"https://example.com/zh\"\n";
    let loaded: Vec<Catalog> =
        [("t.json", json), ("t.yaml", yaml), ("t.toml", toml)].iter().map(|(n, t)| team(n, t).unwrap()).collect();
    for c in &loaded {
        assert_eq!(c.entries, loaded[0].entries);
        assert_eq!(c.meta, loaded[0].meta);
        let view = c.entries[0].localized("zh");
        assert_eq!(
            (view.summary, view.details, view.note, view.docs),
            ("摘要", "详情", Some("备注"), Some("https://example.com/zh"))
        );
    }
    // An entry without translations serialises without `l10n`.
    let plain: errcode_core::catalog::CatalogFile = serde_json::from_str(
        r#"{"catalog": {"name": "t"}, "codes": [{"code": "A_B", "category": "c", "summary": "s"}]}"#,
    )
    .unwrap();
    assert!(!serde_json::to_string(&plain).unwrap().contains("l10n"));
}

#[test]
fn the_catalog_schema_describes_l10n() {
    let schema: serde_json::Value = serde_json::from_str(&errcode_core::schema::json(false)).unwrap();
    let text = schema.to_string();
    for needle in ["\"l10n\"", "Localized", "LocalizedMeta", "Translations of `summary`"] {
        assert!(text.contains(needle), "catalog schema lacks {needle}");
    }
    // The key pattern says what `is_language_tag` checks.
    let entry_l10n = &schema["$defs"]["Entry"]["properties"]["l10n"];
    assert_eq!(entry_l10n["propertyNames"]["pattern"], "^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$");
    assert_eq!(schema["$defs"]["CatalogMeta"]["properties"]["l10n"]["propertyNames"], entry_l10n["propertyNames"]);
}

/// Fixes write a deprecated code's `replaced_by` into source: a value that is not code-shaped
/// (quotes, spaces, interpolation...) is a load error naming the file, line and code.
#[test]
fn replaced_by_must_be_code_shaped() {
    let catalog = |to: &str| {
        format!(
            "[catalog]\nname = \"t\"\n\n[[codes]]\ncode = \"NEW_CODE\"\ncategory = \"c\"\nsummary = \"s\"\n\n\
             [[codes]]\ncode = \"OLD_CODE\"\ncategory = \"c\"\nsummary = \"s\"\nstatus = \"deprecated\"\n\
             replaced_by = {}\n",
            toml::Value::from(to)
        )
    };
    assert!(team("team.toml", &catalog("NEW_CODE")).is_ok());
    for bad in ["NEW_CODE\"); rm(\"x", "new_code", "NEW CODE", "${HOME}", "NEW_CODE\\", "NEW-CODE", "NEW_CODE\n", ""] {
        let e = team("team.toml", &catalog(bad)).unwrap_err();
        assert_eq!(e.line, Some(14), "{bad:?}: {e}");
        assert!(e.to_string().starts_with("team.toml:14:1: code `OLD_CODE`: `replaced_by` "), "{bad:?}: {e}");
        assert!(e.message.contains("is not code-shaped"), "{bad:?}: {e}");
        assert!(!e.message.contains('\n'), "{bad:?}: {e}");
    }
    let json = r#"{"catalog": {"name": "t"}, "codes": [
  {"code": "OLD_CODE", "category": "c", "summary": "s", "status": "deprecated",
   "replaced_by": "X\"; alert(1); \""}]}"#;
    let e = team("team.json", json).unwrap_err();
    assert_eq!(e.line, Some(3), "{e}");
    assert!(e.message.contains("is not code-shaped"), "{e}");
}
