//! Completion: codes in code places (`err.code === "`, `code: "`, lists of codes, ...) and
//! wherever the typed word is code-shaped, replacing the whole token; nothing elsewhere.
//! Which places are code places is tested in `tests/completion_context.rs`.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::common::{find, Client, Project};

fn labels(items: &[serde_json::Value]) -> Vec<String> {
    items.iter().map(|i| i["label"].as_str().unwrap().to_string()).collect()
}

/// The whole completion answer (the list with `isIncomplete`), or null.
fn complete_raw(c: &mut Client, uri: &str, line: u32, character: u32) -> Value {
    c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
    )
}

/// Items sorted the way clients sort them without a typed filter: by `sortText`.
fn by_sort_text(mut items: Vec<Value>) -> Vec<Value> {
    items.sort_by(|a, b| a["sortText"].as_str().cmp(&b["sortText"].as_str()));
    items
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
    // Also for clients without tag support.
    assert_eq!(deprecated["deprecated"], json!(true));
    let current = items.iter().find(|i| i["label"] == "INVALID_ENV").unwrap();
    assert!(current.get("deprecated").is_none() && current.get("tags").is_none(), "{current}");
    assert!(deprecated["sortText"].as_str() > current["sortText"].as_str());
    // Deprecated codes come after every other code.
    let sorted = labels(&by_sort_text(items.clone()));
    assert_eq!(sorted.last().map(String::as_str), Some("INVALID_ENV_ID"), "{sorted:?}");
    c.shutdown();
}

#[test]
fn an_empty_string_offers_codes_only_in_a_code_place() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let uri = p.uri("a.py");
    let text = "code = \"\"\nEXCEED_\n# \"EXCEED_ in a comment\nopen(\"\")\n";
    c.open(&uri, "python", text);
    let items = c.completion(&uri, 0, 8);
    assert!(labels(&items).contains(&"FUNCTION_NOT_FOUND".to_string()));
    assert!(c.completion(&uri, 1, 7).is_empty(), "outside a string");
    assert!(c.completion(&uri, 2, 10).is_empty(), "inside a comment");
    assert!(c.completion(&uri, 3, 6).is_empty(), "an argument of open()");
    c.shutdown();
}

#[test]
fn typing_a_quote_outside_a_code_place_is_quiet() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let uri = p.uri("src/app.ts");
    let lines = [
        "import x from \"",
        "window.addEventListener(\"",
        "console.log(\"",
        "const u = `${base}/api/`",
        "import y from \"./re",
        "alert(\"hello wor",
        "// err.code === \"",
    ];
    let text = lines.join("\n") + "\n";
    c.open(&uri, "typescript", &text);
    c.diagnostics(&uri, Some(1));
    for (line, content) in lines.iter().enumerate() {
        let col = if content.ends_with('`') { content.len() - 1 } else { content.len() };
        let answer = complete_raw(&mut c, &uri, line as u32, col as u32);
        assert!(answer.is_null(), "{content:?}: {answer}");
    }
    // A code-shaped word asks for codes anywhere (not in comments).
    c.change(&uri, 2, json!([{"text": "console.log(\"FUNC\n// \"FUNC\n"}]));
    assert!(labels(&c.completion(&uri, 0, 17)).contains(&"FUNCTION_NOT_FOUND".to_string()));
    assert!(c.completion(&uri, 1, 7).is_empty());
    c.shutdown();
}

#[test]
fn a_code_place_completes_from_an_empty_or_lowercase_prefix() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let uri = p.uri("src/app.js");
    let text = "if (err.code === \"\") {}\nif (err.code === \"func\") {}\n";
    c.open(&uri, "javascript", text);
    // Once analysed, the context still comes from the text before the literal.
    c.diagnostics(&uri, Some(1));
    let all = c.completion(&uri, 0, 18);
    assert!(all.len() > 100, "{}", all.len());
    let items = c.completion(&uri, 1, 22);
    let item = items.iter().find(|i| i["label"] == "FUNCTION_NOT_FOUND").expect("FUNCTION_NOT_FOUND offered");
    // Prefix matches ("func...") rank before fuzzy ones.
    let sorted = labels(&by_sort_text(items.clone()));
    assert!(sorted.iter().take_while(|l| l.starts_with("FUNC")).any(|l| l == "FUNCTION_NOT_FOUND"), "{sorted:?}");
    assert_eq!(item["textEdit"]["range"]["start"], json!({"line": 1, "character": 18}));
    assert_eq!(item["textEdit"]["range"]["end"], json!({"line": 1, "character": 22}));
    c.shutdown();
}

#[test]
fn a_code_in_two_catalogs_is_one_item() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let uri = p.uri("a.ts");
    let text = "if (e.code === \"FUNCTION_NOT\") {}\n";
    c.open(&uri, "typescript", text);
    let (line, col) = find(text, "FUNCTION_NOT", 12);
    let items = c.completion(&uri, line, col);
    assert_eq!(labels(&items).iter().filter(|l| *l == "FUNCTION_NOT_FOUND").count(), 1, "{:?}", labels(&items));
    c.shutdown();
}

#[test]
fn codes_used_in_the_workspace_rank_first() {
    let p = Project::cloudbase();
    p.write("src/retry.ts", "if (e.code === \"SERVICE_TIMEOUT\") retry();\n");
    let mut c = Client::start(&p.root());
    let uri = p.uri("src/new.ts");
    c.open(&uri, "typescript", "const code = \"\";\n");
    // The index is built in the background: ask until it has the other file.
    let deadline = Instant::now() + Duration::from_secs(10);
    let first = loop {
        let first = labels(&by_sort_text(c.completion(&uri, 0, 14))).first().cloned();
        if first.as_deref() == Some("SERVICE_TIMEOUT") || Instant::now() > deadline {
            break first;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(first.as_deref(), Some("SERVICE_TIMEOUT"));
    c.shutdown();
}

#[test]
fn a_big_catalog_gives_a_capped_incomplete_list() {
    let p = Project::empty();
    p.write("errcode.toml", "catalogs = [\"errors/big.toml\"]\n");
    let mut catalog = String::from("[catalog]\nname = \"big\"\n");
    for i in 0..3000 {
        catalog.push_str(&format!(
            "\n[[codes]]\ncode = \"PAY_ERROR_{i:04}\"\ncategory = \"Billing\"\nsummary = \"Case {i}.\"\n"
        ));
    }
    p.write("errors/big.toml", &catalog);
    let mut c = Client::start(&p.root());
    let uri = p.uri("a.ts");
    c.open(&uri, "typescript", "const errCode = \"\";\nconst errCode2 = \"PAY_ERROR_29\";\n");
    let answer = complete_raw(&mut c, &uri, 0, 17);
    assert_eq!(answer["isIncomplete"], json!(true));
    assert_eq!(answer["items"].as_array().unwrap().len(), 500);
    // A narrower prefix gets the complete list.
    let answer = complete_raw(&mut c, &uri, 1, 30);
    assert_eq!(answer["isIncomplete"], json!(false));
    let items = answer["items"].as_array().unwrap();
    assert!(items.len() >= 10 && labels(items).contains(&"PAY_ERROR_2999".to_string()), "{}", items.len());
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
