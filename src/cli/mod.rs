//! Command-line parsing and dispatch; every subcommand lives in its own module and
//! only wires library calls together. Errors map to exit codes in one place.

use std::io::Write as _;
use std::process::ExitCode;
use std::sync::atomic::{AtomicI32, Ordering};

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

/// `println!` that returns a [`StdoutError`] instead of panicking when stdout is
/// closed or full.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout(), $($arg)*).map_err($crate::cli::StdoutError)?;
    }};
}

/// `print!` likewise.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout(), $($arg)*).map_err($crate::cli::StdoutError)?;
    }};
}

mod add;
mod call;
mod campaign;
mod json;
mod list;
mod merge;
mod mutate;
mod new;
mod options;
mod outputs;
mod prepare;
mod remove;
mod report;
mod reproduce;
mod version;

/// Run independently written WebAssembly variants of a function and vote.
#[derive(Parser, Debug)]
#[command(name = "nvx", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Show an ensemble's variants, provenance and function signatures.
    List(list::Args),
    /// Run every variant on one input and print each outcome and the verdict.
    Call(call::Args),
    /// CI comparison run over corpora and generated inputs.
    Campaign(campaign::Args),
    /// Re-render a campaign's JSON report.
    Report(report::Args),
    /// Join the JSON reports of shards.
    Merge(merge::Args),
    /// Start an ensemble folder from a WIT world.
    New(new::Args),
    /// Check a component or core module and add it to an ensemble as a variant.
    Add(add::Args),
    /// Remove a variant from an ensemble: its manifest entry and its module.
    Remove(remove::Args),
    /// Mutation testing: how many single-fault mutants of each variant a campaign detects.
    Mutate(mutate::Args),
    /// Fill the compile caches ahead of time (offline use): compile every variant
    /// of each ensemble for each of its engines.
    Prepare(prepare::Args),
    /// Serve as a campaign worker process on stdin and stdout (started by
    /// `nvx campaign`, not by hand).
    #[command(hide = true)]
    Worker,
}

/// Runs the CLI and returns the process exit code (see `nvx::exit`).
pub fn main() -> ExitCode {
    let mut command = Cli::command().version(version::short());
    if version::wants_long() {
        command = command.long_version(version::long());
    }
    let parsed = command
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout with success, usage errors to
            // stderr; usage errors are exit 2 like every other error.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                nvx::exit::ERROR as u8
            } else {
                nvx::exit::AGREED as u8
            });
        }
    };
    let result = match cli.command {
        Command::List(args) => list::run(args),
        Command::Call(args) => call::run(args),
        Command::Campaign(args) => campaign::run(args),
        Command::Worker => nvx::worker::serve(std::io::stdin().lock(), std::io::stdout().lock())
            .map(|()| nvx::exit::AGREED)
            .map_err(anyhow::Error::from),
        Command::Report(args) => report::run(args),
        Command::Merge(args) => merge::run(args),
        Command::New(args) => new::run(args),
        Command::Add(args) => add::run(args),
        Command::Remove(args) => remove::run(args),
        Command::Mutate(args) => mutate::run(args),
        Command::Prepare(args) => prepare::run(args),
    };
    let result = result.and_then(|code| {
        std::io::stdout().flush().map_err(StdoutError)?;
        Ok(code)
    });
    match result {
        Ok(code) => ExitCode::from(code as u8),
        // The reader went away (`nvx list … | head`): stop quietly with the code the
        // command had settled on.
        Err(e)
            if e.downcast_ref::<StdoutError>()
                .is_some_and(|s| s.0.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::from(SETTLED.load(Ordering::Relaxed) as u8)
        }
        Err(e) => {
            // Print the chain of causes, skipping a cause whose text the previous
            // message already includes (library errors embed their source, TOML's
            // without its closing line break).
            let mut msg = e.to_string();
            for cause in e.chain().skip(1) {
                let c = cause.to_string();
                if !msg.contains(c.trim_end()) {
                    msg = format!("{msg}: {c}");
                }
            }
            eprintln!("nvx: error: {msg}");
            ExitCode::from(nvx::exit::ERROR as u8)
        }
    }
}

/// Formats a duration compactly for tables (`812ns`, `14.2µs`, `3.10ms`, `1.20s`).
pub(crate) fn human_duration(d: std::time::Duration) -> String {
    nvx::report::ns(u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

/// The value of `--engines`: a comma-separated list of engines.
#[derive(Clone, Debug)]
pub(crate) struct EngineList(pub Vec<nvx::EngineKind>);

/// Parses `--engines cranelift,winch,pulley`: registered engines, each once, and
/// each able to run here (else a usage error before any work).
pub(crate) fn parse_engines(text: &str) -> Result<EngineList, String> {
    let list = nvx::EngineKind::parse_list(text).map_err(|e| e.to_string())?;
    for k in &list {
        k.check_available().map_err(|e| e.to_string())?;
    }
    Ok(EngineList(list))
}

/// Opens an ensemble folder, on `engines` when given (else the manifest's).
pub(crate) fn open_ensemble(
    dir: &std::path::Path,
    engines: Option<&[nvx::EngineKind]>,
) -> anyhow::Result<nvx::Ensemble> {
    use anyhow::Context;
    match engines {
        Some(e) => nvx::Ensemble::open_with_engines(dir, e),
        None => nvx::Ensemble::open(dir),
    }
    .with_context(|| format!("loading ensemble {}", dir.display()))
}

/// Prints the warnings raised while loading an ensemble (a refused cache entry).
pub(crate) fn warn_loaded(ensemble: &nvx::Ensemble) {
    for w in ensemble.warnings() {
        eprintln!("nvx: warning: {w}");
    }
}

/// The exit code a command settled on before printing its output.
static SETTLED: AtomicI32 = AtomicI32::new(nvx::exit::AGREED);

/// Records the exit code a command will return, before it prints its output, so
/// that a closed stdout does not change it.
pub(crate) fn settle(code: i32) -> i32 {
    SETTLED.store(code, Ordering::Relaxed);
    code
}

/// Standard output could not be written (a closed pipe, a full disk).
#[derive(Debug)]
pub(crate) struct StdoutError(pub std::io::Error);

impl std::fmt::Display for StdoutError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot write to standard output: {}", self.0)
    }
}

impl std::error::Error for StdoutError {}
