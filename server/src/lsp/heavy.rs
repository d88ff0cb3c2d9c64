//! Heavy request work (fix-all on a large document, references across the workspace, the
//! serialization of large answers) on threads of its own, at a lower CPU priority.
//!
//! One thread per core but one, so a core stays free for the requests that must stay fast;
//! and on Linux those threads run at nice 10, so that when the machine is busy anyway (the
//! editor reading a large answer, a build) the threads that answer hovers and typing win a
//! core from them instead of waiting out a time slice (measured in
//! `bench/lsp-bench.py`'s "hover while 3 fix-alls run"). Nice is per thread on Linux; it cannot
//! be raised back without privileges, which is why this is a pool of its own and not tokio's
//! blocking pool (whose threads also read stdin). Elsewhere the threads keep the normal
//! priority.
//!
//! Jobs run in the order they were queued. A job whose requester has gone before it started
//! (the request was cancelled) is skipped.

use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex, OnceLock};

type Job = Box<dyn FnOnce() + Send + 'static>;

/// How much nicer than the rest of the server the heavy-work threads are on Linux.
pub const NICE: i32 = 10;

/// The pool; its threads start with the first job.
#[derive(Debug)]
pub struct HeavyWork {
    threads: usize,
    queue: OnceLock<Sender<Job>>,
}

impl Default for HeavyWork {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        HeavyWork::new(cores.saturating_sub(1).max(1))
    }
}

/// The job's requester went away before the job ran, or the job panicked (callers run it
/// under `guard`, which turns panics into errors first).
#[derive(Debug)]
pub struct NotRun;

impl HeavyWork {
    pub fn new(threads: usize) -> HeavyWork {
        HeavyWork { threads: threads.max(1), queue: OnceLock::new() }
    }

    fn sender(&self) -> &Sender<Job> {
        self.queue.get_or_init(|| {
            let (tx, rx) = channel::<Job>();
            let rx = Arc::new(Mutex::new(rx));
            for i in 0..self.threads {
                let rx = rx.clone();
                let spawned =
                    std::thread::Builder::new().name(format!("errcode-lsp heavy {i}")).spawn(move || work(&rx));
                if let Err(e) = spawned {
                    tracing::error!("cannot start a heavy-work thread: {e}");
                }
            }
            tx
        })
    }

    /// Runs `f` on the pool; its result, unless the returned future is dropped first (then
    /// `f` is not started, if it has not been yet).
    pub async fn run<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> Result<T, NotRun> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            if tx.is_closed() {
                return;
            }
            let _ = tx.send(f());
        });
        if self.sender().send(job).is_err() {
            return Err(NotRun);
        }
        rx.await.map_err(|_| NotRun)
    }
}

fn work(jobs: &Mutex<Receiver<Job>>) {
    lower_priority();
    loop {
        let job = match jobs.lock().unwrap_or_else(|e| e.into_inner()).recv() {
            Ok(job) => job,
            Err(_) => return,
        };
        // A panic ends the job (its requester sees `NotRun`), not the thread.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
    }
}

/// Lowers the calling thread's CPU priority by `NICE` (at most to 19, the lowest), relative to
/// the server's own (Linux only: elsewhere `setpriority` would change the whole process).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    #[allow(unsafe_code)]
    // SAFETY: the `gettid` system call has no preconditions (called directly: glibc has the
    // wrapper only since 2.30, and the release binary is built against 2.17);
    // `getpriority`/`setpriority` on this thread's id only read and change its nice value, and
    // a failure (a sandbox refusing it) leaves it as it was.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        let now = libc::getpriority(libc::PRIO_PROCESS, tid);
        libc::setpriority(libc::PRIO_PROCESS, tid, (now + NICE).min(19));
    }
}

/// This thread's nice value (Linux), for tests.
#[cfg(all(test, target_os = "linux"))]
fn current_nice() -> i32 {
    #[allow(unsafe_code)]
    // SAFETY: as in `lower_priority`; `getpriority` only reads.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::getpriority(libc::PRIO_PROCESS, tid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn jobs_run_at_the_lower_priority_and_the_caller_keeps_its_own() {
        let pool = HeavyWork::new(1);
        let before = current_nice();
        let nice = runtime().block_on(pool.run(current_nice)).unwrap();
        assert_eq!(nice, (before + NICE).min(19), "heavy work runs niced");
        assert_eq!(current_nice(), before, "the calling thread keeps its priority");
    }

    #[test]
    fn a_job_whose_requester_is_gone_is_not_run() {
        use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
        let pool = Arc::new(HeavyWork::new(1));
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        // The first job holds the only thread until released.
        let (release, held) = std::sync::mpsc::channel::<()>();
        let (started, has_started) = std::sync::mpsc::channel::<()>();
        let p = pool.clone();
        let first = rt.spawn(async move {
            p.run(move || {
                started.send(()).unwrap();
                held.recv().ok();
            })
            .await
        });
        has_started.recv_timeout(Duration::from_secs(10)).unwrap();
        // The second is queued behind it, then dropped (a cancelled request).
        let ran = Arc::new(AtomicBool::new(false));
        let flag = ran.clone();
        let second = pool.run(move || flag.store(true, SeqCst));
        rt.block_on(async {
            tokio::select! {
                _ = second => panic!("the job ran while the only thread was held"),
                _ = tokio::time::sleep(Duration::from_millis(50)) => {}
            }
        });
        release.send(()).unwrap();
        rt.block_on(first).unwrap().unwrap();
        // A third job runs after the second would have: the second was skipped.
        rt.block_on(pool.run(|| ())).unwrap();
        assert!(!ran.load(SeqCst), "a job nobody waits for ran");
    }

    #[test]
    fn a_panicking_job_leaves_the_pool_working() {
        let pool = HeavyWork::new(1);
        let rt = runtime();
        let panicked = rt.block_on(pool.run(|| -> u32 { panic!("boom") }));
        assert!(panicked.is_err());
        assert_eq!(rt.block_on(pool.run(|| 7)).unwrap(), 7);
    }
}
