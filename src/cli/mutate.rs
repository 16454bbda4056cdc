//! `nvx mutate ENSEMBLE`: mutation testing of a campaign: how many single-fault
//! mutants of each variant the campaign's inputs detect.

use std::io::IsTerminal as _;
use std::path::PathBuf;

use anyhow::Context as _;
use nvx::mutate::report::{render_html, render_markdown, render_text};
use nvx::mutate::{DEFAULT_MUTANTS, Event, Options, Status};

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
    for (flag, path) in [
        ("--json", &args.json),
        ("--markdown", &args.markdown),
        ("--html", &args.html),
    ] {
        if let Some(p) = path
            && p.is_dir()
        {
            anyhow::bail!("{flag} {}: is a folder, not a file", p.display());
        }
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
    let progress = !args.quiet.quiet;
    let tty = std::io::stderr().is_terminal();
    let started = std::time::Instant::now();
    let (mut finished, mut total) = (0usize, 0usize);
    let report = nvx::mutate::run(&ensemble, &opts, |event| match event {
        Event::Baseline { ensemble, inputs } if progress => {
            eprintln!("nvx: {ensemble}: running the unmutated ensemble on {inputs} campaign and probe inputs");
        }
        Event::VariantStarted {
            ensemble,
            variant,
            sites,
            mutants,
            done,
        } if progress => {
            (finished, total) = (*done, *mutants);
            eprintln!(
                "nvx: {ensemble}/{variant}: {mutants} mutant(s) of {sites} site(s){}",
                if *done > 0 {
                    format!(", {done} from the journal")
                } else {
                    String::new()
                }
            );
        }
        Event::MutantDone { result } if progress && tty => {
            finished += 1;
            let tag = match result.status {
                Status::Killed => "killed",
                Status::Survived => "SURVIVED",
                Status::Equivalent => "equivalent",
                _ => "invalid",
            };
            eprintln!("  [{finished}/{total}] {} {}: {tag}", result.location, result.change);
        }
        _ => {}
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
    let mut failed = Vec::new();
    for (path, text) in [
        (&args.json, serde_json::to_string_pretty(&report)? + "\n"),
        (&args.markdown, render_markdown(&report)),
        (&args.html, render_html(&report)),
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
    Ok(code)
}
