//! Beyond the open file: workspace index (references, symbols), definition, inlay hints,
//! document links, indexing progress.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::common::fixture::Session;
use crate::common::{default_capabilities, find, Client, Project};

const A: &str = "if (e.code === \"SERVICE_TIMEOUT\") retry();\n";
const B: &str = "RETRY = [\"SERVICE_TIMEOUT\", \"BAD_GATEWAY\"]\n";
const C: &str = "alerts:\n  - SERVICE_TIMEOUT\n";

/// Uses of `SERVICE_TIMEOUT` in three languages, and in files the index must skip: under
/// `node_modules/` and a git-ignored folder.
const PROJECT: &str = r#"
    //- /src/a.ts
    if (e.code === "SER$0VICE_TIMEOUT") retry();
                    ^^^^^^^^^^^^^^^^^ ref
    //- /py/b.py closed
    RETRY = ["SERVICE_TIMEOUT", "BAD_GATEWAY"]
              ^^^^^^^^^^^^^^^ ref
    //- /conf/c.yaml closed
    alerts:
      - SERVICE_TIMEOUT
        ^^^^^^^^^^^^^^^ ref
    //- /node_modules/x/index.js closed
    "SERVICE_TIMEOUT"
    //- /.gitignore
    ignored/
    node_modules/
    //- /.git/HEAD closed
    ref: refs/heads/main
    //- /ignored/d.ts closed
    "SERVICE_TIMEOUT"
    "#;

fn project() -> Project {
    let p = Project::cloudbase();
    p.write("src/a.ts", A);
    p.write("py/b.py", B);
    p.write("conf/c.yaml", C);
    p.write("node_modules/x/index.js", "\"SERVICE_TIMEOUT\"\n");
    p.write(".gitignore", "ignored/\nnode_modules/\n");
    std::fs::create_dir_all(p.path(".git")).unwrap();
    p.write("ignored/d.ts", "\"SERVICE_TIMEOUT\"\n");
    p
}

