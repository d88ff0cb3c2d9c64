//! The command line: argument parsing (clap) and dispatch to `check`, `explain`, `codes`,
//! `status`, or the language server.

mod check;
mod explain;
mod import;
mod render;
mod report;
mod terminal;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use errcode_core::locale::Locale;

/// Exit code: no findings.
pub const EXIT_CLEAN: u8 = 0;
/// Exit code: findings reported.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: bad usage, bad config or catalog, unknown code.
pub const EXIT_ERROR: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "errcode-lsp",
    version,
    about = "Checks error-code string literals against catalogs of known codes (built in: Tencent CloudBase).",
    long_about = "Checks error-code string literals against catalogs of known codes (built in: Tencent CloudBase).\n\n\
                  Without a subcommand (or with --stdio) it serves the Language Server Protocol on stdin/stdout."
)]
pub struct Cli {
    /// Serve the Language Server Protocol on stdin/stdout (the default without a subcommand).
    #[arg(long, global = false)]
    pub stdio: bool,

    /// The language of messages and docs (default: `locale` in errcode.toml, else
    /// LC_ALL/LC_MESSAGES/LANG: `zh_*` is Chinese, anything else English).
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    pub lang: Option<LangArg>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check files and directories for misspelled and deprecated codes (for CI).
    Check(CheckArgs),
    /// Show the documentation of one code, like `rustc --explain`.
    Explain {
        /// The code, e.g. EXCEED_RATELIMIT (numeric codes: `explain -- -501001`).
        code: String,
        /// `terminal` (headings, bullets and links; the default on a terminal), `plain` (the
        /// default when piped), `markdown`, or `json` (the merged entry's fields).
        #[arg(long, value_enum)]
        format: Option<ExplainFormat>,
        /// Same as `--format plain`.
        #[arg(long, hide = true)]
        plain: bool,
    },
    /// List the codes of the active catalogs.
    Codes {
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
        /// Include built-in catalogs that are not active in this project.
        #[arg(long)]
        all: bool,
        /// The project directory (default: the current directory).
        #[arg(long, value_name = "DIR")]
        project: Option<PathBuf>,
    },
    /// Show which catalogs are active for a project, and why.
    Status {
        /// The project directory (default: the current directory).
        path: Option<PathBuf>,
    },
    /// Print the JSON Schema of `errcode.toml` or of catalog files.
    Schema {
        #[arg(value_enum)]
        kind: SchemaKind,
    },
    /// Which codes the project handles: counts and locations per catalog and category, and the
    /// categories never handled (Markdown, JSON or one self-contained HTML file).
    Report(report::ReportArgs),
    /// Catalog tools: `catalog import` turns an error-code docs page into a catalog file.
    Catalog {
        #[command(subcommand)]
        command: import::CatalogCommand,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish) on stdout.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) on stdout: `errcode-lsp man > errcode-lsp.1`.
    Man,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files or directories to check (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Findings below this severity are shown but do not make the run fail (exit 1).
    #[arg(long, value_enum, value_name = "SEVERITY", default_value_t = MinSeverity::Hint)]
    pub min_severity: MinSeverity,
    /// Exit 2 when a checked project has no active catalog (so CI cannot pass by checking
    /// nothing).
    #[arg(long)]
    pub require_active: bool,
    /// With `check -`: the file name the text on stdin stands for (its language and project).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Rewrite unambiguous findings in place and report what changed.
    #[arg(long)]
    pub fix: bool,
    /// Let `--fix` apply unsafe fixes too: deprecated codes where they are compared or matched
    /// (`case 'OLD':`, `code === "OLD"`, lists of codes), which services may still send.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Number of threads (default: one per core).
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// Check files ignored by .gitignore and hidden files too.
    #[arg(long)]
    pub no_ignore: bool,
    /// Check build output, dependencies and generated files too (node_modules, dist,
    /// miniprogram_npm, *.min.js, minified bundles, linguist-generated paths...).
    #[arg(long)]
    pub no_default_excludes: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
    /// GitHub Actions workflow commands (`::warning file=...::message`): annotations.
    Github,
}

/// The lowest severity that fails `check`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MinSeverity {
    Error,
    Warning,
    Info,
    Hint,
}

