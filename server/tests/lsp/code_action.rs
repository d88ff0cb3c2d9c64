//! Code actions: quick fixes per suggestion, "allow this literal", and fix-all.

use serde_json::{json, Value};

use crate::common::{Client, Project};

fn actions(c: &mut Client, uri: &str, diags: &[Value], only: Option<&str>) -> Vec<Value> {
    let range = diags
        .first()
        .map(|d| d["range"].clone())
        .unwrap_or(json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}));
    let mut context = json!({"diagnostics": diags});
    if let Some(kind) = only {
        context["only"] = json!([kind]);
    }
    c.request("textDocument/codeAction", json!({"textDocument": {"uri": uri}, "range": range, "context": context}))
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn titles(actions: &[Value]) -> Vec<String> {
    actions.iter().map(|a| a["title"].as_str().unwrap().to_string()).collect()
}

#[test]
fn quick_fix_replaces_with_the_suggestion_and_is_preferred() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let uri = p.uri("a.ts");
    c.open(&uri, "typescript", "if (e.code === \"EXCEED_RATE_LIMIT\") {}\n");
    let diags = c.diagnostics(&uri, Some(1));
    let list = actions(&mut c, &uri, &diags, None);
    let fix = list
        .iter()
        .find(|a| a["title"] == "Replace with `EXCEED_RATELIMIT`")
        .unwrap_or_else(|| panic!("{:?}", titles(&list)));
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    assert_eq!(fix["edit"]["changes"][&uri], json!([{"range": diags[0]["range"], "newText": "EXCEED_RATELIMIT"}]));
    assert!(titles(&list).contains(&"Allow `EXCEED_RATE_LIMIT` in errcode.toml".to_string()), "{:?}", titles(&list));
    c.shutdown();
}

#[test]
fn stale_diagnostics_get_no_fix() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let uri = p.uri("a.ts");
    c.open(&uri, "typescript", "x = \"EXCEED_RATE_LIMIT\"\n");
    let diags = c.diagnostics(&uri, Some(1));
    c.change(&uri, 2, json!([{"text": "x = \"SOMETHING_ELSE_NOW\"\n"}]));
    let list = actions(&mut c, &uri, &diags, Some("quickfix"));
    assert!(list.is_empty(), "{:?}", titles(&list));
    c.shutdown();
}

#[test]
fn allow_creates_errcode_toml_and_the_diagnostic_goes_away() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let uri = p.uri("a.ts");
    c.open(&uri, "typescript", "x = \"EXCEED_RATE_LIMIT\"\n");
    let diags = c.diagnostics(&uri, Some(1));
    let list = actions(&mut c, &uri, &diags, Some("quickfix"));
    let allow = list.iter().find(|a| a["title"].as_str().unwrap().starts_with("Allow")).unwrap();
    let ops = allow["edit"]["documentChanges"].as_array().unwrap();
    assert_eq!(ops[0]["kind"], "create");
    assert_eq!(ops[0]["uri"], p.uri("errcode.toml"));
    let text = ops[1]["edits"][0]["newText"].as_str().unwrap();
    // Apply it as an editor would, then tell the server the file changed.
    p.write("errcode.toml", text);
    c.forget_diagnostics(&uri);
    c.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": p.uri("errcode.toml"), "type": 1}]}));
    assert!(c.diagnostics(&uri, None).is_empty());
    c.shutdown();
}

#[test]
fn allow_updates_an_existing_config_keeping_comments() {
    let p = Project::cloudbase();
    p.write(".errcode.toml", "# ours\nallow = [\"MY_OWN_CODE\"]\n");
    let mut c = Client::start(&p.root());
    let uri = p.uri("a.ts");
    c.open(&uri, "typescript", "x = \"EXCEED_RATE_LIMIT\"\n");
    let diags = c.diagnostics(&uri, Some(1));
    let list = actions(&mut c, &uri, &diags, Some("quickfix"));
    let allow = list.iter().find(|a| a["title"] == "Allow `EXCEED_RATE_LIMIT` in .errcode.toml").expect("allow action");
    let edit = &allow["edit"]["changes"][&p.uri(".errcode.toml")][0];
    let text = edit["newText"].as_str().unwrap();
    assert!(
        text.starts_with("# ours\n") && text.contains("\"MY_OWN_CODE\"") && text.contains("\"EXCEED_RATE_LIMIT\""),
        "{text}"
    );
    c.shutdown();
}

#[test]
fn fix_all_rewrites_every_fixable_finding() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let uri = p.uri("a.py");
    c.open(&uri, "python", "A = [\"EXCEED_RATE_LIMIT\", \"INVALID_ENV_ID\"]\nB = \"FUNCTON_NOT_FOUND\"\n");
    c.diagnostics(&uri, Some(1));
    let list = actions(&mut c, &uri, &[], Some("source.fixAll"));
    assert_eq!(list.len(), 1, "{:?}", titles(&list));
    assert_eq!(list[0]["kind"], "source.fixAll.errcode");
    let edits = list[0]["edit"]["changes"][&uri].as_array().unwrap();
    let new: Vec<&str> = edits.iter().map(|e| e["newText"].as_str().unwrap()).collect();
    assert_eq!(new, ["EXCEED_RATELIMIT", "INVALID_ENV", "FUNCTION_NOT_FOUND"]);
    c.shutdown();
}
