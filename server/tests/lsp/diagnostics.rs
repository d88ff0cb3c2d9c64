//! Diagnostics: misspelled and deprecated codes, published on open and after edits, cleared
//! on close; suppression comments; severities; inactive projects stay silent.

use serde_json::json;

use crate::common::fixture::{check_diagnostics, Session};
use crate::common::{applied_edits, default_capabilities, Client, Project};

const TEXT: &str = "if (e.code === \"EXCEED_RATE_LIMIT\") {}\nif (e.code === \"CHECK_LOGIN_FAILED\") {}\nconst ok = [\"USER_NOT_FOUND\", \"NODE_ENV\", \"INVALID_PARAM\"];\n";

#[test]
fn misspelled_and_deprecated_codes_are_reported() {
    let mut s = Session::new(
        r#"
        if (e.code === "EXCEED_RATE_LIMIT") {}
                        ^^^^^^^^^^^^^^^^^ warning misspelled-code: unknown error code `EXCEED_RATE_LIMIT`: did you mean `EXCEED_RATELIMIT`?
        if (e.code === "CHECK_LOGIN_FAILED") {}
                        ^^^^^^^^^^^^^^^^^^ warning deprecated-code (deprecated): `CHECK_LOGIN_FAILED` is deprecated: it is matched here and services may still send it, so also handle `ACCESS_TOKEN_EXPIRED`
        const ok = ["USER_NOT_FOUND", "NODE_ENV", "INVALID_PARAM"];
        "#,
    );
    s.check_diagnostics();
    // The fix travels with the diagnostic.
    assert_eq!(s.diagnostics("/a.ts")[0]["data"]["suggestions"][0], "EXCEED_RATELIMIT");
    s.shutdown();
}

/// Ranges are in the negotiated encoding, also after non-ASCII text.
#[test]
fn ranges_count_the_negotiated_units() {
    let fixture = r#"
        s = "中文😀" + "EXCEED_RATE_LIMIT"
                     ^^^^^^^^^^^^^^^^^ warning misspelled-code
        "#;
    check_diagnostics(fixture);
    let utf8 = json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}});
    let mut s = Session::with(fixture, json!({}), utf8);
    s.check_diagnostics();
    assert_eq!(s.diagnostics("/a.ts")[0]["range"]["start"]["character"], 20, "bytes");
    s.shutdown();
}

#[test]
fn edits_refresh_and_close_clears() {
    let mut s = Session::new(
        r#"
        if (e.code === "EXCEED_RATE_LIMIT") {}
                        ^^^^^^^^^^^^^^^^^ warning misspelled-code
        x("CHECK_LOGIN_FAILED")
           ^^^^^^^^^^^^^^^^^^ warning deprecated-code (deprecated)
        "#,
    );
    s.check_diagnostics();
    // Fix the misspelling (one deleted underscore: a ranged change).
    s.change(
        "/a.ts",
        r#"
        if (e.code === "EXCEED_RATELIMIT") {}
        x("CHECK_LOGIN_FAILED")
           ^^^^^^^^^^^^^^^^^^ warning deprecated-code (deprecated)
        "#,
    );
    s.check_diagnostics();
    let uri = s.uri("/a.ts");
    s.close("/a.ts");
    let cleared = s
        .client
        .wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["diagnostics"] == json!([]));
    assert_eq!(cleared["params"]["uri"], uri);
    s.shutdown();
}

#[test]
fn ignore_comments_silence_findings() {
    check_diagnostics(
        r#"
        //- /a.py
        a = "EXCEED_RATE_LIMIT"  # errcode-ignore
        # errcode-ignore-next-line
        b = "EXCEED_RATE_LIMIT"
        c = "EXCEED_RATE_LIMIT"
             ^^^^^^^^^^^^^^^^^ warning misspelled-code
        "#,
    );
}

#[test]
fn projects_without_cloudbase_are_silent() {
    let mut s = Session::new(
        r#"
        //- no-cloudbase
        if (e.code === "EXCEED_RATE_LIMIT") {}
        if (e.code === "CHECK_LOGIN_FAILED") {}
        "#,
    );
    s.check_diagnostics();
    let status = s.client.request("errcode/status", json!({"uri": s.uri("/a.ts")}));
    assert_eq!(status["activeCatalogs"], json!([]));
    assert!(status["summary"].as_str().unwrap().contains("no CloudBase markers"), "{status}");
    s.shutdown();
}

