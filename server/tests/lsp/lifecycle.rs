//! The LSP lifecycle as the specification words it: progress that always ends, exit codes,
//! no orphaned server when the editor goes away, `$/` requests.

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::{json, Value};

use crate::common::{default_capabilities, Client, Project};

/// Capabilities of a client that shows work-done progress (VS Code's).
fn with_progress() -> Value {
    let mut caps = default_capabilities();
    caps["window"] = json!({"workDoneProgress": true});
    caps
}

/// The tokens of `$/progress` notifications of `kind` among `msgs`.
fn progress_tokens(msgs: &[Value], kind: &str) -> BTreeSet<String> {
    msgs.iter()
        .filter(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == kind)
        .map(|m| m["params"]["token"].to_string())
        .collect()
}

/// vscode-languageclient sends `workspace/didChangeConfiguration` right after `initialized`:
/// the indexing run it supersedes must still end its progress, or the status bar says
/// "indexing" forever.
#[test]
fn superseded_indexing_still_ends_its_progress() {
    let p = Project::cloudbase();
    p.write("src/a.ts", "if (e.code === \"SERVICE_TIMEOUT\") retry();\n");
    let mut c = Client::start_with(&p.root(), json!({}), with_progress());
    c.notify("workspace/didChangeConfiguration", json!({"settings": {"errcode": {"allow": ["MY_CODE_ONE"]}}}));
    c.notify("workspace/didChangeConfiguration", json!({"settings": {"errcode": {"allow": ["MY_CODE_TWO"]}}}));
    // Collect until every begun progress has ended (or time runs out).
    let mut seen = Vec::new();
    for _ in 0..40 {
        seen.extend(c.drain(Duration::from_millis(250)));
        let (begun, ended) = (progress_tokens(&seen, "begin"), progress_tokens(&seen, "end"));
        if !begun.is_empty() && begun == ended {
            break;
        }
    }
    let (begun, ended) = (progress_tokens(&seen, "begin"), progress_tokens(&seen, "end"));
    assert!(!begun.is_empty(), "no indexing progress at all: {seen:#?}");
    assert_eq!(begun, ended, "progress begun but never ended");
    c.shutdown();
}

#[test]
fn exit_without_shutdown_exits_with_status_1() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit(Duration::from_secs(10)), Some(1));
}

#[test]
fn exit_after_shutdown_exits_with_status_0() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    c.request("shutdown", Value::Null);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit(Duration::from_secs(10)), Some(0));
}

/// A crashed editor closes the server's stdin while the server waits for the answer to its
/// own request (`client/registerCapability` here): the server must not linger.
#[test]
fn closed_stdin_ends_the_server_even_with_a_request_unanswered() {
    let p = Project::cloudbase();
    let mut c = Client::spawn();
    c.answer_requests = false;
    let uri = format!("file://{}", p.root().display());
    c.request(
        "initialize",
        json!({"processId": null, "rootUri": uri, "capabilities": default_capabilities(), "workspaceFolders": null}),
    );
    c.notify("initialized", json!({}));
    let registration = c.wait_for(|m| m["method"] == "client/registerCapability");
    assert!(registration.get("id").is_some());
    c.close_stdin();
    assert_eq!(c.wait_exit(Duration::from_secs(5)), Some(1), "the server outlived its client");
}

/// The server watches the editor's `processId` and exits when it is gone, even while its
/// stdin stays open.
#[cfg(unix)]
#[test]
fn the_server_exits_when_the_editor_process_is_gone() {
    let p = Project::cloudbase();
    let mut editor = std::process::Command::new("sleep").arg("60").spawn().expect("spawn sleep");
    let mut c = Client::spawn();
    let uri = format!("file://{}", p.root().display());
    c.request("initialize", json!({"processId": editor.id(), "rootUri": uri, "capabilities": default_capabilities()}));
    c.notify("initialized", json!({}));
    assert!(c.is_alive());
    editor.kill().unwrap();
    editor.wait().unwrap();
    assert_eq!(c.wait_exit(Duration::from_secs(8)), Some(1), "the server outlived the editor process");
}

/// `$/` requests are optional extensions; unknown ones must get "method not found", not
/// silence (a client waiting for the answer would wait forever).
#[test]
fn dollar_requests_get_method_not_found() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let r = c.request_raw("$/something", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    // `$/` notifications are still ignored quietly.
    c.notify("$/somethingElse", json!({}));
    assert!(c.request_raw("$/another", Value::Null)["error"]["code"] == -32601);
    c.shutdown();
}

/// The log goes to stderr and, with `ERRCODE_LSP_LOG_FILE`, to a file; `ERRCODE_LSP_LOG` sets
/// the level (the default, `warn`, leaves routine events out).
#[test]
fn the_log_level_and_file_follow_the_environment() {
    let p = Project::cloudbase();
    let log = p.path("server.log");
    let log_s = log.to_str().unwrap().to_string();
    let mut c = Client::spawn_env(&[], &[("ERRCODE_LSP_LOG", "info"), ("ERRCODE_LSP_LOG_FILE", &log_s)]);
    c.initialize(&p.root(), serde_json::json!({}), crate::common::default_capabilities());
    c.notify("initialized", serde_json::json!({}));
    c.shutdown();
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("INFO") && text.contains("initialize"), "{text}");
    let quiet = p.path("quiet.log");
    let mut c = Client::spawn_env(&[], &[("ERRCODE_LSP_LOG_FILE", quiet.to_str().unwrap())]);
    c.initialize(&p.root(), serde_json::json!({}), crate::common::default_capabilities());
    c.shutdown();
    let text = std::fs::read_to_string(&quiet).unwrap();
    assert!(!text.contains("initialize"), "info is below the default level: {text}");
}

/// The server widens the pipe it writes to (up to the system's limit for unprivileged users),
/// so that a large answer reaches the client in a few reads.
#[cfg(target_os = "linux")]
#[test]
#[allow(unsafe_code)]
fn the_output_pipe_is_widened() {
    use std::os::unix::fs::OpenOptionsExt;
    use std::os::unix::io::AsRawFd;
    let p = Project::cloudbase();
    let c = Client::start(&p.root());
    // Another read end of the server's stdout pipe (nothing is read from it).
    let pipe = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(format!("/proc/{}/fd/1", c.pid()))
        .unwrap();
    // SAFETY: F_GETPIPE_SZ only reads the size of the pipe behind a descriptor we own.
    let size = unsafe { libc::fcntl(pipe.as_raw_fd(), libc::F_GETPIPE_SZ) };
    let limit: i64 = std::fs::read_to_string("/proc/sys/fs/pipe-max-size").unwrap().trim().parse().unwrap();
    assert_eq!(i64::from(size), limit.min(1 << 20), "pipe size");
    c.shutdown();
}
