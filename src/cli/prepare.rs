//! `nvx prepare ENSEMBLE...`: fill the compile caches ahead of time, so that later
//! runs (offline, or on CI runners handed the cache folder) compile nothing.

use std::path::PathBuf;

use anyhow::Context;

use nvx::engine::prepare::prepare;
use nvx::report::{Align, Table};

use super::options::{Engines, Quiet};

/// Arguments of `nvx prepare`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Ensemble folders, or folders of ensembles (`wasm-modules` prepares every
    /// bundled one).
    #[arg(required = true)]
    ensembles: Vec<PathBuf>,
    #[command(flatten)]
    engines: Engines,
    #[command(flatten)]
    quiet: Quiet,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let mut dirs = Vec::new();
    for p in &args.ensembles {
        dirs.extend(nvx::campaign::discover(p)?);
    }
    let (mut filled, mut found) = (0, 0);
    let mut cache_dir = None;
    for dir in &dirs {
        let done = prepare(dir, args.engines.list())
            .with_context(|| format!("preparing ensemble {}", dir.display()))?;
        for p in &done.variants {
            for w in &p.warnings {
                eprintln!("nvx: warning: {w}");
            }
        }
        filled += done.filled();
        found += done.variants.len() - done.filled();
        if !args.quiet.quiet {
            let engines: Vec<&str> = done.engines.iter().map(|k| k.name()).collect();
            outln!("{} ({}):", done.ensemble, engines.join(", "));
            let mut table = Table::new(&[
                ("engine", Align::Left),
                ("variant", Align::Left),
                ("cache", Align::Left),
                ("time", Align::Right),
            ]);
            for p in &done.variants {
                table.row([
                    p.engine.name().to_string(),
                    p.variant.clone(),
                    p.cache.label().to_string(),
                    super::human_duration(p.elapsed),
                ]);
            }
            out!("{}", table.text("  "));
        }
        cache_dir = Some(done.cache_dir);
    }
    if let Some(cache) = cache_dir {
        outln!(
            "prepared {} ensemble(s) in {}: {filled} compiled now, {found} already there",
            dirs.len(),
            cache.display()
        );
    }
    Ok(nvx::exit::AGREED)
}
