//! Bad input from the client: the server answers with an error or null and keeps serving.

use serde_json::json;

use crate::common::{Client, Project};

fn still_serves(c: &mut Client, uri: &str) {
    let h = c.hover(uri, 0, 6);
    assert!(h["contents"]["value"].as_str().unwrap().contains("BAD_GATEWAY"), "{h}");
}

fn open(p: &Project) -> (Client, String) {
    let mut c = Client::start(&p.root());
    let uri = p.uri("a.ts");
    c.open(&uri, "typescript", "x = \"BAD_GATEWAY\"\n");
    c.diagnostics(&uri, Some(1));
    (c, uri)
}

#[test]
fn unknown_methods_get_method_not_found() {
    let p = Project::cloudbase();
    let (mut c, uri) = open(&p);
    let r = c.request_raw("errcode/noSuchThing", json!({}));
    assert_eq!(r["error"]["code"], -32601);
    c.notify("$/noSuchNotification", json!({}));
    still_serves(&mut c, &uri);
    c.shutdown();
}

#[test]
fn invalid_params_get_an_error() {
    let p = Project::cloudbase();
    let (mut c, uri) = open(&p);
    let r = c.request_raw("textDocument/hover", json!({"textDocument": 42}));
    assert_eq!(r["error"]["code"], -32602);
    c.notify("textDocument/didChange", json!({"nonsense": true}));
    still_serves(&mut c, &uri);
    c.shutdown();
}

#[test]
fn malformed_json_bodies_are_survived() {
    let p = Project::cloudbase();
    let (mut c, uri) = open(&p);
    c.send_raw("{\"jsonrpc\": \"2.0\", \"id\": 99, \"method\": ");
    c.send_raw("[1, 2, 3]");
    let parse_error = c.wait_for(|m| m["error"]["code"] == -32700);
    assert!(parse_error["id"].is_null());
    c.wait_for(|m| m["error"]["code"] == -32600);
    c.send_raw("{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": 12}");
    assert_eq!(c.wait_for(|m| m["id"] == 7)["error"]["code"], -32600);
    still_serves(&mut c, &uri);
    c.shutdown();
}

#[test]
fn unopened_documents_and_far_positions_get_null() {
    let p = Project::cloudbase();
    let (mut c, uri) = open(&p);
    assert!(c.hover(&p.uri("never-opened.ts"), 0, 0).is_null());
    assert!(c.completion(&p.uri("never-opened.ts"), 0, 0).is_empty());
    assert!(c.hover(&uri, 4_000_000, 4_000_000).is_null());
    assert!(c.hover(&uri, 0, 4_000_000).is_null());
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": p.uri("nope.ts")}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": []}}),
    );
    assert!(r.is_null());
    still_serves(&mut c, &uri);
    c.shutdown();
}

#[test]
fn edits_past_the_end_are_clamped() {
    let p = Project::cloudbase();
    let (mut c, uri) = open(&p);
    c.change(&uri, 2, json!([{"range": {"start": {"line": 50, "character": 0}, "end": {"line": 60, "character": 9}}, "text": "y = \"EXCEED_RATE_LIMIT\"\n"}]));
    let diags = c.diagnostics(&uri, Some(2));
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0]["range"]["start"]["line"], 1);
    // Reversed ranges are ordered, not rejected.
    c.change(
        &uri,
        3,
        json!([{"range": {"start": {"line": 1, "character": 22}, "end": {"line": 1, "character": 0}}, "text": ""}]),
    );
    assert!(c.diagnostics(&uri, Some(3)).is_empty());
    still_serves(&mut c, &uri);
    c.shutdown();
}

#[test]
fn requests_before_initialize_are_refused() {
    let mut c = Client::spawn();
    let r = c.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///x"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(r["error"]["code"], -32002);
    assert!(c.is_alive());
}

#[test]
fn a_panic_in_a_handler_becomes_an_error_response() {
    let p = Project::cloudbase();
    let mut c = Client::spawn_env(&[], &[("ERRCODE_LSP_FAULT", "hover")]);
    c.initialize(&p.root(), json!({}), crate::common::default_capabilities());
    let uri = p.uri("a.ts");
    c.open(&uri, "typescript", "x = \"BAD_GATEWAY\"\n");
    let r = c.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 6}}),
    );
    assert_eq!(r["error"]["code"], -32603, "{r}");
    assert!(r["error"]["message"].as_str().unwrap().contains("hover failed"), "{r}");
    // Other requests, and the next hover attempt, are still answered.
    assert!(!c.completion(&uri, 0, 6).is_empty());
    assert_eq!(
        c.request_raw(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 6}})
        )["error"]["code"],
        -32603
    );
    assert!(c.diagnostics(&uri, Some(1)).is_empty());
    c.shutdown();
}

