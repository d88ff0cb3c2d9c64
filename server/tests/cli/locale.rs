//! The CLI's language: `--lang`, then `locale` in errcode.toml, then LC_ALL/LC_MESSAGES/LANG;
//! SARIF and JSON keep their English rule ids and field names while messages follow the locale.

use serde_json::Value;

use crate::common::{cli, cli_env, Project};

fn chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn project_with_typo() -> Project {
    let p = Project::cloudbase();
    p.write("src/a.ts", "if (err.code === \"EXCEED_RATE_LIMIT\") retry();\n");
    p
}

#[test]
fn check_follows_lang_and_the_environment() {
    let p = project_with_typo();
    let (code, en, _) = cli(&p.root(), &["check", "."]);
    assert_eq!(code, 1);
    assert!(en.contains("unknown error code `EXCEED_RATE_LIMIT`: did you mean `EXCEED_RATELIMIT`?"), "{en}");
    assert!(en.contains("Found 1 problem in 1 file") && !chinese(&en), "{en}");

    for (args, env) in [
        (vec!["check", "--lang", "zh-CN", "."], vec![]),
        (vec!["--lang", "zh", "check", "."], vec![]),
        (vec!["check", "."], vec![("LANG", "zh_CN.UTF-8")]),
        (vec!["check", "."], vec![("LC_ALL", "zh_TW.UTF-8"), ("LANG", "en_US.UTF-8")]),
        (vec!["check", "."], vec![("LC_MESSAGES", "zh_CN"), ("LANG", "en_US.UTF-8")]),
    ] {
        let (code, zh, _) = cli_env(&p.root(), &args, &env);
        assert_eq!(code, 1, "{args:?} {env:?}");
        assert!(zh.contains("未知错误码 `EXCEED_RATE_LIMIT`，是否应为 `EXCEED_RATELIMIT`？"), "{args:?} {env:?}: {zh}");
        assert!(zh.contains("在 1 个文件中发现 1 个问题"), "{args:?} {env:?}: {zh}");
        // The rule id and the location stay as they are.
        assert!(zh.contains("warning[misspelled-code]") || zh.contains("error[misspelled-code]"), "{zh}");
        assert!(zh.contains("src/a.ts:1:19"), "{zh}");
    }

    // `--lang en` wins over a Chinese environment; LC_ALL wins over LANG.
    for (args, env) in [
        (vec!["check", "--lang", "en", "."], vec![("LANG", "zh_CN.UTF-8")]),
        (vec!["check", "."], vec![("LC_ALL", "en_US.UTF-8"), ("LANG", "zh_CN.UTF-8")]),
        (vec!["check", "."], vec![("LANG", "C")]),
    ] {
        let (_, out, _) = cli_env(&p.root(), &args, &env);
        assert!(!chinese(&out), "{args:?} {env:?}: {out}");
    }
    // A bad value is a usage error.
    let (code, _, err) = cli(&p.root(), &["check", "--lang", "fr", "."]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn errcode_toml_locale_applies_unless_lang_says_otherwise() {
    let p = project_with_typo();
    p.write("errcode.toml", "locale = \"zh-CN\"\n");
    let (_, out, _) = cli(&p.root(), &["check", "."]);
    assert!(out.contains("未知错误码"), "{out}");
    let (_, out, _) = cli(&p.root(), &["check", "--lang", "en", "."]);
    assert!(!chinese(&out), "{out}");
    p.write("errcode.toml", "locale = \"klingon\"\n");
    let (code, _, err) = cli(&p.root(), &["check", "."]);
    assert_eq!(code, 2, "a bad locale is a config error: {err}");
    assert!(err.contains("errcode.toml:1:") && err.contains("`zh-CN`"), "{err}");
}

#[test]
fn json_and_sarif_keep_english_fields_with_localized_messages() {
    let p = project_with_typo();
    let (_, out, _) = cli(&p.root(), &["check", "--lang", "zh-CN", "--format", "json", "."]);
    let v: Value = serde_json::from_str(&out).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "misspelled-code");
    assert_eq!(f["kind"], "misspelled");
    assert!(f["message"].as_str().is_some_and(chinese), "{f}");
    let (_, out, _) = cli(&p.root(), &["check", "--lang", "zh-CN", "--format", "sarif", "."]);
    let v: Value = serde_json::from_str(&out).unwrap();
    let result = &v["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "misspelled-code");
    assert!(result["message"]["text"].as_str().is_some_and(chinese), "{result}");
    // Rule descriptions are part of the tool's stable metadata: English.
    let rules = v["runs"][0]["tool"]["driver"]["rules"].to_string();
    assert!(!chinese(&rules), "{rules}");
}

#[test]
fn explain_in_chinese_and_in_each_format() {
    let p = Project::empty();
    let (code, out, _) = cli(&p.root(), &["explain", "--lang", "zh-CN", "EXCEED_MAX_PAYLOAD_SIZE"]);
    assert_eq!(code, 0);
    assert!(chinese(&out), "{out}");
    // Facts survive translation.
    assert!(out.contains("100 KB") && out.contains("6 MB") && out.contains("100 MB"), "{out}");
    let (_, out, _) = cli_env(&p.root(), &["explain", "CHECK_LOGIN_FAILED"], &[("LANG", "zh_CN.UTF-8")]);
    assert!(out.contains("已弃用：请改用 ACCESS_TOKEN_EXPIRED"), "{out}");
    let (code, _, err) = cli(&p.root(), &["explain", "--lang", "zh-CN", "EXCEED_RATE_LIMIT"]);
    assert_eq!(code, 2);
    assert!(err.contains("未知错误码 `EXCEED_RATE_LIMIT`，是否应为 `EXCEED_RATELIMIT`？"), "{err}");

    // Piped (as here), the default is plain text: no Markdown marks.
    let (_, plain, _) = cli(&p.root(), &["explain", "EXCEED_RATELIMIT"]);
    assert!(!plain.contains("**") && !plain.contains("](") && plain.starts_with("EXCEED_RATELIMIT"), "{plain}");
    let (_, md, _) = cli(&p.root(), &["explain", "--format", "markdown", "EXCEED_RATELIMIT"]);
    assert!(md.starts_with("**`EXCEED_RATELIMIT`**") && md.contains("[Documentation](https://"), "{md}");
    // A code in two catalogs is one entry, with the other catalog named.
    assert_eq!(md.matches("**`EXCEED_RATELIMIT`**").count(), 1, "{md}");
    assert!(md.contains("*Also in:* `cloudbase-sdk`"), "{md}");
    // The terminal format: headings without marks, bullets as `•` (styles are off: NO_COLOR).
    let (_, term, _) = cli(&p.root(), &["explain", "--format", "terminal", "EXCEED_RATELIMIT"]);
    assert!(term.contains("  • ") && !term.contains("**") && !term.contains('`'), "{term}");
    let (_, json, _) = cli(&p.root(), &["explain", "--format", "json", "--lang", "zh-CN", "--", "-501005"]);
    let v: Value = serde_json::from_str(&json).unwrap();
    let names: Vec<&str> = v.as_array().unwrap().iter().filter_map(|d| d["code"].as_str()).collect();
    assert!(names.contains(&"INVALIID_ENV") && names.contains(&"TCB_INVALID_ENV"), "{names:?}");
    assert!(v[0]["summary"].as_str().is_some_and(chinese), "{json}");
    assert_eq!(v[0]["numeric"], -501005);
    assert_eq!(v[0]["locale"], "zh-CN");
}

#[test]
fn status_in_chinese() {
    let p = Project::cloudbase();
    let (code, out, _) = cli(&p.root(), &["status", "--lang", "zh-CN"]);
    assert_eq!(code, 0);
    assert!(out.contains("项目根目录") && out.contains("已启用") && out.contains("已启用的错误码目录"), "{out}");
    // Catalog names are never translated.
    assert!(out.contains("cloudbase-http") && out.contains("cloudbase-sdk"), "{out}");
}
