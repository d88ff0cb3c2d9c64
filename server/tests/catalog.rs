//! Checks the built-in catalogs against the facts they are built from: the seed list of the
//! CloudBase HTTP access service codes (copied to `catalogs/seed/`), the known renames, and the
//! rule that catalog prose is written in the project's own words.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;

use errcode_lsp::catalog::{builtin, Catalog, Entry, Status};

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
