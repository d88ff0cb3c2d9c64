//! Code actions: quick fixes per suggestion, "allow this literal", and fix-all.

use expect_test::expect;
use serde_json::{json, Value};

use crate::common::fixture::{check_fix, check_fix_all, render_actions, Session, CREATED};
use crate::common::{applied_edits, default_capabilities, Client, Project};

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

#[test]
fn quick_fix_replaces_with_the_suggestion_and_is_preferred() {
    let mut s = Session::new(r#"if (e.code === "EXCEED_$0RATE_LIMIT") {}"#);
    s.check_code_actions(expect![[r#"
        Replace with `EXCEED_RATELIMIT` (quickfix, preferred)
        Allow `EXCEED_RATE_LIMIT` in errcode.toml (quickfix)
        Fix all error codes (1) (source.fixAll.errcode)
    "#]]);
    s.check_fix("Replace with `EXCEED_RATELIMIT`", r#"if (e.code === "EXCEED_RATELIMIT") {}"#);
    s.shutdown();
}

#[test]
fn stale_diagnostics_get_no_fix() {
    let mut s = Session::new(r#"x = "EXCEED_$0RATE_LIMIT""#);
    let diags = s.diagnostics("/a.ts");
    s.change("/a.ts", r#"x = "SOMETHING_$0ELSE_NOW""#);
    let list = s.code_actions_for(&diags, Some("quickfix"));
    assert!(list.is_empty(), "{}", render_actions(&list));
    s.shutdown();
}

#[test]
fn allow_creates_errcode_toml_and_the_diagnostic_goes_away() {
    let mut s = Session::new(r#"x = "EXCEED_$0RATE_LIMIT""#);
    let allow = s.code_action("Allow `EXCEED_RATE_LIMIT` in errcode.toml");
    let ops = allow["edit"]["documentChanges"].as_array().unwrap();
    assert_eq!(ops[0]["kind"], "create");
    // Apply it as an editor would, then tell the server the file changed.
    s.check_fix(
        "Allow `EXCEED_RATE_LIMIT` in errcode.toml",
        r#"
        //- /errcode.toml
        # errcode-lsp project configuration

        # Literals that are never flagged.
        allow = ["EXCEED_RATE_LIMIT"]
        "#,
    );
    s.file_event("/errcode.toml", CREATED);
    assert!(s.next_diagnostics("/a.ts").is_empty());
    s.shutdown();
}

#[test]
fn allow_updates_an_existing_config_keeping_comments() {
    check_fix(
        r#"
        //- /.errcode.toml
        # ours
        allow = ["MY_OWN_CODE"]
        //- /a.ts
        x = "EXCEED_$0RATE_LIMIT"
        "#,
        "Allow `EXCEED_RATE_LIMIT` in .errcode.toml",
        r#"
        //- /.errcode.toml
        # ours
        allow = ["MY_OWN_CODE", "EXCEED_RATE_LIMIT"]
        "#,
    );
}

#[test]
fn fix_all_rewrites_every_fixable_finding() {
    check_fix_all(
        r#"
        //- /a.py
        A = ["EXCEED_RATE_LIMIT", "SERVICE_TIMOUT"]
        B = "FUNCTON_NOT_FOUND"
        C = "INVALID_ENV_ID"
        "#,
        r#"
        //- /a.py
        A = ["EXCEED_RATELIMIT", "SERVICE_TIMEOUT"]
        B = "FUNCTION_NOT_FOUND"
        C = "INVALID_ENV"
        "#,
    );
}

/// Two "allow" actions in a row where no errcode.toml exists yet, without a file-watch event
/// in between (Neovim on Linux sends none by default): the second must extend the file the
/// first created, not write a second `allow` list.
#[test]
fn two_allows_in_a_row_write_one_valid_allow_list() {
    for lazy in [false, true] {
        let mut caps = default_capabilities();
        if lazy {
            caps["textDocument"]["codeAction"]["resolveSupport"] = json!({"properties": ["edit"]});
        }
        let fixture = "x = \"EXCEED_RATE_LIMIT$0\"\ny = \"FUNCTON_NOT_FOUND$1\"\n";
        let mut s = Session::with(fixture, json!({}), caps);
        for (n, literal) in [(0, "EXCEED_RATE_LIMIT"), (1, "FUNCTON_NOT_FOUND")] {
            let allow = s.code_action_at(n, &format!("Allow `{literal}` in errcode.toml"));
            s.apply_edit(&allow["edit"]);
        }
        let text = s.project.read("errcode.toml");
        let config: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("invalid TOML ({e}):\n{text}"));
        assert_eq!(config["allow"], toml::Value::from(vec!["EXCEED_RATE_LIMIT", "FUNCTON_NOT_FOUND"]), "{text}");
        s.shutdown();
    }
}

/// A team catalog's declarations are definitions, not uses: a deprecated code listed in it is
/// never a finding there, and fix-all never rewrites it (that broke the catalog: the code was
/// then listed twice).
#[test]
fn a_catalog_file_gets_no_findings_and_no_fix_all() {
    let mut s = Session::new(
        r#"
        //- /errcode.toml
        catalogs = ["team/codes.toml"]
        //- /team/codes.toml
        $0[catalog]
        name = "team"

        [[codes]]
        code = "OLD_TEAM_CODE"
        category = "Team"
        summary = "Old."
        status = "deprecated"
        replaced_by = "NEW_TEAM_CODE"

        [[codes]]
        code = "NEW_TEAM_CODE"
        category = "Team"
        summary = "New."
        //- /a.ts
        x = "OLD_TEAM_CODE"
             ^^^^^^^^^^^^^ warning deprecated-code (deprecated): `OLD_TEAM_CODE` is deprecated
        "#,
    );
    // A use elsewhere is still a finding; the declaration is not.
    s.check_diagnostics();
    assert_eq!(s.code_actions(Some("source.fixAll")), Vec::<Value>::new());
    s.shutdown();
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
    c.wait_for_within(std::time::Duration::from_secs(60), |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
    });
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
    let fixed = text.replace("EXCEED_RATE_LIMIT", "EXCEED_RATELIMIT");
    for id in fixes {
        let r = c.wait_for_within(std::time::Duration::from_secs(60), |m| m.get("method").is_none() && m["id"] == id);
        let edits = r["result"][0]["edit"]["changes"][&uri].as_array().cloned().unwrap_or_default();
        // 100,000 fixes packed together go as one edit (see the next test).
        assert_eq!(edits.len(), 1);
        assert_eq!(applied_edits(&text, &edits), fixed);
    }
    c.shutdown();
}

/// Fix-all sends one edit per fix, unless there are at least 1,000 and one edit from the first
/// fix to the last is smaller than their JSON; either way the fixed text is the same.
#[test]
fn fix_all_sends_one_edit_only_when_that_is_smaller() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let dense = |n: usize| "\"EXCEED_RATE_LIMIT\",\n".repeat(n);
    let sparse = |n: usize| format!("\"EXCEED_RATE_LIMIT\", // {}\n", "x".repeat(200)).repeat(n);
    // (name, text, edits sent)
    let cases = [
        ("dense.ts", dense(1500), 1),
        ("few.ts", dense(999), 999),
        ("sparse.ts", sparse(1500), 1500),
        ("middle.ts", format!("const a = 1;\n{}const b = 2;\n", dense(1200)), 1),
    ];
    for (name, text, sent) in cases {
        let uri = p.uri(name);
        c.open(&uri, "typescript", &text);
        c.diagnostics(&uri, Some(1));
        let response = c.request("textDocument/codeAction", fix_all_params(&uri));
        let edits = response[0]["edit"]["changes"][&uri].as_array().cloned().unwrap_or_default();
        assert_eq!(edits.len(), sent, "{name}");
        assert_eq!(applied_edits(&text, &edits), text.replace("EXCEED_RATE_LIMIT", "EXCEED_RATELIMIT"), "{name}");
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
    let mut caps = default_capabilities();
    caps["textDocument"].as_object_mut().unwrap().remove("codeAction");
    let mut s = Session::with(r#"x = "EXCEED_$0RATE_LIMIT""#, json!({}), caps);
    s.check_code_actions(expect![[r#"
        Replace with `EXCEED_RATELIMIT` (command errcode.applyEdit)
        Allow `EXCEED_RATE_LIMIT` in errcode.toml (command errcode.applyEdit)
        Fix all error codes (1) (command errcode.applyEdit)
    "#]]);
    let replace = s.code_action("Replace with `EXCEED_RATELIMIT`");
    assert!(replace.get("edit").is_none() && replace.get("kind").is_none(), "a literal was sent: {replace}");
    let command = json!({"command": replace["command"], "arguments": replace["arguments"]});
    s.client.request("workspace/executeCommand", command);
    let apply = s.client.wait_for(|m| m["method"] == "workspace/applyEdit");
    s.check_edit(&apply["params"]["edit"], r#"x = "EXCEED_RATELIMIT""#);
    s.shutdown();
}

/// Clients that do not send `diagnostic.data` back (ALE, vim-lsp) still get quick fixes: they
/// are computed from the document.
#[test]
fn quick_fixes_without_diagnostic_data() {
    let mut s = Session::new(r#"if (e.code === "EXCEED_$0RATE_LIMIT") {}"#);
    let mut diags = s.diagnostics("/a.ts");
    diags[0].as_object_mut().unwrap().remove("data");
    let list = s.code_actions_for(&diags, Some("quickfix"));
    expect![[r#"
        Replace with `EXCEED_RATELIMIT` (quickfix, preferred)
        Allow `EXCEED_RATE_LIMIT` in errcode.toml (quickfix)
    "#]]
    .assert_eq(&render_actions(&list));
    let fix = list.iter().find(|a| a["title"] == "Replace with `EXCEED_RATELIMIT`").unwrap();
    s.check_edit(&fix["edit"], r#"if (e.code === "EXCEED_RATELIMIT") {}"#);
    s.shutdown();
}

/// A deprecated code where it is compared is an unsafe fix (the service may still send the old
/// code): fix-all leaves it, and the `unsafeFixes` setting lets fix-all apply it too. A misspelling and a produced code are safe.
#[test]
fn fix_all_leaves_unsafe_fixes_unless_the_setting_allows_them() {
    let before = r#"
        //- /a.ts
        if (e.code === "CHECK_LOGIN_FAILED") {}
        const sent = "INVALID_ENV_ID";
        const t = "FUNCTON_NOT_FOUND";
        "#;
    let mut s = Session::new(before);
    s.check_fix_all(
        r#"
        //- /a.ts
        if (e.code === "CHECK_LOGIN_FAILED") {}
        const sent = "INVALID_ENV";
        const t = "FUNCTION_NOT_FOUND";
        "#,
    );
    s.shutdown();
    let mut s = Session::with(before, json!({"unsafeFixes": true}), default_capabilities());
    s.check_fix_all(
        r#"
        //- /a.ts
        if (e.code === "ACCESS_TOKEN_EXPIRED") {}
        const sent = "INVALID_ENV";
        const t = "FUNCTION_NOT_FOUND";
        "#,
    );
    s.shutdown();
}

/// In an untrusted workspace (VS Code's Restricted Mode) the project's errcode.toml is not
/// read, but "Allow" still edits that file: it must extend its `allow` list, as in a trusted
/// workspace, not add a second one (a duplicate key breaks the file).
#[test]
fn allow_in_an_untrusted_workspace_extends_the_existing_allow_list() {
    for lazy in [false, true] {
        let mut caps = default_capabilities();
        if lazy {
            caps["textDocument"]["codeAction"]["resolveSupport"] = json!({"properties": ["edit"]});
        }
        let fixture = r#"
            //- /errcode.toml
            # ours
            allow = ["MY_OWN_CODE"]
            //- /a.ts
            x = "EXCEED_$0RATE_LIMIT"
        "#;
        let mut s = Session::with(fixture, json!({"trusted": false}), caps);
        let allow = s.code_action("Allow `EXCEED_RATE_LIMIT` in errcode.toml");
        let allow = s.resolve(allow);
        s.apply_edit(&allow["edit"]);
        let text = s.project.read("errcode.toml");
        let config: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("invalid TOML ({e}):\n{text}"));
        assert_eq!(config["allow"], toml::Value::from(vec!["MY_OWN_CODE", "EXCEED_RATE_LIMIT"]), "{text}");
        assert!(text.starts_with("# ours\n"), "{text}");
        s.shutdown();
    }
}

/// A package of a repository inherits the repository's errcode.toml: "Allow" extends that file
/// (trusted or not), instead of creating a new errcode.toml in the package, which would then
/// shadow everything the repository's file says.
#[test]
fn allow_extends_the_inherited_config() {
    for trusted in [true, false] {
        let fixture = r#"
            //- /.git/HEAD closed
            ref: refs/heads/main
            //- /errcode.toml
            # ours
            allow = ["MY_OWN_CODE"]
            //- /pkg/package.json closed
            {"dependencies": {"@cloudbase/js-sdk": "^2"}}
            //- /pkg/a.ts
            x = "EXCEED_$0RATE_LIMIT"
        "#;
        let mut s = Session::with(fixture, json!({"trusted": trusted}), default_capabilities());
        let allow = s.code_action("Allow `EXCEED_RATE_LIMIT` in errcode.toml");
        let changed = s.apply_edit(&allow["edit"]);
        assert_eq!(changed, ["errcode.toml"], "trusted: {trusted}");
        let text = s.project.read("errcode.toml");
        assert_eq!(text, "# ours\nallow = [\"MY_OWN_CODE\", \"EXCEED_RATE_LIMIT\"]\n", "trusted: {trusted}");
        assert!(!s.project.path("pkg/errcode.toml").exists(), "trusted: {trusted}");
        s.shutdown();
    }
}
