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

/// Go to definition on a built-in code while neither `HOME` nor `XDG_CACHE_HOME` is set: the
/// page is written under the temporary directory, in a folder of our own (mode 0700, owned
/// by us, not a symlink). A symlink or another user's folder planted there is refused, and
/// nothing is written through it.
#[cfg(unix)]
#[test]
fn builtin_definition_pages_never_follow_a_planted_temp_folder() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    let p = crate::common::Project::cloudbase();
    p.write("a.ts", "x = \"EXCEED_RATELIMIT\"\n");
    let tmp = tempfile::tempdir().unwrap();
    let tmp = tmp.path().canonicalize().unwrap();
    let uid = std::fs::metadata(p.path("a.ts")).unwrap().uid();
    let victim = tmp.join("victim");
    std::fs::create_dir(&victim).unwrap();
    std::fs::write(victim.join("keep.txt"), "mine").unwrap();
    let ours = tmp.join(format!("errcode-lsp-{uid}"));

    let definition = |planted: &dyn Fn()| {
        planted();
        let env = [("TMPDIR", tmp.to_str().unwrap())];
        let mut c = crate::common::Client::spawn_env_without(&[], &env, &["HOME", "XDG_CACHE_HOME"]);
        c.initialize(&p.root(), json!({}), default_capabilities());
        let uri = p.uri("a.ts");
        c.open(&uri, "typescript", "x = \"EXCEED_RATELIMIT\"\n");
        let at = json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 8}});
        let found = c.request("textDocument/definition", at);
        c.shutdown();
        found
    };
    let untouched = || {
        let names: Vec<_> = std::fs::read_dir(&victim).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["keep.txt"], "something was written into the planted folder");
    };

    // Symlinks planted where the page could go (the old shared name and ours).
    let symlinks = || {
        std::os::unix::fs::symlink(&victim, tmp.join("errcode-lsp")).unwrap();
        std::os::unix::fs::symlink(&victim, &ours).unwrap();
    };
    let found = definition(&symlinks);
    assert!(found.is_null(), "{found}");
    untouched();
    std::fs::remove_file(tmp.join("errcode-lsp")).unwrap();
    std::fs::remove_file(&ours).unwrap();

    // A real folder, but another user's (or open to others).
    for (owner, mode) in [(uid + 1, 0o700), (uid, 0o777)] {
        let planted = || {
            std::fs::create_dir(&ours).unwrap();
            std::fs::set_permissions(&ours, std::fs::Permissions::from_mode(mode)).unwrap();
            if owner != uid {
                std::os::unix::fs::chown(&ours, Some(owner), None).unwrap();
            }
        };
        if owner != uid && uid != 0 {
            // Only root can give a folder away.
            continue;
        }
        let found = definition(&planted);
        assert!(found.is_null(), "owner {owner}, mode {mode:o}: {found}");
        assert_eq!(std::fs::read_dir(&ours).unwrap().count(), 0, "owner {owner}, mode {mode:o}");
        std::fs::remove_dir(&ours).unwrap();
    }

    // Nothing planted: the folder is made private and the page is in it.
    let found = definition(&|| {});
    let page = found["uri"].as_str().unwrap().strip_prefix("file://").unwrap().to_string();
    assert!(page.starts_with(ours.to_str().unwrap()) && page.ends_with("EXCEED_RATELIMIT.md"), "{found}");
    assert!(std::fs::read_to_string(&page).unwrap().contains("**`EXCEED_RATELIMIT`**"));
    let meta = std::fs::symlink_metadata(&ours).unwrap();
    assert!(meta.is_dir() && meta.uid() == uid && meta.mode() & 0o777 == 0o700, "{:o}", meta.mode());
    assert!(!tmp.join("errcode-lsp").exists());
    untouched();
}

/// Runs the CLI in `dir` with colours forced on (nothing is stripped on the way to the
/// terminal) or off (`NO_COLOR`); returns (exit code, stdout, stderr).
fn cli_colored(dir: &std::path::Path, args: &[&str], color: bool) -> (i32, String, String) {
    let mut command = std::process::Command::new(crate::common::binary());
    command.args(args).current_dir(dir).env("ERRCODE_LSP_CONFIG_DIR", dir.join(".no-user-config"));
    if color {
        command.env("CLICOLOR_FORCE", "1").env_remove("NO_COLOR");
    } else {
        command.env("NO_COLOR", "1");
    }
    let out = command.output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

/// The control characters of `s` a terminal would act on: all but line feeds, once the
/// colour sequences the CLI writes itself (`ESC [ ... m`) are taken out.
fn stray_controls(s: &str) -> Vec<char> {
    let bidi =
        |c: char| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}');
    strip_colors(s).chars().filter(|&c| (c.is_control() && c != '\n') || bidi(c)).collect()
}