#[test]
fn severities_come_from_settings() {
    let options = json!({"severity": {"misspelled": "error", "deprecated": "off"}});
    let fixture = r#"
        if (e.code === "EXCEED_RATE_LIMIT") {}
                        ^^^^^^^^^^^^^^^^^ error misspelled-code
        if (e.code === "CHECK_LOGIN_FAILED") {}
        "#;
    let mut s = Session::with(fixture, options, default_capabilities());
    s.check_diagnostics();
    s.shutdown();
}

#[test]
fn files_above_the_size_limit_are_skipped_with_a_message() {
    let text = "//- /big.ts\n".to_string() + &"const a = \"EXCEED_RATE_LIMIT\";\n".repeat(100);
    let mut s = Session::with(&text, json!({"maxFileSize": 1000}), default_capabilities());
    let msg = s.client.wait_for(|m| m["method"] == "window/showMessage");
    assert!(msg["params"]["message"].as_str().unwrap().contains("not checking big.ts"), "{msg}");
    s.check_diagnostics();
    s.shutdown();
}

/// A document opened and closed at once: whatever its analysis was doing, nothing but the
/// clearing `[]` may reach the client after the close.
#[test]
fn nothing_is_published_for_a_closed_document() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let text = "x(\"EXCEED_RATE_LIMIT\");\n".repeat(2_000);
    let uris: Vec<String> = (0..40).map(|i| p.uri(&format!("f{i}.ts"))).collect();
    for (i, uri) in uris.iter().enumerate() {
        c.open(uri, "typescript", &text);
        // Closed at once, or while its analysis is finishing.
        std::thread::sleep(std::time::Duration::from_micros(250 * (i as u64 % 12)));
        c.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
    }
    // Let every analysis finish.
    let msgs = c.drain(std::time::Duration::from_millis(1500));
    for uri in &uris {
        let published: Vec<usize> = msgs
            .iter()
            .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == *uri)
            .map(|m| m["params"]["diagnostics"].as_array().unwrap().len())
            .collect();
        assert_eq!(published.last(), Some(&0), "{uri}: publications {published:?} end with stale findings");
    }
    c.shutdown();
}

/// Capabilities of a client that pulls diagnostics (VS Code 1.7x+ with vscode-languageclient 8+).
fn pulling() -> serde_json::Value {
    let mut caps = crate::common::default_capabilities();
    caps["textDocument"]["diagnostic"] = json!({"relatedDocumentSupport": false});
    caps["workspace"]["diagnostics"] = json!({"refreshSupport": true});
    caps
}

/// A client that pulls gets document and workspace diagnostics on request and nothing pushed.
#[test]
fn pull_diagnostics_for_documents_and_the_workspace() {
    let p = Project::cloudbase();
    p.write("src/closed.ts", "const a = \"SERVICE_TIMEOUTS\";\n");
    p.write("src/clean.ts", "const a = \"SERVICE_TIMEOUT\";\n");
    let mut c = Client::spawn();
    let init = c.initialize(&p.root(), json!({}), pulling());
    assert_eq!(init["capabilities"]["diagnosticProvider"]["workspaceDiagnostics"], true, "{init}");
    let uri = p.uri("src/open.ts");
    c.open(&uri, "typescript", TEXT);
    let report = c.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri}}));
    assert_eq!(report["kind"], "full");
    assert_eq!(report["items"].as_array().unwrap().len(), 2, "{report}");
    // Asked again for the same version: unchanged.
    let again = c.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}, "previousResultId": report["resultId"]}),
    );
    assert_eq!(again["kind"], "unchanged", "{again}");
    // The workspace: the closed file with a finding, once the index is built.
    let closed = p.uri("src/closed.ts");
    let workspace = c.request("workspace/diagnostic", json!({"previousResultIds": []}));
    let items = workspace["items"].as_array().unwrap();
    let file = items.iter().find(|i| i["uri"] == closed).unwrap_or_else(|| panic!("{workspace}"));
    assert_eq!(file["items"][0]["code"], "misspelled-code");
    assert!(items.iter().all(|i| i["uri"] != uri && i["uri"] != p.uri("src/clean.ts")), "{workspace}");
    // Nothing was pushed.
    let pushed = c.drain(std::time::Duration::from_millis(300));
    assert!(pushed.iter().all(|m| m["method"] != "textDocument/publishDiagnostics"), "{pushed:#?}");
    // With what the client has, the next request waits until something changes: fixing the
    // closed file on disk clears it.
    let previous: Vec<serde_json::Value> =
        items.iter().map(|i| json!({"uri": i["uri"], "value": i["resultId"]})).collect();
    let id = c.send_request("workspace/diagnostic", json!({"previousResultIds": previous}));
    std::thread::sleep(std::time::Duration::from_millis(200));
    p.write("src/closed.ts", "const a = \"SERVICE_TIMEOUT\";\n");
    c.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": closed, "type": 2}]}));
    let next = c.response(id);
    let cleared = next["result"]["items"].as_array().unwrap().iter().find(|i| i["uri"] == closed).cloned();
    assert_eq!(cleared.map(|i| i["items"].clone()), Some(json!([])), "{next}");
    c.shutdown();
}

