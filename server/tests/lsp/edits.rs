//! Incremental edits: multi-byte text, CRLF, ordering of rapid edits.

use serde_json::json;

use crate::common::{Client, Project};

fn at(line: u32, character: u32) -> serde_json::Value {
    json!({"line": line, "character": character})
}

#[test]
fn emoji_and_cjk_positions_in_utf16() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let uri = p.uri("a.ts");
    // "😀" is two UTF-16 units, "中文" two units.
    c.open(&uri, "typescript", "const s = \"😀中文\" + \"EXCEED_RATE_LIMIT\";\n");
    let diags = c.diagnostics(&uri, Some(1));
    assert_eq!(diags[0]["range"], json!({"start": at(0, 20), "end": at(0, 37)}));
    // Insert another emoji before the literal; the range moves by two units.
    c.change(&uri, 2, json!([{"range": {"start": at(0, 11), "end": at(0, 11)}, "text": "👍"}]));
    let diags = c.diagnostics(&uri, Some(2));
    assert_eq!(diags[0]["range"], json!({"start": at(0, 22), "end": at(0, 39)}));
    c.shutdown();
}

#[test]
fn utf8_positions_when_negotiated() {
    let p = Project::cloudbase();
    let caps = json!({"general": {"positionEncodings": ["utf-8"]}});
    let mut c = Client::start_with(&p.root(), json!({}), caps);
    let uri = p.uri("a.ts");
    c.open(&uri, "typescript", "const s = \"😀\" + \"EXCEED_RATE_LIMIT\";\n");
    let diags = c.diagnostics(&uri, Some(1));
    // 😀 is four UTF-8 bytes.
    assert_eq!(diags[0]["range"], json!({"start": at(0, 20), "end": at(0, 37)}));
    c.shutdown();
}

#[test]
fn crlf_documents() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let uri = p.uri("a.py");
    c.open(&uri, "python", "a = 1\r\nb = \"EXCEED_RATE_LIMIT\"\r\n");
    let diags = c.diagnostics(&uri, Some(1));
    assert_eq!(diags[0]["range"], json!({"start": at(1, 5), "end": at(1, 22)}));
    // A column past the end of line 0 clamps before the CRLF.
    c.change(&uri, 2, json!([{"range": {"start": at(0, 99), "end": at(0, 99)}, "text": "0"}]));
    c.diagnostics(&uri, Some(2));
    let h = c.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": at(0, 0)}));
    assert!(h.is_null());
    c.shutdown();
}

#[test]
fn rapid_edits_are_applied_in_order() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let uri = p.uri("a.ts");
    c.open(&uri, "typescript", "");
    // Type a literal one character at a time without waiting.
    let text = "x = \"EXCEED_RATE_LIMIT\" // 中文 ok\n";
    let mut col = 0;
    for (i, ch) in text.chars().enumerate() {
        // Everything stays on line 0 until the final newline.
        c.change(
            &uri,
            i as i64 + 2,
            json!([{"range": {"start": at(0, col), "end": at(0, col)}, "text": ch.to_string()}]),
        );
        col += ch.len_utf16() as u32;
    }
    let last = text.chars().count() as i64 + 1;
    let diags = c.diagnostics(&uri, Some(last));
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0]["range"], json!({"start": at(0, 5), "end": at(0, 22)}));
    c.shutdown();
}
