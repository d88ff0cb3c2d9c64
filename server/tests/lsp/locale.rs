//! The language of hovers, diagnostics, actions and status: the client's `initialize` locale,
//! overridden by the `locale` setting (editor settings or errcode.toml); English by default.

use serde_json::{json, Value};

use crate::common::{default_capabilities, Client, Project};
use errcode_core::catalog::builtin;

/// Whether `s` holds Chinese characters.
fn chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Starts a server for `root` whose client says `locale` (or nothing) in `initialize`.
fn start(root: &std::path::Path, locale: Option<&str>, options: Value) -> Client {
    let mut c = Client::spawn();
    let uri = format!("file://{}", root.display());
    let mut params = json!({
        "processId": null,
        "rootUri": uri,
        "workspaceFolders": [{"uri": uri, "name": "root"}],
        "capabilities": default_capabilities(),
        "initializationOptions": options,
    });
    if let Some(locale) = locale {
        params["locale"] = json!(locale);
    }
    c.request("initialize", params);
    c.notify("initialized", json!({}));
    c
}

fn hover_text(c: &mut Client, uri: &str, line: u32, character: u32) -> String {
    c.hover(uri, line, character)["contents"]["value"].as_str().unwrap_or_default().to_string()
}

/// Every code of both built-in catalogs, once.
fn builtin_codes() -> Vec<String> {
    let mut codes: Vec<String> = builtin::all().iter().flat_map(|c| c.entries.iter().map(|e| e.code.clone())).collect();
    codes.sort();
    codes.dedup();
    codes
}

/// A document using every built-in code, one per line (line `i` holds code `i`): names as
/// strings, numeric codes (`-501000`) as numbers compared with `errCode`. Each line's code
/// starts at [`COLUMN`].
fn all_codes_document(p: &Project, c: &mut Client) -> (String, Vec<String>) {
    let codes = builtin_codes();
    let mut text = String::new();
    for code in &codes {
        if code.parse::<i64>().is_ok() {
            text.push_str(&format!("if (errCode === {code}) {{}}\n"));
        } else {
            text.push_str(&format!("if (e.code === \"{code}\") {{}}\n"));
        }
    }
    let uri = p.uri("codes.ts");
    c.open(&uri, "typescript", &text);
    (uri, codes)
}

/// Where the hovers go: inside every line's code (`if (errCode === -5` / `if (e.code === "F`).
const COLUMN: u32 = 17;

#[test]
fn chinese_hover_for_every_builtin_code_when_the_client_says_zh_cn() {
    let p = Project::cloudbase();
    let mut c = start(&p.root(), Some("zh-CN"), json!({}));
    let (uri, codes) = all_codes_document(&p, &mut c);
    assert!(codes.len() > 200, "{}", codes.len());
    for (i, code) in codes.iter().enumerate() {
        let h = hover_text(&mut c, &uri, i as u32, COLUMN);
        assert!(h.contains(&format!("**`{code}`**")), "{code}: {h}");
        // The summary (the first paragraph after the heading and any status line) is Chinese.
        let body =
            h.split("\n\n").find(|para| !para.starts_with("**`") && !para.starts_with('⚠') && !para.starts_with('🕰'));
        assert!(body.is_some_and(chinese), "{code}: {h}");
        // One entry per code, even for codes in both catalogs.
        assert_eq!(h.matches(&format!("**`{code}`**")).count(), 1, "{code}: {h}");
        if h.contains("已弃用") {
            assert!(h.contains("请改用 `"), "{code}: {h}");
        }
    }
    c.shutdown();
}

#[test]
fn english_hover_when_the_client_says_en_or_nothing() {
    for locale in [Some("en"), Some("en-US"), None, Some("de")] {
        let p = Project::cloudbase();
        let mut c = start(&p.root(), locale, json!({}));
        let (uri, codes) = all_codes_document(&p, &mut c);
        for (i, code) in codes.iter().enumerate() {
            let h = hover_text(&mut c, &uri, i as u32, COLUMN);
            assert!(h.contains(&format!("**`{code}`**")), "{locale:?} {code}: {h}");
            assert!(!chinese(&h), "{locale:?} {code}: {h}");
        }
        c.shutdown();
    }
}

