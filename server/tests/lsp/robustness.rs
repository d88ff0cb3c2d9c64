//! Bad input from the client: the server answers with an error or null and keeps serving.

use serde_json::json;

use crate::common::{Client, Project};

fn still_serves(c: &mut Client, uri: &str) {
    let h = c.hover(uri, 0, 6);
    assert!(h["contents"]["value"].as_str().unwrap().contains("BAD_GATEWAY"), "{h}");
}

fn open(p: &Project) -> (Client, String) {
    let mut c = Client::start(&p.root());
    let uri = p.uri("a.ts");
    c.open(&uri, "typescript", "x = \"BAD_GATEWAY\"\n");
    c.diagnostics(&uri, Some(1));
    (c, uri)
}

#[test]
fn unknown_methods_get_method_not_found() {
    let p = Project::cloudbase();
    let (mut c, uri) = open(&p);
    let r = c.request_raw("errcode/noSuchThing", json!({}));
    assert_eq!(r["error"]["code"], -32601);
    c.notify("$/noSuchNotification", json!({}));
    still_serves(&mut c, &uri);
    c.shutdown();
}

#[test]
fn invalid_params_get_an_error() {
    let p = Project::cloudbase();
    let (mut c, uri) = open(&p);
    let r = c.request_raw("textDocument/hover", json!({"textDocument": 42}));
    assert_eq!(r["error"]["code"], -32602);
    c.notify("textDocument/didChange", json!({"nonsense": true}));
    still_serves(&mut c, &uri);
    c.shutdown();
}

#[test]
fn malformed_json_bodies_are_survived() {
    let p = Project::cloudbase();
    let (mut c, uri) = open(&p);
    c.send_raw("{\"jsonrpc\": \"2.0\", \"id\": 99, \"method\": ");
    c.send_raw("[1, 2, 3]");
    let parse_error = c.wait_for(|m| m["error"]["code"] == -32700);
    assert!(parse_error["id"].is_null());
    c.wait_for(|m| m["error"]["code"] == -32600);
    c.send_raw("{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": 12}");
    assert_eq!(c.wait_for(|m| m["id"] == 7)["error"]["code"], -32600);
    still_serves(&mut c, &uri);
    c.shutdown();
}

#[test]
fn unopened_documents_and_far_positions_get_null() {
    let p = Project::cloudbase();
    let (mut c, uri) = open(&p);
    assert!(c.hover(&p.uri("never-opened.ts"), 0, 0).is_null());
    assert!(c.completion(&p.uri("never-opened.ts"), 0, 0).is_empty());
    assert!(c.hover(&uri, 4_000_000, 4_000_000).is_null());
    assert!(c.hover(&uri, 0, 4_000_000).is_null());
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": p.uri("nope.ts")}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": []}}),
    );
    assert!(r.is_null());
    still_serves(&mut c, &uri);
    c.shutdown();
}

#[test]
fn edits_past_the_end_are_clamped() {
    let p = Project::cloudbase();
    let (mut c, uri) = open(&p);
    c.change(&uri, 2, json!([{"range": {"start": {"line": 50, "character": 0}, "end": {"line": 60, "character": 9}}, "text": "y = \"EXCEED_RATE_LIMIT\"\n"}]));
    let diags = c.diagnostics(&uri, Some(2));
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0]["range"]["start"]["line"], 1);
    // Reversed ranges are ordered, not rejected.
    c.change(
        &uri,
        3,
        json!([{"range": {"start": {"line": 1, "character": 22}, "end": {"line": 1, "character": 0}}, "text": ""}]),
    );
    assert!(c.diagnostics(&uri, Some(3)).is_empty());
    still_serves(&mut c, &uri);
    c.shutdown();
}

#[test]
fn requests_before_initialize_are_refused() {
    let mut c = Client::spawn();
    let r = c.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///x"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(r["error"]["code"], -32002);
    assert!(c.is_alive());
}

#[test]
fn a_panic_in_a_handler_becomes_an_error_response() {
    let p = Project::cloudbase();
    let mut c = Client::spawn_env(&[], &[("ERRCODE_LSP_FAULT", "hover")]);
    c.initialize(&p.root(), json!({}), crate::common::default_capabilities());
    let uri = p.uri("a.ts");
    c.open(&uri, "typescript", "x = \"BAD_GATEWAY\"\n");
    let r = c.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 6}}),
    );
    assert_eq!(r["error"]["code"], -32603, "{r}");
    assert!(r["error"]["message"].as_str().unwrap().contains("hover failed"), "{r}");
    // Other requests, and the next hover attempt, are still answered.
    assert!(!c.completion(&uri, 0, 6).is_empty());
    assert_eq!(
        c.request_raw(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 6}})
        )["error"]["code"],
        -32603
    );
    assert!(c.diagnostics(&uri, Some(1)).is_empty());
    c.shutdown();
}

#[test]
fn a_30_mb_document_is_skipped_with_a_message_and_stays_responsive() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let uri = p.uri("huge.ts");
    let line = "const v = \"EXCEED_RATE_LIMIT\"; // filler filler filler filler filler\n";
    let text = line.repeat(30 * 1024 * 1024 / line.len());
    c.open(&uri, "typescript", &text);
    let msg = c.wait_for(|m| m["method"] == "window/showMessage");
    assert!(msg["params"]["message"].as_str().unwrap().contains("not checking huge.ts"), "{msg}");
    assert!(c.diagnostics(&uri, Some(1)).is_empty());
    assert!(c.hover(&uri, 1000, 12).is_null());
    // Edits are still applied: shrink it below the limit and it is checked.
    c.change(&uri, 2, json!([{"text": "const v = \"EXCEED_RATE_LIMIT\";\n"}]));
    assert_eq!(c.diagnostics(&uri, Some(2)).len(), 1);
    c.shutdown();
}

#[test]
fn a_single_5_mb_line_is_checked() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    // Python: a JavaScript file with such a line is minified, hence left alone.
    let uri = p.uri("data.py");
    let mut text = "v = [".to_string() + &"\"x\", ".repeat(5 * 1024 * 1024 / 5);
    let col = text.len() as u32 - 2;
    text.push_str("\"EXCEED_RATE_LIMIT\"]");
    c.open(&uri, "python", &text);
    let diags = c.diagnostics(&uri, Some(1));
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0]["range"]["start"], json!({"line": 0, "character": col + 3}));
    let h = c.hover(&uri, 0, col + 5);
    assert!(h.is_null(), "a misspelled code has no docs: {h}");
    c.shutdown();
}
