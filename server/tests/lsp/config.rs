//! Configuration: errcode.toml and editor settings reload without restart; a broken config
//! is reported and the last good one kept; multi-root folders are independent.

use serde_json::json;

use crate::common::{default_capabilities, Client, Project};

const TEXT: &str = "x = \"EXCEED_RATE_LIMIT\"\n";

#[test]
fn errcode_toml_changes_apply_at_once() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let uri = p.uri("a.py");
    c.open(&uri, "python", TEXT);
    assert_eq!(c.diagnostics(&uri, Some(1)).len(), 1);
    p.write("errcode.toml", "allow = [\"EXCEED_RATE_LIMIT\"]\n");
    c.forget_diagnostics(&uri);
    c.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": p.uri("errcode.toml"), "type": 1}]}));
    assert!(c.diagnostics(&uri, None).is_empty());
    c.shutdown();
}

#[test]
fn a_broken_config_is_reported_and_the_last_good_one_kept() {
    let p = Project::cloudbase();
    p.write("errcode.toml", "severity = { misspelled = \"error\" }\n");
    let mut c = Client::start(&p.root());
    let uri = p.uri("a.py");
    c.open(&uri, "python", TEXT);
    assert_eq!(c.diagnostics(&uri, Some(1))[0]["severity"], 1);
    p.write("errcode.toml", "severity = { misspelled = \"error\" }\nallow = [\n");
    c.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": p.uri("errcode.toml"), "type": 2}]}));
    let msg = c.wait_for(|m| m["method"] == "window/showMessage");
    let text = msg["params"]["message"].as_str().unwrap();
    assert!(text.contains("errcode.toml:2"), "names file and line: {text}");
    assert_eq!(msg["params"]["type"], 1);
    // Still serving, with the old severity.
    c.forget_diagnostics(&uri);
    c.change(&uri, 2, json!([{"text": "y = \"EXCEED_RATE_LIMIT\"\n"}]));
    assert_eq!(c.diagnostics(&uri, Some(2))[0]["severity"], 1);
    c.shutdown();
}

#[test]
fn did_change_configuration_applies_settings() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let uri = p.uri("a.py");
    c.open(&uri, "python", TEXT);
    assert_eq!(c.diagnostics(&uri, Some(1)).len(), 1);
    c.forget_diagnostics(&uri);
    c.notify("workspace/didChangeConfiguration", json!({"settings": {"errcode": {"allow": ["EXCEED_RATE_LIMIT"]}}}));
    assert!(c.diagnostics(&uri, None).is_empty());
    c.shutdown();
}

#[test]
fn team_catalogs_are_loaded_and_watched() {
    let p = Project::empty();
    p.write("errcode.toml", "catalogs = [\"errors/ours.toml\"]\n");
    p.write(
        "errors/ours.toml",
        "[catalog]\nname = \"ours\"\n\n[[codes]]\ncode = \"PAYMENT_DECLINED\"\ncategory = \"Billing\"\nsummary = \"The card was declined.\"\n",
    );
    let mut c = Client::start(&p.root());
    let uri = p.uri("a.ts");
    c.open(&uri, "typescript", "x = \"PAYMENT_DECLIND\"\n");
    let diags = c.diagnostics(&uri, Some(1));
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert!(diags[0]["message"].as_str().unwrap().contains("PAYMENT_DECLINED"));
    // Add the misspelt code to the catalog: it becomes known.
    let catalog = p.read("errors/ours.toml")
        + "\n[[codes]]\ncode = \"PAYMENT_DECLIND\"\ncategory = \"Billing\"\nsummary = \"Old spelling.\"\n";
    p.write("errors/ours.toml", &catalog);
    c.forget_diagnostics(&uri);
    c.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": p.uri("errors/ours.toml"), "type": 2}]}));
    assert!(c.diagnostics(&uri, None).is_empty());
    c.shutdown();
}

#[test]
fn multi_root_folders_have_their_own_config() {
    let a = Project::cloudbase();
    let b = Project::cloudbase();
    b.write("errcode.toml", "allow = [\"EXCEED_RATE_LIMIT\"]\n");
    let mut c = Client::spawn();
    let (ua, ub) = (format!("file://{}", a.root().display()), format!("file://{}", b.root().display()));
    c.request(
        "initialize",
        json!({"processId": null, "capabilities": default_capabilities(),
               "workspaceFolders": [{"uri": ua, "name": "a"}, {"uri": ub, "name": "b"}]}),
    );
    c.notify("initialized", json!({}));
    let (fa, fb) = (a.uri("x.py"), b.uri("x.py"));
    c.open(&fa, "python", TEXT);
    c.open(&fb, "python", TEXT);
    assert_eq!(c.diagnostics(&fa, Some(1)).len(), 1);
    assert!(c.diagnostics(&fb, Some(1)).is_empty());
    c.shutdown();
}

#[test]
fn empty_or_foreign_configuration_changes_keep_init_options() {
    let p = Project::cloudbase();
    let options = json!({"allow": ["EXCEED_RATE_LIMIT"]});
    let mut c = Client::start_with(&p.root(), options, json!({}));
    let uri = p.uri("a.py");
    c.open(&uri, "python", TEXT);
    assert!(c.diagnostics(&uri, Some(1)).is_empty());
    // Eglot sends `{}` after connecting; other clients send other servers' sections.
    c.notify("workspace/didChangeConfiguration", json!({"settings": {}}));
    c.notify("workspace/didChangeConfiguration", json!({"settings": {"pyright": {"x": 1}}}));
    c.notify("workspace/didChangeConfiguration", json!({"settings": null}));
    c.change(&uri, 2, json!([{"text": "y = \"EXCEED_RATE_LIMIT\"\n"}]));
    assert!(c.diagnostics(&uri, Some(2)).is_empty());
    c.shutdown();
}

#[test]
fn a_folder_inside_a_cloudbase_project_activates() {
    let p = Project::cloudbase();
    std::fs::create_dir_all(p.path("src")).unwrap();
    let mut c = Client::start(&p.path("src"));
    let uri = p.uri("src/a.py");
    c.open(&uri, "python", TEXT);
    assert_eq!(c.diagnostics(&uri, Some(1)).len(), 1);
    c.shutdown();
}