/// Repeats `f` until `done` holds (the index is built in the background).
fn eventually<C>(c: &mut C, f: impl Fn(&mut C) -> Value, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let v = f(c);
        if done(&v) || Instant::now() > deadline {
            return v;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn references(c: &mut Client, uri: &str, line: u32, col: u32, decl: bool) -> Value {
    c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": col}, "context": {"includeDeclaration": decl}}),
    )
}

fn uris(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v.as_array().unwrap().iter().map(|l| l["uri"].as_str().unwrap().to_string()).collect();
    out.sort();
    out
}

#[test]
fn references_span_the_workspace_respecting_gitignore() {
    let mut s = Session::new(PROJECT);
    s.check_references();
    // With the declaration: the built-in documentation page comes first.
    let with_decl = s.references(true);
    assert!(with_decl[0]["uri"].as_str().unwrap().ends_with("/SERVICE_TIMEOUT.md"), "{with_decl}");
    s.shutdown();
}

#[test]
fn the_index_follows_open_buffers_and_files_on_disk() {
    let mut s = Session::new(PROJECT);
    s.check_references();
    // An unsaved edit adds a second use in the open buffer.
    s.change(
        "/src/a.ts",
        r#"
        if (e.code === "SER$0VICE_TIMEOUT") retry();
                        ^^^^^^^^^^^^^^^^^ ref
        x("SERVICE_TIMEOUT")
           ^^^^^^^^^^^^^^^ ref
        "#,
    );
    s.diagnostics("/src/a.ts");
    s.check_references_now();
    // A file deleted on disk disappears; a new one appears.
    s.delete("/py/b.py");
    s.write(
        "/go/e.go",
        r#"
        package e
        var c = "SERVICE_TIMEOUT"
                 ^^^^^^^^^^^^^^^ ref
        "#,
    );
    s.check_references();
    s.shutdown();
}

#[test]
fn workspace_symbols_are_fuzzy_and_include_uses() {
    let mut s = Session::new(PROJECT);
    let symbols = eventually(
        &mut s.client,
        |c| c.request("workspace/symbol", json!({"query": "svctimeout"})),
        |v| v.as_array().is_some_and(|a| a.len() >= 4),
    );
    let list = symbols.as_array().unwrap();
    assert!(list.iter().all(|s| s["name"] == "SERVICE_TIMEOUT"), "{symbols}");
    assert!(list[0]["location"]["uri"].as_str().unwrap().ends_with(".md"), "the definition comes first: {symbols}");
    assert!(list.iter().any(|s| s["containerName"] == "used in py/b.py"), "{symbols}");
    let none = s.client.request("workspace/symbol", json!({"query": "zzzzqqq"}));
    assert_eq!(none, json!([]));
    s.shutdown();
}

#[test]
fn definition_of_team_and_builtin_codes() {
    let mut s = Session::new(
        r#"
        //- /errcode.toml
        catalogs = ["errors.yaml"]
        //- /errors.yaml closed
        catalog:
          name: ours
        codes:
          - code: ORDER_NOT_PAID
            category: Orders
            summary: The order is unpaid.
        //- /a.ts
        $2a("ORDER_$0NOT_PAID"); b("FUNCTION_$1NOT_FOUND");
        "#,
    );
    let def = s.client.request("textDocument/definition", s.at(0));
    assert_eq!(def["uri"], s.uri("/errors.yaml"));
    assert_eq!(def["range"]["start"]["line"], 3);
    let def = s.client.request("textDocument/definition", s.at(1));
    let page = def["uri"].as_str().unwrap().strip_prefix("file://").unwrap().to_string();
    let content = std::fs::read_to_string(&page).unwrap();
    assert!(content.contains("FUNCTION_NOT_FOUND") && content.contains("Cloud Function"), "{content}");
    assert!(std::fs::metadata(&page).unwrap().permissions().readonly());
    assert!(s.client.request("textDocument/definition", s.at(2)).is_null());
    s.shutdown();
}

#[test]
fn inlay_hints_are_off_by_default_and_show_summaries_when_on() {
    let fixture = "//- /a.py\nx = \"EXCEED_RATELIMIT$0\"\ny = 1\n";
    let range = json!({"start": {"line": 0, "character": 0}, "end": {"line": 2, "character": 0}});
    let mut s = Session::new(fixture);
    let params = json!({"textDocument": {"uri": s.uri("/a.py")}, "range": range});
    let hints = s.client.request("textDocument/inlayHint", params.clone());
    assert!(hints.is_null() || hints == json!([]), "{hints}");
    s.shutdown();

    let mut s = Session::with(fixture, json!({"inlayHints": true}), default_capabilities());
    let params = json!({"textDocument": {"uri": s.uri("/a.py")}, "range": range});
    let hints = s.client.request("textDocument/inlayHint", params);
    assert_eq!(hints.as_array().unwrap().len(), 1, "{hints}");
    // At the end of the code.
    assert_eq!(hints[0]["position"], s.at(0)["position"]);
    assert!(hints[0]["label"].as_str().unwrap().contains("QPS"), "{hints}");
    s.shutdown();
}

#[test]
fn document_links_point_at_the_docs() {
    let mut s = Session::new(
        r#"
        a("EXCEED_RATELIMIT"); b("NOT_A_CODE_X");
           ^^^^^^^^^^^^^^^^ link
        "#,
    );
    let links = s.check_links();
    assert!(links[0]["target"].as_str().unwrap().starts_with("https://docs.cloudbase.net/"), "{links:?}");
    s.shutdown();
}

#[test]
fn indexing_reports_progress_and_does_not_delay_hover() {
    let p = Project::cloudbase();
    // A tree large enough that indexing takes a while.
    let body = "const s = \"SERVICE_TIMEOUT\"; // a comment that isn't short\n".repeat(300);
    for i in 0..600 {
        p.write(&format!("gen/{}/f{i}.ts", i % 20), &body);
    }
    let mut caps = default_capabilities();
    caps["window"] = json!({"workDoneProgress": true});
    let mut c = Client::spawn();
    c.initialize(&p.root(), json!({}), caps);
    let uri = p.uri("a.ts");
    c.open(&uri, "typescript", "x(\"BAD_GATEWAY\")\n");
    let started = Instant::now();
    let hover = c.hover(&uri, 0, 5);
    let hover_time = started.elapsed();
    assert!(hover["contents"]["value"].as_str().unwrap().contains("BAD_GATEWAY"));
    c.wait_for(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "begin");
    let end = c.wait_for(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end");
    // The 600 files on disk and the open buffer.
    assert!(end["params"]["value"]["message"].as_str().unwrap().contains("601 files"), "{end}");
    eprintln!("first hover while indexing: {hover_time:?}; indexing done after {:?}", started.elapsed());
    c.shutdown();
}

#[test]
fn turning_inlay_hints_on_asks_the_client_to_refresh_them() {
    let p = Project::cloudbase();
    let mut caps = default_capabilities();
    caps["workspace"]["inlayHint"] = json!({"refreshSupport": true});
    let mut c = Client::spawn();
    c.initialize(&p.root(), json!({}), caps);
    c.notify("workspace/didChangeConfiguration", json!({"settings": {"errcode": {"inlayHints": true}}}));
    c.wait_for(|m| m["method"] == "workspace/inlayHint/refresh");
    c.shutdown();
}

/// Removing a workspace folder removes its files from references and workspace symbols.
#[test]
fn a_removed_folder_leaves_references_and_symbols() {
    let a = project();
    let b = Project::cloudbase();
    b.write("b.ts", "x(\"SERVICE_TIMEOUT\")\n");
    let mut c = Client::spawn();
    let (ua, ub) = (format!("file://{}", a.root().display()), format!("file://{}", b.root().display()));
    c.request(
        "initialize",
        json!({"processId": null, "rootUri": ua, "capabilities": default_capabilities(),
               "workspaceFolders": [{"uri": ua, "name": "a"}, {"uri": ub, "name": "b"}]}),
    );
    c.notify("initialized", json!({}));
    let uri = a.uri("src/a.ts");
    c.open(&uri, "typescript", A);
    let (line, col) = find(A, "SERVICE_TIMEOUT", 2);
    let refs =
        eventually(&mut c, |c| references(c, &uri, line, col, false), |v| v.as_array().is_some_and(|a| a.len() == 4));
    assert!(uris(&refs).contains(&b.uri("b.ts")), "{refs}");
    c.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [], "removed": [{"uri": ub, "name": "b"}]}}),
    );
    let refs = references(&mut c, &uri, line, col, false);
    assert!(!uris(&refs).contains(&b.uri("b.ts")), "{refs}");
    let symbols = c.request("workspace/symbol", json!({"query": "SERVICE_TIMEOUT"}));
    let in_b = symbols.as_array().unwrap().iter().filter(|s| s["location"]["uri"] == b.uri("b.ts")).count();
    assert_eq!(in_b, 0, "{symbols}");
    c.shutdown();
}

