//! `nvx mutate ENSEMBLE`: mutation testing of a campaign: how many single-fault
//! mutants of each variant the campaign's inputs detect.

use std::io::IsTerminal as _;
use std::path::PathBuf;

use std::sync::{Mutex, PoisonError};

use anyhow::Context as _;
use nvx::Observer;
use nvx::mutate::report::render_text;
use nvx::mutate::{DEFAULT_MUTANTS, Event, Options};
use nvx::report::ReportFile;

use super::options::{Engines, Inputs, Journal, Quiet};

/// Arguments of `nvx mutate`.
#[derive(clap::Args, Debug)]
#[command(
    mut_arg("corpus", |a| a.help("Corpus file or folder of the campaign, as for `nvx campaign`. Repeatable")),
    mut_arg("generate", |a| a.help("Generated inputs of the campaign")),
    mut_arg("seed", |a| a.help("Seed of the campaign's input generator and of the mutant sample")),
    mut_arg("jobs", |a| a.help("Mutants run in parallel (default: all cores)")),
    mut_arg("engines", |a| a.help(
        "Run the ensemble on these engines (`nvx list` names them) instead of the manifest's \
         `engines`; mutants run on the first",
    )),
    mut_arg("journal", |a| a.help("Append every finished mutant to this journal, so the run can be resumed")),
    mut_arg("resume", |a| a.help("Continue the run recorded in --journal, skipping mutants already done")),
    mut_arg("quiet", |a| a.help("No progress lines and no summary; only the exit code and the report files")),
)]
pub struct Args {
    /// The ensemble folder (`wasm-modules/<fn>`).
    ensemble: PathBuf,
    /// Mutate only this variant (default: every variant).
    #[arg(long)]
    variant: Option<String>,
    /// Mutants drawn per variant (seeded; sites reachable from the exports first);
    /// 0 runs every candidate site.
    #[arg(long, default_value_t = DEFAULT_MUTANTS)]
    mutants: usize,
    /// Extra generated inputs (another seed) that tell surviving mutants from
    /// equivalent ones (default: as many as --generate).
    #[arg(long)]
    probes: Option<u64>,
    #[command(flatten)]
    inputs: Inputs,
    #[command(flatten)]
    engines: Engines,
    #[command(flatten)]
    journal: Journal,
    /// Write the JSON report here (schema 2).
    #[arg(long)]
    json: Option<PathBuf>,
    /// Write a Markdown summary here.
    #[arg(long)]
    markdown: Option<PathBuf>,
    /// Write a self-contained HTML report here.
    #[arg(long)]
    html: Option<PathBuf>,
    /// Exit 1 unless every variant's score is at least this (0 to 1). A vacuous
    /// score (`n/a`: no mutant changed behaviour) never meets it.
    #[arg(long, value_parser = parse_score)]
    min_score: Option<f64>,
    #[command(flatten)]
    quiet: Quiet,
}

fn parse_score(s: &str) -> Result<f64, String> {
    let x: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number"))?;
    if (0.0..=1.0).contains(&x) {
        Ok(x)
    } else {
        Err(format!("`{s}`: a score is between 0 and 1"))
    }
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let files: Vec<(&str, ReportFile)> = [
        ("--json", "json", &args.json),
        ("--markdown", "markdown", &args.markdown),
        ("--html", "html", &args.html),
    ]
    .into_iter()
    .filter_map(|(flag, format, path)| Some((flag, ReportFile::new(format, path.clone()?))))
    .collect();
    for (flag, f) in &files {
        super::outputs::check_path(flag, f.path())?;
    }
    let ensemble = super::open_ensemble(&args.ensemble, args.engines.list())?;
    super::warn_loaded(&ensemble);
    let opts = Options {
        probes: args.probes.unwrap_or(args.inputs.generate),
        campaign: args.inputs.campaign_options(),
        variant: args.variant.clone(),
        mutants: args.mutants,
        journal: args.journal.journal.clone(),
        resume: args.journal.resume,
    };
    let progress = Progress {
        show: !args.quiet.quiet,
        tty: std::io::stderr().is_terminal(),
        counts: Mutex::new((0, 0)),
    };
    let started = std::time::Instant::now();
    // One event stream: the progress lines, then the report files, which write
    // themselves when the analysis is done.
    let report = nvx::mutate::run(&ensemble, &opts, |event| {
        progress.on_event(event);
        files.iter().for_each(|(_, f)| f.on_event(event));
    })
    .with_context(|| format!("mutating {}", args.ensemble.display()))?;
    let code = super::settle(if args.min_score.is_none_or(|m| report.meets(m)) {
        nvx::exit::AGREED
    } else {
        nvx::exit::DIVERGED
    });
    if !args.quiet.quiet {
        out!("{}", render_text(&report));
        for v in report.vacuous() {
            outln!(
                "\n{}/{}: score n/a: none of its {} mutant(s) changed behaviour on the campaign's or the probes' inputs, so the campaign was not tested{}",
                v.ensemble,
                v.variant,
                v.mutants,
                if args.min_score.is_some() {
                    "; it does not meet --min-score"
                } else {
                    ""
                }
            );
        }
        let minimum = match args.min_score {
            Some(m) => format!(
                "minimum score {m}: {}",
                if code == nvx::exit::AGREED {
                    "met"
                } else {
                    "NOT met"
                }
            ),
            None => "no minimum score".to_string(),
        };
        outln!(
            "\n{} variant(s) in {:.1}s; {minimum}",
            report.variants.len(),
            started.elapsed().as_secs_f64(),
        );
    }
    let failed: Vec<String> = files.iter().filter_map(|(_, f)| f.failure()).collect();
    if !failed.is_empty() {
        anyhow::bail!("{}", failed.join("; "));
    }
    Ok(code)
}

/// The progress lines on standard error (none with `--quiet`; one per mutant only
/// on a terminal), as an observer of the analysis.
struct Progress {
    show: bool,
    tty: bool,
    /// Mutants finished and drawn, of the variant running.
    counts: Mutex<(usize, usize)>,
}

impl Observer for Progress {
    fn on_event(&self, event: &Event<'_>) {
        if !self.show {
            return;
        }
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        match event {
            Event::MutationBaseline { ensemble, inputs } => {
                eprintln!(
                    "nvx: {ensemble}: running the unmutated ensemble on {inputs} campaign and probe inputs"
                );
            }
            Event::MutantsStarted {
                ensemble,
                variant,
                sites,
                mutants,
                done,
            } => {
                *counts = (*done, *mutants);
                eprintln!(
                    "nvx: {ensemble}/{variant}: {mutants} mutant(s) of {sites} site(s){}",
                    if *done > 0 {
                        format!(", {done} from the journal")
                    } else {
                        String::new()
                    }
                );
            }
            Event::MutantDone {
                location,
                change,
                status,
                ..
            } if self.tty => {
                counts.0 += 1;
                // A survivor stands out in the scrolling list.
                let tag = if *status == "survived" {
                    "SURVIVED".to_string()
                } else {
                    status.to_string()
                };
                eprintln!("  [{}/{}] {location} {change}: {tag}", counts.0, counts.1);
            }
            _ => {}
        }
    }
}
