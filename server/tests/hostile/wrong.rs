//! Wrong results (issue 14): odd names, unreadable files and missing paths are checked or
//! reported, never passed over in silence; positions agree with the editor's.

use std::path::Path;
use std::process::Command;

use crate::common::{binary, cli, Project};

/// Runs the CLI in `dir` as an ordinary user (uid 1000 through `setpriv` when the tests run as
/// root, who can read anything), so that permissions apply; returns (exit code, stdout, stderr).
#[cfg(unix)]
fn cli_as_user(dir: &Path, args: &[&str]) -> (i32, String, String) {
    use std::os::unix::fs::MetadataExt;
    let root = std::fs::metadata("/proc/self").map(|m| m.uid() == 0).unwrap_or(false);
    let mut command = if root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=1000", "--regid=1000", "--clear-groups"]).arg(binary());
        c
    } else {
        Command::new(binary())
    };
    let out = command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("ERRCODE_LSP_CONFIG_DIR", dir.join(".no-user-config"))
        .output()
        .expect("run errcode-lsp");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

/// A CloudBase project that an ordinary user can enter and read.
#[cfg(unix)]
fn shared_project() -> Project {
    use std::os::unix::fs::PermissionsExt;
    let p = Project::cloudbase();
    std::fs::set_permissions(p.root(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(p.path("package.json"), std::fs::Permissions::from_mode(0o644)).unwrap();
    p
}

#[cfg(unix)]
fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A file whose name is not UTF-8 is checked in a directory walk, its name shown lossily.
#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_checked() {
    use std::os::unix::ffi::OsStrExt;
    let p = Project::cloudbase();
    let name = std::ffi::OsStr::from_bytes(b"bad\xff.ts");
    std::fs::write(p.root().join(name), "x = \"EXCEED_RATE_LIMIT\"\n").unwrap();
    let (code, out, err) = cli(&p.root(), &["check"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("bad\u{fffd}.ts:1:6"), "{out}");
    assert!(out.contains("checked 2 files"), "{out}");
}

/// A file or folder named on the command line that cannot be read is an error naming it (exit
/// 2), not "No problems found"; so is one that is neither a file nor a folder.
#[cfg(unix)]
#[test]
fn a_named_path_that_cannot_be_read_is_an_error() {
    let p = shared_project();
    let file = p.write("locked.ts", "x = \"EXCEED_RATE_LIMIT\"\n");
    chmod(&file, 0o000);
    std::fs::create_dir(p.path("closed")).unwrap();
    p.write("closed/a.ts", "x = \"EXCEED_RATE_LIMIT\"\n");
    chmod(&p.path("closed"), 0o000);
    for (args, named) in [
        (&["check", "locked.ts"][..], "locked.ts"),
        (&["check", "closed"], "closed"),
        (&["report", "locked.ts"], "locked.ts"),
    ] {
        let (code, out, err) = cli_as_user(&p.root(), args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains(&format!("{named}: cannot read")) && err.contains("ermission denied"), "{args:?}: {err}");
        assert!(!out.contains("No problems found"), "{args:?}: {out}");
    }
    let fifo = p.path("pipe.ts");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let (code, _, err) = cli_as_user(&p.root(), &["check", "pipe.ts"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("pipe.ts: not a regular file or folder"), "{err}");
    chmod(&p.path("closed"), 0o755);
}

/// A file that cannot even be looked at (its folder is closed) is reported with the real
/// reason, not as "no such file".
#[cfg(unix)]
#[test]
fn a_file_that_cannot_be_looked_at_says_why() {
    let p = shared_project();
    std::fs::create_dir(p.path("closed")).unwrap();
    p.write("closed/a.ts", "x = \"EXCEED_RATE_LIMIT\"\n");
    chmod(&p.path("closed"), 0o000);
    let (code, _, err) = cli_as_user(&p.root(), &["check", "closed/a.ts"]);
    chmod(&p.path("closed"), 0o755);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("closed/a.ts") && err.contains("ermission denied"), "{err}");
    assert!(!err.contains("no such file"), "{err}");
}

/// `status` (and `codes --project`) of a path that does not exist is an error, not the status
/// of `/`.
#[test]
fn status_of_a_missing_path_is_an_error() {
    let p = Project::cloudbase();
    for args in [&["status", "/nonexistent/errcode-project"][..], &["codes", "--project", "missing-dir"]] {
        let (code, out, err) = cli(&p.root(), args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains("no such file or directory"), "{args:?}: {err}");
        assert!(!out.contains("project root: /\n"), "{args:?}: {out}");
    }
}

/// A file starting with a UTF-8 byte order mark: editors drop the mark (VS Code does when it
/// reads the file), so the columns of line 1 are counted from after it: `check` (human and JSON)
/// and the server's index of closed files (references) give the columns the editor shows.
#[test]
fn a_byte_order_mark_is_not_a_column() {
    use crate::common::{check_findings, diagnostic_findings, Client};
    use serde_json::{json, Value};

    let p = Project::cloudbase();
    let text = "x = \"EXCEED_RATE_LIMIT\"; y = \"EXCEED_RATELIMIT\"\nz = \"EXCEED_RATE_LIMIT\"\n";
    p.write("a.ts", &format!("\u{feff}{text}"));
    let (code, out, err) = cli(&p.root(), &["check", "--format", "json", "a.ts"]);
    assert_eq!(code, 1, "{out}{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let (code, human, _) = cli(&p.root(), &["check", "a.ts"]);
    assert_eq!(code, 1);
    assert!(human.contains(" --> a.ts:1:6\n") && human.contains(" --> a.ts:2:6\n"), "{human}");

    // The editor opens the file without the mark.
    let mut c = Client::start(&p.root());
    let uri = p.uri("a.ts");
    c.open(&uri, "typescript", text);
    let diags = c.diagnostics(&uri, Some(1));
    assert_eq!(check_findings(text, &report), diagnostic_findings(text, &diags));

    // A closed file with the mark, found through the index: the same columns.
    p.write("b.ts", &format!("\u{feff}{text}"));
    c.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": p.uri("b.ts"), "type": 1}]}));
    let at = json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 30},
                    "context": {"includeDeclaration": false}});
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let in_b = loop {
        let refs = c.request("textDocument/references", at.clone());
        let in_b: Vec<Value> =
            refs.as_array().into_iter().flatten().filter(|r| r["uri"] == p.uri("b.ts")).cloned().collect();
        if !in_b.is_empty() || std::time::Instant::now() > deadline {
            break in_b;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert_eq!(in_b.len(), 1, "{in_b:?}");
    assert_eq!(in_b[0]["range"], json!({"start": {"line": 0, "character": 30}, "end": {"line": 0, "character": 46}}));
    c.shutdown();
}

/// A document that is no local file (`untitled:`, or a scheme such as `http:`) belongs to the
/// workspace: it gets the first folder's project, not one rooted at the server's working
/// directory (or at `/x.ts` for `http://h/x.ts`).
#[test]
fn documents_without_a_local_file_use_the_workspace_project() {
    use crate::common::Client;

    let p = Project::cloudbase();
    p.write("errcode.toml", "allow = [\"SERVICE_TIMOUT\"]\n");
    let mut c = Client::start(&p.root());
    let text = "x = \"EXCEED_RATE_LIMIT\"; y = \"SERVICE_TIMOUT\"; w = \"EXCEED_RATELIMIT\"\n";
    for uri in ["untitled:Untitled-1", "http://h/x.ts", "vscode-vfs://github/o/r/x.ts"] {
        c.open(uri, "typescript", text);
        let diags = c.diagnostics(uri, Some(1));
        let messages: Vec<&str> = diags.iter().map(|d| d["message"].as_str().unwrap()).collect();
        // The built-in catalogs of the CloudBase workspace, and its errcode.toml's allow list.
        assert_eq!(messages.len(), 1, "{uri}: {messages:?}");
        assert!(messages[0].contains("`EXCEED_RATE_LIMIT`"), "{uri}: {messages:?}");
        let hover = c.hover(uri, 0, 55);
        assert!(hover["contents"]["value"].as_str().is_some_and(|v| v.contains("EXCEED_RATELIMIT")), "{uri}: {hover}");
    }
    c.shutdown();
}

/// In a monorepo whose root is no CloudBase project but a package is, an untitled document
/// gets the built-in catalogs.
#[test]
fn an_untitled_document_in_a_cloudbase_monorepo_gets_the_builtin_catalogs() {
    use crate::common::fixture::Session;

    let mut s = Session::new(
        r#"
        //- no-cloudbase
        //- /.git/HEAD closed
        ref: refs/heads/main
        //- /pkg/package.json closed
        {"dependencies": {"@cloudbase/js-sdk": "^2"}}
        //- /pkg/a.ts
        x = "SERVICE_TIMEOUT"
        "#,
    );
    s.diagnostics("/pkg/a.ts");
    let uri = "untitled:Untitled-2";
    s.client.open(uri, "typescript", "x = \"EXCEED_RATE_LIMIT\"\n");
    let diags = s.client.diagnostics(uri, Some(1));
    assert_eq!(diags.len(), 1, "{diags:?}");
    s.shutdown();
}

/// Without a workspace folder, an untitled document gets the built-in catalogs once a file of
/// a CloudBase project is open (else none), and no "Allow" action: it has no project on disk.
#[test]
fn an_untitled_document_without_a_folder() {
    use crate::common::{default_capabilities, Client};
    use serde_json::{json, Value};

    let p = Project::cloudbase();
    p.write("a.ts", "x = \"SERVICE_TIMEOUT\"\n");
    let mut c = Client::spawn();
    c.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "workspaceFolders": null, "capabilities": default_capabilities()}),
    );
    c.notify("initialized", json!({}));
    let text = "x = \"EXCEED_RATE_LIMIT\"\n";
    c.open("untitled:Untitled-1", "typescript", text);
    assert_eq!(c.diagnostics("untitled:Untitled-1", Some(1)), Vec::<Value>::new());
    c.open(&p.uri("a.ts"), "typescript", "x = \"SERVICE_TIMEOUT\"\n");
    c.diagnostics(&p.uri("a.ts"), Some(1));
    c.open("untitled:Untitled-2", "typescript", text);
    let diags = c.diagnostics("untitled:Untitled-2", Some(1));
    assert_eq!(diags.len(), 1, "{diags:?}");
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": "untitled:Untitled-2"}, "range": diags[0]["range"],
               "context": {"diagnostics": diags}}),
    );
    let titles: Vec<&str> = actions.as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert!(titles.contains(&"Replace with `EXCEED_RATELIMIT`"), "{titles:?}");
    assert!(!titles.iter().any(|t| t.starts_with("Allow")), "{titles:?}");
    c.shutdown();
}
