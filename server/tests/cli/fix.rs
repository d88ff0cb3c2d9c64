//! `check --fix`: safe and unsafe fixes, and writing files as carefully as an editor saves.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::process::Command;

use super::common::{binary, cli, Project};
use super::json;

const CASE: &str =
    "switch (e.code) {\n  case 'CHECK_LOGIN_FAILED':\n    relogin();\n}\nconst old = \"INVALID_ENV_ID\";\n";

#[test]
fn fix_leaves_unsafe_fixes_unless_asked() {
    let p = Project::cloudbase();
    p.write("a.ts", CASE);
    let (code, out, _) = cli(&p.root(), &["check"]);
    assert_eq!(code, 1);
    assert!(out.contains("also handle `ACCESS_TOKEN_EXPIRED`"), "{out}");
    assert!(out.contains("(1 fixable with `--fix`, 1 more with `--unsafe-fixes`)"), "{out}");
    let (code, out, _) = cli(&p.root(), &["check", "--fix"]);
    assert_eq!(code, 1, "the compared code is left: {out}");
    assert_eq!(p.read("a.ts"), CASE.replace("\"INVALID_ENV_ID\"", "\"INVALID_ENV\""));
    assert!(out.contains("1 fixable with `--fix --unsafe-fixes`"), "{out}");
    let (_, out, _) = cli(&p.root(), &["check", "--format", "json"]);
    assert_eq!(json(&out)["summary"]["unsafe_fixable"], 1, "{out}");
    let (code, out, _) = cli(&p.root(), &["check", "--fix", "--unsafe-fixes"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("`CHECK_LOGIN_FAILED` -> `ACCESS_TOKEN_EXPIRED`"), "{out}");
    assert!(!p.read("a.ts").contains("CHECK_LOGIN_FAILED"));
}

#[test]
fn fix_applies_unsafe_fixes_with_the_setting() {
    let p = Project::cloudbase();
    p.write("errcode.toml", "unsafe-fixes = true\n");
    p.write("a.ts", CASE);
    let (code, out, _) = cli(&p.root(), &["check", "--fix"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        p.read("a.ts"),
        CASE.replace("CHECK_LOGIN_FAILED", "ACCESS_TOKEN_EXPIRED").replace("INVALID_ENV_ID", "INVALID_ENV")
    );
}

/// The last process id the kernel handed out (to plant files at the names the next ones use).
fn last_pid() -> u32 {
    std::fs::read_to_string("/proc/sys/kernel/ns_last_pid").map_or(0, |s| s.trim().parse().unwrap_or(0))
}

/// Symlinks planted at predictable temporary names never redirect a write.
#[test]
fn fix_temp_files_cannot_be_planted() {
    let outside = Project::empty();
    let victim = outside.write("victim.txt", "precious\n");
    let p = Project::cloudbase();
    p.write("a.ts", "x = \"EXCEED_RATE_LIMIT\"\n");
    let first = last_pid();
    for pid in first..first + 3000 {
        std::os::unix::fs::symlink(&victim, p.path(&format!(".a.ts.errcode-fix.{pid}"))).unwrap();
    }
    let (code, out, err) = cli(&p.root(), &["check", "--fix", "a.ts"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n", "a file outside the tree was overwritten");
    assert!(std::fs::symlink_metadata(p.path("a.ts")).unwrap().is_file());
    assert_eq!(p.read("a.ts"), "x = \"EXCEED_RATELIMIT\"\n");
}

#[test]
fn fix_writes_through_a_symlink_inside_the_project_and_refuses_one_leading_out() {
    let p = Project::cloudbase();
    p.write("real/a.ts", "x = \"EXCEED_RATE_LIMIT\"\n");
    std::os::unix::fs::symlink("real/a.ts", p.path("link.ts")).unwrap();
    let (code, out, err) = cli(&p.root(), &["check", "--fix", "link.ts"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(std::fs::symlink_metadata(p.path("link.ts")).unwrap().file_type().is_symlink(), "still a symlink");
    assert_eq!(p.read("real/a.ts"), "x = \"EXCEED_RATELIMIT\"\n", "the target is fixed");
    assert!(out.contains("link.ts") && out.contains("real/a.ts"), "says where it wrote: {out}");

    // A symlink leading out of the tree is never written (the walk does not even follow it).
    let outside = Project::empty();
    let target = outside.write("b.ts", "x = \"EXCEED_RATE_LIMIT\"\n");
    std::os::unix::fs::symlink(&target, p.path("out.ts")).unwrap();
    let _ = cli(&p.root(), &["check", "--fix", "out.ts"]);
    let _ = cli(&p.root(), &["check", "--fix"]);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "x = \"EXCEED_RATE_LIMIT\"\n");
    assert!(std::fs::symlink_metadata(p.path("out.ts")).unwrap().file_type().is_symlink());
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self").map(|m| m.uid() == 0).unwrap_or(false)
}

#[test]
fn fix_keeps_owner_group_and_mode() {
    if !is_root() {
        eprintln!("note: fix_keeps_owner_group_and_mode needs root (to give the file another owner); skipped");
        return;
    }
    let p = Project::cloudbase();
    let path = p.write("a.ts", "x = \"EXCEED_RATE_LIMIT\"\n");
    std::os::unix::fs::chown(&path, Some(1000), Some(1000)).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let (code, out, err) = cli(&p.root(), &["check", "--fix"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(p.read("a.ts"), "x = \"EXCEED_RATELIMIT\"\n");
    let meta = std::fs::metadata(&path).unwrap();
    assert_eq!((meta.uid(), meta.gid(), meta.mode() & 0o7777), (1000, 1000, 0o640));
}

/// Run as an ordinary user in a folder it may write: a file it may not write (owned by root,
/// 0644) is refused, not replaced by a copy the user owns.
#[test]
fn fix_as_another_user_refuses_files_it_cannot_write() {
    if !is_root() {
        eprintln!("note: fix_as_another_user_refuses_files_it_cannot_write needs root (to switch user); skipped");
        return;
    }
    let p = Project::cloudbase();
    let theirs = p.write("theirs.ts", "x = \"EXCEED_RATE_LIMIT\"\n");
    let mine = p.write("mine.ts", "x = \"EXCEED_RATE_LIMIT\"\n");
    std::os::unix::fs::chown(&mine, Some(1000), Some(1000)).unwrap();
    for dir in [p.root(), p.dir.path().to_path_buf()] {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    }
    let out = Command::new("setpriv")
        .args(["--reuid=1000", "--regid=1000", "--clear-groups", "--"])
        .arg(binary())
        .args(["check", "--fix", "--format", "json"])
        .current_dir(p.root())
        .env("NO_COLOR", "1")
        .env("ERRCODE_LSP_CONFIG_DIR", "/nonexistent-errcode-user-config")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(p.read("theirs.ts"), "x = \"EXCEED_RATE_LIMIT\"\n");
    assert_eq!(std::fs::metadata(&theirs).unwrap().uid(), 0, "still root's");
    assert_eq!(p.read("mine.ts"), "x = \"EXCEED_RATELIMIT\"\n", "the others are fixed all the same");
    let report = json(&stdout);
    let not_fixed = report["not_fixed"].as_array().unwrap();
    assert_eq!(not_fixed.len(), 1, "{stdout}");
    assert_eq!((not_fixed[0]["path"].as_str(), not_fixed[0]["status"].as_str()), (Some("theirs.ts"), Some("failed")));
}

#[test]
fn fix_refuses_read_only_and_hard_linked_files_and_reports_every_file() {
    let p = Project::cloudbase();
    let typo = "x = \"EXCEED_RATE_LIMIT\"\n";
    let ro = p.write("b/ro.ts", typo);
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
    p.write("c/linked.ts", typo);
    std::fs::hard_link(p.path("c/linked.ts"), p.path("c/other-name.txt")).unwrap();
    p.write("a/ok.ts", typo);
    p.write("d/ok.ts", typo);
    let (code, out, err) = cli(&p.root(), &["check", "--fix"]);
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(p.read("b/ro.ts"), typo);
    assert_eq!(std::fs::metadata(&ro).unwrap().mode() & 0o777, 0o444);
    assert_eq!(p.read("c/linked.ts"), typo);
    assert_eq!(std::fs::metadata(p.path("c/linked.ts")).unwrap().nlink(), 2, "the links are not split");
    for fixed in ["a/ok.ts", "d/ok.ts"] {
        assert_eq!(p.read(fixed), "x = \"EXCEED_RATELIMIT\"\n");
        assert!(out.contains(&format!("fixed: {fixed}:1:6")), "{out}");
    }
    assert!(out.contains("b/ro.ts: is read-only"), "{out}");
    assert!(out.contains("c/linked.ts: has 2 hard links"), "{out}");
    let (code, out, _) = cli(&p.root(), &["check", "--fix", "--format", "json"]);
    assert_eq!(code, 2);
    let report = json(&out);
    let mut refused: Vec<&str> =
        report["not_fixed"].as_array().unwrap().iter().map(|n| n["path"].as_str().unwrap()).collect();
    refused.sort();
    assert_eq!(refused, ["b/ro.ts", "c/linked.ts"], "{out}");
    assert_eq!(report["summary"]["not_fixed"], 2);
}

/// A folder that cannot be written: the files before and after it are fixed and reported.
#[test]
fn fix_reports_a_failure_and_goes_on() {
    if !is_root() {
        eprintln!("note: fix_reports_a_failure_and_goes_on runs as another user, which needs root; skipped");
        return;
    }
    let p = Project::cloudbase();
    let typo = "x = \"EXCEED_RATE_LIMIT\"\n";
    for name in ["a/x.ts", "b/x.ts", "c/x.ts"] {
        let path = p.write(name, typo);
        std::os::unix::fs::chown(&path, Some(1000), Some(1000)).unwrap();
    }
    for dir in ["a", "c", "."] {
        std::os::unix::fs::chown(p.path(dir), Some(1000), Some(1000)).unwrap();
    }
    std::fs::set_permissions(p.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(p.path("b"), std::fs::Permissions::from_mode(0o755)).unwrap(); // root's
    let out = Command::new("setpriv")
        .args(["--reuid=1000", "--regid=1000", "--clear-groups", "--"])
        .arg(binary())
        .args(["check", "--fix"])
        .current_dir(p.root())
        .env("NO_COLOR", "1")
        .env("ERRCODE_LSP_CONFIG_DIR", "/nonexistent-errcode-user-config")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(p.read("a/x.ts"), "x = \"EXCEED_RATELIMIT\"\n");
    assert_eq!(p.read("c/x.ts"), "x = \"EXCEED_RATELIMIT\"\n");
    assert_eq!(p.read("b/x.ts"), typo);
    assert!(stdout.contains("fixed: a/x.ts:1:6"), "{stdout}");
    assert!(stdout.contains("fixed: c/x.ts:1:6"), "{stdout}");
    assert!(stdout.contains("not fixed: b/x.ts"), "{stdout}");
}

#[test]
fn fix_dedupes_a_file_named_twice() {
    let p = Project::cloudbase();
    p.write("x.ts", "x = \"EXCEED_RATE_LIMIT\"\n");
    std::os::unix::fs::symlink("x.ts", p.path("y.ts")).unwrap();
    let (code, out, _) = cli(&p.root(), &["check", "--fix", "--format", "json", "x.ts", "x.ts", "./x.ts", "y.ts"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(json(&out)["fixed"].as_array().unwrap().len(), 1, "{out}");
    let (_, out, _) = cli(&p.root(), &["check", "--format", "json", "x.ts", "x.ts"]);
    assert_eq!(json(&out)["findings"].as_array().unwrap().len(), 0);
    p.write("z.ts", "x = \"EXCEED_RATE_LIMIT\"\n");
    let (_, out, _) = cli(&p.root(), &["check", "--format", "json", "z.ts", "z.ts"]);
    assert_eq!(json(&out)["findings"].as_array().unwrap().len(), 1, "{out}");
}

/// Nested projects are judged by their own settings whichever way the run names them.
#[test]
fn fix_honours_each_files_own_project_however_named() {
    let p = Project::cloudbase();
    p.write("sub/errcode.toml", "allow = [\"EXCEED_RATE_LIMIT\"]\n");
    p.write("sub/x.ts", "x = \"EXCEED_RATE_LIMIT\"\n");
    p.write("top.ts", "x = \"EXCEED_RATE_LIMIT\"\n");
    for args in [
        &["check", "--fix", "sub/x.ts", "top.ts"][..],
        &["check", "--fix", "sub", "."],
        &["check", "--fix", "./sub/../"],
    ] {
        p.write("top.ts", "x = \"EXCEED_RATE_LIMIT\"\n");
        let (code, out, err) = cli(&p.root(), args);
        assert_eq!(code, 0, "{args:?}: {out}{err}");
        assert_eq!(p.read("top.ts"), "x = \"EXCEED_RATELIMIT\"\n", "{args:?}");
        assert_eq!(p.read("sub/x.ts"), "x = \"EXCEED_RATE_LIMIT\"\n", "{args:?}");
        assert_eq!(p.read("sub/errcode.toml"), "allow = [\"EXCEED_RATE_LIMIT\"]\n", "{args:?}");
    }
    let (code, _, _) = cli(&p.path("sub"), &["check", "--fix", ".", "../sub/x.ts"]);
    assert_eq!(code, 0);
    assert_eq!(p.read("sub/x.ts"), "x = \"EXCEED_RATE_LIMIT\"\n");
}
