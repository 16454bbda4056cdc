//! `nvx campaign ENSEMBLE...`: the CI comparison run.

use std::io::IsTerminal;
use std::path::PathBuf;

use nvx::campaign::{self, BaselineMode, DEFAULT_GENERATE, DEFAULT_SHRINK_BUDGET, Event, Options};
use nvx::report::{render_junit, render_markdown, render_text};

/// Arguments of `nvx campaign`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Ensemble folders, or folders of ensembles (`wasm-modules` runs every bundled one).
    #[arg(required = true)]
    ensembles: Vec<PathBuf>,
    /// Corpus file or folder: one WAVE argument tuple per line, `#` comments. Repeatable.
    #[arg(long)]
    corpus: Vec<PathBuf>,
    /// Generated inputs per ensemble.
    #[arg(long, default_value_t = DEFAULT_GENERATE)]
    generate: u64,
    /// Seed of the input generator; the same seed gives the same inputs everywhere.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Parallel workers (default: all cores).
    #[arg(long, short = 'j')]
    jobs: Option<usize>,
    /// Run only slice K of N (1-based), e.g. `--shard 2/4`; join slices with `nvx merge`.
    #[arg(long, value_parser = parse_shard)]
    shard: Option<(u64, u64)>,
    /// Append every finished input to this journal, so the run can be resumed.
    #[arg(long)]
    journal: Option<PathBuf>,
    /// Continue the run recorded in --journal, skipping inputs already done.
    #[arg(long, requires = "journal")]
    resume: bool,
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
    /// Write the JSON report here (schema 1).
    #[arg(long)]
    json: Option<PathBuf>,
    /// Write a JUnit XML report here.
    #[arg(long)]
    junit: Option<PathBuf>,
    /// Write a Markdown summary here (e.g. "$GITHUB_STEP_SUMMARY").
    #[arg(long)]
    markdown: Option<PathBuf>,
    /// Run every variant on these engines (the first one's results vote; `nvx list` names them)
    /// instead of each manifest's `engines`, e.g. `cranelift,winch,pulley`.
    #[arg(long, value_name = "LIST", value_parser = super::parse_engines)]
    engines: Option<super::EngineList>,
    /// Run inputs on threads of this process instead of --jobs worker processes
    /// (then a crash of the engine on one input ends the whole run).
    #[arg(long)]
    in_process: bool,
    /// No progress bar and no summary; only the exit code and the report files.
    #[arg(long, short = 'q')]
    quiet: bool,
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

/// Checks, before any work, that each report can be written where asked: its
/// folder exists and the path is not a folder.
fn check_output_paths(args: &Args) -> anyhow::Result<()> {
    for (flag, path) in [
        ("--json", &args.json),
        ("--junit", &args.junit),
        ("--markdown", &args.markdown),
    ] {
        let Some(p) = path else { continue };
        if p.is_dir() {
            anyhow::bail!("{flag} {}: is a folder, not a file", p.display());
        }
        let parent = p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."));
        if !parent.is_dir() {
            anyhow::bail!(
                "{flag} {}: the folder {} does not exist",
                p.display(),
                parent.display()
            );
        }
    }
    Ok(())
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    check_output_paths(&args)?;
    let mut dirs = Vec::new();
    for p in &args.ensembles {
        dirs.extend(campaign::discover(p)?);
    }
    let ensembles = dirs
        .iter()
        .map(|d| super::open_ensemble(d, args.engines.as_ref().map(|e| e.0.as_slice())))
        .collect::<anyhow::Result<Vec<_>>>()?;
    ensembles.iter().for_each(super::warn_loaded);
    let opts = Options {
        corpus: args.corpus.clone(),
        generate: args.generate,
        seed: args.seed,
        jobs: args.jobs.unwrap_or_else(|| Options::default().jobs).max(1),
        shard: args.shard,
        journal: args.journal.clone(),
        resume: args.resume,
        shrink_budget: args.shrink_budget,
        // Inputs too long for a reproduce command go beside the first report file:
        // `run.json` → `run.inputs/`.
        inputs_dir: [&args.json, &args.junit, &args.markdown]
            .into_iter()
            .flatten()
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
    };
    let show_progress =
        !args.quiet && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    let mut bar: Option<indicatif::ProgressBar> = None;
    let started = std::time::Instant::now();
    let mut report = campaign::run(&ensembles, &opts, |event| match event {
        Event::EnsembleStarted { name, total, done } if show_progress => {
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
            bar = Some(b);
        }
        Event::Warning { message } => match &bar {
            Some(b) => b.suspend(|| eprintln!("nvx: warning: {message}")),
            None => eprintln!("nvx: warning: {message}"),
        },
        Event::InputDone { divergent } => {
            if let Some(b) = &bar {
                b.inc(1);
                if *divergent {
                    b.set_message("· diverged");
                }
            }
        }
        Event::Shrinking { signatures, .. } => {
            if let Some(b) = &bar
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
    })
    .map_err(|e| match e {
        nvx::Error::JournalExists { .. } => {
            anyhow::anyhow!("{e} (--resume continues it)")
        }
        e => e.into(),
    })?;
    super::reproduce::fill(&mut report);
    let total: u64 = report.ensembles.iter().map(|e| e.inputs).sum();
    let code = super::settle(nvx::exit::of_check(report.diverged()));
    // The summary comes first, so a report file that cannot be written (a full
    // disk) never hides the findings of a finished run.
    if !args.quiet {
        out!("{}", render_text(&report));
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
            started.elapsed().as_secs_f64()
        );
        if args.bless {
            for e in &report.ensembles {
                if let Some(b) = &e.baseline {
                    outln!(
                        "blessed {b}: {} known divergence(s); review each reason",
                        e.known_and_new().0
                    );
                }
            }
        }
    }
    let mut failed = Vec::new();
    let json = serde_json::to_string_pretty(&report)?;
    for (path, text) in [
        (&args.json, json),
        (&args.junit, render_junit(&report)),
        (&args.markdown, render_markdown(&report)),
    ] {
        if let Some(p) = path
            && let Err(e) = std::fs::write(p, text)
        {
            failed.push(format!("writing {}: {e}", p.display()));
        }
    }
    if !failed.is_empty() {
        anyhow::bail!("{}", failed.join("; "));
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
