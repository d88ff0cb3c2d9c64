//! Code actions: quick fixes per suggestion, "allow this literal", and fix-all.

use serde_json::{json, Value};

use crate::common::{apply_workspace_edit, default_capabilities, find, Client, Project};

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

/// The "allow" action of `literal`'s diagnostic, resolved if the client resolves lazily.
fn allow_action(c: &mut Client, uri: &str, diags: &[Value], literal: &str) -> Value {
    let d = diags.iter().find(|d| d["data"]["literal"] == literal).unwrap_or_else(|| panic!("{literal}: {diags:?}"));
    let list = actions(c, uri, std::slice::from_ref(d), Some("quickfix"));
    let allow = list.iter().find(|a| a["title"].as_str().unwrap().starts_with("Allow")).expect("allow action").clone();
    if allow.get("edit").is_some() {
        allow
    } else {
        c.request("codeAction/resolve", allow)
    }
}

/// Two "allow" actions in a row where no errcode.toml exists yet, without a file-watch event
/// in between (Neovim on Linux sends none by default): the second must extend the file the
/// first created, not write a second `allow` list.
#[test]
fn two_allows_in_a_row_write_one_valid_allow_list() {
    for lazy in [false, true] {
        let p = Project::cloudbase();
        let mut caps = default_capabilities();
        if lazy {
            caps["textDocument"]["codeAction"]["resolveSupport"] = json!({"properties": ["edit"]});
        }
        let mut c = Client::start_with(&p.root(), json!({}), caps);
        let uri = p.uri("a.ts");
        c.open(&uri, "typescript", "x = \"EXCEED_RATE_LIMIT\"\ny = \"FUNCTON_NOT_FOUND\"\n");
        let diags = c.diagnostics(&uri, Some(1));
        for literal in ["EXCEED_RATE_LIMIT", "FUNCTON_NOT_FOUND"] {
            let allow = allow_action(&mut c, &uri, &diags, literal);
            apply_workspace_edit(&allow["edit"]);
        }
        let text = p.read("errcode.toml");
        let config: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("invalid TOML ({e}):\n{text}"));
        assert_eq!(config["allow"], toml::Value::from(vec!["EXCEED_RATE_LIMIT", "FUNCTON_NOT_FOUND"]), "{text}");
        c.shutdown();
    }
}

/// A team catalog's declarations are definitions, not uses: a deprecated code listed in it is
/// never a finding there, and fix-all never rewrites it (that broke the catalog: the code was
/// then listed twice).
#[test]
fn a_catalog_file_gets_no_findings_and_no_fix_all() {
    let p = Project::cloudbase();
    p.write("errcode.toml", "catalogs = [\"team/codes.toml\"]\n");
    let catalog = "[catalog]\nname = \"team\"\n\n[[codes]]\ncode = \"OLD_TEAM_CODE\"\ncategory = \"Team\"\nsummary = \"Old.\"\nstatus = \"deprecated\"\nreplaced_by = \"NEW_TEAM_CODE\"\n\n[[codes]]\ncode = \"NEW_TEAM_CODE\"\ncategory = \"Team\"\nsummary = \"New.\"\n";
    p.write("team/codes.toml", catalog);
    let mut c = Client::start(&p.root());
    // A use elsewhere is still a finding.
    let use_uri = p.uri("a.ts");
    c.open(&use_uri, "typescript", "x = \"OLD_TEAM_CODE\"\n");
    assert_eq!(c.diagnostics(&use_uri, Some(1)).len(), 1);
    let uri = p.uri("team/codes.toml");
    c.open(&uri, "toml", catalog);
    assert_eq!(c.diagnostics(&uri, Some(1)), Vec::<Value>::new());
    assert!(actions(&mut c, &uri, &[], Some("source.fixAll")).is_empty());
    c.shutdown();
}

/// 100,000 findings in one document.
fn huge(p: &Project) -> (String, String) {
    let text = "\"EXCEED_RATE_LIMIT\",\n".repeat(100_000);
    (p.uri("huge.ts"), text)
}

fn fix_all_params(uri: &str) -> Value {
    json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": [], "only": ["source.fixAll"]}})
}

/// Fix-all on a huge document is heavy: it runs off the threads that answer hovers, so a hover
/// on another file sent after three fix-alls is answered before them.
#[test]
fn heavy_fix_alls_do_not_hold_up_a_hover() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let (uri, text) = huge(&p);
    c.open(&uri, "typescript", &text);
    c.diagnostics(&uri, Some(1));
    let other = p.uri("b.ts");
    c.open(&other, "typescript", "x(\"BAD_GATEWAY\")\n");
    c.diagnostics(&other, Some(1));
    let fixes: Vec<i64> = (0..3).map(|_| c.send_request("textDocument/codeAction", fix_all_params(&uri))).collect();
    let hover = c.send_request(
        "textDocument/hover",
        json!({"textDocument": {"uri": other}, "position": {"line": 0, "character": 5}}),
    );
    let first = c.wait_for(|m| {
        m.get("method").is_none() && (m["id"] == hover || fixes.contains(&m["id"].as_i64().unwrap_or(-1)))
    });
    assert_eq!(first["id"], hover, "a fix-all was answered before the hover");
    for id in fixes {
        let r = c.response(id);
        assert_eq!(r["result"][0]["edit"]["changes"][&uri].as_array().map(Vec::len), Some(100_000));
    }
    c.shutdown();
}

