//! `nvx list ENSEMBLE`: variants, provenance and exported signatures.

use std::path::PathBuf;

use anyhow::Context;

use nvx::Ensemble;
use nvx::report::{Align, Table};

use super::json::{self, ListDoc, ListFunction, ListVariant};

/// Arguments of `nvx list`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The ensemble folder (holding nvx.toml); without it, only the engines are
    /// listed.
    ensemble: Option<PathBuf>,
    /// Print one JSON document instead of text.
    #[arg(long, requires = "ensemble")]
    json: bool,
}

/// The engines section of the text listing: every registered engine, its version,
/// and whether it can run here.
fn engines_text(ens: Option<&Ensemble>) -> String {
    let mut table = Table::new(&[
        ("engine", Align::Left),
        ("version", Align::Left),
        ("here", Align::Left),
    ]);
    for e in json::ListEngine::all() {
        let used = ens.is_some_and(|x| x.engines().iter().any(|k| k.name() == e.name));
        table.row([
            format!("{}{}", e.name, if used { " *" } else { "" }),
            e.version,
            e.unavailable.unwrap_or_else(|| "available".into()),
        ]);
    }
    table.text("  ")
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let Some(dir) = &args.ensemble else {
        outln!("engines:");
        out!("{}", engines_text(None));
        return Ok(nvx::exit::AGREED);
    };
    let ens = Ensemble::open(dir).with_context(|| format!("loading ensemble {}", dir.display()))?;
    super::warn_loaded(&ens);
    let shared = nvx::diversity::shared_parts(ens.policy(), &ens.manifest().variants);
    if args.json {
        let doc = ListDoc {
            schema: json::SCHEMA,
            name: ens.name().to_string(),
            dir: ens.dir().display().to_string(),
            policy: ens.policy().to_string(),
            limits: ens.limits(),
            tolerance: ens.tolerance(),
            functions: ens
                .functions()
                .iter()
                .map(|f| ListFunction {
                    name: f.name.clone(),
                    signature: f.signature(),
                })
                .collect(),
            variants: ens
                .variants()
                .map(|v| ListVariant {
                    name: v.entry.name.clone(),
                    language: v.entry.language.clone(),
                    toolchain: v.entry.toolchain.clone(),
                    sha256: v.sha256.to_string(),
                    path: v.entry.path.display().to_string(),
                    source: v.entry.source.clone(),
                    provenance: v.entry.provenance.clone(),
                    lineage: v.entry.lineage.clone(),
                    backend: v.entry.backend.clone(),
                })
                .collect(),
            shared_parts: shared.clone(),
            ensemble_engines: ens.engines().iter().map(|k| k.name().to_string()).collect(),
            engines: json::ListEngine::all(),
        };
        outln!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(nvx::exit::AGREED);
    }
    let l = ens.limits();
    outln!("ensemble {} ({})", ens.name(), ens.dir().display());
    let mut policy = format!("policy {}", ens.policy());
    let t = ens.tolerance();
    if t.is_set() {
        let mut parts = Vec::new();
        if let Some(a) = t.abs {
            parts.push(format!("abs {a:e}"));
        }
        if let Some(r) = t.rel {
            parts.push(format!("rel {r:e}"));
        }
        if let Some(u) = t.ulps {
            parts.push(format!("ulps {u}"));
        }
        policy.push_str(&format!(" · tolerance {}", parts.join(", ")));
    }
    outln!("{policy}");
    outln!(
        "limits: timeout {} ms, memory {} MiB, output {} KiB, stack {} KiB{}",
        l.timeout_ms,
        l.memory_mib,
        l.output_kib,
        l.stack_kib,
        l.fuel.map(|f| format!(", fuel {f}")).unwrap_or_default()
    );
    outln!("\nfunctions:");
    for f in ens.functions() {
        outln!("  {}: {}", f.name, f.signature());
    }
    outln!("\nvariants:");
    let mut table = Table::new(&[
        ("name", Align::Left),
        ("language", Align::Left),
        ("toolchain", Align::Left),
        ("sha256", Align::Left),
        ("source", Align::Left),
    ]);
    for v in ens.variants() {
        table.row([
            v.entry.name.clone(),
            v.entry.language.clone(),
            v.entry.toolchain.clone(),
            v.sha256.get(..16).unwrap_or(v.sha256).to_string(),
            v.entry.source.clone().unwrap_or_default(),
        ]);
    }
    out!("{}", table.text("  "));
    for v in ens.variants() {
        if let Some(p) = &v.entry.provenance {
            outln!("  {}: {p}", v.entry.name);
        }
    }
    let parts: Vec<String> = ens
        .variants()
        .filter(|v| !v.entry.lineage.is_empty() || v.entry.backend.is_some())
        .map(|v| {
            let mut what = Vec::new();
            if let Some(b) = &v.entry.backend {
                what.push(format!("backend {b}"));
            }
            if !v.entry.lineage.is_empty() {
                what.push(format!("lineage {}", v.entry.lineage.join(", ")));
            }
            format!("  {}: {}", v.entry.name, what.join("; "))
        })
        .collect();
    if !parts.is_empty() {
        outln!("\nshared parts:");
        for p in parts {
            outln!("{p}");
        }
    }
    if !shared.is_empty() {
        outln!("\ndiversity warnings:");
        for p in &shared {
            outln!("  ⚠ {}", p.warning);
        }
    }
    outln!("\nengines (* this ensemble's, the first one votes: {}):", {
        let names: Vec<&str> = ens.engines().iter().map(|k| k.name()).collect();
        names.join(", ")
    });
    out!("{}", engines_text(Some(&ens)));
    Ok(nvx::exit::AGREED)
}
