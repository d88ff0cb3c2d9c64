//! Logging through `tracing`: events go to stderr, which is the client's log (VS Code's output
//! channel, Neovim's `lsp.log`, Emacs' events buffer), and are appended to the file named by
//! `ERRCODE_LSP_LOG_FILE` when it is set. The level comes from `ERRCODE_LSP_LOG` (an
//! `EnvFilter`: `debug`, `errcode_lsp=trace,warn`), else from the client's `trace` value at
//! `initialize` (`verbose`: debug, `messages`: info, `off` or none: warn).

use std::sync::{Mutex, OnceLock};

use tower_lsp_server::ls_types::TraceValue;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{reload, EnvFilter, Layer, Registry};

/// The variable that sets the level (and wins over the client's `trace`).
pub const LEVEL_VAR: &str = "ERRCODE_LSP_LOG";
/// The variable that names a file to append the log to.
pub const FILE_VAR: &str = "ERRCODE_LSP_LOG_FILE";

static FILTER: OnceLock<reload::Handle<EnvFilter, Registry>> = OnceLock::new();

fn from_env() -> Option<EnvFilter> {
    let spec = std::env::var(LEVEL_VAR).ok().filter(|s| !s.trim().is_empty())?;
    match EnvFilter::try_new(&spec) {
        Ok(filter) => Some(filter),
        Err(e) => {
            eprintln!("errcode-lsp: {LEVEL_VAR}={spec:?} is not a log filter ({e}); using `warn`");
            None
        }
    }
}

/// Installs the logger (once; later calls do nothing).
pub fn init() {
    if FILTER.get().is_some() {
        return;
    }
    let (filter, handle) = reload::Layer::new(from_env().unwrap_or_else(|| EnvFilter::new("warn")));
    let stderr = tracing_subscriber::fmt::layer().with_writer(std::io::stderr).with_ansi(false).with_target(false);
    let file = std::env::var_os(FILE_VAR).and_then(|path| {
        match std::fs::OpenOptions::new().create(true).append(true).open(&path) {
            Ok(file) => Some(tracing_subscriber::fmt::layer().with_writer(Mutex::new(file)).with_ansi(false)),
            Err(e) => {
                eprintln!("errcode-lsp: cannot open the log file {}: {e}", std::path::Path::new(&path).display());
                None
            }
        }
    });
    let layers = stderr.and_then(file);
    if tracing_subscriber::registry().with(filter).with(layers).try_init().is_ok() {
        let _ = FILTER.set(handle);
    }
}

/// The client's `trace` setting sets the level, unless the environment did.
pub fn set_trace(trace: Option<TraceValue>) {
    if from_env().is_some() {
        return;
    }
    let level = match trace {
        Some(TraceValue::Verbose) => "debug",
        Some(TraceValue::Messages) => "info",
        _ => "warn",
    };
    if let Some(handle) = FILTER.get() {
        let _ = handle.reload(EnvFilter::new(level));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unset_or_bad_variable_gives_no_filter() {
        // The test process does not set it; a bad spec is reported and ignored.
        if std::env::var_os(LEVEL_VAR).is_none() {
            assert!(from_env().is_none());
        }
        assert!(EnvFilter::try_new("errcode_lsp=nonsense[").is_err());
    }
}