/// `textDocument/documentHighlight`: the other uses of the same code in the file.
#[test]
fn document_highlight_marks_the_uses_of_the_code_in_the_file() {
    let mut s = Session::new(
        r#"
        $1if (e.code === "SER$0VICE_TIMEOUT") retry();
                          ^^^^^^^^^^^^^^^^^ ref
        const other = "BAD_GATEWAY";
        log(`got SERVICE_TIMEOUT`);
                 ^^^^^^^^^^^^^^^ ref
        "#,
    );
    s.diagnostics("/a.ts");
    s.check_highlights();
    // Nothing on a non-code.
    let params = s.at(1);
    assert!(s.client.request("textDocument/documentHighlight", params).is_null());
    s.shutdown();
}

const USE: &str = "if (e.code === \"SERVICE_TIMEOUT\" || e.code === \"SERVICE_TIMOUT\") {}\n";

/// A tree with a file of every kind a walk leaves out: git-ignored, in a default-excluded
/// folder, minified by name or by text, marked generated by a header or vendored by
/// `.gitattributes`, binary, not UTF-8, over the size limit.
fn mixed_tree() -> Project {
    let p = Project::cloudbase();
    std::fs::create_dir_all(p.path(".git")).unwrap();
    p.write(".gitignore", "ignored/\n");
    p.write(".gitattributes", "third/** linguist-vendored\n");
    p.write("errcode.toml", "max_file_size = 4000\n");
    p.write("src/a.ts", USE);
    p.write("src/z.ts", USE);
    p.write("ignored/b.ts", USE);
    p.write("dist/c.js", USE);
    p.write("miniprogram_npm/d.js", USE);
    p.write("lib/e.min.js", USE);
    p.write("src/bundle.js", &format!("{USE}var x = [{}];\n", "1,".repeat(700)));
    p.write("src/gen.ts", &format!("// @generated by protoc\n{USE}"));
    p.write("third/f.js", USE);
    std::fs::write(p.path("src/bin.ts"), format!("{USE}\0\x01").as_bytes()).unwrap();
    let mut latin1 = USE.as_bytes().to_vec();
    latin1.extend_from_slice(b"// caf\xe9\n");
    std::fs::write(p.path("src/latin1.ts"), latin1).unwrap();
    p.write("src/huge.ts", &USE.repeat(80));
    p
}

