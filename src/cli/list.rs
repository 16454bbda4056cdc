//! `nvx list ENSEMBLE`: variants, provenance and exported signatures.

use std::path::PathBuf;

use anyhow::Context;
use serde_json::json;

use nvx::Ensemble;

/// Arguments of `nvx list`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The ensemble folder (holding nvx.toml).
    ensemble: PathBuf,
    /// Print one JSON document instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let ens = Ensemble::open(&args.ensemble)
        .with_context(|| format!("loading ensemble {}", args.ensemble.display()))?;
    super::warn_loaded(&ens);
    let shared = nvx::diversity::shared_parts(ens.policy(), &ens.manifest().variants);
    if args.json {
        let doc = json!({
            "name": ens.name(),
            "dir": ens.dir().display().to_string(),
            "policy": ens.policy().to_string(),
            "limits": ens.limits(),
            "tolerance": ens.tolerance(),
            "functions": ens.functions().iter().map(|f| json!({"name": f.name, "signature": f.signature()})).collect::<Vec<_>>(),
            "variants": ens.variants().map(|v| json!({
                "name": v.entry.name,
                "language": v.entry.language,
                "toolchain": v.entry.toolchain,
                "sha256": v.sha256,
                "path": v.entry.path.display().to_string(),
                "source": v.entry.source,
                "provenance": v.entry.provenance,
                "lineage": v.entry.lineage,
                "backend": v.entry.backend,
            })).collect::<Vec<_>>(),
            "shared_parts": shared,
        });
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
    let rows: Vec<[String; 5]> = ens
        .variants()
        .map(|v| {
            [
                v.entry.name.clone(),
                v.entry.language.clone(),
                v.entry.toolchain.clone(),
                v.sha256.get(..16).unwrap_or(v.sha256).to_string(),
                v.entry.source.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let header = ["name", "language", "toolchain", "sha256", "source"];
    let widths: Vec<usize> = (0..5)
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    outln!("  {}", line(&header.map(String::from)));
    for r in &rows {
        outln!("  {}", line(r));
    }
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
    Ok(nvx::exit::AGREED)
}
