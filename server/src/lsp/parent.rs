//! Watching the editor: the server ends when the process that started it (`processId` in
//! `initialize`) is gone, even if its stdin stays open (a pipe inherited by another process),
//! so a crashed editor never leaves an orphaned server behind.

use std::time::Duration;

/// How often the editor process is looked for.
const POLL: Duration = Duration::from_secs(2);

/// Exits the process (status 1: no `shutdown` was received) once `pid` no longer exists.
pub fn watch(pid: u32) {
    if !can_watch(pid) {
        return;
    }
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(POLL).await;
            if !alive(pid) {
                tracing::warn!("the editor process {pid} is gone; exiting");
                std::process::exit(1);
            }
        }
    });
}

/// Whether `pid` names a process we can watch (ourselves and nonsense ids are not watched).
fn can_watch(pid: u32) -> bool {
    pid > 0 && pid != std::process::id() && alive(pid)
}

#[cfg(unix)]
#[allow(unsafe_code)]
fn alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else { return true };
    // SAFETY: `kill` with signal 0 sends no signal; it only asks whether the process exists.
    let found = unsafe { libc::kill(pid, 0) } == 0;
    // EPERM means it exists but belongs to someone else.
    found || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

/// Elsewhere the editor is not watched: a crashed editor closes our stdin, which ends the
/// server too (see `transport`).
#[cfg(not(unix))]
fn alive(_pid: u32) -> bool {
    true
}
