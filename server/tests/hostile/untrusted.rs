//! Untrusted content (issue 14): a team catalog comes from the repository, so its text reaches
//! hovers, links and fixes only made safe; planted files and odd names change nothing outside
//! the tree.

use expect_test::expect;
use serde_json::json;

use crate::common::default_capabilities;
use crate::common::fixture::Session;

/// A team catalog whose text tries raw HTML, images, `command:` and `javascript:` links,
/// reference definitions and a `javascript:` docs URL.
const HOSTILE_CATALOG: &str = r#"
    //- /errcode.toml
    catalogs = ["team.toml"]
    //- /team.toml closed
    [catalog]
    name = "team"

    [[codes]]
    code = "TEAM_CODE"
    category = "Team <b>bold</b>"
    summary = "Bad <img src=http://evil.example/x.png> [run](command:workbench.action.terminal.new) ![pixel](https://evil.example/p.png)"
    details = """
    <script>alert(1)</script>

    [ref]: javascript:alert(1)

    [click][ref], <https://evil.example> and [ok](https://example.com/ok), `Map<K, V>` &lt;ok&gt; a < b
    """
    docs = "javascript:alert(1)"

    [[codes]]
    code = "TEAM_COMMAND"
    category = "Team"
    summary = "A command link as docs."
    docs = "command:workbench.action.terminal.new"

    [[codes]]
    code = "TEAM_OLD_NAME"
    category = "Team"
    summary = "Deprecated, with a script as docs."
    status = "deprecated"
    replaced_by = "TEAM_LINKED"
    docs = "javascript:alert(2)"

    [[codes]]
    code = "TEAM_LINKED"
    category = "Team"
    summary = "Safe docs."
    docs = "https://example.com/TEAM_LINKED"
"#;

#[test]
fn hover_markdown_of_a_team_catalog_has_no_html_and_only_http_links() {
    let fixture = format!("{HOSTILE_CATALOG}    //- /a.ts\n    x = \"TEAM_$0CODE\"\n");
    let mut s = Session::new(&fixture);
    // The word joiner after `<` in code is invisible; shown here as {WJ}.
    let hover = s.hover().expect("a hover").replace('\u{2060}', "{WJ}");
    for bad in ["<img", "<b>", "<script", "<https:", "](command:", "](javascript:"] {
        assert!(!hover.contains(bad), "{bad:?} reached the client:\n{hover}");
    }
    // The image and the definition are text (escaped).
    assert_eq!(hover.matches("![").count(), hover.matches("\\![").count(), "{hover}");
    assert_eq!(hover.matches("[ref]:").count(), hover.matches("\\[ref]:").count(), "{hover}");
    expect![[r#"
        x = "TEAM_CODE"
             ^^^^^^^^^ markdown
        ---
        **`TEAM_CODE`** · team · Team &lt;b>bold&lt;/b>

        Bad &lt;img src=http://evil.example/x.png> [run]\(command:workbench.action.terminal.new) \![pixel](https://evil.example/p.png)

        &lt;script>alert(1)&lt;/script>

        \[ref]: javascript:alert(1)

        [click][ref], &lt;https://evil.example> and [ok](https://example.com/ok), `Map<{WJ}K, V>` &amp;lt;ok&amp;gt; a < b

        [Documentation]\(javascript:alert(1))
    "#]]
    .assert_eq(&hover);
    s.shutdown();
}

#[test]
fn only_http_docs_become_document_links_and_code_descriptions() {
    let fixture = format!(
        "{HOSTILE_CATALOG}    //- /a.ts\n    x = [\"TEAM_CODE\", \"TEAM_COMMAND\", \"TEAM_LINKED\", \"TEAM_LINKD\", \"TEAM_OLD_NAME\"]\n{}\n",
        "                                       ^^^^^^^^^^^ link"
    );
    let mut caps = default_capabilities();
    caps["textDocument"]["publishDiagnostics"]["codeDescriptionSupport"] = json!(true);
    let mut s = Session::with(&fixture, json!({}), caps);
    let links = s.check_links();
    assert_eq!(links[0]["target"], "https://example.com/TEAM_LINKED", "{links:?}");
    // A diagnostic's description links the docs of its code only when they are an http link:
    // the misspelling of TEAM_LINKED does, the deprecated code with a script as docs does not.
    let diags = s.diagnostics("/a.ts");
    assert_eq!(diags.len(), 2, "{diags:?}");
    assert_eq!(diags[0]["codeDescription"]["href"], "https://example.com/TEAM_LINKED", "{diags:?}");
    assert!(diags[1]["message"].as_str().unwrap().contains("TEAM_OLD_NAME"), "{diags:?}");
    assert!(diags[1].get("codeDescription").is_none(), "{diags:?}");
    s.shutdown();
}
