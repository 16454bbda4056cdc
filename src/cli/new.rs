//! `nvx new`: start an ensemble folder from a WIT world.

use std::path::PathBuf;

/// Arguments of `nvx new`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The folder to create (its last component becomes the ensemble's name).
    pub name: PathBuf,
    /// The WIT file holding the world.
    #[arg(long)]
    pub wit: PathBuf,
    /// The world the variants implement.
    #[arg(long)]
    pub world: String,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let manifest = nvx::author::new_ensemble(&args.name, &args.wit, &args.world)?;
    outln!("created {}", manifest.display());
    outln!(
        "next: nvx add {} FILE --name NAME --language LANG",
        args.name.display()
    );
    Ok(nvx::exit::AGREED)
}
