//! Test helpers shared by the end-to-end suites: a minimal LSP client over the real binary's
//! stdio, temporary CloudBase projects, and running the CLI; `fixture` is the fixture language
//! of the feature tests.

#![allow(dead_code)]

pub mod fixture;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The binary under test: the one cargo built, or `$ERRCODE_LSP_TEST_BIN` (to run a suite
/// against another build, e.g. to show that a new test fails on the previous release).
pub fn binary() -> PathBuf {
    match std::env::var_os("ERRCODE_LSP_TEST_BIN") {
        Some(bin) => PathBuf::from(bin),
        None => PathBuf::from(env!("CARGO_BIN_EXE_errcode-lsp")),
    }
}

/// How long any single wait may take before a test fails instead of hanging.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// A temporary project directory, removed on drop.
pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    /// An empty project that uses CloudBase (a package.json depending on the JS SDK).
    pub fn cloudbase() -> Project {
        let p = Project::empty();
        p.write("package.json", r#"{"dependencies": {"@cloudbase/js-sdk": "^2"}}"#);
        p
    }

    /// A project with no CloudBase markers.
    pub fn empty() -> Project {
        Project { dir: tempfile::tempdir().expect("temp dir") }
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().canonicalize().unwrap()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(rel)).unwrap()
    }

    pub fn uri(&self, rel: &str) -> String {
        format!("file://{}", self.path(rel).display())
    }
}

/// Runs the CLI in `dir`; returns (exit code, stdout, stderr).
pub fn cli(dir: &Path, args: &[&str]) -> (i32, String, String) {
    cli_env(dir, args, &[])
}

/// [`cli`] with environment variables; the locale variables are cleared first, so that the
/// output's language is the one a test asks for (English unless it says otherwise).
pub fn cli_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let out = Command::new(binary())
        .args(args)
        .current_dir(dir)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .env("NO_COLOR", "1")
        .env("ERRCODE_LSP_CONFIG_DIR", dir.join(".no-user-config"))
        .envs(env.iter().copied())
        .output()
        .expect("run errcode-lsp");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// An LSP client speaking to a spawned server.
pub struct Client {
    child: Child,
    /// `None` once closed.
    stdin: Option<ChildStdin>,
    /// Answer the server's requests (registerCapability, configuration...) with `null`.
    pub answer_requests: bool,
    incoming: Receiver<Value>,
    /// Messages received while waiting for something else.
    backlog: Vec<Value>,
    next_id: i64,
}

impl Client {
    /// Spawns the server (not yet initialized).
    pub fn spawn() -> Client {
        Client::spawn_with(&[])
    }

    pub fn spawn_with(args: &[&str]) -> Client {
        Client::spawn_env(args, &[])
    }

    /// Spawns with extra environment variables.
    pub fn spawn_env(args: &[&str], env: &[(&str, &str)]) -> Client {
        Client::spawn_env_without(args, env, &[])
    }

