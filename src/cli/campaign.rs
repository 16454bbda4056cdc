//! `nvx campaign ENSEMBLE...`: the CI comparison run.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use nvx::Observer;
use nvx::campaign::{self, BaselineMode, DEFAULT_SHRINK_BUDGET, Event, Options};
use nvx::report::{RunReport, render_text};

use super::options::{Engines, Inputs, Journal, Quiet};
use super::outputs::ReportOutputs;

/// Arguments of `nvx campaign`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Ensemble folders, or folders of ensembles (`wasm-modules` runs every bundled one).
    #[arg(required = true)]
    ensembles: Vec<PathBuf>,
    #[command(flatten)]
    inputs: Inputs,
    /// Run only slice K of N (1-based), e.g. `--shard 2/4`; join slices with `nvx merge`.
    #[arg(long, value_parser = parse_shard)]
    shard: Option<(u64, u64)>,
    #[command(flatten)]
    journal: Journal,
    /// Ensemble calls allowed when shrinking one divergence.
    #[arg(long, default_value_t = DEFAULT_SHRINK_BUDGET)]
    shrink_budget: usize,
    /// Ignore each ensemble's baseline.json: every divergence is new.
    #[arg(long, conflicts_with = "bless")]
    no_baseline: bool,
    /// Rewrite each ensemble's baseline.json from this run (keeping the reasons of
    /// entries that still occur); every divergence is then known.
    #[arg(long)]
    bless: bool,
    #[command(flatten)]
    outputs: ReportOutputs,
    #[command(flatten)]
    engines: Engines,
    /// Run inputs on threads of this process instead of --jobs worker processes
    /// (then a crash of the engine on one input ends the whole run).
    #[arg(long)]
    in_process: bool,
    #[command(flatten)]
    quiet: Quiet,
}

fn parse_shard(s: &str) -> Result<(u64, u64), String> {
    let (k, n) = s
        .split_once('/')
        .ok_or_else(|| format!("`{s}`: expected K/N, e.g. 1/4"))?;
    let k: u64 = k
        .trim()
        .parse()
        .map_err(|_| format!("`{s}`: K is not a number"))?;
    let n: u64 = n
        .trim()
        .parse()
        .map_err(|_| format!("`{s}`: N is not a number"))?;
    if n == 0 || k == 0 || k > n {
        return Err(format!("`{s}`: K must be between 1 and N"));
    }
    Ok((k, n))
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    args.outputs.check()?;
    let mut dirs = Vec::new();
    for p in &args.ensembles {
        dirs.extend(campaign::discover(p)?);
    }
    let ensembles = dirs
        .iter()
        .map(|d| super::open_ensemble(d, args.engines.list()))
        .collect::<anyhow::Result<Vec<_>>>()?;
    ensembles.iter().for_each(super::warn_loaded);
    let opts = Options {
        shard: args.shard,
        journal: args.journal.journal.clone(),
        resume: args.journal.resume,
        shrink_budget: args.shrink_budget,
        // Inputs too long for a reproduce command go beside the first report file:
        // `run.json` → `run.inputs/`.
        inputs_dir: args
            .outputs
            .paths()
            .find(|p| p.as_os_str() != "-" && !p.starts_with("/dev"))
            .map(|p| p.with_extension("inputs")),
        workers: if args.in_process {
            None
        } else {
            Some(nvx::worker::WorkerCommand::current_exe()?)
        },
        baseline: if args.bless {
            BaselineMode::Bless
        } else if args.no_baseline {
            BaselineMode::Ignore
        } else {
            BaselineMode::Apply
        },
        reproduce: Some(super::reproduce::command),
        ..args.inputs.campaign_options()
    };
    let progress = Progress {
        show: !args.quiet.quiet
            && std::io::stderr().is_terminal()
            && std::env::var_os("CI").is_none(),
        bar: Mutex::new(None),
    };
    let summary = Summary {
        show: !args.quiet.quiet,
        bless: args.bless,
        failed: Mutex::new(None),
    };
    // One event stream, each observer in turn: the progress bar, then the summary
    // on standard output, then the report files. The summary comes first, so a
    // report file that cannot be written (a full disk) never hides the findings
    // of a finished run.
    let report = campaign::run(&ensembles, &opts, |event| {
        progress.on_event(event);
        summary.on_event(event);
        args.outputs.observers().for_each(|o| o.on_event(event));
    })
    .map_err(|e| match e {
        nvx::Error::JournalExists { .. } => {
            anyhow::anyhow!("{e} (--resume continues it)")
        }
        e => e.into(),
    })?;
    let total: u64 = report.ensembles.iter().map(|e| e.inputs).sum();
    let code = super::settle(nvx::exit::of_check(report.diverged()));
    let failed = args.outputs.failures();
    if !failed.is_empty() {
        anyhow::bail!("{}", failed.join("; "));
    }
    if let Some(e) = summary
        .failed
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
    {
        return Err(e.into());
    }
    if total == 0 {
        if args.shard.is_some() {
            eprintln!("nvx: note: this shard received no inputs");
        } else {
            // A CI run that tested nothing must not pass silently.
            anyhow::bail!(
                "the campaign ran no inputs (no corpus lines and --generate 0): nothing was tested"
            );
        }
    }
    Ok(code)
}

