//! Configuration: errcode.toml and editor settings reload without restart; a broken config
//! is reported and the last good one kept; multi-root folders are independent.

use serde_json::{json, Value};

use crate::common::fixture::Session;
use crate::common::{default_capabilities, Client, Project};

const TEXT: &str = "x = \"EXCEED_RATE_LIMIT\"\n";

/// A Python file with one misspelled code, reported with the default severity.
const MISSPELLED: &str = r#"
    //- /a.py
    x = "EXCEED_RATE_LIMIT"
         ^^^^^^^^^^^^^^^^^ warning misspelled-code
    "#;

#[test]
fn errcode_toml_changes_apply_at_once() {
    let mut s = Session::new(MISSPELLED);
    s.check_diagnostics();
    s.write("/errcode.toml", "allow = [\"EXCEED_RATE_LIMIT\"]\n");
    assert_eq!(s.next_diagnostics("/a.py"), Vec::<Value>::new());
    s.shutdown();
}

#[test]
fn a_broken_config_is_reported_and_the_last_good_one_kept() {
    let mut s = Session::new(
        r#"
        //- /errcode.toml
        severity = { misspelled = "error" }
        //- /a.py
        x = "EXCEED_RATE_LIMIT"
             ^^^^^^^^^^^^^^^^^ error misspelled-code
        "#,
    );
    s.check_diagnostics();
    s.write("/errcode.toml", "severity = { misspelled = \"error\" }\nallow = [\n");
    let msg = s.client.wait_for(|m| m["method"] == "window/showMessage");
    let text = msg["params"]["message"].as_str().unwrap();
    assert!(text.contains("errcode.toml:2"), "names file and line: {text}");
    assert_eq!(msg["params"]["type"], 1);
    // Still serving, with the old severity.
    s.change(
        "/a.py",
        r#"
        y = "EXCEED_RATE_LIMIT"
             ^^^^^^^^^^^^^^^^^ error misspelled-code
        "#,
    );
    s.check_diagnostics();
    s.shutdown();
}

#[test]
fn did_change_configuration_applies_settings() {
    let mut s = Session::new(MISSPELLED);
    s.check_diagnostics();
    let uri = s.uri("/a.py");
    s.client.forget_diagnostics(&uri);
    s.client
        .notify("workspace/didChangeConfiguration", json!({"settings": {"errcode": {"allow": ["EXCEED_RATE_LIMIT"]}}}));
    assert_eq!(s.next_diagnostics("/a.py"), Vec::<Value>::new());
    s.shutdown();
}

#[test]
fn team_catalogs_are_loaded_and_watched() {
    let catalog = "[catalog]\nname = \"ours\"\n\n[[codes]]\ncode = \"PAYMENT_DECLINED\"\ncategory = \"Billing\"\nsummary = \"The card was declined.\"\n";
    let mut s = Session::new(&format!(
        r#"//- no-cloudbase
//- /errcode.toml
catalogs = ["errors/ours.toml"]
//- /errors/ours.toml closed
{catalog}//- /a.ts
x = "PAYMENT_DECLIND"
     ^^^^^^^^^^^^^^^ warning misspelled-code: unknown error code `PAYMENT_DECLIND`: did you mean `PAYMENT_DECLINED`?
"#
    ));
    s.check_diagnostics();
    // Add the misspelt code to the catalog: it becomes known.
    let more = "\n[[codes]]\ncode = \"PAYMENT_DECLIND\"\ncategory = \"Billing\"\nsummary = \"Old spelling.\"\n";
    s.write("/errors/ours.toml", &format!("{catalog}{more}"));
    assert_eq!(s.next_diagnostics("/a.ts"), Vec::<Value>::new());
    s.shutdown();
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
    let options = json!({"allow": ["EXCEED_RATE_LIMIT"]});
    let mut s = Session::with("//- /a.py\nx = \"EXCEED_RATE_LIMIT\"\n", options, json!({}));
    s.check_diagnostics();
    // Eglot sends `{}` after connecting; other clients send other servers' sections.
    s.client.notify("workspace/didChangeConfiguration", json!({"settings": {}}));
    s.client.notify("workspace/didChangeConfiguration", json!({"settings": {"pyright": {"x": 1}}}));
    s.client.notify("workspace/didChangeConfiguration", json!({"settings": null}));
    s.change("/a.py", "y = \"EXCEED_RATE_LIMIT\"\n");
    s.check_diagnostics();
    s.shutdown();
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
