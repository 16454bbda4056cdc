//! `nvx report RUN.json`: re-render a campaign report in another format.

use std::path::PathBuf;

use anyhow::Context;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser as _};

use nvx::report::{FORMATS, Reporter, RunReport};

/// The values of `--format`: every registered format, with its help.
fn format_parser() -> impl clap::builder::TypedValueParser<Value = &'static dyn Reporter> {
    PossibleValuesParser::new(
        FORMATS
            .iter()
            .map(|f| PossibleValue::new(f.name()).help(f.help())),
    )
    .try_map(|name| nvx::report::reporter(&name).ok_or_else(|| format!("unknown format `{name}`")))
}

/// Arguments of `nvx report`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A JSON report written by `nvx campaign --json` or `nvx merge`.
    run: PathBuf,
    /// Output format.
    #[arg(long, value_parser = format_parser(), default_value = "text")]
    format: &'static dyn Reporter,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let text = std::fs::read_to_string(&args.run)
        .with_context(|| format!("reading {}", args.run.display()))?;
    let mut report = RunReport::from_json(&args.run.display().to_string(), &text)?;
    super::reproduce::fill(&mut report);
    let out = args.format.render(&report);
    let code = super::settle(nvx::exit::of_check(report.diverged()));
    out!("{out}");
    Ok(code)
}
