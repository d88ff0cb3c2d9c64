//! One run at a time of a job that many events ask for (a full re-index of the workspace, a
//! reload of the projects): a request while the job runs makes it go once more after the
//! current pass, so a burst of requests costs at most two passes, and the last pass always
//! starts after the last request.

use std::sync::Mutex;

#[derive(Debug, Default)]
pub struct Runs(Mutex<State>);

#[derive(Debug, Default)]
struct State {
    running: bool,
    again: bool,
}

impl Runs {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Asks for a run. Returns true when the caller must start a runner; false when one is
    /// running already (it will run once more).
    pub fn request(&self) -> bool {
        let mut state = self.state();
        state.again = true;
        !std::mem::replace(&mut state.running, true)
    }

    /// The runner starts a pass: requests made from now on need another pass.
    pub fn start_pass(&self) {
        self.state().again = false;
    }

    /// The runner finished a pass: returns true when it must run again, else it stops.
    pub fn finish_pass(&self) -> bool {
        let mut state = self.state();
        state.running = state.again;
        state.again
    }

    /// Whether a runner is under way.
    pub fn is_running(&self) -> bool {
        self.state().running
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_during_a_pass_costs_one_more_pass() {
        let runs = Runs::default();
        assert!(runs.request(), "the first request starts a runner");
        runs.start_pass();
        assert!((0..20).all(|_| !runs.request()), "the runner is running");
        assert!(runs.finish_pass(), "one more pass");
        runs.start_pass();
        assert!(!runs.finish_pass(), "and that is all");
        assert!(!runs.is_running());
        // Requests before the first pass starts are served by it.
        assert!(runs.request());
        assert!(!runs.request());
        runs.start_pass();
        assert!(!runs.finish_pass());
    }
}