    /// Spawns with extra environment variables and without the variables `without`.
    pub fn spawn_env_without(args: &[&str], env: &[(&str, &str)], without: &[&str]) -> Client {
        let mut command = Command::new(binary());
        for name in without {
            command.env_remove(name);
        }
        let mut child = command
            .args(args)
            .envs(env.iter().copied())
            .env("ERRCODE_LSP_CONFIG_DIR", "/nonexistent-errcode-user-config")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn errcode-lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length:") {
                        len = v.trim().parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; len.expect("Content-Length")];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let value: Value = serde_json::from_slice(&body).expect("server sent valid JSON");
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        Client { child, stdin: Some(stdin), answer_requests: true, incoming: rx, backlog: Vec::new(), next_id: 1 }
    }

    /// Spawns and initializes with default capabilities for `root` (UTF-16, Markdown).
    pub fn start(root: &Path) -> Client {
        Client::start_with(root, json!({}), default_capabilities())
    }

    pub fn start_with(root: &Path, options: Value, capabilities: Value) -> Client {
        let mut c = Client::spawn();
        c.initialize(root, options, capabilities);
        c
    }

    pub fn initialize(&mut self, root: &Path, options: Value, capabilities: Value) -> Value {
        let uri = format!("file://{}", root.display());
        let result = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri,
                "workspaceFolders": [{"uri": uri, "name": "root"}],
                "capabilities": capabilities,
                "initializationOptions": options,
            }),
        );
        self.notify("initialized", json!({}));
        result
    }

    pub fn send_raw(&mut self, body: &str) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        write!(stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).unwrap();
        stdin.flush().unwrap();
    }

    /// Writes bytes as they are, framing included.
    pub fn send_bytes(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Closes the server's stdin, as a crashing editor does.
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Waits up to `timeout` for the server to exit; returns its exit code.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<i32> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status.code().unwrap_or(-1));
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Every message received within `period` (the backlog first), without answering.
    pub fn drain(&mut self, period: Duration) -> Vec<Value> {
        let mut out = std::mem::take(&mut self.backlog);
        let deadline = Instant::now() + period;
        while let Ok(msg) = self.incoming.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            self.answer_server_request(&msg);
            out.push(msg);
        }
        out
    }

    fn send(&mut self, msg: Value) {
        self.send_raw(&msg.to_string());
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns the whole response message (with `result` or `error`).
    pub fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// Sends a request without waiting for its answer; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Waits for the response to request `id`.
    pub fn response(&mut self, id: i64) -> Value {
        self.wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
    }

    /// Sends a request and returns its `result`, failing the test on an error response.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params);
        assert!(response.get("error").is_none(), "{method} failed: {response}");
        response["result"].clone()
    }

    /// Waits for a message matching `pred`, answering server requests along the way.
    pub fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        self.wait_for_within(TIMEOUT, pred)
    }

    /// [`Client::wait_for`] with a longer patience, for work that is heavy by design (a
    /// document with 100,000 findings in a debug build on a loaded machine).
    pub fn wait_for_within(&mut self, timeout: Duration, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(msg) => {
                    self.answer_server_request(&msg);
                    if pred(&msg) {
                        return msg;
                    }
                    self.backlog.push(msg);
                }
                Err(RecvTimeoutError::Timeout) => panic!("timed out; got meanwhile: {:#?}", self.backlog),
                Err(RecvTimeoutError::Disconnected) => panic!("server exited; got: {:#?}", self.backlog),
            }
        }
    }

    /// Replies `null` to requests the server sends (registerCapability, configuration...).
    fn answer_server_request(&mut self, msg: &Value) {
        if self.answer_requests && msg.get("method").is_some() && msg.get("id").is_some() {
            let reply = if msg["method"] == "workspace/configuration" {
                json!({"jsonrpc": "2.0", "id": msg["id"], "result": [null]})
            } else {
                json!({"jsonrpc": "2.0", "id": msg["id"], "result": null})
            };
            self.send(reply);
        }
    }

    /// Drops backlog notifications for `uri` so the next wait sees only fresh ones.
    pub fn forget_diagnostics(&mut self, uri: &str) {
        self.backlog.retain(|m| !(m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri));
    }

    /// Waits for diagnostics of `uri` (optionally for a given version).
    pub fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let msg = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && version.is_none_or(|v| m["params"]["version"] == json!(v))
        });
        msg["params"]["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    pub fn open(&mut self, uri: &str, language_id: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language_id, "version": 1, "text": text}}),
        );
    }

    pub fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    pub fn hover(&mut self, uri: &str, line: u32, character: u32) -> Value {
        self.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        )
    }

    pub fn completion(&mut self, uri: &str, line: u32, character: u32) -> Vec<Value> {
        let r = self.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        );
        if r.is_null() {
            return Vec::new();
        }
        r.get("items").unwrap_or(&r).as_array().cloned().unwrap_or_default()
    }

    /// Shuts down cleanly and checks the exit status.
    pub fn shutdown(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "server exited with {status}");
                return;
            }
            assert!(Instant::now() < deadline, "server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn is_alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Client capabilities like VS Code's: UTF-16, Markdown, file creation, watched files.
pub fn default_capabilities() -> Value {
    json!({
        "general": {"positionEncodings": ["utf-16"]},
        "textDocument": {
            "hover": {"contentFormat": ["markdown", "plaintext"]},
            "completion": {"completionItem": {"documentationFormat": ["markdown"]}},
            "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "source.fixAll"]}}},
            "publishDiagnostics": {"tagSupport": {"valueSet": [1, 2]}},
        },
        "workspace": {
            "workspaceEdit": {"documentChanges": true, "resourceOperations": ["create"]},
            "didChangeWatchedFiles": {"dynamicRegistration": true},
            "configuration": true,
        },
    })
}

/// Line and UTF-16 column of the first occurrence of `needle` in `text` (plus `delta` chars).
pub fn find(text: &str, needle: &str, delta: usize) -> (u32, u32) {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in text"));
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count() as u32;
    let col: usize = text[line_start..at].encode_utf16().count() + delta;
    (line, col as u32)
}

/// Byte offsets where each line starts; `\n`, `\r\n` and a lone `\r` end lines (as in LSP and
/// in the CLI's output).
pub fn line_starts(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut starts = vec![0];
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
            starts.push(i + 2);
            i += 2;
        } else {
            if b[i] == b'\n' || b[i] == b'\r' {
                starts.push(i + 1);
            }
            i += 1;
        }
    }
    starts
}

/// The byte offset of the CLI's 1-based line and character column.
pub fn cli_offset(text: &str, line: u64, column: u64) -> usize {
    let line_start = line_starts(text)[line as usize - 1];
    let rest = &text[line_start..];
    line_start + rest.char_indices().nth(column as usize - 1).map_or(rest.len(), |(i, _)| i)
}

