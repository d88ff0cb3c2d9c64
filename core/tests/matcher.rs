//! Matcher precision: what is flagged as a misspelling, with which suggestion, and the many
//! look-alikes that must never be flagged. Runs over the built-in catalogs.

use std::collections::BTreeSet;
use std::sync::Arc;

use errcode_core::analysis::{Analyzer, FindingKind};
use errcode_core::catalog::{builtin, CatalogSet};
use errcode_core::config::Severities;
use errcode_core::scan::Lang;

fn analyzer() -> Analyzer {
    Analyzer::new(Arc::new(CatalogSet::new(builtin::all().to_vec())), BTreeSet::new(), Severities::default())
}

/// The findings for `literal` as the whole of a TypeScript string: (kind, best suggestion).
fn check(a: &Analyzer, literal: &str) -> Option<(FindingKind, String)> {
    let text = format!("x = \"{literal}\";\n");
    let findings = a.analyze(Lang::TypeScript, &text);
    assert!(findings.len() <= 1, "{literal}: {findings:?}");
    findings.into_iter().next().map(|f| (f.kind, f.fix.clone().unwrap_or_default()))
}

#[test]
fn typos_of_real_codes_are_flagged_with_the_right_suggestion() {
    let a = analyzer();
    for (typo, want) in [
        ("EXCEED_RATE_LIMIT", "EXCEED_RATELIMIT"),    // an extra underscore
        ("FUNCTON_NOT_FOUND", "FUNCTION_NOT_FOUND"),  // a dropped letter
        ("FUNCTION_NOT_FUOND", "FUNCTION_NOT_FOUND"), // swapped letters
        ("ACCESS_TOKEN_EXPIERD", "ACCESS_TOKEN_EXPIRED"),
        ("ACESS_TOKEN_EXPIRD", "ACCESS_TOKEN_EXPIRED"), // two slips in a long code
        ("SERVICE_TIMOUT", "SERVICE_TIMEOUT"),
        ("INVALID_EVN", "INVALID_ENV"),
        ("DATABASE_COLLECTION_NOT_EXISTS", "DATABASE_COLLECTION_NOT_EXIST"),
        ("STORAGE_EXCEED_AUTHORTY", "STORAGE_EXCEED_AUTHORITY"),
        ("FUNCTION_NOTFOUND", "FUNCTION_NOT_FOUND"),
        ("HTTPSERVICE_NON_ACTIVATED", "HTTPSERVICE_NONACTIVATED"),
        ("BAD_GATWAY", "BAD_GATEWAY"),
    ] {
        assert_eq!(check(&a, typo), Some((FindingKind::Misspelled, want.to_string())), "{typo}");
    }
}

#[test]
fn a_code_with_its_underscores_dropped_is_that_code() {
    let a = analyzer();
    for (typo, want) in [
        ("INVALIDPARAM", "INVALID_PARAM"),
        ("SERVICETIMEOUT", "SERVICE_TIMEOUT"),
        ("BADGATEWAY", "BAD_GATEWAY"),
        ("FUNCTIONNOTFOUND", "FUNCTION_NOT_FOUND"),
        ("INVALIDENV", "INVALID_ENV"),
    ] {
        assert_eq!(check(&a, typo), Some((FindingKind::Misspelled, want.to_string())), "{typo}");
    }
    // A typo of a deprecated code, without underscores, goes straight to the replacement.
    assert_eq!(check(&a, "INVALIDENVID"), Some((FindingKind::Misspelled, "INVALID_ENV".to_string())));
    let flagged = |text: &str| a.analyze(Lang::TypeScript, text).len();
    assert_eq!(flagged("x = 'BADGATEWAY'\n"), 1, "single quotes");
    assert_eq!(flagged("x = `${a}BADGATEWAY`\n"), 0, "an interpolated piece");
    assert_eq!(flagged("// \"BADGATEWAY\"\n"), 0, "a comment");
    assert_eq!(a.analyze(Lang::Yaml, "code: BADGATEWAY\n").len(), 1, "a config scalar");
}

