//! `nvx call ENSEMBLE FUNC ARG...`: one input, every variant, the verdict.

use std::path::PathBuf;

use anyhow::Context;

use nvx::Ensemble;
use nvx::report::{Align, Table, clip};

use super::human_duration;
use super::json::{self, CallDoc, CallRun};

/// Arguments of `nvx call`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The ensemble folder (holding nvx.toml).
    ensemble: PathBuf,
    /// The function to call.
    function: String,
    /// One WAVE value per parameter, e.g. `"hello"`, `[1, 2, 3]`, `some(4)`, `-1.5`
    /// (a value starting with `-` that is not a number, such as `-inf`, goes after `--`).
    #[arg(allow_negative_numbers = true)]
    args: Vec<String>,
    /// Read the arguments from FILE instead: one corpus line (WAVE values separated by commas;
    /// blank and `#` lines are skipped). Campaign reports point here for inputs too long for a
    /// command line.
    #[arg(long, value_name = "FILE", conflicts_with = "args")]
    args_file: Option<PathBuf>,
    /// Print one JSON document instead of a table.
    #[arg(long)]
    json: bool,
    /// Run every variant on these engines (the first one's results vote; `nvx list` names them)
    /// instead of the manifest's `engines`, e.g. `cranelift,winch,pulley`.
    #[arg(long, value_name = "LIST", value_parser = super::parse_engines)]
    engines: Option<super::EngineList>,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let ens = super::open_ensemble(
        &args.ensemble,
        args.engines.as_ref().map(|e| e.0.as_slice()),
    )?;
    super::warn_loaded(&ens);
    let values = match &args.args_file {
        Some(file) => read_args_file(&ens, &args.function, file)?,
        None => ens.parse_args(&args.function, &args.args)?,
    };
    let verdict = ens.call(&args.function, &values)?;
    let code = super::settle(nvx::exit::of_check(verdict.diverged()));
    if args.json {
        let doc = CallDoc {
            schema: json::SCHEMA,
            ensemble: ens.name().to_string(),
            function: args.function.clone(),
            args: values.iter().map(|v| v.to_wave()).collect(),
            policy: verdict.policy().to_string(),
            reached: verdict.reached(),
            verdict: verdict.value().ok().map(|v| v.to_wave()),
            unanimous: verdict.unanimous(),
            summary: verdict.summary(),
            variants: verdict
                .runs()
                .iter()
                .enumerate()
                .map(|(i, r)| CallRun {
                    name: r.variant.clone(),
                    outcome: r.outcome.kind(),
                    label: r.outcome.label(),
                    value: r.outcome.value().map(|v| v.to_wave()),
                    detail: r.detail(),
                    stdout: r.stdout.clone(),
                    stderr: r.stderr.clone(),
                    elapsed_ns: u64::try_from(r.elapsed.as_nanos()).unwrap_or(u64::MAX),
                    dissented: verdict.is_dissenter(i),
                })
                .collect(),
            dissenters: verdict.dissenters().into_iter().map(String::from).collect(),
            engines: ens.engines().iter().map(|k| k.name().to_string()).collect(),
            engine_divergences: verdict.engine_divergences().to_vec(),
        };
        outln!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(code);
    }
    let mut table = Table::new(&[
        ("", Align::Left),
        ("variant", Align::Left),
        ("outcome", Align::Left),
        ("value", Align::Left),
        ("time", Align::Right),
    ]);
    for (i, r) in verdict.runs().iter().enumerate() {
        let shown = match r.outcome.value() {
            Some(v) => clip(&v.to_wave(), 72),
            None => clip(r.outcome.detail().lines().next().unwrap_or(""), 72),
        };
        table.row([
            if verdict.is_dissenter(i) {
                "✗"
            } else {
                "✓"
            }
            .to_string(),
            r.variant.clone(),
            r.outcome.label(),
            shown,
            human_duration(r.elapsed),
        ]);
    }
    out!("{}", table.text(""));
    for r in verdict.runs() {
        for (name, text) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
            if !text.is_empty() {
                outln!("\n{} {name}:", r.variant);
                for l in text.lines().take(40) {
                    outln!("  {}", clip(l, 200));
                }
                if text.lines().count() > 40 {
                    outln!("  [{} more lines]", text.lines().count() - 40);
                }
            }
        }
    }
    // An agreed `none` and no verdict at all must not read alike.
    match verdict.value() {
        Ok(v) => outln!(
            "\nverdict: {} ({})",
            clip(&v.to_wave(), 200),
            verdict.summary()
        ),
        Err(_) => outln!("\nno verdict ({})", verdict.summary()),
    }
    if ens.engines().len() > 1 {
        let names: Vec<&str> = ens.engines().iter().map(|k| k.name()).collect();
        if verdict.engine_divergences().is_empty() {
            outln!("engines: {} agree on every variant", names.join(", "));
        } else {
            outln!(
                "\nengine divergence (a compiler or runtime bug, not a variant bug; the vote counts {}):",
                names[0]
            );
            for d in verdict.engine_divergences() {
                outln!("  {}", clip(&d.describe(), 400));
            }
        }
    }
    Ok(code)
}

/// The one input line of an `--args-file`.
fn read_args_file(
    ens: &Ensemble,
    function: &str,
    file: &std::path::Path,
) -> anyhow::Result<Vec<nvx::Value>> {
    let text = nvx::files::read_text(file, nvx::files::MAX_CORPUS_BYTES)?;
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'));
    let Some((n, line)) = lines.next() else {
        anyhow::bail!("--args-file {}: holds no arguments line", file.display());
    };
    if let Some((m, _)) = lines.next() {
        anyhow::bail!(
            "--args-file {}: holds more than one input (lines {n} and {m}); use `nvx campaign --corpus` for several",
            file.display()
        );
    }
    ens.parse_arg_line(function, line)
        .with_context(|| format!("--args-file {}:{n}", file.display()))
}