#[test]
fn a_30_mb_document_is_skipped_with_a_message_and_stays_responsive() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    let uri = p.uri("huge.ts");
    let line = "const v = \"EXCEED_RATE_LIMIT\"; // filler filler filler filler filler\n";
    let text = line.repeat(30 * 1024 * 1024 / line.len());
    c.open(&uri, "typescript", &text);
    let msg = c.wait_for(|m| m["method"] == "window/showMessage");
    assert!(msg["params"]["message"].as_str().unwrap().contains("not checking huge.ts"), "{msg}");
    assert!(c.diagnostics(&uri, Some(1)).is_empty());
    assert!(c.hover(&uri, 1000, 12).is_null());
    // Edits are still applied: shrink it below the limit and it is checked.
    c.change(&uri, 2, json!([{"text": "const v = \"EXCEED_RATE_LIMIT\";\n"}]));
    assert_eq!(c.diagnostics(&uri, Some(2)).len(), 1);
    c.shutdown();
}

#[test]
fn a_single_5_mb_line_is_checked() {
    let p = Project::cloudbase();
    let mut c = Client::start(&p.root());
    // Python: a JavaScript file with such a line is minified, hence left alone.
    let uri = p.uri("data.py");
    let mut text = "v = [".to_string() + &"\"x\", ".repeat(5 * 1024 * 1024 / 5);
    let col = text.len() as u32 - 2;
    text.push_str("\"EXCEED_RATE_LIMIT\"]");
    c.open(&uri, "python", &text);
    let diags = c.diagnostics(&uri, Some(1));
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0]["range"]["start"], json!({"line": 0, "character": col + 3}));
    let h = c.hover(&uri, 0, col + 5);
    assert!(h.is_null(), "a misspelled code has no docs: {h}");
    c.shutdown();
}

/// A request's body as raw text, for values `serde_json::json!` cannot write.
fn hover_body(id: i64, uri: &str, extra: &str) -> String {
    format!(
        r#"{{"jsonrpc": "2.0", "id": {id}, "method": "textDocument/hover", "params": {{"textDocument": {{"uri": "{uri}"}}, "position": {{"line": 0, "character": 6}}{extra}}}}}"#
    )
}

fn framed(body: &str) -> String {
    format!("Content-Length: {}\r\n\r\n{body}", body.len())
}