/// `codeDescription.href` links the code's docs and `relatedInformation` names the runner-up
/// candidates, for clients that show them.
#[test]
fn code_description_and_related_information() {
    let fixture = r#"
        x = "FUNCTIONS_EXECUTE_FAILS"
             ^^^^^^^^^^^^^^^^^^^^^^^ warning misspelled-code: unknown error code `FUNCTIONS_EXECUTE_FAILS`
        "#;
    let mut caps = default_capabilities();
    caps["textDocument"]["publishDiagnostics"]["relatedInformation"] = json!(true);
    caps["textDocument"]["publishDiagnostics"]["codeDescriptionSupport"] = json!(true);
    let mut s = Session::with(fixture, json!({}), caps);
    s.check_diagnostics();
    let d = &s.diagnostics("/a.ts")[0];
    assert!(d["codeDescription"]["href"].as_str().is_some_and(|h| h.starts_with("https://")), "{d}");
    let related = d["relatedInformation"].as_array().expect("related information");
    assert!(related[0]["message"].as_str().unwrap().contains("`FUNCTION_EXECUTE_FAIL`"), "{d}");
    assert_eq!(related[0]["location"]["uri"], s.uri("/a.ts"));
    // Without the capabilities, neither is sent.
    let mut plain = Session::new(fixture);
    plain.check_diagnostics();
    let d = &plain.diagnostics("/a.ts")[0];
    assert!(d.get("codeDescription").is_none() && d.get("relatedInformation").is_none(), "{d}");
    plain.shutdown();
    s.shutdown();
}

/// A 240 KB one-line document with 12,000 findings: pushed and pulled, the editor gets the first
/// 10,000 diagnostics, each a few hundred bytes (nothing in them copies the line); fix-all still
/// fixes every finding.
#[test]
fn a_one_line_document_with_a_huge_number_of_findings_gets_bounded_diagnostics() {
    const MAX: usize = 10_000;
    let p = Project::cloudbase();
    let text = format!("[{}]", vec!["\"FUNCTION_NOT_FOUN\""; 12_000].join(","));
    let uri = p.uri("data.json");
    let mut caps = default_capabilities();
    caps["textDocument"]["publishDiagnostics"]["relatedInformation"] = json!(true);
    let mut c = Client::start_with(&p.root(), json!({}), caps);
    c.open(&uri, "json", &text);
    let pushed = c.diagnostics(&uri, Some(1));
    assert_eq!(pushed.len(), MAX);
    assert_eq!(pushed[MAX - 1]["range"]["start"], json!({"line": 0, "character": 1 + 20 * (MAX - 1) + 1}));
    let largest = pushed.iter().map(|d| d.to_string().len()).max().unwrap();
    assert!(largest < 1000, "a diagnostic of {largest} bytes");
    let fix_all = json!({"textDocument": {"uri": uri},
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
        "context": {"diagnostics": [], "only": ["source.fixAll"]}});
    let actions = c.request("textDocument/codeAction", fix_all);
    let edits = actions[0]["edit"]["changes"][&uri].as_array().cloned().unwrap_or_default();
    assert_eq!(applied_edits(&text, &edits), text.replace("FOUN\"", "FOUND\""));
    c.shutdown();

    // Pulled, for an open document and for a closed file (from the workspace index).
    p.write("closed.json", &text);
    let mut c = Client::spawn();
    c.initialize(&p.root(), json!({}), pulling());
    c.open(&uri, "json", &text);
    let report = c.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri}}));
    assert_eq!(report["items"].as_array().map(Vec::len), Some(MAX));
    let closed = p.uri("closed.json");
    let workspace = c.request("workspace/diagnostic", json!({"previousResultIds": []}));
    let items = workspace["items"].as_array().unwrap();
    let file = items.iter().find(|i| i["uri"] == closed).unwrap_or_else(|| panic!("{workspace}"));
    assert_eq!(file["items"].as_array().map(Vec::len), Some(MAX));
    c.shutdown();
}
