//! End-to-end tests of `errcode-lsp report` (Markdown, JSON, HTML) and `errcode-lsp catalog
//! import`, running the real binary on temporary projects and the synthetic docs page in
//! `fixtures/import/`.

#[path = "common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};

use errcode_core::catalog::{Catalog, Origin};
use serde_json::Value;

use common::cli;

fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name)
}

/// A CloudBase project referencing a few codes: EXCEED_RATELIMIT twice, FUNCTION_NOT_FOUND
/// once, and the deprecated INVALID_ENV_ID once.
fn cloudbase_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "package.json", r#"{"dependencies": {"@cloudbase/js-sdk": "^2"}}"#);
    write(
        root,
        "src/app.ts",
        "export function f(code: string) {\n  if (code === \"EXCEED_RATELIMIT\") return 1;\n  \
         if (code === \"FUNCTION_NOT_FOUND\") return 2;\n  return code;\n}\n",
    );
    write(root, "config/alerts.yaml", "alerts:\n  - EXCEED_RATELIMIT\n  - INVALID_ENV_ID\n");
    dir
}

fn root_of(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().canonicalize().unwrap()
}

#[test]
fn report_markdown_lists_codes_counts_locations_and_never_handled() {
    let dir = cloudbase_project();
    let (code, out, err) = cli(&root_of(&dir), &["report"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("# Error-code report: "), "{out}");
    assert!(
        out.contains("| `EXCEED_RATELIMIT` | 2 | `config/alerts.yaml:2:5`, `src/app.ts:2:17` |"),
        "handled code with its count and sorted locations:\n{out}"
    );
    assert!(out.contains("| `FUNCTION_NOT_FOUND` | 1 | `src/app.ts:3:17` |"), "{out}");
    assert!(out.contains("`INVALID_ENV_ID` (deprecated, use `INVALID_ENV`)"), "{out}");
    assert!(out.contains("## Deprecated codes in use"), "{out}");
    // Coverage per category, and the categories never handled.
    assert!(out.contains("| General Errors | 2/16 | 12% |"), "{out}");
    let never = out.split("## Never handled").nth(1).expect("a Never handled section");
    let never = never.split("\n## ").next().unwrap();
    assert!(never.contains("**System Errors** (cloudbase-http, 2 codes)"), "{never}");
    assert!(!never.contains("General Errors"), "{never}");
}

#[test]
fn report_json_has_the_documented_structure() {
    let dir = cloudbase_project();
    let (code, out, err) = cli(&root_of(&dir), &["report", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(v["version"], 1);
    assert_eq!(v["project"]["root"], root_of(&dir).display().to_string());
    assert!(v["project"]["active_catalogs"].as_array().unwrap().iter().any(|c| c == "cloudbase-http"));
    assert_eq!(v["totals"]["references"], 4);
    assert_eq!(v["totals"]["files"], 2);
    let http = v["catalogs"].as_array().unwrap().iter().find(|c| c["name"] == "cloudbase-http").unwrap();
    let general = http["categories"].as_array().unwrap().iter().find(|c| c["name"] == "General Errors").unwrap();
    assert_eq!((general["handled"].as_u64(), general["total"].as_u64()), (Some(2), Some(16)));
    let rate = general["codes"].as_array().unwrap().iter().find(|c| c["code"] == "EXCEED_RATELIMIT").unwrap();
    assert_eq!(rate["count"], 2);
    assert_eq!(rate["status"], "current");
    assert_eq!(rate["locations"][0], serde_json::json!({"path": "config/alerts.yaml", "line": 2, "column": 5}));
    assert_eq!(rate["locations"][1], serde_json::json!({"path": "src/app.ts", "line": 2, "column": 17}));
    let never = v["never_handled"].as_array().unwrap();
    assert!(never
        .iter()
        .any(|n| n["catalog"] == "cloudbase-http" && n["category"] == "System Errors" && n["codes"] == 2));
    assert!(!never.iter().any(|n| n["category"] == "General Errors"));
    let deprecated = v["deprecated"].as_array().unwrap();
    assert!(deprecated.iter().any(|d| d["code"] == "INVALID_ENV_ID" && d["replaced_by"] == "INVALID_ENV"));
}

#[test]
fn report_on_an_inactive_project_says_why_and_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "src/app.ts", "const c = \"EXCEED_RATELIMIT\";\n");
    let (code, out, err) = cli(&root_of(&dir), &["report"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Nothing to report: no active catalogs"), "{out}");
    assert!(err.contains("nothing to report"), "{err}");
    let (code, out, _) = cli(&root_of(&dir), &["report", "--format", "json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["catalogs"], serde_json::json!([]));
    assert_eq!(v["project"]["active_catalogs"], serde_json::json!([]));
    let (code, _, _) = cli(&root_of(&dir), &["report", "--format", "html", "-o", "r.html"]);
    assert_eq!(code, 0);
    assert!(std::fs::read_to_string(dir.path().join("r.html")).unwrap().contains("Nothing to report"));
}

#[test]
fn report_html_is_one_self_contained_escaped_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = root_of(&dir);
    write(&root, "errcode.toml", "activation = \"never\"\ncatalogs = [\"team.toml\"]\n");
    write(
        &root,
        "team.toml",
        "[catalog]\nname = \"team<x>\"\n\n[[codes]]\ncode = \"PAY_FAILED\"\ncategory = \"<Billing & \\\"Co\\\">\"\n\
         summary = \"Payment failed <b>hard</b>.\"\n\n[[codes]]\ncode = \"PAY_LATE\"\ncategory = \"Late\"\nsummary = \"Late.\"\n",
    );
    write(&root, "src/pay.ts", "const c = \"PAY_FAILED\";\n");
    let (code, out, err) = cli(&root, &["report", "--format", "html", "-o", "report.html"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "-o writes the file, not stdout: {out}");
    let html = std::fs::read_to_string(root.join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<style>") && html.contains("prefers-color-scheme: dark"));
    for remote in ["<link", "<script", "url(", "http://", "https://", "@import"] {
        assert!(!html.contains(remote), "no external assets ({remote})");
    }
    assert!(html.contains("&lt;Billing &amp; &quot;Co&quot;&gt;"), "category escaped");
    assert!(html.contains("Payment failed &lt;b&gt;hard&lt;/b&gt;."), "summary escaped");
    assert!(html.contains("team&lt;x&gt;"), "catalog name escaped");
    assert!(!html.contains("<b>hard"));
    assert!(html.contains("<details") && html.contains("src/pay.ts:1:12"));
    assert!(html.contains("id=\"never-handled\"") && html.contains("<strong>Late</strong>"));
}

/// Codes, categories and summaries the fixture page must give.
const PAYMENTS: &[(&str, &str, &str)] = &[
    ("CARD_DECLINED", "Card Errors", "The card issuer declined the charge."),
    ("CARD_EXPIRED", "Card Errors", "The card has expired."),
    ("CVC_MISMATCH_2", "Card Errors", "The security code does not match (e.g. a typo in the three digits)."),
    ("API_KEY_REVOKED", "Account and Authentication Errors", "The API key has been revoked."),
    ("MERCHANT_SUSPENDED", "Account and Authentication Errors", "The merchant account is suspended."),
    ("PAYWELL_E500", "System Errors", "Internal error."),
    ("GATEWAY_TIMEOUT_3DS", "System Errors", "The 3-D Secure provider did not answer in time!"),
];

fn load(name: &str, text: &str) -> Catalog {
    Catalog::from_text(Path::new(name), text, Origin::Builtin).unwrap_or_else(|e| panic!("{name} loads: {e}\n{text}"))
}

#[test]
fn import_gives_the_expected_codes_categories_and_summaries() {
    let dir = tempfile::tempdir().unwrap();
    let page = fixture("payments.txt");
    let (code, out, err) = cli(dir.path(), &["catalog", "import", page.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("imported 7 codes in 3 categories into catalog `payments`"), "{err}");
    let catalog = load("payments.toml", &out);
    assert_eq!(catalog.meta.name, "payments");
    assert_eq!(catalog.meta.description, "Paywell Payments API Error Codes");
    assert_eq!(catalog.meta.categories, ["Card Errors", "Account and Authentication Errors", "System Errors"]);
    let got: Vec<(&str, &str, &str)> =
        catalog.entries.iter().map(|e| (e.code.as_str(), e.category.as_str(), e.summary.as_str())).collect();
    assert_eq!(got, PAYMENTS);
    assert!(catalog.entries.iter().all(|e| e.status == errcode_core::catalog::Status::Current));
    let details = |code: &str| catalog.entries.iter().find(|e| e.code == code).unwrap().details.clone();
    // Wrapped lines are joined; bullets stay a Markdown list between paragraphs.
    assert_eq!(
        details("CARD_DECLINED"),
        "The card issuer declined the charge. Ask the customer to use another card or to contact their bank."
    );
    assert_eq!(
        details("CARD_EXPIRED"),
        "The card has expired. Possible reasons include:\n\n- The customer entered an old expiry date;\n\
         - The card was replaced by the issuer and the old one was used by mistake.\n\n\
         Ask the customer for the new card details."
    );
    assert!(details("MERCHANT_SUSPENDED").contains("- Unpaid fees;\n- A compliance review in progress."));
}

#[test]
fn import_formats_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let page = fixture("payments.txt");
    let page = page.to_str().unwrap();
    let (_, toml_out, _) = cli(dir.path(), &["catalog", "import", page, "--name", "pay"]);
    let reference = load("pay.toml", &toml_out);
    assert_eq!(reference.meta.name, "pay");
    for (args, file) in [
        (vec!["--format", "json"], "pay.json"),
        (vec!["--format", "yaml"], "pay.yaml"),
        (vec!["-o", "out.yml"], "out.yml"),
        (vec!["--format", "toml", "-o", "out.toml"], "out.toml"),
    ] {
        let mut all = vec!["catalog", "import", page, "--name", "pay"];
        all.extend(&args);
        let (code, out, err) = cli(dir.path(), &all);
        assert_eq!(code, 0, "{args:?}: {err}");
        let text = if args.contains(&"-o") { std::fs::read_to_string(dir.path().join(file)).unwrap() } else { out };
        let catalog = load(file, &text);
        assert_eq!(catalog.meta, reference.meta, "{args:?}");
        assert_eq!(catalog.entries, reference.entries, "{args:?}");
    }
}

#[test]
fn imported_catalog_flags_typos_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let root = root_of(&dir);
    let page = fixture("payments.txt");
    let (code, _, err) = cli(&root, &["catalog", "import", page.to_str().unwrap(), "-o", "imported.toml"]);
    assert_eq!(code, 0, "{err}");
    write(&root, "errcode.toml", "activation = \"never\"\ncatalogs = [\"imported.toml\"]\n");
    write(&root, "src/pay.ts", "if (e.code === \"MERCHANT_SUSPENDDED\") {}\nif (e.code === \"CARD_DECLINED\") {}\n");
    let (code, out, err) = cli(&root, &["check"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("unknown error code `MERCHANT_SUSPENDDED`: did you mean `MERCHANT_SUSPENDED`?"), "{out}");
    assert!(out.contains("src/pay.ts:1:17"), "{out}");
    assert!(!out.contains("`CARD_DECLINED`"), "{out}");
    // The same project's report counts the imported codes.
    let (code, out, _) = cli(&root, &["report"]);
    assert_eq!(code, 0);
    assert!(out.contains("| `CARD_DECLINED` | 1 | `src/pay.ts:2:17` |"), "{out}");
}

#[test]
fn import_errors_exit_two() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let (code, out, err) = cli(root, &["catalog", "import", "missing.txt"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("missing.txt: cannot read"), "{err}");
    write(root, "empty.txt", "\n  \n");
    let (code, out, err) = cli(root, &["catalog", "import", "empty.txt"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("empty"), "{err}");
    write(root, "prose.txt", "Error Codes\nThis page lists no codes at all.\nCard Errors\nNothing here.\n");
    let (code, out, err) = cli(root, &["catalog", "import", "prose.txt"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("no error codes found"), "{err}");
    let (code, _, _) = cli(root, &["catalog", "import", "prose.txt", "--format", "xml"]);
    assert_eq!(code, 2);
}

#[test]
fn report_counts_numeric_codes_as_uses() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "package.json", r#"{"dependencies": {"@cloudbase/js-sdk": "^2"}}"#);
    write(
        root,
        "src/app.js",
        "if (res.errCode === -1) fail();\nif (arr.indexOf(x) === -1) add(x);\nlog(\"UNKNOWN_ERROR\");\n",
    );
    write(root, "mock/resp.json", "{\"errCode\": -501005, \"count\": -1}\n");
    let (code, out, err) = cli(&root_of(&dir), &["report", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("valid JSON");
    let codes: Vec<&Value> = v["catalogs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["categories"].as_array().unwrap())
        .flat_map(|c| c["codes"].as_array().unwrap())
        .collect();
    let find = |name: &str| *codes.iter().find(|c| c["code"] == name).unwrap_or_else(|| panic!("{name} in {out}"));
    let unknown = find("UNKNOWN_ERROR");
    assert_eq!(unknown["count"], 2, "by number and by name: {unknown}");
    assert_eq!(unknown["locations"][0], serde_json::json!({"path": "src/app.js", "line": 1, "column": 21}));
    assert_eq!(unknown["locations"][1], serde_json::json!({"path": "src/app.js", "line": 3, "column": 6}));
    // One number, two codes: a use of each.
    for name in ["INVALIID_ENV", "TCB_INVALID_ENV"] {
        let c = find(name);
        assert_eq!(c["count"], 1, "{c}");
        assert_eq!(c["locations"][0], serde_json::json!({"path": "mock/resp.json", "line": 1, "column": 13}));
    }
}

/// A Chinese page (written for these tests) in both layouts: tables, as a browser copies them
/// (tab-separated cells) and as Markdown, and the line layout.
#[test]
fn import_reads_a_chinese_page_into_the_zh_cn_translation() {
    let dir = tempfile::tempdir().unwrap();
    let page = fixture("storage-zh.txt");
    let (code, out, err) = cli(dir.path(), &["catalog", "import", page.to_str().unwrap(), "--name", "storage"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("imported 4 codes in 2 categories"), "{err}");
    let catalog = load("storage.toml", &out);
    assert_eq!(catalog.meta.categories, ["上传错误", "下载错误"]);
    assert_eq!(catalog.meta.l10n["zh-CN"].description.as_deref(), Some("云存储服务错误码（示例页面）"));
    let entry = |code: &str| catalog.entries.iter().find(|e| e.code == code).unwrap();
    let large = entry("UPLOAD_FILE_TOO_LARGE");
    // The Chinese text is the translation; the English fields are left for the team.
    assert_eq!(large.summary, "");
    let zh = &large.l10n["zh-CN"];
    assert_eq!(zh.summary.as_deref(), Some("上传的文件超过大小上限。"));
    assert_eq!(
        zh.details.as_deref(),
        Some("单个文件不能超过 50 MB。\n\n**处理建议**\n- 压缩或拆分文件后重新上传\n- 确认上传的是正确的文件")
    );
    // The Markdown table: code in backticks, a numeric column, an empty solution cell.
    let missing = entry("DOWNLOAD_FILE_MISSING");
    assert_eq!(missing.numeric, Some(-703001));
    assert_eq!(missing.category, "下载错误");
    assert_eq!(entry("DOWNLOAD_LINK_EXPIRED").l10n["zh-CN"].summary.as_deref(), Some("下载链接已过期。"));
    // Either language reads the Chinese text until an English one is written.
    let summary_en = catalog.entries[0].summary_in("en").to_string();
    assert_eq!(summary_en, "上传的文件超过大小上限。");

    // The line layout gives the same codes and text.
    let (code, out, err) = cli(dir.path(), &["catalog", "import", fixture("storage-zh-lines.txt").to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let lines = load("lines.toml", &out);
    let codes: Vec<&str> = lines.entries.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["UPLOAD_FILE_TOO_LARGE", "UPLOAD_TOKEN_EXPIRED"]);
    assert_eq!(lines.entries[0].l10n["zh-CN"].summary.as_deref(), Some("上传的文件超过大小上限。"));
    assert_eq!(lines.entries[0].category, "上传错误");
}

/// The imported Chinese catalog works in the editor's language and flags typos.
#[test]
fn an_imported_chinese_catalog_explains_and_checks() {
    let dir = tempfile::tempdir().unwrap();
    let root = root_of(&dir);
    let page = fixture("storage-zh.txt");
    let (code, _, err) = cli(&root, &["catalog", "import", page.to_str().unwrap(), "-o", "storage.toml"]);
    assert_eq!(code, 0, "{err}");
    write(&root, "errcode.toml", "activation = \"never\"\ncatalogs = [\"storage.toml\"]\n");
    write(&root, "src/up.ts", "if (e.code === \"UPLOAD_TOKEN_EXPIRD\") {}\n");
    let (code, out, _) = cli(&root, &["check", "--lang", "zh-CN"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("未知错误码 `UPLOAD_TOKEN_EXPIRD`，是否应为 `UPLOAD_TOKEN_EXPIRED`？"), "{out}");
    let (code, out, _) = cli(&root, &["explain", "--lang", "zh-CN", "--", "-703001"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("DOWNLOAD_FILE_MISSING (-703001)") && out.contains("要下载的文件不存在。"), "{out}");
}
