//! What the second runtime costs: V8 (through jco) against wasmtime's Cranelift on
//! the bundled ensembles, measured side by side in one run.
//!
//! For each bundled ensemble:
//! - a campaign over the same generated inputs, with one job, on Cranelift alone,
//!   on V8 alone and on both (`--engines cranelift,v8`), interleaved round by
//!   round so that load on the machine falls on every column alike: the time per
//!   input and its ratio to Cranelift;
//! - one library call (`Ensemble::call`) on the ensemble's first corpus input,
//!   repeated: the median latency on each engine and its ratio.
//!
//! Run: `cargo bench --bench v8` (`NVX_BENCH_INPUTS` inputs per ensemble,
//! default 200; `NVX_BENCH_ROUNDS` rounds, default 3, the median is kept;
//! `NVX_BENCH_CALLS` library calls per engine, default 200). Needs Node.js 20+ and
//! jco (`scripts/install-v8-tools.sh`).

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

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    if let Err(why) = EngineKind::V8.check_available() {
        eprintln!("the v8 benchmark cannot run: {why}");
        std::process::exit(2);
    }
    let inputs = env("NVX_BENCH_INPUTS", 200);
    let rounds = env("NVX_BENCH_ROUNDS", 3).max(1);
    let calls = env("NVX_BENCH_CALLS", 200).max(1);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("wasm-modules");
    let sets: [&[EngineKind]; 3] = [
        &[EngineKind::Cranelift],
        &[EngineKind::V8],
        &[EngineKind::Cranelift, EngineKind::V8],
    ];
    println!(
        "v8 against cranelift: campaign of {inputs} generated inputs per ensemble, --jobs 1, median of {rounds}; library call, median of {calls}"
    );
    println!(
        "{:<12} {:>13} {:>13} {:>8} {:>13} {:>8} {:>12} {:>12} {:>8}",
        "ensemble",
        "cranelift µs",
        "v8 µs",
        "ratio",
        "both µs",
        "ratio",
        "call cl µs",
        "call v8 µs",
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
        let med: Vec<f64> = times.into_iter().map(median).collect();
        // One library call on the first corpus input, on each engine alone.
        let corpus = nvx::input::corpus_files(&dir.join("corpus")).expect("corpus");
        let first = corpus
            .iter()
            .flat_map(|f| nvx::input::read_corpus(&ensembles[0], f).expect("corpus file"))
            .next()
            .expect("a corpus input");
        let mut latency = [Vec::new(), Vec::new()];
        for _ in 0..calls {
            for (k, ens) in ensembles[..2].iter().enumerate() {
                let start = Instant::now();
                let v = ens.call(&first.function, &first.args).expect("call");
                latency[k].push(start.elapsed().as_secs_f64() * 1e6);
                assert!(v.value().is_ok(), "{}: no verdict", ens.name());
            }
        }
        let [cl, v8] = latency.map(median);
        logs[0] += (med[1] / med[0]).ln();
        logs[1] += (med[2] / med[0]).ln();
        logs[2] += (v8 / cl).ln();
        n += 1.0;
        println!(
            "{:<12} {:>13.1} {:>13.1} {:>7.1}× {:>13.1} {:>7.1}× {:>12.1} {:>12.1} {:>7.1}×",
            ensembles[0].name(),
            med[0],
            med[1],
            med[1] / med[0],
            med[2],
            med[2] / med[0],
            cl,
            v8,
            v8 / cl
        );
    }
    let g = |l: f64| (l / n).exp();
    println!(
        "geometric mean against Cranelift: campaign on v8 {:.1}×, on both {:.1}×; library call on v8 {:.1}×",
        g(logs[0]),
        g(logs[1]),
        g(logs[2])
    );
}