/// The progress bar on a terminal (none in CI or with `--quiet`), and the run's
/// warnings, as an observer of the campaign.
struct Progress {
    show: bool,
    bar: Mutex<Option<indicatif::ProgressBar>>,
}

impl Observer for Progress {
    fn on_event(&self, event: &Event<'_>) {
        let mut bar = self.bar.lock().unwrap_or_else(PoisonError::into_inner);
        match event {
            Event::EnsembleStarted { name, total, done } if self.show => {
                let b = indicatif::ProgressBar::new(*total);
                b.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{prefix:>12} [{bar:30}] {pos}/{len} inputs {msg} ({per_sec}, {eta})",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                    .progress_chars("=> "),
                );
                b.set_prefix(name.to_string());
                b.set_position(*done);
                *bar = Some(b);
            }
            Event::Warning { message } => match &*bar {
                Some(b) => b.suspend(|| eprintln!("nvx: warning: {message}")),
                None => eprintln!("nvx: warning: {message}"),
            },
            Event::InputDone { divergent } => {
                if let Some(b) = &*bar {
                    b.inc(1);
                    if *divergent {
                        b.set_message("· diverged");
                    }
                }
            }
            Event::Shrinking { signatures, .. } => {
                if let Some(b) = &*bar
                    && *signatures > 0
                {
                    b.set_message(format!("· shrinking {signatures} signature(s)"));
                }
            }
            Event::EnsembleDone { .. } => {
                if let Some(b) = bar.take() {
                    b.finish();
                }
            }
            _ => {}
        }
    }
}

/// The summary on standard output at the end of the run (none with `--quiet`):
/// the text report, a line of counts, and what `--bless` rewrote.
struct Summary {
    show: bool,
    bless: bool,
    /// Standard output could not be written.
    failed: Mutex<Option<super::StdoutError>>,
}

impl Summary {
    fn print(&self, report: &RunReport, elapsed: Duration) -> Result<(), super::StdoutError> {
        let total: u64 = report.ensembles.iter().map(|e| e.inputs).sum();
        out!("{}", render_text(report));
        let divergent: u64 = report.ensembles.iter().map(|e| e.divergent_inputs).sum();
        let new: u64 = report.ensembles.iter().map(|e| e.new_divergences()).sum();
        let known = if new < divergent {
            format!(" ({new} new, {} known by the baseline)", divergent - new)
        } else {
            String::new()
        };
        outln!(
            "\n{} ensemble(s), {total} inputs, {divergent} divergent{known}, in {:.1}s",
            report.ensembles.len(),
            elapsed.as_secs_f64()
        );
        if self.bless {
            for e in &report.ensembles {
                if let Some(b) = &e.baseline {
                    outln!(
                        "blessed {b}: {} known divergence(s); review each reason",
                        e.known_and_new().0
                    );
                }
            }
        }
        Ok(())
    }
}

impl Observer for Summary {
    fn on_event(&self, event: &Event<'_>) {
        if let Event::RunDone {
            report, elapsed, ..
        } = event
            && self.show
            && let Some(report) = report.as_any().downcast_ref::<RunReport>()
            && let Err(e) = self.print(report, *elapsed)
        {
            *self.failed.lock().unwrap_or_else(PoisonError::into_inner) = Some(e);
        }
    }
}