/// The byte offset of an LSP-style position (0-based line, column in `unit`), clamped like the
/// server's: past the end of a line to its end (before the line break), past the last line to
/// the end of the text. A reference model, independent of the server's code.
pub fn offset_of(text: &str, line: usize, character: usize, unit: errcode_core::text::Unit) -> usize {
    use errcode_core::text::Unit;
    let starts = line_starts(text);
    if line >= starts.len() {
        return text.len();
    }
    let start = starts[line];
    let mut end = starts.get(line + 1).copied().unwrap_or(text.len());
    let s = &text[start..end];
    if s.ends_with("\r\n") {
        end -= 2;
    } else if s.ends_with('\n') || s.ends_with('\r') {
        end -= 1;
    }
    let width = |ch: char| match unit {
        Unit::Utf8 => ch.len_utf8(),
        Unit::Utf16 => ch.len_utf16(),
        Unit::Chars => 1,
    };
    let mut units = 0;
    for (i, ch) in text[start..end].char_indices() {
        if units + width(ch) > character {
            return start + i;
        }
        units += width(ch);
    }
    end
}

/// The byte offset of a UTF-16 LSP position given as JSON (`{"line", "character"}`).
pub fn lsp_offset(text: &str, pos: &Value) -> usize {
    lsp_offset_in(text, pos, errcode_core::text::Unit::Utf16)
}

/// The byte offset of an LSP position whose characters are counted in `unit`.
pub fn lsp_offset_in(text: &str, pos: &Value, unit: errcode_core::text::Unit) -> usize {
    let n = |k: &str| pos[k].as_u64().unwrap_or_else(|| panic!("not a position: {pos}")) as usize;
    offset_of(text, n("line"), n("character"), unit)
}

/// (start byte, end byte, message) of each finding of a `check --format json` report on
/// `text`, sorted: the CLI's side of a CLI/server comparison.
pub fn check_findings(text: &str, report: &Value) -> Vec<(usize, usize, String)> {
    let mut found: Vec<(usize, usize, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let n = |k: &str| f[k].as_u64().unwrap();
            (
                cli_offset(text, n("line"), n("column")),
                cli_offset(text, n("end_line"), n("end_column")),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    found
}

/// The same for the server's diagnostics of `text`.
pub fn diagnostic_findings(text: &str, diags: &[Value]) -> Vec<(usize, usize, String)> {
    let mut found: Vec<(usize, usize, String)> = diags
        .iter()
        .map(|d| {
            (
                lsp_offset(text, &d["range"]["start"]),
                lsp_offset(text, &d["range"]["end"]),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    found
}

/// `text` with the LSP `edits` (UTF-16 positions) applied, as an editor applies them.
pub fn applied_edits(text: &str, edits: &[Value]) -> String {
    applied_edits_in(text, edits, errcode_core::text::Unit::Utf16)
}

/// `text` with the LSP `edits` (positions counted in `unit`) applied, from the last to the first.
pub fn applied_edits_in(text: &str, edits: &[Value], unit: errcode_core::text::Unit) -> String {
    let offset = |pos: &Value| lsp_offset_in(text, pos, unit);
    let mut ranges: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| (offset(&e["range"]["start"]), offset(&e["range"]["end"]), e["newText"].as_str().unwrap()))
        .collect();
    ranges.sort_by_key(|r| std::cmp::Reverse(r.0));
    let mut out = text.to_string();
    for (start, end, new) in ranges {
        out.replace_range(start..end, new);
    }
    out
}

/// Applies a `WorkspaceEdit` (JSON) to files on disk the way an editor does: `changes` and
/// `documentChanges` (text edits, and `create` operations honouring `ignoreIfExists`). Edits of
/// one document are applied from the last to the first; positions are UTF-16.
pub fn apply_workspace_edit(edit: &Value) {
    fn path_of(uri: &str) -> PathBuf {
        PathBuf::from(uri.strip_prefix("file://").expect("a file URI"))
    }
    fn apply_text_edits(uri: &str, edits: &[Value]) {
        let path = path_of(uri);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        std::fs::write(&path, applied_edits(&text, edits)).unwrap();
    }
    if let Some(changes) = edit["changes"].as_object() {
        for (uri, edits) in changes {
            apply_text_edits(uri, edits.as_array().unwrap());
        }
    }
    for op in edit["documentChanges"].as_array().into_iter().flatten() {
        match op["kind"].as_str() {
            Some("create") => {
                let path = path_of(op["uri"].as_str().unwrap());
                let keep = op["options"]["ignoreIfExists"] == true && path.exists();
                if !keep {
                    std::fs::write(&path, "").unwrap();
                }
            }
            Some(other) => panic!("resource operation {other} not supported by the test client"),
            None => apply_text_edits(op["textDocument"]["uri"].as_str().unwrap(), op["edits"].as_array().unwrap()),
        }
    }
}