/// `s` without the colour sequences (`ESC [ ... m`) the CLI writes itself.
fn strip_colors(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("\u{1b}[") {
        out.push_str(&rest[..i]);
        let params = rest[i + 2..].bytes().take_while(|b| b.is_ascii_digit() || *b == b';').count();
        if rest[i + 2 + params..].starts_with('m') {
            rest = &rest[i + 3 + params..];
        } else {
            out.push('\u{1b}');
            rest = &rest[i + 1..];
        }
    }
    out.push_str(rest);
    out
}

/// Terminal control sequences planted in a file name, a source line, a folder name and a team
/// catalog are printed escaped (`\u{1b}`), never raw, whether colours are on or off: in
/// `check` (findings, fixes), `status`, `codes`, `explain` and error messages.
#[cfg(unix)]
#[test]
fn terminal_output_escapes_control_characters() {
    use std::os::unix::ffi::OsStrExt;

    const EVIL: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J\r\u{8}\u{202e}";
    const ESCAPED: &str = r"\u{1b}]0;pwned\u{7}\u{1b}[2J\r\u{8}\u{202e}";
    let base = tempfile::tempdir().unwrap();
    let root = base.path().join(format!("proj{EVIL}"));
    std::fs::create_dir(&root).unwrap();
    std::fs::write(root.join("package.json"), r#"{"dependencies": {"@cloudbase/js-sdk": "^2"}}"#).unwrap();
    std::fs::write(root.join("errcode.toml"), "catalogs = [\"team.toml\"]\n").unwrap();
    std::fs::write(
        root.join("team.toml"),
        "[catalog]\nname = \"team\\u001b[2J\"\n\n[[codes]]\ncode = \"TEAM_CODE\"\ncategory = \"Team\\u001b]0;x\\u0007\"\n\
         summary = \"Bad\\u001b[2J\\r text\"\ndetails = \"More\\u001b[31m text\\u202e.\"\n",
    )
    .unwrap();
    let name = format!("a{EVIL}.ts");
    std::fs::write(
        root.join(std::ffi::OsStr::from_bytes(name.as_bytes())),
        "y = '\u{1b}[2J'; x = \"EXCEED_RATE_LIMIT\"\n",
    )
    .unwrap();

    for color in [true, false] {
        let run = |args: &[&str]| cli_colored(&root, args, color);
        let (code, out, err) = run(&["check"]);
        assert_eq!(code, 1, "{out}{err}");
        assert_eq!(stray_controls(&out), [], "check, color {color}:\n{out:?}");
        assert!(out.contains(&format!("a{ESCAPED}.ts:1:")), "{out:?}");
        // The caret stays under the literal in the escaped line.
        let plain = strip_colors(&out);
        let lines: Vec<&str> = plain.lines().collect();
        let at = lines.iter().position(|l| l.contains("EXCEED_RATE_LIMIT\"")).unwrap();
        let (code_line, caret_line) = (lines[at], lines[at + 1]);
        assert!(code_line.contains(r"y = '\u{1b}[2J';"), "{code_line:?}");
        let caret = caret_line.find('^').unwrap();
        assert_eq!(&code_line[caret..caret + 17], "EXCEED_RATE_LIMIT", "{code_line:?}\n{caret_line:?}");

        for args in [&["status"][..], &["codes"], &["explain", "TEAM_CODE"], &["explain", "--plain", "TEAM_CODE"]] {
            let (code, out, err) = run(args);
            assert_eq!(code, 0, "{args:?}: {out}{err}");
            assert_eq!(stray_controls(&out), [], "{args:?}, color {color}:\n{out:?}");
            assert_eq!(stray_controls(&err), [], "{args:?}, color {color}:\n{err:?}");
        }
    }
    // Fixes are reported with the name escaped too.
    let (code, out, err) = cli_colored(&root, &["check", "--fix"], true);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(stray_controls(&out), [], "{out:?}");
    assert!(out.contains(&format!("a{ESCAPED}.ts:1:")), "{out:?}");

    // An error message naming a catalog from the config.
    std::fs::write(root.join("errcode.toml"), "enable = [\"x\\u001b[2J\"]\n").unwrap();
    let (code, out, err) = cli_colored(&root, &["check"], true);
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(stray_controls(&err), [], "{err:?}");
    assert!(err.contains(r"x\u{1b}[2J"), "{err:?}");
}
