//! Completion: codes inside strings, replacing the whole token; nothing outside strings.

use serde_json::json;

use crate::common::{find, Client, Project};

fn labels(items: &[serde_json::Value]) -> Vec<String> {
    items.iter().map(|i| i["label"].as_str().unwrap().to_string()).collect()
}

#[test]
fn completes_codes_inside_a_string_replacing_the_token() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let uri = p.uri("a.ts");
    let text = "if (e.code === \"EXCEED_RATE_LIM\") {}\n";
    c.open(&uri, "typescript", text);
    let (line, col) = find(text, "EXCEED_", 7);
    let items = c.completion(&uri, line, col);
    let item = items.iter().find(|i| i["label"] == "EXCEED_RATELIMIT").expect("EXCEED_RATELIMIT offered");
    // The edit replaces the whole word under the cursor, not just the typed prefix.
    let (l, start) = find(text, "EXCEED_RATE_LIM", 0);
    assert_eq!(
        item["textEdit"],
        json!({"range": {"start": {"line": l, "character": start}, "end": {"line": l, "character": start + 15}}, "newText": "EXCEED_RATELIMIT"})
    );
    assert!(item["detail"].as_str().unwrap().contains("General Errors"), "{item}");
    // Documentation comes with `completionItem/resolve`, for the focused item only.
    assert!(item.get("documentation").is_none(), "{item}");
    let resolved = c.request("completionItem/resolve", item.clone());
    assert_eq!(resolved["documentation"]["kind"], "markdown");
    assert!(resolved["documentation"]["value"].as_str().unwrap().contains("QPS"), "{resolved}");
    // Every offered code matches what was typed.
    assert!(labels(&items).iter().all(|l| l.starts_with('E')), "{:?}", labels(&items));
    c.shutdown();
}

#[test]
fn deprecated_codes_are_tagged_and_sorted_last() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let uri = p.uri("a.ts");
    let text = "x = \"INVALID_\"\n";
    c.open(&uri, "typescript", text);
    let (line, col) = find(text, "INVALID_", 8);
    let items = c.completion(&uri, line, col);
    let deprecated = items.iter().find(|i| i["label"] == "INVALID_ENV_ID").expect("INVALID_ENV_ID offered");
    assert_eq!(deprecated["tags"], json!([1]));
    let current = items.iter().find(|i| i["label"] == "INVALID_ENV").unwrap();
    assert!(deprecated["sortText"].as_str() > current["sortText"].as_str());
    c.shutdown();
}

#[test]
fn empty_string_offers_codes_and_code_outside_strings_offers_nothing() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let uri = p.uri("a.py");
    let text = "code = \"\"\nEXCEED_\n# \"EXCEED_ in a comment\n";
    c.open(&uri, "python", text);
    let items = c.completion(&uri, 0, 8);
    assert!(labels(&items).contains(&"FUNCTION_NOT_FOUND".to_string()));
    assert!(c.completion(&uri, 1, 7).is_empty(), "outside a string");
    assert!(c.completion(&uri, 2, 10).is_empty(), "inside a comment");
    c.shutdown();
}

#[test]
fn yaml_values_complete() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let uri = p.uri("alerts.yaml");
    let text = "alerts:\n  - ACCESS_TOK\n";
    c.open(&uri, "yaml", text);
    let items = c.completion(&uri, 1, 14);
    assert!(labels(&items).contains(&"ACCESS_TOKEN_EXPIRED".to_string()), "{:?}", labels(&items));
    // An empty value position offers codes too; a key position does not.
    c.change(&uri, 2, json!([{"text": "alerts:\n  - \ncode: \nname\n"}]));
    assert!(!c.completion(&uri, 1, 4).is_empty(), "after `- `");
    assert!(!c.completion(&uri, 2, 6).is_empty(), "after `code: `");
    assert!(c.completion(&uri, 3, 2).is_empty(), "inside a key");
    c.shutdown();
}

#[test]
fn completion_after_typing_on_a_large_file_uses_the_new_text() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let uri = p.uri("big.ts");
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(&format!("const v{i} = \"value {i}\"; // comment's apostrophe\n"));
    }
    c.open(&uri, "typescript", &text);
    c.diagnostics(&uri, Some(1));
    // Type `"FUNC` at the end and ask for completion at once.
    let line = 20_000;
    c.change(&uri, 2, json!([{"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}, "text": "call(\"FUNC"}]));
    let items = c.completion(&uri, line, 10);
    assert!(labels(&items).contains(&"FUNCTION_NOT_FOUND".to_string()), "{:?}", labels(&items));
    c.shutdown();
}