#[test]
fn values_tower_cannot_decode_get_an_error_and_the_session_goes_on() {
    let p = Project::cloudbase();
    let (mut c, uri) = open(&p);
    let nested = "[".repeat(127) + &"]".repeat(127);
    let cases = [
        (101, r#", "x": "a\ud83d""#.to_string()),
        (102, r#", "x": 1e999"#.to_string()),
        (103, format!(r#", "x": {nested}"#)),
        (104, r#", "x": {"\udc00": 1}"#.to_string()),
    ];
    for (id, extra) in &cases {
        c.send_raw(&hover_body(*id, &uri, extra));
        let r = c.wait_for(|m| m["id"] == *id);
        let code = r["error"]["code"].as_i64();
        assert!(code == Some(-32602) || code == Some(-32700), "{extra}: {r}");
        still_serves(&mut c, &uri);
    }
    // The same in a notification: dropped, and the session goes on.
    c.send_raw(
        r#"{"jsonrpc": "2.0", "method": "workspace/didChangeConfiguration", "params": {"settings": "a\ud83d"}}"#,
    );
    still_serves(&mut c, &uri);
    assert!(c.is_alive());
    c.shutdown();
}

#[test]
fn a_shutdown_with_params_is_refused_and_the_server_keeps_serving() {
    let p = Project::cloudbase();
    let (mut c, uri) = open(&p);
    let r = c.request_raw("shutdown", json!({"now": true}));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    still_serves(&mut c, &uri);
    // A real shutdown still ends the session with status 0.
    c.shutdown();
}

#[test]
fn unknown_headers_are_skipped() {
    let p = Project::cloudbase();
    let (mut c, uri) = open(&p);
    let body = hover_body(201, &uri, "");
    c.send_bytes(format!("X-Trace: 1\r\nContent-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    assert!(c.wait_for(|m| m["id"] == 201)["result"]["contents"]["value"].as_str().unwrap().contains("BAD_GATEWAY"));
    let body = hover_body(202, &uri, "");
    c.send_bytes(
        format!(
            "Content-Length: {}\r\nX-Trace: 1\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    );
    assert!(c.wait_for(|m| m["id"] == 202)["result"]["contents"]["value"].as_str().unwrap().contains("BAD_GATEWAY"));
    still_serves(&mut c, &uri);
    c.shutdown();
}

#[test]
fn a_bad_content_length_loses_only_its_own_message() {
    let p = Project::cloudbase();
    let (mut c, uri) = open(&p);
    let answered = |c: &mut crate::common::Client, id: i64| {
        let r = c.wait_for(|m| m["id"] == id && m.get("result").is_some());
        assert!(r["result"]["contents"]["value"].as_str().unwrap().contains("BAD_GATEWAY"), "{r}");
    };
    // Not a number.
    let lost = hover_body(300, &uri, "");
    c.send_bytes(format!("Content-Length: many\r\n\r\n{lost}{}", framed(&hover_body(301, &uri, ""))).as_bytes());
    answered(&mut c, 301);
    // Too short: the rest of the body runs into the next message's header.
    let lost = hover_body(302, &uri, "");
    c.send_bytes(format!("Content-Length: 20\r\n\r\n{lost}{}", framed(&hover_body(303, &uri, ""))).as_bytes());
    answered(&mut c, 303);
    // Too long: the body swallows the start of the next message...
    let lost = hover_body(304, &uri, "");
    let next = framed(&hover_body(305, &uri, ""));
    c.send_bytes(
        format!("Content-Length: {}\r\n\r\n{lost}{next}{}", lost.len() + 40, framed(&hover_body(306, &uri, "")))
            .as_bytes(),
    );
    answered(&mut c, 305);
    answered(&mut c, 306);
    // ...or waits for bytes that never come, while the client waits for its answer.
    c.send_bytes(
        format!("Content-Length: {}\r\n\r\n{lost}{next}", lost.len() + next.len() + 500)
            .replace("305", "307")
            .as_bytes(),
    );
    answered(&mut c, 307);
    still_serves(&mut c, &uri);
    c.shutdown();
}

/// Peak resident memory of a process, in KiB (Linux).
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn an_endless_header_line_does_not_grow_memory() {
    let p = Project::cloudbase();
    let (mut c, uri) = open(&p);
    let before = peak_rss_kib(c.pid());
    let block = vec![b'a'; 1 << 20];
    for _ in 0..200 {
        c.send_bytes(&block);
    }
    c.send_bytes(b"\r\n");
    still_serves(&mut c, &uri);
    let after = peak_rss_kib(c.pid());
    // 200 MB went through; the server held at most a little of it at a time.
    assert!(after < before + 64 * 1024, "peak RSS grew from {before} KiB to {after} KiB");
    c.shutdown();
}

/// A small deterministic generator (xorshift), so a failure can be replayed from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn odd_byte_streams_never_stop_the_server() {
    let p = Project::cloudbase();
    let (mut c, uri) = open(&p);
    let pieces: Vec<Vec<u8>> = vec![
        b"Content-Length: ".to_vec(),
        b"content-length:0\r\n\r\n".to_vec(),
        b"Content-Length: 18446744073709551616\r\n\r\n".to_vec(),
        b"Content-Length: -1\r\n\r\n".to_vec(),
        b"Content-Length: 5\r\n".to_vec(),
        b"Content-Type: x\r\n".to_vec(),
        b"\r\n".to_vec(),
        b"\n".to_vec(),
        b"\r".to_vec(),
        b":".to_vec(),
        b"{".to_vec(),
        b"}".to_vec(),
        b"\"".to_vec(),
        b"\\ud83d".to_vec(),
        b"1e999".to_vec(),
        b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"shutdown\",\"params\":[]}".to_vec(),
        b"{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didClose\",\"params\":{}}".to_vec(),
        vec![0, 0xff, 0xfe, 0x80],
        "Ünïcödé".as_bytes().to_vec(),
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..40 {
        let mut junk = Vec::new();
        for _ in 0..rng.below(12) + 1 {
            if rng.below(4) == 0 {
                let len = rng.below(64);
                junk.extend((0..len).map(|_| rng.next() as u8));
            } else {
                junk.extend_from_slice(&pieces[rng.below(pieces.len())]);
            }
        }
        // Sometimes frame the junk as a message of its own.
        if rng.below(3) == 0 {
            junk = [format!("Content-Length: {}\r\n\r\n", junk.len()).into_bytes(), junk].concat();
        }
        c.send_bytes(&junk);
        let id = 1000 + round;
        c.send_bytes(framed(&hover_body(id, &uri, "")).as_bytes());
        let r = c.wait_for(|m| m["id"] == id && m.get("result").is_some());
        assert!(
            r["result"]["contents"]["value"].as_str().unwrap().contains("BAD_GATEWAY"),
            "after {:?}: {r}",
            String::from_utf8_lossy(&junk)
        );
    }
    assert!(c.is_alive());
    c.shutdown();
}
