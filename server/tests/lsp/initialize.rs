//! The `initialize` handshake: capabilities snapshot and position-encoding negotiation.

use serde_json::json;

use crate::common::{default_capabilities, Client, Project};

/// Compares `actual` with the committed snapshot; `UPDATE_SNAPSHOTS=1` rewrites it.
fn snapshot(name: &str, actual: &serde_json::Value) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots").join(name);
    let text = serde_json::to_string_pretty(actual).unwrap() + "\n";
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(text, expected, "snapshot {name} differs (UPDATE_SNAPSHOTS=1 to accept)");
}

#[test]
fn capabilities_snapshot() {
    let p = Project::cloudbase();
    let mut c = Client::spawn();
    let mut result = c.initialize(&p.root(), json!({}), default_capabilities());
    // The version changes with every release; the rest is the contract.
    result["serverInfo"]["version"] = json!("<version>");
    snapshot("initialize.json", &result);
    c.shutdown();
}

#[test]
fn utf8_is_chosen_when_offered() {
    let p = Project::cloudbase();
    let mut c = Client::spawn();
    let caps = json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}});
    let result = c.initialize(&p.root(), json!({}), caps);
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    c.shutdown();
}

#[test]
fn utf16_is_the_default() {
    let p = Project::cloudbase();
    let mut c = Client::spawn();
    let result = c.initialize(&p.root(), json!({}), json!({}));
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    c.shutdown();
}

#[test]
fn status_is_announced_after_initialized() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let msg = c.wait_for(|m| m["method"] == "errcode/statusChanged");
    assert_eq!(msg["params"]["activeCatalogs"], json!(["cloudbase-http", "cloudbase-sdk"]));
    c.shutdown();
}