/// A server whose fix-all takes half a second longer, so that the client can act meanwhile.
fn slow_fix_all(p: &Project) -> (Client, String) {
    let mut c = Client::spawn_env(&[], &[("ERRCODE_LSP_DELAY", "code action:500")]);
    c.initialize(&p.root(), json!({}), default_capabilities());
    let uri = p.uri("a.ts");
    c.open(&uri, "typescript", "x = \"EXCEED_RATE_LIMIT\"\n");
    c.diagnostics(&uri, Some(1));
    (c, uri)
}

#[test]
fn a_cancelled_fix_all_answers_request_cancelled() {
    let p = Project::cloudbase();
    let (mut c, uri) = slow_fix_all(&p);
    let id = c.send_request("textDocument/codeAction", fix_all_params(&uri));
    c.notify("$/cancelRequest", json!({"id": id}));
    assert_eq!(c.response(id)["error"]["code"], -32800);
    // Exactly one answer, and the server goes on.
    let later = c.drain(std::time::Duration::from_millis(700));
    assert!(later.iter().all(|m| m["id"] != id), "{later:#?}");
    assert!(!actions(&mut c, &uri, &[], Some("source.fixAll")).is_empty());
    c.shutdown();
}

#[test]
fn a_fix_all_computed_for_an_older_version_answers_content_modified() {
    let p = Project::cloudbase();
    let (mut c, uri) = slow_fix_all(&p);
    let id = c.send_request("textDocument/codeAction", fix_all_params(&uri));
    // The edit arrives while the fix-all for version 1 is being computed (it takes 500 ms).
    std::thread::sleep(std::time::Duration::from_millis(150));
    c.change(&uri, 2, json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "// edited\n"}]));
    let r = c.response(id);
    assert_eq!(r["error"]["code"], -32801, "{r}");
    c.shutdown();
}

/// Clients without `codeActionLiteralSupport` get commands that apply the same edits.
#[test]
fn clients_without_literal_support_get_commands() {
    let p = Project::cloudbase();
    let mut caps = default_capabilities();
    caps["textDocument"].as_object_mut().unwrap().remove("codeAction");
    let mut c = Client::start_with(&p.root(), json!({}), caps);
    let uri = p.uri("a.ts");
    c.open(&uri, "typescript", "x = \"EXCEED_RATE_LIMIT\"\n");
    let diags = c.diagnostics(&uri, Some(1));
    let list = actions(&mut c, &uri, &diags, Some("quickfix"));
    let replace = list.iter().find(|a| a["title"] == "Replace with `EXCEED_RATELIMIT`").expect("replace command");
    assert_eq!(replace["command"], "errcode.applyEdit", "{replace}");
    assert!(replace.get("edit").is_none() && replace.get("kind").is_none(), "a literal was sent: {replace}");
    c.request("workspace/executeCommand", json!({"command": replace["command"], "arguments": replace["arguments"]}));
    let apply = c.wait_for(|m| m["method"] == "workspace/applyEdit");
    assert_eq!(apply["params"]["edit"]["changes"][&uri][0]["newText"], "EXCEED_RATELIMIT");
    c.shutdown();
}

/// Clients that do not send `diagnostic.data` back (ALE, vim-lsp) still get quick fixes: they
/// are computed from the document.
#[test]
fn quick_fixes_without_diagnostic_data() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let uri = p.uri("a.ts");
    let text = "if (e.code === \"EXCEED_RATE_LIMIT\") {}\n";
    c.open(&uri, "typescript", text);
    let mut diags = c.diagnostics(&uri, Some(1));
    diags[0].as_object_mut().unwrap().remove("data");
    let list = actions(&mut c, &uri, &diags, Some("quickfix"));
    let (line, col) = find(text, "EXCEED_RATE_LIMIT", 0);
    let fix = list
        .iter()
        .find(|a| a["title"] == "Replace with `EXCEED_RATELIMIT`")
        .unwrap_or_else(|| panic!("{:?}", titles(&list)));
    assert_eq!(fix["edit"]["changes"][&uri][0]["range"]["start"], json!({"line": line, "character": col}));
    assert!(titles(&list).iter().any(|t| t.starts_with("Allow")), "{:?}", titles(&list));
    c.shutdown();
}
