//! Load tests against the real server binary: an edit storm of thousands of incremental edits
//! sent without waiting, and hundreds of open documents. Each prints timings and the server's
//! resident memory (run with `-- --nocapture` to see them).
//!
//!     cargo test -p errcode-lsp --test load -- --nocapture

#[path = "../common/mod.rs"]
mod common;

use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use serde_json::{json, Value};

use common::{check_findings, cli, diagnostic_findings, line_starts, Client, Project};

/// The load tests run one at a time so that their figures do not disturb each other (and the
/// server's process id can be told apart from other children).
static SERIAL: Mutex<()> = Mutex::new(());

/// A generous memory bound: a leak over thousands of edits or hundreds of documents shows here.
const MAX_RSS_KB: u64 = 200 * 1024;

// ----------------------------------------------------------------------------------------------
// Helpers
// ----------------------------------------------------------------------------------------------

/// A small deterministic RNG (xorshift64*), so every run makes the same edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Process ids of this test process's children.
fn children() -> Vec<u32> {
    let me = std::process::id();
    let mut pids = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        // pid (comm) state ppid ...: comm may contain spaces, so parse after the last ')'.
        let ppid = stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok());
        if ppid == Some(me) {
            pids.push(pid);
        }
    }
    pids
}

/// Starts a server for `root` and finds its process id (the one new child).
fn start_server(root: &Path) -> (Client, u32) {
    let before = children();
    let client = Client::start(root);
    let new: Vec<u32> = children().into_iter().filter(|p| !before.contains(p)).collect();
    assert_eq!(new.len(), 1, "cannot tell the server's pid: new children {new:?}");
    (client, new[0])
}

/// VmRSS of `pid` in kB.
fn rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("read /proc/PID/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/PID/status")
}

/// The LSP position (UTF-16 columns) of byte `at`, a char boundary not inside a CRLF.
fn lsp_position(text: &str, starts: &[usize], at: usize) -> Value {
    let line = starts.partition_point(|&s| s <= at) - 1;
    let col: usize = text[starts[line]..at].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": col})
}

/// (start byte, end byte, message) of each finding `check` reports for `rel` (sorted).
fn cli_findings(project: &Project, rel: &str, text: &str) -> Vec<(usize, usize, String)> {
    let (code, out, err) = cli(&project.root(), &["check", rel, "--format", "json"]);
    assert!(code == 0 || code == 1, "check failed ({code}): {err}");
    check_findings(text, &serde_json::from_str(&out).unwrap())
}

fn mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

// ----------------------------------------------------------------------------------------------
// Edit storm
// ----------------------------------------------------------------------------------------------

/// What the storm inserts: whole lines with codes (often, so the final text has findings to
/// compare), codes, multi-byte characters, line breaks of every kind, unbalanced quotes and
/// comment or interpolation markers.
const INSERTS: &[&str] = &[
    "const e = \"SERVICE_TIMOUT\";\r\n",
    "\nconst e = \"SERVICE_TIMOUT\";\n",
    "if (code === 'STORAGE_EXCEED_AUTHORTY') {}\n",
    "\nif (code === 'STORAGE_EXCEED_AUTHORTY') {}\r\n",
    "\nthrow new Error(\"FUNCTON_NOT_FOUND\");\n",
    "\nlet m = { 'INVALID_ENV_ID': 1, ok: \"😀 FUNCTION_NOT_FOUND\" };\n",
    "\n// errcode-ignore-next-line\nx(\"EXCEED_RATE_LIMIT\");\n",
    "\"EXCEED_RATE_LIMIT\"",
    "'FUNCTON_NOT_FOUND'",
    "`INVALID_ENV_ID`",
    "\"EXCEED_RATELIMIT\"",
    "\"CHECK_LOGIN_FAILED\"",
    "ACESS_TOKEN_EXPIRED",
    "中文",
    "😀",
    "é",
    "e\u{301}",
    "\r\n",
    "\n",
    "\r",
    "\"",
    "'",
    "`",
    "\\",
    "${",
    "}",
    "// errcode-ignore\n",
    "/* ",
    " */",
    "x",
    " ",
];

