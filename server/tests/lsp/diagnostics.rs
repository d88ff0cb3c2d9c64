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
    let p = Project::cloudbase();
    let mut caps = crate::common::default_capabilities();
    caps["textDocument"]["publishDiagnostics"]["relatedInformation"] = json!(true);
    caps["textDocument"]["publishDiagnostics"]["codeDescriptionSupport"] = json!(true);
    let mut c = Client::start_with(&p.root(), json!({}), caps);
    let uri = p.uri("a.ts");
    c.open(&uri, "typescript", "x = \"FUNCTIONS_EXECUTE_FAILS\"\n");
    let diags = c.diagnostics(&uri, Some(1));
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let d = &diags[0];
    assert!(d["codeDescription"]["href"].as_str().is_some_and(|h| h.starts_with("https://")), "{d}");
    let related = d["relatedInformation"].as_array().expect("related information");
    assert!(related[0]["message"].as_str().unwrap().contains("`FUNCTION_EXECUTE_FAIL`"), "{d}");
    assert_eq!(related[0]["location"]["uri"], uri);
    // Without the capabilities, neither is sent.
    let mut plain = Client::start(&p.root());
    plain.open(&uri, "typescript", "x = \"FUNCTIONS_EXECUTE_FAILS\"\n");
    let d = &plain.diagnostics(&uri, Some(1))[0];
    assert!(d.get("codeDescription").is_none() && d.get("relatedInformation").is_none(), "{d}");
    plain.shutdown();
    c.shutdown();
}
