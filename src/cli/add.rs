//! `nvx add`: check a component or core module against an ensemble's world and
//! append it as a variant.

use std::path::PathBuf;

/// Arguments of `nvx add`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The ensemble folder (holding `nvx.toml`).
    pub ensemble: PathBuf,
    /// The component, or a core module (wasip1 or bare, canonical ABI exports),
    /// which nvx wraps into a component.
    pub file: PathBuf,
    /// The variant's name; it is copied in as `<name>.wasm`.
    #[arg(long)]
    pub name: String,
    /// Its source language.
    #[arg(long)]
    pub language: String,
    /// The compiler and version that built it.
    #[arg(long)]
    pub toolchain: Option<String>,
    /// Where its sources live.
    #[arg(long)]
    pub source: Option<String>,
    /// How it came to be (who wrote it, from what).
    #[arg(long)]
    pub provenance: Option<String>,
    /// An algorithm or library it derives from (repeat for several), for the
    /// diversity audit.
    #[arg(long)]
    pub lineage: Vec<String>,
    /// The compiler backend that generated its code (`llvm`, `go gc`, ...).
    #[arg(long)]
    pub backend: Option<String>,
    /// Replace the variant of that name if there is one: its entry is rewritten
    /// in place with only the details given here, and its module swapped, all or
    /// nothing. Without such a variant, the new one is added.
    #[arg(long)]
    pub replace: bool,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let new = nvx::author::NewVariant {
        name: args.name,
        language: args.language,
        toolchain: args.toolchain,
        source: args.source,
        provenance: args.provenance,
        lineage: args.lineage,
        backend: args.backend,
    };
    let added = if args.replace {
        nvx::author::replace_variant(&args.ensemble, &args.file, &new)?
    } else {
        nvx::author::add_variant(&args.ensemble, &args.file, &new)?
    };
    let verb = match &added.replaced {
        Some(old) if old.sha256 == added.entry.sha256 => "replaced (same module)",
        Some(_) => "replaced",
        None => "added",
    };
    outln!(
        "{verb} variant `{}` in {}: {} ({} bytes{}), sha256 {}",
        added.entry.name,
        args.ensemble.join("nvx.toml").display(),
        args.ensemble.join(&added.entry.path).display(),
        added.bytes,
        match (added.wrapped, added.adapted) {
            (true, true) => ", wrapped from a core module with the WASI preview1 adapter",
            (true, false) => ", wrapped from a core module (no WASI imports, no adapter)",
            (false, _) => "",
        },
        added.entry.sha256
    );
    if let Some(old) = &added.replaced
        && old.sha256 != added.entry.sha256
    {
        outln!(
            "previous module: {} (sha256 {})",
            old.path.display(),
            old.sha256
        );
    }
    if !added.imports.is_empty() {
        outln!(
            "imports (deterministic WASI profile): {}",
            added.imports.join(", ")
        );
    }
    Ok(nvx::exit::AGREED)
}