const INITIAL: &str = "// 中文 header 😀\r\nconst a = \"EXCEED_RATE_LIMIT\";\r\nconst b = 'FUNCTON_NOT_FOUND';\nconst c = `INVALID_ENV_ID ${x}`;\n// errcode-ignore-next-line\nconst d = \"SERVICE_TIMOUT\";\nconst e = \"é EXCEED_RATELIMIT\";\n";

/// A random char boundary of `text` that is not between `\r` and `\n` (not addressable in LSP).
fn boundary(rng: &mut Rng, text: &str) -> usize {
    let mut at = rng.below(text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    if at > 0 && text.as_bytes()[at - 1] == b'\r' && text.as_bytes().get(at) == Some(&b'\n') {
        at -= 1;
    }
    at
}

#[test]
fn edit_storm_converges_to_the_cli_findings() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    const EDITS: usize = 3000;
    let project = Project::cloudbase();
    let rel = "src/storm.ts";
    let uri = project.uri(rel);
    let (mut client, pid) = start_server(&project.root());
    client.open(&uri, "typescript", INITIAL);
    client.diagnostics(&uri, Some(1));
    let rss_before = rss_kb(pid);

    let mut rng = Rng(0x5eed_e77c_0de5_1234);
    let mut model = INITIAL.to_string();
    let mut version = 1;
    let mut sent = 0;
    let started = Instant::now();
    while sent < EDITS {
        // One to three changes per notification, applied in order.
        let mut changes = Vec::new();
        for _ in 0..1 + rng.below(3) {
            let starts = line_starts(&model);
            let a = boundary(&mut rng, &model);
            let (start, end, insert) = match rng.below(10) {
                // Insert.
                0..=5 => (a, a, rng.pick(INSERTS).to_string()),
                // Delete a short range.
                6..=7 => {
                    let take = 1 + rng.below(8);
                    let b = model[a..].char_indices().nth(take).map_or(model.len(), |(i, _)| a + i);
                    (a, b, String::new())
                }
                // Replace a short range.
                _ => {
                    let take = rng.below(12);
                    let b = model[a..].char_indices().nth(take).map_or(model.len(), |(i, _)| a + i);
                    (a, b, rng.pick(INSERTS).to_string())
                }
            };
            let end = if end > start && !model.is_char_boundary(end) { start } else { end };
            let end =
                if end > 0 && end < model.len() && model.as_bytes()[end - 1] == b'\r' && model.as_bytes()[end] == b'\n'
                {
                    end - 1
                } else {
                    end
                };
            let (s, e) = (lsp_position(&model, &starts, start), lsp_position(&model, &starts, end.max(start)));
            let range = if rng.below(8) == 0 { json!({"start": e, "end": s}) } else { json!({"start": s, "end": e}) };
            model.replace_range(start..end.max(start), &insert);
            changes.push(json!({"range": range, "text": insert}));
            sent += 1;
            // Keep the document from growing without bound: cut the tail now and then.
            if model.len() > 6000 {
                let starts = line_starts(&model);
                let mut half = 3000;
                while !model.is_char_boundary(half) {
                    half -= 1;
                }
                let mut cut = half - rng.below(500);
                while !model.is_char_boundary(cut) {
                    cut -= 1;
                }
                if cut > 0 && model.as_bytes()[cut - 1] == b'\r' && model.as_bytes()[cut] == b'\n' {
                    cut -= 1;
                }
                let from = lsp_position(&model, &starts, cut);
                let to = lsp_position(&model, &starts, model.len());
                model.truncate(cut);
                changes.push(json!({"range": {"start": from, "end": to}, "text": ""}));
                sent += 1;
            }
        }
        version += 1;
        client.change(&uri, version, Value::Array(changes));
    }
    // A last edit at the very end: the server's idea of where the text ends must match.
    let starts = line_starts(&model);
    let end = lsp_position(&model, &starts, model.len());
    let tail = "\nconst z = \"EXCEED_RATE_LIMIT\";\n";
    model.push_str(tail);
    version += 1;
    client.change(&uri, version, json!([{"range": {"start": end, "end": end}, "text": tail}]));
    let sent_in = started.elapsed();
    let diags = client.diagnostics(&uri, Some(version));
    let settled = started.elapsed();
    let rss_after = rss_kb(pid);

    project.write(rel, &model);
    let expected = cli_findings(&project, rel, &model);
    let got = diagnostic_findings(&model, &diags);
    eprintln!(
        "edit storm: {sent} edits in {} notifications, sent in {:.2?}, final diagnostics after {:.2?}; \
         final text {} bytes, {} findings; server RSS {:.1} MB before, {:.1} MB after",
        version - 1,
        sent_in,
        settled,
        model.len(),
        got.len(),
        mb(rss_before),
        mb(rss_after)
    );
    assert_eq!(got, expected, "server diagnostics differ from check's on the final text:\n{model:?}");
    assert!(expected.len() >= 3, "too few findings to compare the texts: {expected:?}\n{model}");
    assert!(
        expected.iter().any(|(s, _, _)| *s == model.len() - tail.len() + tail.find("EXCEED").unwrap()),
        "the finding appended at the end is missing"
    );
    assert!(rss_after < MAX_RSS_KB, "server RSS {:.1} MB after the storm", mb(rss_after));
    assert!(client.is_alive());
    client.shutdown();
}

