//! What early verdicts save a library caller, measured in one run.
//!
//! `Ensemble::call_async` on the bundled parse-f64 ensemble, whose five variants
//! differ widely in speed (the Go and Python variants take milliseconds, the others
//! a fraction of one), with and without `set_early_verdict(true)`, alternating call
//! by call on the same inputs. Prints the median and 90th-percentile latency of
//! each and their ratio. Run: `cargo bench --bench early` (`NVX_BENCH_CALLS` calls
//! each, default 300).

use std::path::Path;
use std::time::{Duration, Instant};

use nvx::{Ensemble, Value};

fn quantile(v: &mut [Duration], q: f64) -> Duration {
    v.sort();
    v[((v.len() - 1) as f64 * q).round() as usize]
}

fn main() {
    let calls: usize = std::env::var("NVX_BENCH_CALLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("wasm-modules/parse-f64");
    let all = Ensemble::open(&dir).expect("open parse-f64");
    let mut early = all.clone();
    early.set_early_verdict(true);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let inputs = [
        "\"3.14159\"",
        "\"1e23\"",
        "\"-0.0\"",
        "\"2.2250738585072014e-308\"",
    ];
    let (mut t_all, mut t_early) = (Vec::new(), Vec::new());
    let mut pending = 0usize;
    rt.block_on(async {
        for i in 0..calls {
            let text = inputs[i % inputs.len()];
            let args: Vec<Value> = all.parse_args("parse-f64", &[text]).expect("args");
            let start = Instant::now();
            let v = all
                .call_async("parse-f64", args.clone())
                .await
                .expect("call");
            t_all.push(start.elapsed());
            assert!(v.reached());
            let start = Instant::now();
            let v = early.call_async("parse-f64", args).await.expect("call");
            t_early.push(start.elapsed());
            assert!(v.reached());
            pending += v.pending().len();
            // Let the stragglers finish before the next pair, so calls do not overlap.
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    });
    let (a50, a90) = (quantile(&mut t_all, 0.5), quantile(&mut t_all, 0.9));
    let (e50, e90) = (quantile(&mut t_early, 0.5), quantile(&mut t_early, 0.9));
    println!("call_async on parse-f64 (5 variants, majority), {calls} calls each");
    println!("  every variant awaited: p50 {a50:?}, p90 {a90:?}");
    println!("  early verdict:         p50 {e50:?}, p90 {e90:?}");
    println!(
        "  early / all: p50 {:.2}×, p90 {:.2}×; stragglers left running per call: {:.2}",
        e50.as_secs_f64() / a50.as_secs_f64(),
        e90.as_secs_f64() / a90.as_secs_f64(),
        pending as f64 / calls as f64
    );
}
