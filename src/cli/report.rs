//! `nvx report RUN.json`: re-render a campaign report in another format.

use std::path::PathBuf;

use anyhow::Context;

use nvx::report::{RunReport, render_html, render_junit, render_markdown, render_text};

/// Output formats of `nvx report`.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum Format {
    /// The terminal summary.
    Text,
    /// The JSON report itself (schema 1).
    Json,
    /// Markdown for CI step summaries.
    Markdown,
    /// JUnit XML.
    Junit,
    /// A self-contained HTML page.
    Html,
}

/// Arguments of `nvx report`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A JSON report written by `nvx campaign --json` or `nvx merge`.
    run: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let text = std::fs::read_to_string(&args.run)
        .with_context(|| format!("reading {}", args.run.display()))?;
    let mut report = RunReport::from_json(&args.run.display().to_string(), &text)?;
    super::reproduce::fill(&mut report);
    let out = match args.format {
        Format::Text => render_text(&report),
        Format::Json => serde_json::to_string_pretty(&report)? + "\n",
        Format::Markdown => render_markdown(&report),
        Format::Junit => render_junit(&report),
        Format::Html => render_html(&report),
    };
    let code = super::settle(nvx::exit::of_check(report.diverged()));
    out!("{out}");
    Ok(code)
}
