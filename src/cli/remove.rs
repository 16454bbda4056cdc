//! `nvx remove`: take a variant out of an ensemble, all or nothing.

use std::path::PathBuf;

/// Arguments of `nvx remove`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The ensemble folder (holding `nvx.toml`).
    pub ensemble: PathBuf,
    /// The variant's name.
    pub name: String,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let removed = nvx::author::remove_variant(&args.ensemble, &args.name)?;
    outln!(
        "removed variant `{}` from {}{}",
        removed.entry.name,
        args.ensemble.join("nvx.toml").display(),
        match (&removed.deleted, &removed.shared_with) {
            (Some(path), _) => format!(" and deleted {}", path.display()),
            (None, _) if removed.outside => format!(
                "; kept {}, which lies outside the ensemble folder",
                args.ensemble.join(&removed.entry.path).display()
            ),
            (None, Some(other)) => format!(
                "; kept {}, which variant `{other}` uses",
                args.ensemble.join(&removed.entry.path).display()
            ),
            (None, None) => format!(
                "; its module {} was already missing",
                args.ensemble.join(&removed.entry.path).display()
            ),
        }
    );
    Ok(nvx::exit::AGREED)
}
