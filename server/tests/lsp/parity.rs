//! Parity: the server's diagnostics equal `errcode-lsp check`'s findings on the same files.

use serde_json::{json, Value};

use crate::common::{cli, Client, Project};

/// (line, UTF-16 column) from the CLI's 1-based line and character column.
fn to_utf16(text: &str, line: u64, column: u64) -> (u64, u64) {
    let start = crate::common::line_starts(text)[line as usize - 1];
    let units: usize = text[start..crate::common::cli_offset(text, line, column)].chars().map(char::len_utf16).sum();
    (line - 1, units as u64)
}

#[test]
fn server_and_cli_agree() {
    let p = Project::cloudbase();
    let files = [
        ("src/a.ts", "typescript", "if (e.code === \"EXCEED_RATE_LIMIT\") {}\nconst m = { 'INVALID_ENV_ID': 1, ok: \"😀 FUNCTION_NOT_FOUND\" };\n// errcode-ignore-next-line\nx(\"SERVICE_TIMOUT\");\ny(`SERVICE_TIMOUT`);\n"),
        ("app/main.py", "python", "CODES = ['FUNCTON_NOT_FOUND', \"CHECK_LOGIN_FAILED\", 'USER_NOT_FOUND']\ns = f\"{x}SERVICE_TIMOUT\"\n"),
        ("go/main.go", "go", "package main\nvar c = `ACESS_TOKEN_EXPIRED`\nvar d = \"中文 STORAGE_EXCEED_AUTHORTY\"\nvar e = \"STORAGE_EXCEED_AUTHORTY\"\n"),
        ("conf/alerts.yaml", "yaml", "alerts:\n  - ACCESS_TOKEN_EXPIERD\n  - \"DATABASE_COLLECTION_NOT_EXISTS\"\nkey: NODE_ENV\n"),
        ("deploy/prod.env", "dotenv", "ERROR_CODE=EXCEED_RATE_LIMIT\nNODE_ENV=production\n"),
    ];
    for (rel, _, text) in &files {
        p.write(rel, text);
    }
    let (code, out, err) = cli(&p.root(), &["check", "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert!(findings.len() >= 8, "{out}");

    let mut c = Client::start(&p.root());
    for (rel, lang, text) in &files {
        let uri = p.uri(rel);
        c.open(&uri, lang, text);
        let diags = c.diagnostics(&uri, Some(1));
        let mut from_server: Vec<(u64, u64, u64, u64, String)> = diags
            .iter()
            .map(|d| {
                let r = &d["range"];
                (
                    r["start"]["line"].as_u64().unwrap(),
                    r["start"]["character"].as_u64().unwrap(),
                    r["end"]["line"].as_u64().unwrap(),
                    r["end"]["character"].as_u64().unwrap(),
                    d["message"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let mut from_cli: Vec<(u64, u64, u64, u64, String)> = findings
            .iter()
            .filter(|f| f["path"] == json!(rel))
            .map(|f| {
                let (l, col) = to_utf16(text, f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap());
                let (el, ecol) = to_utf16(text, f["end_line"].as_u64().unwrap(), f["end_column"].as_u64().unwrap());
                (l, col, el, ecol, f["message"].as_str().unwrap().to_string())
            })
            .collect();
        from_server.sort();
        from_cli.sort();
        assert_eq!(from_server, from_cli, "{rel}");
        assert!(!from_cli.is_empty(), "{rel} has findings");
    }
    c.shutdown();
}