#[test]
fn words_without_underscores_are_flagged_only_when_they_are_a_joined_code() {
    let a = analyzer();
    for literal in [
        "INVALIDPARAMS2", // not exactly a code's letters
        "INVALIDPARM",    // a typo on top: too far from an underscore-free word
        "BADGATEWAYS",
        "SYSERR",       // shorter than 8
        "ECONNREFUSED", // other libraries' codes
        "ETIMEDOUT",
        "SYSTEMERROR",
        "ORDERNOTEXIST",
        "UNAUTHORIZED",
        "PRODUCTION",
        "DEVELOPMENT",
        "BadGateway",  // not upper case
        "BAD GATEWAY", // prose
        "BADGATEWAY!",
    ] {
        assert_eq!(check(&a, literal), None, "{literal} must not be flagged");
    }
    let flagged = |text: &str| a.analyze(Lang::TypeScript, text).len();
    assert_eq!(flagged("x = \"got BADGATEWAY from nginx\"\n"), 0, "a word inside prose");
    assert_eq!(flagged("x = \"BADGATEWAY, FUNCTION_NOT_FOUND\"\n"), 0, "only whole literals");
}

#[test]
fn a_long_code_with_one_short_word_misspelt_is_flagged() {
    let a = analyzer();
    for (typo, want) in [
        ("SAGN_INVALID_ERROR", "SIGN_INVALID_ERROR"),
        ("STORAGE_FILO_NONEXIST", "STORAGE_FILE_NONEXIST"),
        ("SDK_DATABASE_REALTIME_LISTENER_INIT_WATCH_FUIL", "SDK_DATABASE_REALTIME_LISTENER_INIT_WATCH_FAIL"),
        ("TCB_DB_REQUEST_FAUL", "TCB_DB_REQUEST_FAIL"),
        ("SIGN_PARAM_INVALUD", "SIGN_PARAM_INVALID"),
        ("ENV_NOT_RWADY", "ENV_NOT_READY"),
        ("STORAGE_SIGN_PARAM_INVALIF", "STORAGE_SIGN_PARAM_INVALID"),
        ("ENV_NPT_READY", "ENV_NOT_READY"), // a consonant, the other words pin the code down
    ] {
        assert_eq!(check(&a, typo), Some((FindingKind::Misspelled, want.to_string())), "{typo}");
    }
}

#[test]
fn a_vowel_changed_in_a_short_word_is_a_typo() {
    let a = analyzer();
    for (typo, want) in [
        ("BID_GATEWAY", "BAD_GATEWAY"),
        ("SERVICE_NIT_READY", "SERVICE_NOT_READY"),
        ("INVALID_INV", "INVALID_ENV"),
        ("INVALID_PETH", "INVALID_PATH"),
    ] {
        assert_eq!(check(&a, typo), Some((FindingKind::Misspelled, want.to_string())), "{typo}");
    }
}

#[test]
fn a_short_word_turned_into_another_word_is_not_a_typo() {
    let a = analyzer();
    for literal in [
        "INVALID_POST", // a consonant in a two-word code (HOST)
        "INVALID_COST",
        "INVALID_PORT",
        "BED_REQUEST", // a vowel, but the result is a word
        "BUD_GATEWAY",
        "SERVICE_NOW_READY", // a long code, but NOW is a word
        "SERVICE_NET_READY",
        "ENV_NOW_READY",
        "STORAGE_FILL_NONEXIST",
        "STORAGE_FILM_NONEXIST",
        "APP_SIZE_EXPIRED", // two substitutions in a short word
        "TCB_DB_REQUEST_FULL",
        "INVALID_HOST_PATH", // other shapes
    ] {
        assert_eq!(check(&a, literal), None, "{literal} must not be flagged");
    }
}

#[test]
fn deprecated_codes_are_reported_with_their_replacement() {
    let a = analyzer();
    assert_eq!(check(&a, "INVALID_ENV_ID"), Some((FindingKind::Deprecated, "INVALID_ENV".to_string())));
    assert_eq!(check(&a, "CHECK_LOGIN_FAILED"), Some((FindingKind::Deprecated, "ACCESS_TOKEN_EXPIRED".to_string())));
}

#[test]
fn a_typo_of_a_deprecated_code_is_fixed_to_its_replacement() {
    let a = analyzer();
    let findings = a.analyze(Lang::TypeScript, "x = \"CHECK_LOGIN_FAILD\"\n");
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    assert_eq!(f.kind, FindingKind::Misspelled);
    assert_eq!(f.fix.as_deref(), Some("ACCESS_TOKEN_EXPIRED"));
    assert_eq!(f.suggestions, ["ACCESS_TOKEN_EXPIRED", "CHECK_LOGIN_FAILED"]);
    assert!(
        f.message
            .to_string()
            .contains("did you mean `CHECK_LOGIN_FAILED`? It is deprecated: use `ACCESS_TOKEN_EXPIRED`"),
        "{}",
        f.message
    );
}

