//! Latency of synchronous calls with the variants run one after another and in
//! parallel, measured side by side in one run.
//!
//! - `parse-f64`: the bundled ensemble, whose Go and Python variants take
//!   milliseconds and the others a fraction of one: `Ensemble::call` with
//!   parallelism 1 (`sequential`), the default (`parallel`) and the default with
//!   an early verdict (`parallel-early`). The goal: a parallel call's median within
//!   1.3× of its slowest variant's own time (the median of that variant's run time
//!   in sequential calls, measured after criterion).
//! - `crc32-64B`: the bundled crc32 ensemble (five variants of a microsecond or
//!   so): `today` (parallelism 1, no instances made ahead of time: the call as it
//!   was before either), `sequential` and `parallel` (the default): small calls
//!   must not get slower than `today` (≤ 1.1×).
//!
//! Calls follow one another with a pause of `NVX_BENCH_GAP_US` microseconds
//! (default 200, not timed), as a service's calls do; instances are made ahead of
//! time in the pauses. Run: `cargo bench --bench latency`.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion};
use nvx::{Ensemble, Value};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let gap = Duration::from_micros(
        std::env::var("NVX_BENCH_GAP_US")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(200),
    );
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();

    let parse = Ensemble::open(root.join("wasm-modules/parse-f64")).expect("open parse-f64");
    let texts = [
        "\"3.14159\"",
        "\"1e23\"",
        "\"-0.0\"",
        "\"2.2250738585072014e-308\"",
    ];
    let parse_inputs: Vec<Vec<Value>> = texts
        .iter()
        .map(|t| parse.parse_args("parse-f64", &[t]).expect("args"))
        .collect();
    let crc = Ensemble::open(root.join("wasm-modules/crc32")).expect("open crc32");
    let crc_input = vec![Value::Bytes((0..64u8).map(|i| i.wrapping_mul(7)).collect())];

    let mut sequential = parse.clone();
    sequential.set_parallelism(1);
    let mut early = parse.clone();
    early.set_early_verdict(true);
    let mut g = c.benchmark_group("parse-f64");
    g.sample_size(50);
    for (id, e) in [
        ("sequential", &sequential),
        ("parallel", &parse),
        ("parallel-early", &early),
    ] {
        g.bench_function(BenchmarkId::from_parameter(id), |b| {
            b.iter_custom(|iters| {
                timed(iters, gap, || {
                    let k = next_index(parse_inputs.len());
                    let v = e.call("parse-f64", &parse_inputs[k]).expect("call");
                    assert!(v.reached());
                })
            })
        });
    }
    g.finish();

    let mut crc_seq = crc.clone();
    crc_seq.set_parallelism(1);
    let mut crc_today = Ensemble::open(root.join("wasm-modules/crc32")).expect("open crc32");
    crc_today.set_parallelism(1);
    crc_today.set_ready_instances(0);
    let mut g = c.benchmark_group("crc32-64B");
    for (id, e) in [
        ("today", &crc_today),
        ("sequential", &crc_seq),
        ("parallel", &crc),
    ] {
        g.bench_function(BenchmarkId::from_parameter(id), |b| {
            b.iter_custom(|iters| {
                timed(iters, gap, || {
                    let v = e.call("crc32", &crc_input).expect("call");
                    assert!(v.unanimous());
                })
            })
        });
    }
    g.finish();
    c.final_summary();

    // Each parse-f64 variant's own time: the median of its runs in sequential calls.
    let mut own: Vec<Vec<Duration>> = Vec::new();
    for i in 0..200 {
        let v = sequential
            .call("parse-f64", &parse_inputs[i % parse_inputs.len()])
            .expect("call");
        for (k, r) in v.runs().iter().enumerate() {
            if own.len() <= k {
                own.push(Vec::new());
            }
            own[k].push(r.elapsed);
        }
        std::thread::sleep(gap);
    }
    let slowest = own
        .iter_mut()
        .map(|t| {
            t.sort();
            t[t.len() / 2]
        })
        .max()
        .unwrap_or_default();
    print_ratios(root, slowest);
}

/// Index `k` of a call: a cheap counter, so inputs rotate.
fn next_index(n: usize) -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed) % n.max(1)
}

/// The time of `iters` calls of `f`, each after an untimed pause of `gap`.
fn timed(iters: u64, gap: Duration, f: impl Fn()) -> Duration {
    let mut spent = Duration::ZERO;
    for _ in 0..iters {
        std::thread::sleep(gap);
        let start = Instant::now();
        f();
        spent += start.elapsed();
    }
    spent
}

/// Reads criterion's median estimates and prints the ratios.
fn print_ratios(root: &Path, slowest: Duration) {
    let median = |group: &str, id: &str| support::estimate(root, "median", group, id);
    println!("\nratios (medians of this run; lower is better):");
    let own = slowest.as_secs_f64() * 1e9;
    if let (Some(s), Some(p), Some(e)) = (
        median("parse-f64", "sequential"),
        median("parse-f64", "parallel"),
        median("parse-f64", "parallel-early"),
    ) {
        println!(
            "  parse-f64: sequential {:.0} µs, parallel {:.0} µs, parallel with early verdict {:.0} µs; slowest variant alone {:.0} µs",
            s / 1e3,
            p / 1e3,
            e / 1e3,
            own / 1e3
        );
        println!(
            "    parallel / slowest variant {:.2}× (goal ≤ 1.3×)   parallel / sequential {:.2}×   early / slowest {:.2}×",
            p / own,
            p / s,
            e / own
        );
    } else {
        println!("  parse-f64: estimates missing (run without a filter)");
    }
    if let (Some(t), Some(s), Some(p)) = (
        median("crc32-64B", "today"),
        median("crc32-64B", "sequential"),
        median("crc32-64B", "parallel"),
    ) {
        println!(
            "  crc32 64 B (5 variants): before {:.2} µs, sequential {:.2} µs, default {:.2} µs; default / before {:.2}× (goal ≤ 1.1×)",
            t / 1e3,
            s / 1e3,
            p / 1e3,
            p / t
        );
    }
}
