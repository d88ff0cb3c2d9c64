//! Hover: documentation of the code under the cursor, anywhere inside a literal.

use serde_json::json;

use crate::common::{find, Client, Project};

const TEXT: &str = "const a = \"FUNCTION_NOT_FOUND\";\nconst b = `got SERVICE_TIMEOUT from gateway`;\nconst c = \"NOT_A_CODE_AT_ALL\";\n// FUNCTION_NOT_FOUND in a comment\nconst d = \"INVALID_ENV_ID\";\n";

fn open(p: &Project) -> (Client, String) {
    let mut c = Client::start(&p.root());
    let uri = p.uri("src/a.ts");
    c.open(&uri, "typescript", TEXT);
    (c, uri)
}

#[test]
fn hover_on_a_code_shows_markdown_docs_with_range() {
    let p = Project::cloudbase();
    let (mut c, uri) = open(&p);
    let (line, col) = find(TEXT, "FUNCTION_NOT_FOUND", 3);
    let h = c.hover(&uri, line, col);
    assert_eq!(h["contents"]["kind"], "markdown");
    let value = h["contents"]["value"].as_str().unwrap();
    assert!(value.contains("`FUNCTION_NOT_FOUND`"), "{value}");
    assert!(value.contains("cloudbase-http") && value.contains("Cloud Function Related Errors"), "{value}");
    assert!(value.contains("https://"), "docs link: {value}");
    assert_eq!(h["range"], json!({"start": {"line": 0, "character": 11}, "end": {"line": 0, "character": 29}}));
    c.shutdown();
}

#[test]
fn hover_works_inside_longer_strings_and_at_token_edges() {
    let p = Project::cloudbase();
    let (mut c, uri) = open(&p);
    let (line, col) = find(TEXT, "SERVICE_TIMEOUT", 0);
    for at in [col, col + 7, col + 15] {
        let h = c.hover(&uri, line, at);
        assert!(h["contents"]["value"].as_str().unwrap().contains("SERVICE_TIMEOUT"), "at {at}: {h}");
    }
    c.shutdown();
}

#[test]
fn no_hover_on_unknown_codes_comments_or_code() {
    let p = Project::cloudbase();
    let (mut c, uri) = open(&p);
    let (line, col) = find(TEXT, "NOT_A_CODE_AT_ALL", 2);
    assert!(c.hover(&uri, line, col).is_null());
    let (line, col) = find(TEXT, "// FUNCTION_NOT_FOUND", 5);
    assert!(c.hover(&uri, line, col).is_null(), "comments are not literals");
    assert!(c.hover(&uri, 0, 2).is_null(), "`const` is code");
    c.shutdown();
}

#[test]
fn deprecated_codes_name_their_replacement() {
    let p = Project::cloudbase();
    let (mut c, uri) = open(&p);
    let (line, col) = find(TEXT, "INVALID_ENV_ID", 1);
    let value = c.hover(&uri, line, col)["contents"]["value"].as_str().unwrap().to_string();
    assert!(value.contains("Deprecated") && value.contains("`INVALID_ENV`"), "{value}");
    c.shutdown();
}

#[test]
fn plain_text_for_clients_without_markdown() {
    let p = Project::cloudbase();
    let mut c = Client::start_with(&p.root(), json!({}), json!({}));
    let uri = p.uri("a.ts");
    c.open(&uri, "typescript", TEXT);
    let (line, col) = find(TEXT, "FUNCTION_NOT_FOUND", 3);
    let h = c.hover(&uri, line, col);
    assert_eq!(h["contents"]["kind"], "plaintext");
    let value = h["contents"]["value"].as_str().unwrap();
    assert!(value.contains("FUNCTION_NOT_FOUND") && !value.contains("**"), "{value}");
    c.shutdown();
}

#[test]
fn hover_right_after_an_edit_sees_the_new_text() {
    let p = Project::cloudbase();
    let (mut c, uri) = open(&p);
    // Replace the unknown code with a known one and hover before diagnostics come back.
    let (line, col) = find(TEXT, "NOT_A_CODE_AT_ALL", 0);
    c.change(
        &uri,
        2,
        json!([{"range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col + 17}}, "text": "BAD_GATEWAY"}]),
    );
    let h = c.hover(&uri, line, col + 2);
    assert!(h["contents"]["value"].as_str().unwrap().contains("BAD_GATEWAY"), "{h}");
    c.shutdown();
}

/// A client that lists plain text first gets plain text, though it also takes Markdown.
#[test]
fn the_clients_preferred_format_wins() {
    let p = Project::cloudbase();
    let mut caps = crate::common::default_capabilities();
    caps["textDocument"]["hover"]["contentFormat"] = json!(["plaintext", "markdown"]);
    let mut c = Client::start_with(&p.root(), json!({}), caps);
    let uri = p.uri("src/a.ts");
    c.open(&uri, "typescript", TEXT);
    let (line, col) = find(TEXT, "FUNCTION_NOT_FOUND", 3);
    let h = c.hover(&uri, line, col);
    assert_eq!(h["contents"]["kind"], "plaintext", "{h}");
    assert!(!h["contents"]["value"].as_str().unwrap().contains("**"), "{h}");
    c.shutdown();
}

/// The opening quote belongs to the literal: hovering it shows the code's docs.
#[test]
fn hover_on_the_opening_quote() {
    let p = Project::cloudbase();
    let (mut c, uri) = open(&p);
    let (line, col) = find(TEXT, "\"FUNCTION_NOT_FOUND", 0);
    // Before the document is analysed (the text around the cursor is scanned) and after (the
    // analysis' spans are used).
    for analysed in [false, true] {
        if analysed {
            c.diagnostics(&uri, Some(1));
        }
        let h = c.hover(&uri, line, col);
        assert!(h["contents"]["value"].as_str().is_some_and(|v| v.contains("FUNCTION_NOT_FOUND")), "{analysed}: {h}");
        // Not on the `=` before it.
        assert!(c.hover(&uri, line, col - 2).is_null());
    }
    c.shutdown();
}