impl MinSeverity {
    /// Whether a finding of `severity` makes the run fail.
    pub fn fails(self, severity: errcode_core::config::Severity) -> bool {
        use errcode_core::config::Severity;
        let rank = |s: Severity| match s {
            Severity::Error => 4,
            Severity::Warning => 3,
            Severity::Info => 2,
            Severity::Hint => 1,
            Severity::Off => 0,
        };
        let min = match self {
            MinSeverity::Error => Severity::Error,
            MinSeverity::Warning => Severity::Warning,
            MinSeverity::Info => Severity::Info,
            MinSeverity::Hint => Severity::Hint,
        };
        rank(severity) >= rank(min)
    }
}

/// `--lang`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LangArg {
    En,
    #[value(name = "zh-CN", alias = "zh", alias = "zh-cn", alias = "zh_CN")]
    ZhCn,
}

/// `explain --format`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExplainFormat {
    Terminal,
    Plain,
    Markdown,
    Json,
}

/// The language of the command's output: `--lang`, else a `locale` other than `auto` in the
/// errcode.toml of the current directory's project, else the POSIX environment.
fn locale(arg: Option<LangArg>) -> Locale {
    if let Some(arg) = arg {
        return match arg {
            LangArg::En => Locale::En,
            LangArg::ZhCn => Locale::ZhCn,
        };
    }
    let configured = std::env::current_dir()
        .ok()
        .and_then(|dir| errcode_core::project::find_config_for(&errcode_core::project::find_root(&dir)))
        .and_then(|path| errcode_core::config::ConfigFile::load(&path).ok())
        .and_then(|config| config.locale?.fixed());
    configured.unwrap_or_else(|| Locale::from_env(|name| std::env::var(name).ok()))
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    Human,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaKind {
    /// The project config file, errcode.toml.
    Config,
    /// Catalog files.
    Catalog,
}

/// Runs the command line; returns the process exit code.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_CLEAN };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    if cli.command.is_some() {
        restore_sigpipe();
    }
    let locale = || locale(cli.lang);
    let code = match cli.command {
        None => {
            use std::io::IsTerminal;
            if !cli.stdio && std::io::stdin().is_terminal() {
                eprintln!(
                    "errcode-lsp: waiting for an LSP client on stdin (this is the language server; \
                     `errcode-lsp --help` lists the commands, Ctrl-C quits)"
                );
            }
            crate::lsp::serve_stdio()
        }
        Some(Command::Check(args)) => check::run(&args, locale()),
        Some(Command::Explain { code, format, plain }) => {
            let format = format.or(plain.then_some(ExplainFormat::Plain));
            explain::explain(&code, format, locale())
        }
        Some(Command::Codes { format, all, project }) => explain::codes(format, all, project, locale()),
        Some(Command::Status { path }) => explain::status(path, locale()),
        Some(Command::Schema { kind }) => {
            println!("{}", errcode_core::schema::json(kind == SchemaKind::Config));
            EXIT_CLEAN
        }
        Some(Command::Report(args)) => report::run(&args),
        Some(Command::Catalog { command }) => import::run(&command),
        Some(Command::Completions { shell }) => {
            use clap::CommandFactory;
            let mut out = std::io::stdout().lock();
            clap_complete::generate(shell, &mut Cli::command(), "errcode-lsp", &mut out);
            EXIT_CLEAN
        }
        Some(Command::Man) => {
            use clap::CommandFactory;
            let mut out = std::io::stdout().lock();
            match clap_mangen::Man::new(Cli::command()).render(&mut out) {
                Ok(()) => EXIT_CLEAN,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_CLEAN,
                Err(e) => {
                    error(e);
                    EXIT_ERROR
                }
            }
        }
    };
    ExitCode::from(code)
}

/// Lets a closed stdout end the process quietly, as in other Unix tools (`errcode-lsp codes
/// --all | head -1`): Rust ignores SIGPIPE, so every later write to the pipe fails and `println!`
/// panics. Only for the commands: the language server handles its own stdout.
#[allow(unsafe_code)]
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called once at start-up on the main thread before any other thread exists;
    // resetting a signal's disposition to the default has no memory-safety requirements.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Prints an error in the CLI's style on stderr.
pub(crate) fn error(message: impl std::fmt::Display) {
    use std::io::Write;
    let style = anstyle::Style::new().bold().fg_color(Some(anstyle::AnsiColor::Red.into()));
    let mut err = anstream::stderr();
    // Messages name files and quote values from them: their control characters are escaped.
    let message = message.to_string();
    let _ = writeln!(err, "{style}error{style:#}: {}", terminal::text(&message));
}