// ----------------------------------------------------------------------------------------------
// Many documents
// ----------------------------------------------------------------------------------------------

/// File `i`: `i % 4 + 1` misspelled codes, plus correct and silenced ones that must not count.
fn many_file(i: usize) -> (String, &'static str, String, usize) {
    let typos = ["EXCEED_RATE_LIMIT", "FUNCTON_NOT_FOUND", "SERVICE_TIMOUT", "ACESS_TOKEN_EXPIRED"];
    let n = i % 4 + 1;
    if i % 2 == 0 {
        let mut text =
            format!("// file {i} 中文 😀\r\nexport const ok = [\"EXCEED_RATELIMIT\", 'FUNCTION_NOT_FOUND'];\n");
        for t in &typos[..n] {
            text.push_str(&format!("if (e.code === \"{t}\") {{ retry(); }}\n"));
        }
        text.push_str("// errcode-ignore-next-line\nconst quiet = \"EXCEED_RATE_LIMIT\";\n");
        (format!("src/m{i:03}.ts"), "typescript", text, n)
    } else {
        let mut text = format!("# file {i} é\nOK = ('EXCEED_RATELIMIT', \"USER_NOT_FOUND\")\n");
        for t in &typos[..n] {
            text.push_str(&format!("if err.code == '{t}':\n    pass\n"));
        }
        text.push_str("quiet = 'FUNCTON_NOT_FOUND'  # errcode-ignore\n");
        (format!("py/m{i:03}.py"), "python", text, n)
    }
}

#[test]
fn five_hundred_documents_each_get_their_diagnostics() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    const FILES: usize = 500;
    let project = Project::cloudbase();
    let files: Vec<_> = (0..FILES).map(many_file).collect();
    for (rel, _, text, _) in &files {
        project.write(rel, text);
    }
    let (mut client, pid) = start_server(&project.root());
    let rss_before = rss_kb(pid);
    let started = Instant::now();
    for (rel, id, text, _) in &files {
        client.open(&project.uri(rel), id, text);
    }
    let mut total = 0;
    for (rel, _, text, expected) in &files {
        let diags = client.diagnostics(&project.uri(rel), Some(1));
        assert_eq!(diags.len(), *expected, "{rel}: {diags:#?}\n{text}");
        total += diags.len();
    }
    let elapsed = started.elapsed();
    let rss_after = rss_kb(pid);
    eprintln!(
        "many documents: {FILES} opened, {total} diagnostics in {elapsed:.2?}; server RSS {:.1} MB before, {:.1} MB after",
        mb(rss_before),
        mb(rss_after)
    );

    // The CLI agrees on the whole tree.
    let (code, out, err) = cli(&project.root(), &["check", "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["findings"].as_array().unwrap().len(), total);

    assert!(rss_after < MAX_RSS_KB, "server RSS {:.1} MB with {FILES} documents", mb(rss_after));
    assert!(client.is_alive());
    client.shutdown();
}
