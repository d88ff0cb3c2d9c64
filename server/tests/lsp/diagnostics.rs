//! Diagnostics: misspelled and deprecated codes, published on open and after edits, cleared
//! on close; suppression comments; severities; inactive projects stay silent.

use serde_json::json;

use crate::common::{Client, Project};

const TEXT: &str = "if (e.code === \"EXCEED_RATE_LIMIT\") {}\nif (e.code === \"CHECK_LOGIN_FAILED\") {}\nconst ok = [\"USER_NOT_FOUND\", \"NODE_ENV\", \"INVALID_PARAM\"];\n";

#[test]
fn misspelled_and_deprecated_codes_are_reported() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let uri = p.uri("a.ts");
    c.open(&uri, "typescript", TEXT);
    let diags = c.diagnostics(&uri, Some(1));
    assert_eq!(diags.len(), 2, "{diags:#?}");
    let d = &diags[0];
    assert_eq!(d["source"], "errcode");
    assert_eq!(d["code"], "misspelled-code");
    assert_eq!(d["severity"], 2);
    assert!(d["message"].as_str().unwrap().contains("did you mean `EXCEED_RATELIMIT`?"));
    assert_eq!(d["range"], json!({"start": {"line": 0, "character": 16}, "end": {"line": 0, "character": 33}}));
    assert_eq!(d["data"]["suggestions"][0], "EXCEED_RATELIMIT");
    let d = &diags[1];
    assert_eq!(d["code"], "deprecated-code");
    assert_eq!(d["tags"], json!([2]));
    assert!(d["message"].as_str().unwrap().contains("ACCESS_TOKEN_EXPIRED"));
    c.shutdown();
}

#[test]
fn edits_refresh_and_close_clears() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let uri = p.uri("a.ts");
    c.open(&uri, "typescript", TEXT);
    assert_eq!(c.diagnostics(&uri, Some(1)).len(), 2);
    // Fix the misspelling: `EXCEED_RATE_LIMIT` -> `EXCEED_RATELIMIT` (delete one underscore).
    c.change(
        &uri,
        2,
        json!([{"range": {"start": {"line": 0, "character": 27}, "end": {"line": 0, "character": 28}}, "text": ""}]),
    );
    let diags = c.diagnostics(&uri, Some(2));
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0]["code"], "deprecated-code");
    c.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
    let cleared =
        c.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["diagnostics"] == json!([]));
    assert_eq!(cleared["params"]["uri"], uri);
    c.shutdown();
}

#[test]
fn ignore_comments_silence_findings() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let uri = p.uri("a.py");
    let text = "a = \"EXCEED_RATE_LIMIT\"  # errcode-ignore\n# errcode-ignore-next-line\nb = \"EXCEED_RATE_LIMIT\"\nc = \"EXCEED_RATE_LIMIT\"\n";
    c.open(&uri, "python", text);
    let diags = c.diagnostics(&uri, Some(1));
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0]["range"]["start"]["line"], 3);
    c.shutdown();
}

#[test]
fn projects_without_cloudbase_are_silent() {
    let p = Project::empty();
    let mut c = Client::start(&p.root());
    let uri = p.uri("a.ts");
    c.open(&uri, "typescript", TEXT);
    assert!(c.diagnostics(&uri, Some(1)).is_empty());
    let status = c.request("errcode/status", json!({"uri": uri}));
    assert_eq!(status["activeCatalogs"], json!([]));
    assert!(status["summary"].as_str().unwrap().contains("no CloudBase markers"), "{status}");
    c.shutdown();
}

#[test]
fn severities_come_from_settings() {
    let p = Project::cloudbase();
    let options = json!({"severity": {"misspelled": "error", "deprecated": "off"}});
    let mut c = Client::start_with(&p.root(), options, crate::common::default_capabilities());
    let uri = p.uri("a.ts");
    c.open(&uri, "typescript", TEXT);
    let diags = c.diagnostics(&uri, Some(1));
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0]["severity"], 1);
    c.shutdown();
}

#[test]
fn files_above_the_size_limit_are_skipped_with_a_message() {
    let p = Project::cloudbase();
    let options = json!({"maxFileSize": 1000});
    let mut c = Client::start_with(&p.root(), options, crate::common::default_capabilities());
    let uri = p.uri("big.ts");
    let text = "const a = \"EXCEED_RATE_LIMIT\";\n".repeat(100);
    c.open(&uri, "typescript", &text);
    let msg = c.wait_for(|m| m["method"] == "window/showMessage");
    assert!(msg["params"]["message"].as_str().unwrap().contains("not checking big.ts"), "{msg}");
    assert!(c.diagnostics(&uri, Some(1)).is_empty());
    c.shutdown();
}
