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

/// A team catalog of `n` generated codes (`BIG_CODE_0`...).
fn big_catalog(n: usize) -> String {
    let mut catalog = String::from("[catalog]\nname = \"big\"\n");
    for i in 0..n {
        catalog.push_str(&format!(
            "\n[[codes]]\ncode = \"BIG_CODE_{i}\"\ncategory = \"Big\"\nsummary = \"Big code {i}.\"\n"
        ));
    }
    catalog
}

/// A team catalog that takes a while to load (10,000 codes: most of a second in a debug build)
/// and a burst of 20 change events for errcode.toml: a hover sent right after them is answered
/// from the last good project while the reloads run (it used to wait for all twenty, one after
/// the other, and timed out), and the burst costs at most two reloads (the one running, one
/// more after it). Each reload takes two seconds longer here (`ERRCODE_LSP_DELAY`), so that
/// "while" holds on a busy machine too.
#[test]
fn reloads_run_in_the_background_and_bursts_coalesce() {
    let p = Project::empty();
    p.write("errcode.toml", "catalogs = [\"errors/big.toml\"]\n");
    p.write("errors/big.toml", &big_catalog(10_000));
    let logs = tempfile::tempdir().unwrap();
    let log = logs.path().join("server.log");
    let env = [
        ("ERRCODE_LSP_LOG", "info"),
        ("ERRCODE_LSP_LOG_FILE", log.to_str().unwrap()),
        ("ERRCODE_LSP_DELAY", "reload:2000"),
    ];
    let mut c = Client::spawn_env(&[], &env);
    c.initialize(&p.root(), json!({}), default_capabilities());
    let uri = p.uri("a.ts");
    c.open(&uri, "typescript", "const x = \"BIG_CODE_7\";\n");
    assert!(c.diagnostics(&uri, Some(1)).is_empty());
    let config = p.uri("errcode.toml");
    for _ in 0..20 {
        c.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": config, "type": 2}]}));
    }
    let started = std::time::Instant::now();
    let hover = c.hover(&uri, 0, 14);
    let took = started.elapsed();
    assert!(hover["contents"]["value"].as_str().is_some_and(|v| v.contains("Big code 7.")), "{hover}");
    let status = c.request("errcode/status", json!({"uri": uri}));
    assert_eq!(status["reloading"], true, "the hover (answered after {took:?}) came after the reloads: {status}");
    // The reloads end, and there were at most two.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while c.request("errcode/status", json!({"uri": uri}))["reloading"] == true {
        assert!(std::time::Instant::now() < deadline, "still reloading after two minutes");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let reloads = std::fs::read_to_string(&log).unwrap().matches("reloaded the projects").count();
    assert!((1..=2).contains(&reloads), "{reloads} reloads for a burst of 20 events");
    // Still serving from the reloaded project.
    let hover = c.hover(&uri, 0, 14);
    assert!(hover["contents"]["value"].as_str().is_some_and(|v| v.contains("Big code 7.")), "{hover}");
    c.shutdown();
}
