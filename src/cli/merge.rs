//! `nvx merge A.json B.json ... -o OUT.json`: join the reports of shards.

use std::path::PathBuf;

use anyhow::Context;

use nvx::report::RunReport;

/// Arguments of `nvx merge`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Shard reports written by `nvx campaign --shard K/N --json`.
    #[arg(required = true)]
    runs: Vec<PathBuf>,
    /// Where to write the merged report.
    #[arg(short = 'o', long = "output")]
    output: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let mut parts = Vec::new();
    for p in &args.runs {
        let text =
            std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
        let name = p.display().to_string();
        let report = RunReport::from_json(&name, &text)?;
        parts.push((name, report));
    }
    let merged = RunReport::merge(&parts)?;
    std::fs::write(&args.output, serde_json::to_string_pretty(&merged)?)
        .with_context(|| format!("writing {}", args.output.display()))?;
    Ok(nvx::exit::of_check(merged.diverged()))
}