/// `check`, `report`, the workspace index, the file watcher and open buffers judge files by the
/// one walk policy: the same files are checked, the same are skipped and counted.
#[test]
fn check_report_index_and_watcher_agree_on_what_is_walked() {
    let p = mixed_tree();
    let (code, out, _) = crate::common::cli(&p.root(), &["check", "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let check: Value = serde_json::from_str(&out).unwrap();
    let mut paths: Vec<&str> =
        check["findings"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    paths.sort();
    assert_eq!(paths, ["src/a.ts", "src/z.ts"], "{out}");
    let skipped =
        json!({"binary": 1, "not_utf8": 1, "too_large": 1, "unreadable": 0, "generated": 4, "excluded_folders": 2});
    assert_eq!(check["summary"]["skipped"], skipped);
    let (_, human, _) = crate::common::cli(&p.root(), &["check"]);
    assert!(human.contains("skipped 7 (4 generated or vendored, 1 binary, 1 not UTF-8, 1 too large)"), "{human}");
    assert!(human.contains("left out 2 excluded folders"), "{human}");

    let (_, out, _) = crate::common::cli(&p.root(), &["report", "--format", "json"]);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["totals"]["skipped"], skipped, "{out}");
    assert_eq!(report["totals"]["files_checked"], check["summary"]["files_checked"]);
    assert_eq!(report["totals"]["files"], 2, "files using a code: {out}");

    // The workspace index holds the same two files.
    let mut c = Client::start(&p.root());
    let uri = p.uri("src/a.ts");
    c.open(&uri, "typescript", USE);
    let (line, col) = find(USE, "SERVICE_TIMEOUT", 2);
    let refs = eventually(&mut c, |c| references(c, &uri, line, col, false), |v| uris(v).contains(&p.uri("src/z.ts")));
    assert_eq!(uris(&refs), [p.uri("src/a.ts"), p.uri("src/z.ts")]);
    // Files created later are judged alike when the editor reports them.
    let created = ["ignored/b2.ts", "dist/c2.js", "lib/e2.min.js", "third/f2.js", "src/gen2.ts", "src/y.ts"];
    for rel in created {
        let text = if rel.ends_with("gen2.ts") { format!("// @generated\n{USE}") } else { USE.to_string() };
        p.write(rel, &text);
    }
    let changes: Vec<Value> = created.iter().map(|rel| json!({"uri": p.uri(rel), "type": 1})).collect();
    c.notify("workspace/didChangeWatchedFiles", json!({ "changes": changes }));
    eventually(&mut c, |c| references(c, &uri, line, col, false), |v| uris(v).contains(&p.uri("src/y.ts")));
    std::thread::sleep(Duration::from_millis(300));
    let refs = references(&mut c, &uri, line, col, false);
    assert_eq!(uris(&refs), [p.uri("src/a.ts"), p.uri("src/y.ts"), p.uri("src/z.ts")]);
    // An open buffer of a generated or excluded file gets no diagnostics; a source file does.
    assert_eq!(c.diagnostics(&uri, None).len(), 1);
    for rel in ["dist/c.js", "lib/e.min.js", "third/f.js", "src/gen.ts"] {
        let text = std::fs::read_to_string(p.path(rel)).unwrap();
        c.open(&p.uri(rel), "javascript", &text);
        assert_eq!(c.diagnostics(&p.uri(rel), None), Vec::<Value>::new(), "{rel}");
    }
    c.shutdown();
}