#[test]
fn the_locale_setting_overrides_initialize() {
    // The editor setting: English for a Chinese client.
    let p = Project::cloudbase();
    p.write("a.ts", "x = \"EXCEED_RATELIMIT\"\n");
    let mut c = start(&p.root(), Some("zh-CN"), json!({"locale": "en"}));
    let uri = p.uri("a.ts");
    c.open(&uri, "typescript", "x = \"EXCEED_RATELIMIT\"\n");
    assert!(!chinese(&hover_text(&mut c, &uri, 0, 8)));
    c.shutdown();

    // errcode.toml: Chinese for an English client.
    let p = Project::cloudbase();
    p.write("errcode.toml", "locale = \"zh-CN\"\n");
    let mut c = start(&p.root(), Some("en"), json!({}));
    let uri = p.uri("a.ts");
    c.open(&uri, "typescript", "x = \"EXCEED_RATELIMIT\"\n");
    assert!(chinese(&hover_text(&mut c, &uri, 0, 8)));
    // `auto` in the editor settings keeps the file's choice; a change of settings applies at once.
    c.notify("workspace/didChangeConfiguration", json!({"settings": {"errcode": {"locale": "auto"}}}));
    assert!(chinese(&hover_text(&mut c, &uri, 0, 8)));
    c.notify("workspace/didChangeConfiguration", json!({"settings": {"errcode": {"locale": "en"}}}));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while chinese(&hover_text(&mut c, &uri, 0, 8)) {
        assert!(std::time::Instant::now() < deadline, "the setting did not apply");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    c.shutdown();
}

#[test]
fn diagnostics_actions_and_status_follow_the_locale() {
    let p = Project::cloudbase();
    let mut c = start(&p.root(), Some("zh-CN"), json!({}));
    let uri = p.uri("a.ts");
    c.open(&uri, "typescript", "if (e.code === \"EXCEED_RATE_LIMIT\") {}\nx = \"INVALID_ENV_ID\"\n");
    let diags = c.diagnostics(&uri, Some(1));
    let messages: Vec<&str> = diags.iter().filter_map(|d| d["message"].as_str()).collect();
    assert!(
        messages.iter().any(|m| m.contains("未知错误码 `EXCEED_RATE_LIMIT`") && m.contains("`EXCEED_RATELIMIT`")),
        "{messages:?}"
    );
    assert!(messages.iter().any(|m| m.contains("`INVALID_ENV_ID` 已弃用")), "{messages:?}");
    // Rule ids stay English.
    assert!(diags.iter().all(|d| d["code"].as_str().is_some_and(|c| c.is_ascii())), "{diags:?}");
    let actions = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": diags[0]["range"],
            "context": {"diagnostics": [diags[0].clone()]},
        }),
    );
    let titles: Vec<&str> = actions.as_array().unwrap().iter().filter_map(|a| a["title"].as_str()).collect();
    assert!(titles.contains(&"替换为 `EXCEED_RATELIMIT`"), "{titles:?}");
    assert!(titles.iter().any(|t| t.starts_with("修复全部错误码")), "{titles:?}");
    let status = c.request("errcode/status", json!({"uri": uri}));
    assert!(status["summary"].as_str().is_some_and(|s| s.starts_with("已启用的错误码目录")), "{status}");
    // Catalog names are not translated.
    assert!(status["activeCatalogs"].as_array().is_some_and(|a| a.contains(&json!("cloudbase-http"))), "{status}");
    c.shutdown();
}

#[test]
fn document_links_open_the_docs_in_the_readers_language() {
    let p = Project::cloudbase();
    let mut c = start(&p.root(), Some("zh-CN"), json!({}));
    let uri = p.uri("a.ts");
    c.open(&uri, "typescript", "if (e.code === \"EXCEED_RATELIMIT\") {}\n");
    c.diagnostics(&uri, Some(1));
    let links = c.request("textDocument/documentLink", json!({"textDocument": {"uri": uri}}));
    let link = &links[0];
    assert_eq!(link["tooltip"], "打开 EXCEED_RATELIMIT 的文档", "{links}");
    // The Chinese page, not the English one (`/en/`).
    assert!(link["target"].as_str().is_some_and(|t| t.starts_with("https://") && !t.contains("/en/")), "{links}");
    c.shutdown();
}

/// A client that pulls workspace diagnostics and keeps a closed file's report gets it again in
/// the new language when the `locale` setting changes (its result id says which language).
#[test]
fn workspace_diagnostics_of_closed_files_follow_a_locale_switch() {
    let p = Project::cloudbase();
    p.write("src/closed.ts", "const a = \"SERVICE_TIMEOUTS\";\n");
    let mut caps = default_capabilities();
    caps["textDocument"]["diagnostic"] = json!({"relatedDocumentSupport": false});
    caps["workspace"]["diagnostics"] = json!({"refreshSupport": true});
    let mut c = Client::spawn();
    let uri = format!("file://{}", p.root().display());
    c.request(
        "initialize",
        json!({"processId": null, "rootUri": uri, "workspaceFolders": [{"uri": uri, "name": "root"}],
               "capabilities": caps, "initializationOptions": {}, "locale": "en"}),
    );
    c.notify("initialized", json!({}));
    let closed = p.uri("src/closed.ts");
    let message = |report: &Value| -> Option<String> {
        let file = report["items"].as_array()?.iter().find(|i| i["uri"] == closed)?;
        file["items"][0]["message"].as_str().map(str::to_string)
    };
    let first = c.request("workspace/diagnostic", json!({"previousResultIds": []}));
    assert!(message(&first).is_some_and(|m| m.starts_with("unknown error code")), "{first}");
    let previous: Vec<Value> =
        first["items"].as_array().unwrap().iter().map(|i| json!({"uri": i["uri"], "value": i["resultId"]})).collect();
    c.notify("workspace/didChangeConfiguration", json!({"settings": {"errcode": {"locale": "zh-CN"}}}));
    // Asked again with what it has: the report comes back in Chinese, not "unchanged".
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let id = c.send_request("workspace/diagnostic", json!({"previousResultIds": previous}));
        let next =
            c.wait_for_within(std::time::Duration::from_secs(20), |m| m.get("method").is_none() && m["id"] == id);
        if message(&next["result"]).is_some_and(|m| m.starts_with("未知错误码")) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "still not Chinese: {next}");
    }
    c.shutdown();
}
