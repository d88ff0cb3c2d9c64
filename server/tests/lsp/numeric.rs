//! Numeric codes in code (`errCode === -501005`, `"errCode": -1`): hover, inlay hints,
//! definition and references, in JavaScript, TypeScript, Python and JSON; and no hover on
//! ordinary numbers (`arr.indexOf(x) === -1`).

use serde_json::{json, Value};

use crate::common::default_capabilities;
use crate::common::fixture::Session;

/// Uses of -501005 (INVALIID_ENV and TCB_INVALID_ENV) and -1 (UNKNOWN_ERROR), and ordinary
/// numbers, in four languages.
const FILES: &str = r#"
    //- /src/a.js
    if (res.errCode === -5010$105) retry();
    if (arr.indexOf(x) === -$51) add(x);
    //- /src/b.ts
    switch (err.code) {
      case -$21: break;
      case -502005: break;
    }
    const limit = -$6501005;
    //- /app/c.py
    if e.code == -50$31005:
        pass
    # e.code == -$7501005
    //- /mock/d.json
    {"errCode": -$41, "count": -$81}
    "#;

#[test]
fn numeric_codes_get_a_hover_in_js_ts_python_and_json() {
    let mut s = Session::new(FILES);
    // The hover covers the whole number, sign included, and documents each code with it.
    for n in [1, 3] {
        assert_eq!(s.hovered_at(n).as_deref(), Some("-501005"), "${n}");
        let hover = s.hover_at(n).unwrap();
        assert!(hover.contains("`INVALIID_ENV`") && hover.contains("`TCB_INVALID_ENV`"), "${n}: {hover}");
        assert!(hover.contains("(-501005)"), "${n}: {hover}");
    }
    for n in [2, 4] {
        assert_eq!(s.hovered_at(n).as_deref(), Some("-1"), "${n}");
        let hover = s.hover_at(n).unwrap();
        assert!(hover.contains("`UNKNOWN_ERROR`") && hover.contains("(-1)"), "${n}: {hover}");
    }
    // Ordinary numbers: `indexOf(x) === -1`, an unrelated name, a comment, a count.
    for n in [5, 6, 7, 8] {
        assert_eq!(s.hover_at(n), None, "${n}");
    }
    s.shutdown();
}

/// The inlay hints of `path` (whole file), as (line, character, label).
fn hints(s: &mut Session, path: &str) -> Vec<(u64, u64, String)> {
    let range = json!({"start": {"line": 0, "character": 0}, "end": {"line": 100, "character": 0}});
    let params = json!({"textDocument": {"uri": s.uri(path)}, "range": range});
    // Hints come from the analysis of the document's version: ask until it is there.
    let mut answer = Value::Null;
    for _ in 0..100 {
        answer = s.client.request("textDocument/inlayHint", params.clone());
        if answer.as_array().is_some_and(|a| !a.is_empty()) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let list = answer.as_array().cloned().unwrap_or_default();
    list.iter()
        .map(|h| {
            let pos = &h["position"];
            (
                pos["line"].as_u64().unwrap(),
                pos["character"].as_u64().unwrap(),
                h["label"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn numeric_codes_get_an_inlay_hint_with_their_name() {
    let mut s = Session::with(FILES, json!({"inlayHints": true}), default_capabilities());
    // Right after the number; a number with two codes names both, in one hint.
    let both = "INVALIID_ENV | TCB_INVALID_ENV".to_string();
    assert_eq!(hints(&mut s, "/src/a.js"), vec![(0, 27, both.clone())]);
    assert_eq!(
        hints(&mut s, "/src/b.ts"),
        vec![
            (1, 9, "UNKNOWN_ERROR".into()),
            (2, 14, "DATABASE_COLLECTION_NOT_EXIST | TCB_DB_COLLECTION_NOT_EXISTS".into())
        ]
    );
    assert_eq!(hints(&mut s, "/app/c.py"), vec![(0, 20, both)]);
    assert_eq!(hints(&mut s, "/mock/d.json"), vec![(0, 14, "UNKNOWN_ERROR".into())]);
    s.shutdown();
}

#[test]
fn definition_of_a_numeric_code_is_its_names_definition() {
    let mut s = Session::new(
        r#"
        //- /a.ts
        if (e.errCode === -$01) fail(); x("UNKNOWN_$1ERROR");
        if (e.errCode === -50$21005) fail();
        "#,
    );
    let by_number = s.client.request("textDocument/definition", s.at(0));
    let by_name = s.client.request("textDocument/definition", s.at(1));
    assert!(by_name["uri"].as_str().unwrap().ends_with("/UNKNOWN_ERROR.md"), "{by_name}");
    assert_eq!(by_number, by_name);
    // Two codes with one number: both definitions.
    let both = s.client.request("textDocument/definition", s.at(2));
    let uris: Vec<&str> = both.as_array().unwrap().iter().map(|l| l["uri"].as_str().unwrap()).collect();
    assert!(uris.iter().any(|u| u.ends_with("/INVALIID_ENV.md")), "{both}");
    assert!(uris.iter().any(|u| u.ends_with("/TCB_INVALID_ENV.md")), "{both}");
    s.shutdown();
}

/// Uses of UNKNOWN_ERROR by name and by number, in open and closed files.
const REFERENCES: &str = r#"
    //- /src/a.ts
    if (e.code === "UNKNOWN_$0ERROR") fail();
                    ^^^^^^^^^^^^^^^ ref
    if (e.errCode === -1) fail();
                      ^^ ref
    if (arr.indexOf(x) === -1) add(x);
    //- /app/b.py closed
    if err.errno == -1:
                    ^^ ref
        pass
    //- /mock/c.json closed
    {"errCode": -1, "count": -1}
                ^^ ref
    //- /mock/d.yaml closed
    errCode: -1
             ^^ ref
    retries: -1
    "#;

#[test]
fn references_include_numeric_uses() {
    let mut s = Session::new(REFERENCES);
    s.check_references();
    s.shutdown();
}

#[test]
fn references_from_a_number_list_the_uses_of_its_code() {
    // The cursor on a number: the uses of its code, by name and by number.
    let mut s = Session::new(
        r#"
        //- /src/a.ts
        if (e.code === "UNKNOWN_ERROR") fail();
                        ^^^^^^^^^^^^^ ref
        switch (e.errCode) { case -$01: fail(); }
                                  ^^^^ ref
        //- /app/b.py closed
        if err.errno == -1:
                        ^^ ref
            pass
        if s.find(x) == -1:
            pass
        "#,
    );
    s.check_references();
    s.shutdown();
}
