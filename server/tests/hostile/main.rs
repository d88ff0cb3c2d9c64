//! Hostile trees and files against the command line and the server: planted special files,
//! huge lines, odd names. Every test bounds its time, so a regression fails instead of hanging.

#[path = "../common/mod.rs"]
mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{binary, Client, Project};

/// Runs the CLI in `dir` with a time limit (and a 2 GB address-space limit, so a regression
/// fails here instead of taking the machine's memory); returns (exit code, stdout, stderr,
/// elapsed). A run killed at the limit has code -1.
fn cli_bounded(dir: &Path, args: &[&str], limit: Duration) -> (i32, String, String, Duration) {
    let started = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 2000000; exec \"$0\" \"$@\"")
        .arg(binary())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("ERRCODE_LSP_CONFIG_DIR", dir.join(".no-user-config"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap_or_default());
    let err = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code().unwrap_or(-1);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break -1;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (code, out.join().unwrap(), err.join().unwrap(), started.elapsed())
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

const LIMIT: Duration = Duration::from_secs(20);

#[test]
fn a_config_linked_to_proc_is_refused() {
    let p = Project::cloudbase();
    p.write("a.ts", "x = \"EXCEED_RATE_LIMIT\"\n");
    std::os::unix::fs::symlink("/proc/self/pagemap", p.path("errcode.toml")).unwrap();
    let (code, _, err, _) = cli_bounded(&p.root(), &["check"], LIMIT);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("errcode.toml") && err.contains("outside"), "{err}");
}

#[test]
fn a_fifo_as_config_or_catalog_does_not_hang() {
    let p = Project::cloudbase();
    p.write("a.ts", "x = \"EXCEED_RATE_LIMIT\"\n");
    p.write("errcode.toml", "catalogs = [\"team.toml\"]\n");
    mkfifo(&p.path("team.toml"));
    let (code, _, err, _) = cli_bounded(&p.root(), &["check"], LIMIT);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("team.toml") && err.contains("not a regular file"), "{err}");

    let q = Project::cloudbase();
    q.write("a.ts", "x = \"EXCEED_RATE_LIMIT\"\n");
    mkfifo(&q.path("errcode.toml"));
    let (code, _, err, _) = cli_bounded(&q.root(), &["check"], LIMIT);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("errcode.toml") && err.contains("not a regular file"), "{err}");
}

#[test]
fn a_fifo_as_catalog_does_not_hang_initialize() {
    let p = Project::cloudbase();
    p.write("errcode.toml", "catalogs = [\"team.toml\"]\n");
    mkfifo(&p.path("team.toml"));
    // `Client::initialize` fails the test if the answer takes longer than its timeout.
    let mut c = Client::start(&p.root());
    let uri = p.uri("a.ts");
    c.open(&uri, "typescript", "x = \"BAD_GATEWAY\"\n");
    let h = c.hover(&uri, 0, 6);
    assert!(h.is_null() || h["contents"]["value"].is_string(), "{h}");
    c.shutdown();
}

#[test]
fn human_output_shows_a_window_of_long_lines() {
    let p = Project::cloudbase();
    let n = 20_000;
    let text = format!("[{}\"EXCEED_RATE_LIMIT\"]", "\"EXCEED_RATE_LIMIT\", ".repeat(n - 1));
    p.write("data.json", &text);
    let (code, out, err, _) = cli_bounded(&p.root(), &["check", "data.json"], LIMIT);
    assert_eq!(code, 1, "{err}");
    assert_eq!(out.matches("warning[misspelled-code]").count(), n);
    // Each finding shows a bounded window of its 400 KB line, not the line.
    assert!(out.len() < n * 1000, "{} bytes of output", out.len());
    let first: Vec<&str> = out.lines().take(5).collect();
    assert!(first[3].starts_with("1 | [\"EXCEED_RATE_LIMIT\", ") && first[3].ends_with("..."), "{first:#?}");
    // The caret still points at the literal inside the window.
    let middle = out.split("\n\n").nth(n / 2).unwrap();
    let lines: Vec<&str> = middle.lines().collect();
    let (code_line, caret_line) = (lines[3], lines[4]);
    let at = caret_line.find('^').unwrap();
    assert!(code_line.starts_with("1 | ...") && code_line.ends_with("..."), "{middle}");
    assert_eq!(&code_line[at..at + 17], "EXCEED_RATE_LIMIT", "{middle}");
}

#[test]
fn threads_are_capped_with_a_note() {
    let p = Project::cloudbase();
    p.write("a.ts", "x = \"EXCEED_RATE_LIMIT\"\n");
    let (code, out, err, _) = cli_bounded(&p.root(), &["check", "-j", "2000"], LIMIT);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("-j 2000") && err.contains("per core; using"), "{err}");
}

mod untrusted;
mod wrong;
