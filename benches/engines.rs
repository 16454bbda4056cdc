//! What each wasmtime compiler costs on the bundled ensembles, measured in one run.
//!
//! For each bundled ensemble, a campaign over the same generated inputs runs with one
//! job on Cranelift alone, Winch alone, Pulley alone, and on all three at once
//! (`--engines cranelift,winch,pulley`), interleaved round by round so that load on
//! the machine falls on every column alike. It prints the time per input and each
//! engine's ratio to Cranelift; the last column is what checking every input on all
//! three engines costs over Cranelift alone.
//! Run: `cargo bench --bench engines` (`NVX_BENCH_INPUTS` inputs per ensemble,
//! default 1000; `NVX_BENCH_ROUNDS` rounds, default 3, the median is kept).

use std::path::Path;
use std::time::Instant;

use nvx::campaign::{self, Options};
use nvx::{EngineKind, Ensemble};

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let inputs = env("NVX_BENCH_INPUTS", 1000);
    let rounds = env("NVX_BENCH_ROUNDS", 3).max(1);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("wasm-modules");
    let sets: [&[EngineKind]; 4] = [
        &[EngineKind::Cranelift],
        &[EngineKind::Winch],
        &[EngineKind::Pulley],
        &EngineKind::ALL,
    ];
    println!("engine cost, {inputs} generated inputs per ensemble, --jobs 1, median of {rounds}");
    println!(
        "{:<12} {:>14} {:>14} {:>8} {:>14} {:>8} {:>14} {:>8}",
        "ensemble",
        "cranelift µs",
        "winch µs",
        "ratio",
        "pulley µs",
        "ratio",
        "all three µs",
        "ratio"
    );
    let mut logs = [0.0f64; 3];
    let mut n = 0.0;
    for dir in campaign::discover(&root).expect("bundled ensembles") {
        let ensembles: Vec<Ensemble> = sets
            .iter()
            .map(|e| Ensemble::open_with_engines(&dir, e).expect("open"))
            .collect();
        let opts = Options {
            generate: inputs,
            jobs: 1,
            ..Options::default()
        };
        let mut times: Vec<Vec<f64>> = vec![Vec::new(); sets.len()];
        for _ in 0..rounds {
            for (i, ens) in ensembles.iter().enumerate() {
                let start = Instant::now();
                let report =
                    campaign::run(std::slice::from_ref(ens), &opts, |_| {}).expect("campaign");
                let per = start.elapsed().as_secs_f64() / report.ensembles[0].inputs as f64;
                times[i].push(per * 1e6);
            }
        }
        let med: Vec<f64> = times
            .iter_mut()
            .map(|t| {
                t.sort_by(f64::total_cmp);
                t[t.len() / 2]
            })
            .collect();
        for (k, l) in logs.iter_mut().enumerate() {
            *l += (med[k + 1] / med[0]).ln();
        }
        n += 1.0;
        println!(
            "{:<12} {:>14.1} {:>14.1} {:>7.2}× {:>14.1} {:>7.2}× {:>14.1} {:>7.2}×",
            ensembles[0].name(),
            med[0],
            med[1],
            med[1] / med[0],
            med[2],
            med[2] / med[0],
            med[3],
            med[3] / med[0]
        );
    }
    let g = |l: f64| (l / n).exp();
    println!(
        "geometric mean against Cranelift: Winch {:.2}×, Pulley {:.2}×, all three {:.2}×",
        g(logs[0]),
        g(logs[1]),
        g(logs[2])
    );
}