#[test]
fn known_codes_including_odd_spellings_are_never_corrected() {
    let a = analyzer();
    for code in [
        "EXCEED_RATELIMIT",
        "INVALIID_ENV",
        "DATABASE_INVALID_OPERRATOR",
        "UNKOWN_ERROR",
        "UNKNOWN_ERROR",
        "LOGIN_MANNER_UNREGISTED",
        "INVALID_PARAM",
        "INVALID_PARAMS",
        "FUNCTIONS_EXECUTE_FAIL",
        "FUNCTION_EXECUTE_FAIL",
        "ENDPOINT_VERSION_NOT_FOUND",
        "EXCEED_SYS_RATE_LIMIT",
    ] {
        assert_eq!(check(&a, code), None, "{code}");
    }
}

#[test]
fn look_alikes_are_never_flagged() {
    let a = analyzer();
    for literal in [
        "NODE_ENV",
        "API_KEY",
        "MAX_RETRIES",
        "USER_NOT_FOUND",
        "FILE_NOT_FOUND",
        "SOURCE_NOT_FOUND",
        "DEVICE_NOT_FOUND",
        "NETWORK_ERR",
        "UNKNOWN_ERR",
        "INVALID_POST",
        "INVALID_COST",
        "INVALID_TOKEN",
        "INVALID_OPTION",
        "TOKEN_EXPIRED",
        "ACCESS_DENIED",
        "RATE_LIMIT",
        "SERVER_ERROR",
        "INTERNAL_ERROR",
        "DATABASE_URL",
        "REDIS_HOST",
        "PAGE_SIZE",
        "HTTP_PROXY",
        "AWS_REGION",
        "LOG_LEVEL",
        "TCB_ENV_ID",
        "SECRET_ID",
        "SECRET_KEY",
        "SYS_ERROR",
        "NOT_FOUND",
        "ERR_NETWORK",
        "EXCEED",
        "A_B",
        // Other libraries' codes near CloudBase ones.
        "INVALID_ARGUMENT",
        "INVALID_GRANT",
        "INVALID_SCOPE",
        "INVALID_STATE",
        "PARAM_ERROR",
        "SIGN_ERROR",
        "SYSTEM_ERROR",
        "NOT_ENOUGH",
        "RESOURCE_EXHAUSTED",
        "DEADLINE_EXCEEDED",
        "SERVICE_UNAVAILABLE",
        "GATEWAY_TIMEOUT",
        "REQUEST_TIMEOUT",
        "ERR_BAD_REQUEST",
        "ERR_CANCELED",
        "ECONNREFUSED",
    ] {
        assert_eq!(check(&a, literal), None, "{literal} must not be flagged");
    }
}

#[test]
fn only_whole_literals_or_list_items_are_flagged() {
    let a = analyzer();
    let flagged = |text: &str| a.analyze(Lang::TypeScript, text).len();
    assert_eq!(flagged("x = \"got EXCEED_RATE_LIMIT from gateway\"\n"), 0, "prose");
    assert_eq!(flagged("x = \"EXCEED_RATE_LIMIT, FUNCTON_NOT_FOUND\"\n"), 2, "a list");
    assert_eq!(flagged("x = \"EXCEED_RATE_LIMIT|BAD_GATEWAY\"\n"), 1, "a list");
    assert_eq!(flagged("x = \"EXCEED_RATE_LIMIT.\"\n"), 0, "punctuation");
    assert_eq!(flagged("x = `${prefix}EXCEED_RATE_LIMIT`\n"), 0, "an interpolated piece");
    assert_eq!(flagged("x = \"exceed_rate_limit\"\n"), 0, "lower case");
    assert_eq!(flagged("// \"EXCEED_RATE_LIMIT\"\n"), 0, "a comment");
    assert_eq!(flagged("x = EXCEED_RATE_LIMIT\n"), 0, "an identifier, not a string");
}

#[test]
fn allow_list_and_severity_off() {
    let set = Arc::new(CatalogSet::new(builtin::all().to_vec()));
    let allow: BTreeSet<String> = ["EXCEED_RATE_LIMIT".to_string()].into();
    let a = Analyzer::new(set.clone(), allow, Severities::default());
    assert_eq!(check(&a, "EXCEED_RATE_LIMIT"), None);
    let off = Severities { misspelled: errcode_core::config::Severity::Off, ..Severities::default() };
    let a = Analyzer::new(set, BTreeSet::new(), off);
    assert_eq!(check(&a, "FUNCTON_NOT_FOUND"), None);
    assert!(check(&a, "INVALID_ENV_ID").is_some());
}
