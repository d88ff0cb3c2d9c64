//! End-to-end tests of the command line: the real binary on temporary projects.

#[path = "../common/mod.rs"]
mod common;
mod fix;
mod locale;

use expect_test::expect;
use serde_json::Value;

use common::{cli, Project};

const TS: &str = "if (e.code === \"EXCEED_RATE_LIMIT\") {}\nconst old = \"INVALID_ENV_ID\";\nconst fine = [\"FUNCTION_NOT_FOUND\", \"NODE_ENV\", \"USER_NOT_FOUND\"];\n";

fn json(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn clean_project_exits_zero() {
    let p = Project::cloudbase();
    p.write("src/a.ts", "const ok = \"FUNCTION_NOT_FOUND\";\n");
    let (code, out, _) = cli(&p.root(), &["check"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("No problems found"), "{out}");
}

#[test]
fn findings_exit_one_with_rustc_style_output() {
    let p = Project::cloudbase();
    p.write("src/a.ts", TS);
    let (code, out, _) = cli(&p.root(), &["check"]);
    assert_eq!(code, 1);
    assert!(!out.contains('\u{1b}'), "no colour when not a terminal");
    expect![[r#"
        warning[misspelled-code]: unknown error code `EXCEED_RATE_LIMIT`: did you mean `EXCEED_RATELIMIT`?
         --> src/a.ts:1:17
          |
        1 | if (e.code === "EXCEED_RATE_LIMIT") {}
          |                 ^^^^^^^^^^^^^^^^^ did you mean `EXCEED_RATELIMIT`?

        warning[deprecated-code]: `INVALID_ENV_ID` is deprecated: use `INVALID_ENV` instead
         --> src/a.ts:2:14
          |
        2 | const old = "INVALID_ENV_ID";
          |              ^^^^^^^^^^^^^^ use `INVALID_ENV`

        Found 2 problems in 1 file (2 fixable with `--fix`); checked 2 files.
    "#]]
    .assert_eq(&out);
}

/// Copies a directory tree into a fresh temporary project.
fn copy_tree(from: &std::path::Path, to: &Project, rel: &str) {
    for entry in std::fs::read_dir(from.join(rel)).unwrap() {
        let entry = entry.unwrap();
        let name = format!("{rel}{}", entry.file_name().to_str().unwrap());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(from, to, &format!("{name}/"));
        } else {
            to.write(&name, &std::fs::read_to_string(entry.path()).unwrap());
        }
    }
}

/// What `errcode-lsp check` shows on the bundled example (`examples/cloudbase-app`).
#[test]
fn check_on_the_bundled_example() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/cloudbase-app");
    let p = Project::empty();
    copy_tree(&example, &p, "");
    let (code, out, _) = cli(&p.root(), &["check"]);
    assert_eq!(code, 1);
    expect![[r#"
        warning[misspelled-code]: unknown error code `FUNCTON_TIME_LIMIT_EXCEEDED`: did you mean `FUNCTION_TIME_LIMIT_EXCEEDED`?
         --> cloudfunctions/login/index.py:2:34
          |
        2 | RETRYABLE = ["SERVICE_TIMEOUT", "FUNCTON_TIME_LIMIT_EXCEEDED", "BAD_GATEWAY"]
          |                                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^ did you mean `FUNCTION_TIME_LIMIT_EXCEEDED`?
          = note: other candidates: `FUNCTIONS_TIME_LIMIT_EXCEEDED`

        warning[deprecated-code]: `CHECK_LOGIN_FAILED` is deprecated: it is matched here and services may still send it, so also handle `ACCESS_TOKEN_EXPIRED`
         --> cloudfunctions/login/index.py:7:42
          |
        7 |     return code in RETRYABLE or code == "CHECK_LOGIN_FAILED"
          |                                          ^^^^^^^^^^^^^^^^^^ use `ACCESS_TOKEN_EXPIRED`

        warning[misspelled-code]: unknown error code `ACCESS_TOKEN_EXPIERD`: did you mean `ACCESS_TOKEN_EXPIRED`?
         --> config/errors.yaml:4:5
          |
        4 |   - ACCESS_TOKEN_EXPIERD
          |     ^^^^^^^^^^^^^^^^^^^^ did you mean `ACCESS_TOKEN_EXPIRED`?

        warning[misspelled-code]: unknown error code `EXCEED_RATE_LIMIT`: did you mean `EXCEED_RATELIMIT`?
          --> src/api.ts:11:23
           |
        11 |     if (err.code === "EXCEED_RATE_LIMIT") {
           |                       ^^^^^^^^^^^^^^^^^ did you mean `EXCEED_RATELIMIT`?

        warning[deprecated-code]: `INVALID_ENV_ID` is deprecated: it is matched here and services may still send it, so also handle `INVALID_ENV`
          --> src/api.ts:18:23
           |
        18 |     if (err.code === "INVALID_ENV_ID") {
           |                       ^^^^^^^^^^^^^^ use `INVALID_ENV`

        Found 5 problems in 3 files (3 fixable with `--fix`, 2 more with `--unsafe-fixes`); checked 4 files.
    "#]].assert_eq(&out);
}

#[test]
fn json_output_has_the_documented_fields() {
    let p = Project::cloudbase();
    p.write("src/a.ts", TS);
    let (code, out, _) = cli(&p.root(), &["check", "--format", "json"]);
    assert_eq!(code, 1);
    let report = json(&out);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2);
    let f = &findings[0];
    for (key, want) in [
        ("path", Value::from("src/a.ts")),
        ("line", 1.into()),
        ("column", 17.into()),
        ("end_line", 1.into()),
        ("end_column", 34.into()),
        ("literal", "EXCEED_RATE_LIMIT".into()),
        ("kind", "misspelled".into()),
        ("severity", "warning".into()),
    ] {
        assert_eq!(f[key], want, "{key}: {f}");
    }
    assert_eq!(f["suggestions"][0], "EXCEED_RATELIMIT");
    assert!(f["message"].as_str().unwrap().contains("did you mean"));
    assert_eq!(findings[1]["kind"], "deprecated");
    assert_eq!(findings[1]["suggestions"], serde_json::json!(["INVALID_ENV"]));
    assert_eq!(report["summary"]["findings"], 2);
}

/// The JSON document is written in pieces (findings rendered per file on the walker threads):
/// it must be exactly what pretty-printing the whole document gives, whatever the number of
/// files and findings, with `--fix` or without.
#[test]
fn json_output_is_one_pretty_printed_document() {
    let p = Project::cloudbase();
    p.write("a.py", "x = 'FUNCTION_NOT_FOUND'\n");
    let (code, clean, _) = cli(&p.root(), &["check", "--format", "json"]);
    assert_eq!(code, 0);
    p.write("src/a.ts", TS);
    // `INVALID_ENV_IDS` has two suggestions (the deprecated code it is closest to, and first
    // that code's replacement).
    p.write("src/b.go", "var codes = []string{\"INVALID_ENV_ID\", \"FUNCTON_NOT_FOUND\", \"INVALID_ENV_IDS\"}\n");
    p.write("src/c.rs", "// no findings here\nconst C: &str = \"a \\\"quoted\\\" EXCEED_RATELIMIT\";\n");
    let (code, many, _) = cli(&p.root(), &["check", "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(json(&many)["summary"]["findings"], 5, "{many}");
    assert!(many.contains("\"INVALID_ENV\",\n        \"INVALID_ENV_ID\"\n"), "{many}");
    p.write("src/d.ts", "const retired = \"CHECK_LOGIN_FAILED\";\n");
    // Paths that JSON must escape, and one it must not.
    p.write("src/q\"uo\\te.ts", TS);
    p.write("src/中文\t.ts", TS);
    let (_, fixed, _) = cli(&p.root(), &["check", "--format", "json", "--fix"]);
    for out in [clean, many, fixed] {
        let value: Value = json(&out);
        assert_eq!(serde_json::to_string_pretty(&value).unwrap() + "\n", out);
    }
}

#[test]
fn columns_count_characters() {
    let p = Project::cloudbase();
    p.write("a.py", "s = \"中文😀\" + \"EXCEED_RATE_LIMIT\"\n");
    let (_, out, _) = cli(&p.root(), &["check", "--format", "json"]);
    let f = &json(&out)["findings"][0];
    assert_eq!((f["column"].as_u64(), f["end_column"].as_u64()), (Some(14), Some(31)), "{f}");
}

#[test]
fn sarif_is_2_1_0_with_a_rule_per_kind() {
    let p = Project::cloudbase();
    p.write("src/a.ts", TS);
    let (code, out, _) = cli(&p.root(), &["check", "--format", "sarif"]);
    assert_eq!(code, 1);
    let sarif = json(&out);
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules: Vec<&str> =
        run["tool"]["driver"]["rules"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(rules, ["misspelled-code", "deprecated-code"]);
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["ruleId"], "misspelled-code");
    assert_eq!(results[0]["ruleIndex"], 0);
    assert_eq!(results[1]["ruleIndex"], 1);
    let loc = &results[0]["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "src/a.ts");
    assert_eq!(loc["region"]["startLine"], 1);
    assert_eq!(loc["region"]["startColumn"], 17);
    assert_eq!(
        results[0]["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
        "EXCEED_RATELIMIT"
    );
}

#[test]
fn fix_rewrites_in_place_and_reports() {
    let p = Project::cloudbase();
    p.write("src/a.ts", TS);
    let (code, out, _) = cli(&p.root(), &["check", "--fix"]);
    assert_eq!(code, 0, "all findings were fixable: {out}");
    assert!(out.contains("fixed: src/a.ts:1:17: `EXCEED_RATE_LIMIT` -> `EXCEED_RATELIMIT`"), "{out}");
    assert!(out.contains("fixed: src/a.ts:2:14: `INVALID_ENV_ID` -> `INVALID_ENV`"), "{out}");
    assert_eq!(
        p.read("src/a.ts"),
        TS.replace("EXCEED_RATE_LIMIT", "EXCEED_RATELIMIT").replace("INVALID_ENV_ID", "INVALID_ENV")
    );
    let (code, _, _) = cli(&p.root(), &["check"]);
    assert_eq!(code, 0);
}

/// A team catalog declaring a deprecated code: `--fix` rewrites its uses, never the catalog's
/// own declaration (which would list the replacement twice and stop the catalog loading).
#[test]
fn fix_leaves_catalog_declarations_alone() {
    let p = Project::cloudbase();
    p.write("errcode.toml", "catalogs = [\"team/codes.json\"]\n");
    let catalog = r#"{"catalog": {"name": "team"}, "codes": [
  {"code": "OLD_TEAM_CODE", "category": "Team", "summary": "Old.", "status": "deprecated", "replaced_by": "NEW_TEAM_CODE"},
  {"code": "NEW_TEAM_CODE", "category": "Team", "summary": "New."}
]}
"#;
    p.write("team/codes.json", catalog);
    p.write("a.ts", "x = \"OLD_TEAM_CODE\"\n");
    let (code, out, _) = cli(&p.root(), &["check", "--fix"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("fixed: a.ts:1:6: `OLD_TEAM_CODE` -> `NEW_TEAM_CODE`"), "{out}");
    assert!(!out.contains("team/codes.json"), "{out}");
    assert_eq!(p.read("team/codes.json"), catalog);
    assert_eq!(p.read("a.ts"), "x = \"NEW_TEAM_CODE\"\n");
    // The catalog still loads.
    assert_eq!(cli(&p.root(), &["check"]).0, 0);
}

#[test]
fn fix_leaves_ambiguous_findings() {
    let p = Project::cloudbase();
    // Two catalogs' codes are equally close: reported with both suggestions, never rewritten.
    p.write("errcode.toml", "catalogs = [\"ours.toml\"]\n");
    p.write(
        "ours.toml",
        "[catalog]\nname = \"ours\"\n[[codes]]\ncode = \"ORDER_NOT_PAID\"\ncategory = \"x\"\nsummary = \"x\"\n[[codes]]\ncode = \"ORDER_NOT_PAIR\"\ncategory = \"x\"\nsummary = \"x\"\n",
    );
    p.write("a.ts", "x = \"ORDER_NOT_PAIX\"\n");
    let (code, out, _) = cli(&p.root(), &["check", "--fix"]);
    assert_eq!(code, 0, "ambiguous literals are not findings: {out}");
    assert_eq!(p.read("a.ts"), "x = \"ORDER_NOT_PAIX\"\n");
}

#[test]
fn bad_config_exits_two_naming_file_and_line() {
    let p = Project::cloudbase();
    p.write("errcode.toml", "activation = \"always\"\nseverity = { misspelled = \"loud\" }\n");
    p.write("a.ts", TS);
    let (code, _, err) = cli(&p.root(), &["check"]);
    assert_eq!(code, 2);
    assert!(err.contains("errcode.toml:2:"), "{err}");
    assert!(err.contains("loud"), "{err}");
}

#[test]
fn bad_catalog_exits_two_naming_file_and_line() {
    let p = Project::cloudbase();
    p.write("errcode.toml", "catalogs = [\"team.yaml\"]\n");
    p.write("team.yaml", "catalog:\n  name: team\ncodes:\n  - code: A_B_C\n    category: x\n    sumary: typo\n");
    let (code, _, err) = cli(&p.root(), &["check"]);
    assert_eq!(code, 2);
    assert!(err.contains("team.yaml:4:") || err.contains("team.yaml:6:"), "{err}");
    assert!(err.contains("sumary"), "{err}");
}

#[test]
fn catalogs_outside_the_workspace_are_refused() {
    let outside = Project::empty();
    outside.write("evil.toml", "[catalog]\nname = \"evil\"\n");
    let p = Project::cloudbase();
    p.write("errcode.toml", &format!("catalogs = [\"{}\"]\n", outside.path("evil.toml").display()));
    let (code, _, err) = cli(&p.root(), &["check"]);
    assert_eq!(code, 2);
    assert!(err.contains("outside the workspace") && err.contains("errcode.toml:1"), "{err}");
    p.write("errcode.toml", "catalogs = [\"../x/../../evil.toml\"]\n");
    assert_eq!(cli(&p.root(), &["check"]).0, 2);
    // A symlink inside the workspace that leads out of it is refused too.
    std::os::unix::fs::symlink(outside.path("evil.toml"), p.path("team.toml")).unwrap();
    p.write("errcode.toml", "catalogs = [\"team.toml\"]\n");
    let (code, _, err) = cli(&p.root(), &["check"]);
    assert_eq!(code, 2);
    assert!(err.contains("outside the workspace"), "{err}");
}

#[test]
fn usage_errors_exit_two() {
    let p = Project::cloudbase();
    assert_eq!(cli(&p.root(), &["check", "--format", "xml"]).0, 2);
    assert_eq!(cli(&p.root(), &["check", "no/such/path"]).0, 2);
    assert_eq!(cli(&p.root(), &["frobnicate"]).0, 2);
}

#[test]
fn binary_non_utf8_and_huge_files_are_skipped_and_counted() {
    let p = Project::cloudbase();
    p.write("errcode.toml", "max_file_size = 2000\n");
    p.write("ok.ts", "x = \"EXCEED_RATE_LIMIT\"\n");
    std::fs::write(p.path("bin.ts"), b"x = \"EXCEED_RATE_LIMIT\"\0\x01\x02").unwrap();
    std::fs::write(p.path("latin1.ts"), b"x = \"EXCEED_RATE_LIMIT\" // caf\xe9\n").unwrap();
    p.write("huge.ts", &"x = \"EXCEED_RATE_LIMIT\"\n".repeat(200));
    let (code, out, _) = cli(&p.root(), &["check", "--format", "json"]);
    assert_eq!(code, 1);
    let r = json(&out);
    assert_eq!(r["findings"].as_array().unwrap().len(), 1);
    assert_eq!(
        r["summary"]["skipped"],
        serde_json::json!({"binary": 1, "not_utf8": 1, "too_large": 1, "unreadable": 0, "generated": 0, "excluded_folders": 0})
    );
    let (_, human, _) = cli(&p.root(), &["check"]);
    assert!(human.contains("skipped 3 (1 binary, 1 not UTF-8, 1 too large)"), "{human}");
}

#[test]
fn gitignore_and_hidden_files_are_respected() {
    let p = Project::cloudbase();
    std::fs::create_dir(p.path(".git")).unwrap();
    p.write(".gitignore", "generated/\n");
    p.write("generated/a.ts", "x = \"EXCEED_RATE_LIMIT\"\n");
    p.write(".hidden/a.ts", "x = \"EXCEED_RATE_LIMIT\"\n");
    p.write("src/a.ts", "x = \"FUNCTION_NOT_FOUND\"\n");
    assert_eq!(cli(&p.root(), &["check"]).0, 0);
    assert_eq!(cli(&p.root(), &["check", "--no-ignore"]).0, 1);
}

#[test]
fn inactive_projects_are_silent_and_say_why() {
    let p = Project::empty();
    p.write("a.ts", TS);
    let (code, _, err) = cli(&p.root(), &["check"]);
    assert_eq!(code, 0);
    assert!(err.contains("no active catalogs") && err.contains("activation = \"always\""), "{err}");
    p.write("errcode.toml", "activation = \"always\"\n");
    assert_eq!(cli(&p.root(), &["check"]).0, 1);
}

#[test]
fn explicit_files_and_config_formats() {
    let p = Project::cloudbase();
    p.write("conf/alerts.yaml", "alerts:\n  - ACCESS_TOKEN_EXPIERD\n  - NODE_ENV\n");
    p.write("conf/app.toml", "[errors]\nretry = [\"SERVICE_TIMOUT\"]\n");
    p.write("notes.txt", "see \"EXCEED_RATE_LIMIT\"\n");
    let (_, out, _) = cli(&p.root(), &["check", "--format", "json"]);
    let report = json(&out);
    let paths: Vec<&str> = report["findings"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["conf/alerts.yaml", "conf/app.toml"], "unknown extensions are not walked");
    let (code, _, _) = cli(&p.root(), &["check", "notes.txt"]);
    assert_eq!(code, 1, "an explicitly named file is checked with the generic scanner");
}

#[test]
fn explain_known_deprecated_and_unknown() {
    let p = Project::empty();
    let (code, out, _) = cli(&p.root(), &["explain", "EXCEED_MAX_PAYLOAD_SIZE"]);
    assert_eq!(code, 0);
    assert!(out.contains("100 KB") && out.contains("6 MB") && out.contains("100 MB"), "{out}");
    let (_, out, _) = cli(&p.root(), &["explain", "CHECK_LOGIN_FAILED"]);
    assert!(out.contains("ACCESS_TOKEN_EXPIRED"), "{out}");
    let (code, _, err) = cli(&p.root(), &["explain", "EXCEED_RATE_LIMIT"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `EXCEED_RATELIMIT`?"), "{err}");
    let (code, out, _) = cli(&p.root(), &["explain", "--", "-501001"]);
    assert_eq!(code, 0, "numeric codes");
    assert!(out.contains("-501001"), "{out}");
    let (_, out, _) = cli(&p.root(), &["explain", "--plain", "SYS_ERR"]);
    assert!(!out.contains("**"), "{out}");
}

#[test]
fn codes_lists_the_active_catalogs() {
    let p = Project::cloudbase();
    let (code, out, _) = cli(&p.root(), &["codes", "--format", "json"]);
    assert_eq!(code, 0);
    let v = json(&out);
    let codes = v["codes"].as_array().unwrap();
    assert!(codes.iter().any(|c| c["code"] == "EXCEED_RATELIMIT" && c["catalog"] == "cloudbase-http"));
    assert!(codes
        .iter()
        .any(|c| c["code"] == "INVALID_ENV_ID" && c["status"] == "deprecated" && c["replaced_by"] == "INVALID_ENV"));
    let e = Project::empty();
    let (_, out, _) = cli(&e.root(), &["codes", "--format", "json"]);
    assert_eq!(json(&out)["codes"].as_array().unwrap().len(), 0);
    let (_, out, _) = cli(&e.root(), &["codes", "--all", "--format", "json"]);
    assert!(json(&out)["codes"].as_array().unwrap().len() > 200);
}

#[test]
fn status_explains_activation() {
    let p = Project::cloudbase();
    let (code, out, _) = cli(&p.root(), &["status"]);
    assert_eq!(code, 0);
    assert!(out.contains("package.json: depends on `@cloudbase/js-sdk`"), "{out}");
}

#[test]
fn schemas_are_published_and_current() {
    let p = Project::empty();
    for (kind, file) in [("config", "errcode.schema.json"), ("catalog", "catalog.schema.json")] {
        let (code, out, _) = cli(&p.root(), &["schema", kind]);
        assert_eq!(code, 0);
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas").join(file);
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &out).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(out, committed, "schemas/{file} is stale (UPDATE_SNAPSHOTS=1 to regenerate)");
    }
}

#[test]
fn build_output_and_generated_files_are_left_out_unless_named() {
    let p = Project::cloudbase();
    p.write("src/a.ts", "x = \"FUNCTION_NOT_FOUND\"\n");
    p.write("miniprogram_dist/app.js", "x = \"EXCEED_RATE_LIMIT\"\n");
    p.write("cdn/tcb.min.js", "x = \"EXCEED_RATE_LIMIT\"\n");
    assert_eq!(cli(&p.root(), &["check"]).0, 0);
    // Named on the command line, a generated file is checked all the same.
    assert_eq!(cli(&p.root(), &["check", "cdn/tcb.min.js"]).0, 1);
    assert_eq!(cli(&p.root(), &["check", "miniprogram_dist/app.js"]).0, 1);
    let (code, out, _) = cli(&p.root(), &["check", "--no-default-excludes", "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(json(&out)["findings"].as_array().unwrap().len(), 2, "{out}");
}

#[test]
fn exclude_replaces_and_extend_exclude_adds_to_the_defaults() {
    let p = Project::cloudbase();
    p.write("legacy/old.ts", "x = \"EXCEED_RATE_LIMIT\"\n");
    p.write("src/fixtures/typos.ts", "x = \"EXCEED_RATE_LIMIT\"\n");
    p.write("dist/app.js", "x = \"EXCEED_RATE_LIMIT\"\n");
    p.write("src/ok.ts", "x = \"FUNCTION_NOT_FOUND\"\n");
    let paths = |p: &Project| -> Vec<String> {
        let (_, out, _) = cli(&p.root(), &["check", "--format", "json"]);
        let mut v: Vec<String> = json(&out)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    p.write("errcode.toml", "extend-exclude = [\"legacy/\", \"**/fixtures/**\"]\n");
    assert_eq!(paths(&p), Vec::<String>::new(), "defaults and the extension both apply");
    p.write("errcode.toml", "exclude = [\"legacy/\"]\n");
    assert_eq!(paths(&p), ["dist/app.js", "src/fixtures/typos.ts"], "`exclude` replaces the default folders");
}

/// Every file is judged by its own project's settings, however the run was started.
#[test]
fn a_nested_config_governs_its_folder_even_when_fixing_from_the_top() {
    let p = Project::cloudbase();
    p.write("sub/errcode.toml", "allow = [\"EXCEED_RATE_LIMIT\"]\n");
    p.write("sub/x.ts", "x = \"EXCEED_RATE_LIMIT\"\n");
    p.write("top.ts", "x = \"EXCEED_RATE_LIMIT\"\n");
    assert_eq!(cli(&p.root(), &["check", "sub/x.ts"]).0, 0);
    let (code, out, err) = cli(&p.root(), &["check", "--fix", "."]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(p.read("top.ts"), "x = \"EXCEED_RATELIMIT\"\n");
    assert_eq!(p.read("sub/x.ts"), "x = \"EXCEED_RATE_LIMIT\"\n", "allowed in its own project");
    assert_eq!(p.read("sub/errcode.toml"), "allow = [\"EXCEED_RATE_LIMIT\"]\n", "the allow list itself is not a use");
}

/// A folder of several projects (a monorepo, or repositories side by side): each package's own
/// markers switch the catalogs on for it alone.
#[test]
fn each_project_in_a_folder_is_activated_by_its_own_markers() {
    let p = Project::empty();
    p.write("cloud/package.json", "{\"dependencies\": {\"@cloudbase/node-sdk\": \"^3\"}}\n");
    p.write("cloud/index.js", "x = \"EXCEED_RATE_LIMIT\"\n");
    p.write("web/package.json", "{\"dependencies\": {\"react\": \"^18\"}}\n");
    p.write("web/index.js", "x = \"EXCEED_RATE_LIMIT\"\n");
    p.write(
        "android/app/build.gradle",
        "dependencies {\n  implementation 'com.tencent.tcb:cloudbase-android-sdk:1.0.0'\n}\n",
    );
    p.write("android/app/src/main/java/A.java", "class A { String c = \"EXCEED_RATE_LIMIT\"; }\n");
    let (code, out, _) = cli(&p.root(), &["check", "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let mut paths: Vec<&str> = Vec::new();
    let report = json(&out);
    for f in report["findings"].as_array().unwrap() {
        paths.push(f["path"].as_str().unwrap());
    }
    paths.sort();
    assert_eq!(paths, ["android/app/src/main/java/A.java", "cloud/index.js"], "{out}");
}

/// Runs the CLI in `dir` with `input` on stdin; returns (exit code, stdout, stderr).
fn cli_stdin(dir: &std::path::Path, args: &[&str], input: &str) -> (i32, String, String) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(common::binary())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("ERRCODE_LSP_CONFIG_DIR", dir.join(".no-user-config"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command that refuses its arguments exits without reading stdin: a closed pipe here is
    // not the test's business.
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn github_format_prints_escaped_workflow_commands() {
    let p = Project::cloudbase();
    p.write("errcode.toml", "[severity]\ndeprecated = \"error\"\n");
    p.write("src/a,b:c%.ts", TS);
    let (code, out, _) = cli(&p.root(), &["check", "--format", "github"]);
    assert_eq!(code, 1);
    expect![[r#"
        ::warning file=src/a%2Cb%3Ac%25.ts,line=1,col=17,endLine=1,endColumn=34,title=misspelled-code::unknown error code `EXCEED_RATE_LIMIT`: did you mean `EXCEED_RATELIMIT`?
        ::error file=src/a%2Cb%3Ac%25.ts,line=2,col=14,endLine=2,endColumn=28,title=deprecated-code::`INVALID_ENV_ID` is deprecated: use `INVALID_ENV` instead
    "#]]
    .assert_eq(&out);
}

/// The SARIF 2.1.0 schema (tests/data/sarif, with its license note).
fn sarif_validator() -> jsonschema::Validator {
    let text = include_str!("../data/sarif/sarif-schema-2.1.0.json");
    jsonschema::validator_for(&serde_json::from_str(text).unwrap()).expect("the SARIF schema compiles")
}

#[test]
fn sarif_uris_are_relative_encoded_and_the_log_is_schema_valid() {
    let p = Project::cloudbase();
    p.write("sub dir/a é.ts", TS);
    let outside = Project::cloudbase();
    let other = outside.write("x y.ts", TS).canonicalize().unwrap();
    let (code, out, _) = cli(&p.root(), &["check", "--format", "sarif", ".", other.to_str().unwrap()]);
    assert_eq!(code, 1);
    let sarif = json(&out);
    let errors: Vec<String> =
        sarif_validator().iter_errors(&sarif).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}\n{out}");
    let run = &sarif["runs"][0];
    let driver = &run["tool"]["driver"];
    assert!(driver["informationUri"].as_str().unwrap().starts_with("https://"), "{driver}");
    for rule in driver["rules"].as_array().unwrap() {
        assert!(rule["helpUri"].as_str().unwrap().starts_with("https://"), "{rule}");
        assert!(rule["help"]["markdown"].as_str().unwrap().contains("](https://"), "{rule}");
    }
    let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"].as_str().unwrap();
    assert!(base.starts_with("file:///") && base.ends_with('/'), "{base}");
    let locations: Vec<&Value> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["locations"][0]["physicalLocation"]["artifactLocation"])
        .collect();
    assert_eq!(locations.len(), 4);
    let inside: Vec<&&Value> = locations.iter().filter(|l| l["uriBaseId"] == "%SRCROOT%").collect();
    assert_eq!(inside.len(), 2, "{locations:?}");
    assert!(inside.iter().all(|l| l["uri"] == "sub%20dir/a%20%C3%A9.ts"), "{locations:?}");
    let absolute: Vec<&&Value> = locations.iter().filter(|l| l.get("uriBaseId").is_none()).collect();
    assert_eq!(absolute.len(), 2, "{locations:?}");
    let want = format!("file://{}", other.display().to_string().replace(' ', "%20"));
    assert!(absolute.iter().all(|l| l["uri"] == want.as_str()), "{want} {locations:?}");
}

#[test]
fn sarif_fingerprints_follow_a_finding_when_lines_move() {
    let p = Project::cloudbase();
    p.write("src/a.ts", TS);
    let prints = |out: &str| -> Vec<(Value, Value)> {
        json(out)["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (r["partialFingerprints"].clone(), r["locations"][0]["physicalLocation"]["region"]["startLine"].clone())
            })
            .collect()
    };
    let before = prints(&cli(&p.root(), &["check", "--format", "sarif"]).1);
    p.write("src/a.ts", &format!("// a new first line\n\n{TS}"));
    let after = prints(&cli(&p.root(), &["check", "--format", "sarif"]).1);
    assert_eq!(before.len(), 2);
    assert!(before[0].0.as_object().is_some_and(|o| !o.is_empty()), "{before:?}");
    assert_ne!(before[0].0, before[1].0, "two findings, two fingerprints");
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b.0, a.0, "same finding, same fingerprint");
        assert_eq!(a.1.as_u64(), b.1.as_u64().map(|l| l + 2), "the line moved");
    }
}

#[test]
fn sarif_rule_levels_come_from_every_project_not_the_first() {
    let p = Project::cloudbase();
    p.write("src/a.ts", TS);
    p.write("pkg/package.json", r#"{"dependencies": {"@cloudbase/js-sdk": "^2"}}"#);
    p.write("pkg/errcode.toml", "[severity]\nmisspelled = \"error\"\n");
    p.write("pkg/b.ts", TS);
    let (_, out, _) = cli(&p.root(), &["check", "--format", "sarif"]);
    let run = &json(&out)["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules[0]["defaultConfiguration"]["level"], "error", "pkg/ makes misspellings errors");
    assert_eq!(rules[1]["defaultConfiguration"]["level"], "warning");
    let levels: Vec<(&str, &str)> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ruleId"] == "misspelled-code")
        .map(|r| {
            (
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap(),
                r["level"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(levels, [("pkg/b.ts", "error"), ("src/a.ts", "warning")]);
}

#[test]
fn min_severity_shows_findings_below_it_without_failing() {
    let p = Project::cloudbase();
    p.write("errcode.toml", "[severity]\ndeprecated = \"info\"\n");
    p.write("a.ts", "const old = \"INVALID_ENV_ID\";\n");
    let (code, out, _) = cli(&p.root(), &["check"]);
    assert_eq!(code, 1, "by default every finding fails: {out}");
    let (code, out, _) = cli(&p.root(), &["check", "--min-severity", "warning"]);
    assert_eq!(code, 0, "an info finding is below warning: {out}");
    assert!(out.contains("info[deprecated-code]"), "but it is shown: {out}");
    let (code, _, _) = cli(&p.root(), &["check", "--min-severity", "info"]);
    assert_eq!(code, 1);
    p.write("b.ts", "if (e.code === \"EXCEED_RATE_LIMIT\") {}\n");
    assert_eq!(cli(&p.root(), &["check", "--min-severity", "warning"]).0, 1, "the warning fails");
    assert_eq!(cli(&p.root(), &["check", "--min-severity", "error"]).0, 0);
}

#[test]
fn require_active_exits_two_when_no_catalog_is_active() {
    let p = Project::empty();
    p.write("a.ts", TS);
    let (code, _, err) = cli(&p.root(), &["check", "--format", "json"]);
    assert_eq!(code, 0);
    assert!(err.contains("no active catalogs"), "every format says so on stderr: {err}");
    let (code, _, err) = cli(&p.root(), &["check", "--require-active"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--require-active"), "{err}");
    let active = Project::cloudbase();
    active.write("a.ts", "const ok = \"FUNCTION_NOT_FOUND\";\n");
    assert_eq!(cli(&active.root(), &["check", "--require-active"]).0, 0);
}

#[test]
fn a_closed_stdout_ends_every_command_quietly() {
    use std::process::{Command, Stdio};
    let p = Project::cloudbase();
    for i in 0..50 {
        p.write(&format!("src/f{i}.ts"), TS);
    }
    for args in [
        &["codes", "--all"][..],
        &["check"],
        &["check", "--format", "json"],
        &["check", "--format", "sarif"],
        &["report"],
        &["explain", "EXCEED_RATELIMIT"],
        &["status"],
        &["schema", "config"],
        &["completions", "bash"],
        &["man"],
    ] {
        let mut child = Command::new(common::binary())
            .args(args)
            .current_dir(p.root())
            .env("ERRCODE_LSP_CONFIG_DIR", p.root().join(".no-user-config"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end before the command writes (as `| head -0` would).
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_ne!(out.status.code(), Some(101), "{args:?} panicked: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn status_prints_settings_as_written() {
    let p = Project::cloudbase();
    let (_, out, _) = cli(&p.root(), &["status"]);
    assert!(out.contains("activation: auto\n"), "{out}");
    p.write("errcode.toml", "activation = \"never\"\n");
    let (_, out, _) = cli(&p.root(), &["status"]);
    assert!(out.contains("activation: never\n"), "{out}");
}

#[test]
fn completions_and_man_page() {
    let p = Project::empty();
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef errcode-lsp"),
        ("fish", "complete -c errcode-lsp"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let (code, out, err) = cli(&p.root(), &["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(out.contains(marker), "{shell}: {out}");
        assert!(out.contains("min-severity") && out.contains("stdin-filename"), "{shell} knows check's flags");
    }
    if std::process::Command::new("bash").arg("--version").output().is_ok() {
        let (_, script, _) = cli(&p.root(), &["completions", "bash"]);
        let path = p.write("complete.bash", &script);
        let check = std::process::Command::new("bash").arg("-n").arg(&path).output().unwrap();
        assert!(check.status.success(), "bash parses the script: {}", String::from_utf8_lossy(&check.stderr));
    }
    let (code, out, _) = cli(&p.root(), &["man"]);
    assert_eq!(code, 0);
    assert!(out.starts_with(".ie") || out.starts_with(".TH"), "{}", &out[..out.len().min(200)]);
    assert!(out.contains(".TH errcode-lsp") && out.contains("check"), "{out}");
}

#[test]
fn check_reads_stdin_as_the_named_file() {
    let p = Project::cloudbase();
    let (code, out, _) = cli_stdin(&p.root(), &["check", "-", "--stdin-filename", "src/a.ts", "--format", "json"], TS);
    assert_eq!(code, 1, "{out}");
    let report = json(&out);
    let paths: Vec<&str> = report["findings"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["src/a.ts", "src/a.ts"]);
    assert_eq!(report["summary"]["files_checked"], 1);
    // The language comes from the name: in a Python comment the literal is not a code.
    let (code, _, _) = cli_stdin(&p.root(), &["check", "-", "--stdin-filename", "a.py"], "# \"EXCEED_RATE_LIMIT\"\n");
    assert_eq!(code, 0);
    let (code, _, _) = cli_stdin(&p.root(), &["check", "-", "--stdin-filename", "a.ts"], "// \"EXCEED_RATE_LIMIT\"\n");
    assert_eq!(code, 0);
    // The project comes from the name too: from an inactive folder, a file of a CloudBase project.
    let elsewhere = Project::empty();
    let named = p.path("src/b.ts");
    let (code, out, _) = cli_stdin(&elsewhere.root(), &["check", "-", "--stdin-filename", named.to_str().unwrap()], TS);
    assert_eq!(code, 1, "{out}");
    let (code, _, _) = cli_stdin(&elsewhere.root(), &["check", "-", "--stdin-filename", "a.ts"], TS);
    assert_eq!(code, 0, "an inactive project");
    let (code, _, err) = cli_stdin(&p.root(), &["check", "-", "--fix"], TS);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn no_arguments_on_a_terminal_hints_at_the_language_server() {
    // Not a terminal (an editor starting the server): not a word on stderr.
    let p = Project::empty();
    let out = std::process::Command::new(common::binary())
        .current_dir(p.root())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("waiting for an LSP client"));
    // On a terminal (`script` gives the binary a pseudo-terminal): one line.
    if std::process::Command::new("script").arg("--version").output().is_err() {
        return;
    }
    let command = format!("timeout 2 {}", common::binary().display());
    let out = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(p.root())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("waiting for an LSP client") && text.contains("--help"), "{text}");
}

#[test]
fn report_lists_what_needs_fixing_with_links_commit_and_relative_paths() {
    let p = Project::cloudbase();
    p.write("src/a.ts", TS);
    p.write(".git/HEAD", "ref: refs/heads/main\n");
    p.write(".git/refs/heads/main", "0123456789abcdef0123456789abcdef01234567\n");
    p.write("errcode.toml", "catalogs = [\"team.toml\"]\n");
    p.write(
        "team.toml",
        "[catalog]\nname = \"team\"\n\n[[codes]]\ncode = \"PAY_FAILED\"\ncategory = \"Billing\"\nsummary = \"Payment failed.\"\n\n\
         [[codes]]\ncode = \"PAY_OLD_STYLE\"\ncategory = \"Old\"\nsummary = \"Old.\"\nstatus = \"legacy\"\n",
    );
    let (code, out, err) = cli(&p.root(), &["report", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2, "{out}");
    assert_eq!(findings[0]["path"], "src/a.ts");
    assert_eq!((findings[0]["line"].as_u64(), findings[0]["column"].as_u64()), (Some(1), Some(17)));
    assert_eq!(findings[0]["literal"], "EXCEED_RATE_LIMIT");
    assert_eq!(findings[0]["kind"], "misspelled");
    assert_eq!(findings[0]["suggestions"][0]["code"], "EXCEED_RATELIMIT");
    assert!(findings[0]["suggestions"][0]["docs"].as_str().unwrap().starts_with("https://"), "{out}");
    assert_eq!(findings[1]["kind"], "deprecated");
    assert_eq!(findings[1]["suggestions"][0]["code"], "INVALID_ENV");
    assert_eq!(v["generated"]["commit"], "0123456789abcdef0123456789abcdef01234567");
    let at = v["generated"]["at"].as_str().unwrap();
    assert!(at.len() == 20 && at.ends_with('Z') && at.as_bytes()[10] == b'T', "{at}");
    let never: Vec<&str> =
        v["never_handled"].as_array().unwrap().iter().map(|n| n["category"].as_str().unwrap()).collect();
    assert!(!never.contains(&"Old"), "a legacy category is not a gap: {never:?}");
    assert!(never.contains(&"Billing"), "{never:?}");

    let (code, _, err) = cli(&p.root(), &["report", "--format", "html", "-o", "r.html"]);
    assert_eq!(code, 0, "{err}");
    let html = p.read("r.html");
    let root = p.root().display().to_string();
    assert!(!html.contains(&root), "no absolute root in the page");
    assert!(!html.contains('`'), "no raw Markdown backticks");
    assert!(html.contains("id=\"needs-fixing\"") && html.contains("src/a.ts:1:17"), "{html}");
    assert!(html.contains("<code>EXCEED_RATE_LIMIT</code>"), "{html}");
    assert!(html.contains("<a href=\"https://") && html.contains("\"><code>EXCEED_RATELIMIT</code></a>"), "{html}");
    assert!(html.contains("0123456789abcdef0123456789abcdef01234567") && html.contains(&at[..10]), "{html}");
    let old = html.split("<h3>Old</h3>").nth(1).expect("the legacy category").split("</div>").next().unwrap();
    assert!(!old.contains("never handled"), "{old}");
    let (_, md, _) = cli(&p.root(), &["report"]);
    assert!(md.contains("## Needs fixing") && md.contains("`src/a.ts:1:17`"), "{md}");
    assert!(!md.contains(&root), "{md}");
}
