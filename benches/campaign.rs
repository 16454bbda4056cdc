//! Campaign throughput against its limit `cores / Σ tᵢ`, measured in one run.
//!
//! For each bundled ensemble, tᵢ is variant i's raw wasmtime time per input (fresh
//! store + instantiate + typed call, the isolation a campaign gives), measured here
//! on the same generated inputs the campaign then runs. The ratio is the campaign's
//! inputs per second over `cores / Σ tᵢ`; 1.0 would mean nvx adds nothing.
//! It also runs the campaign with one job against `1 / Σ tᵢ`, which separates nvx's
//! own per-input cost from how well the machine scales across cores. Campaigns run
//! as the CLI runs them, in worker processes of the nvx binary (one per job); the
//! last columns run all jobs as threads of one process (`--in-process`).
//! Run: `cargo bench --bench campaign` (20 000 inputs per ensemble, so that starting
//! the worker processes is a small part of the run; `NVX_BENCH_INPUTS` changes it).

use std::path::Path;
use std::time::Instant;

use wasmtime::component::{Component, Linker, Val};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, Store};

use nvx::Ensemble;
use nvx::campaign::{self, Options};
use nvx::generate::{Hints, generate_args};
use nvx::wasi::ProfileHost;

/// An engine whose pooling allocator is configured as nvx's (pages kept resident and
/// reset by PAGEMAP_SCAN where available), so that Σ tᵢ is the best a fresh
/// instance per call can do here, not a slower default.
fn raw_engine() -> Engine {
    let mut c = Config::new();
    c.epoch_interruption(true);
    c.cranelift_nan_canonicalization(true);
    let mut pool = PoolingAllocationConfig::default();
    pool.linear_memory_keep_resident(256 << 10)
        .table_keep_resident(64 << 10)
        .decommit_batch_size(1)
        .pagemap_scan(wasmtime::Enabled::Auto);
    c.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
    Engine::new(&c).expect("engine")
}

fn to_val(v: &nvx::Value) -> Val {
    match v {
        nvx::Value::Bytes(b) => Val::List(b.iter().map(|x| Val::U8(*x)).collect()),
        nvx::Value::String(s) => Val::String(s.clone()),
        nvx::Value::S32(x) => Val::S32(*x),
        nvx::Value::U8(x) => Val::U8(*x),
        nvx::Value::F64(x) => Val::Float64(*x),
        other => panic!("benchmark inputs do not use {other:?}"),
    }
}

fn main() {
    let inputs: u64 = std::env::var("NVX_BENCH_INPUTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("wasm-modules");
    let engine = raw_engine();
    // The campaign as the CLI runs it: in worker processes of the nvx binary.
    let workers = nvx::worker::WorkerCommand {
        program: env!("CARGO_BIN_EXE_nvx").into(),
        args: vec!["worker".into()],
    };
    println!("campaign throughput, {inputs} generated inputs per ensemble, {cores} cores");
    println!(
        "{:<12} {:>10} {:>12} {:>12} {:>7} {:>12} {:>12} {:>7} {:>12} {:>7}",
        "ensemble",
        "Σ tᵢ (µs)",
        "1-job limit",
        "nvx -j1",
        "ratio",
        "limit",
        "nvx",
        "ratio",
        "in-process",
        "ratio"
    );
    let mut ratios = Vec::new();
    let mut single = Vec::new();
    let mut thread_ratios = Vec::new();
    for dir in campaign::discover(&root).expect("bundled ensembles") {
        let ens = Ensemble::open(&dir).expect("open");
        let f = ens.functions()[0].clone();
        let hints: Hints = ens
            .manifest()
            .generate
            .get(&f.name)
            .map(|v| v.clone().try_into().expect("hints"))
            .unwrap_or_default();
        let seeds = hints.parsed_seeds(&f.param_types()).expect("seeds");
        // The campaign derives its generator stream per function; any stream of the
        // same distribution serves to time the raw calls.
        let args: Vec<Vec<Val>> = (0..inputs)
            .map(|i| {
                generate_args(1, i, &f.params, &hints, &seeds)
                    .iter()
                    .map(to_val)
                    .collect()
            })
            .collect();
        let mut sum_t = 0.0;
        for v in ens.variants() {
            let c = Component::from_file(&engine, dir.join(&v.entry.path)).expect("compile");
            // Variants that import WASI get the same deterministic profile nvx gives them.
            let mut linker = Linker::<ProfileHost>::new(&engine);
            ProfileHost::add_to_linker(&mut linker).expect("WASI bindings");
            let pre = linker.instantiate_pre(&c).expect("pre");
            let start = Instant::now();
            for a in &args {
                let mut store = Store::new(&engine, ProfileHost::new(1 << 20));
                store.set_epoch_deadline(u64::MAX / 2);
                let inst = pre.instantiate(&mut store).expect("instantiate");
                let func = inst.get_func(&mut store, f.name.as_str()).expect("func");
                let mut out = [Val::Bool(false)];
                // A variant may legitimately trap on some input; that still costs time.
                let _ = func.call(&mut store, a, &mut out);
            }
            sum_t += start.elapsed().as_secs_f64() / inputs as f64;
        }
        let throughput = |jobs: usize, in_process: bool| {
            let opts = Options {
                generate: inputs,
                jobs,
                workers: (!in_process).then(|| workers.clone()),
                ..Options::default()
            };
            let start = Instant::now();
            let report =
                campaign::run(std::slice::from_ref(&ens), &opts, |_| {}).expect("campaign");
            report.ensembles[0].inputs as f64 / start.elapsed().as_secs_f64()
        };
        let (one, all) = (throughput(1, false), throughput(cores, false));
        let threads = throughput(cores, true);
        let (limit1, limit) = (1.0 / sum_t, cores as f64 / sum_t);
        ratios.push(all / limit);
        single.push(one / limit1);
        thread_ratios.push(threads / limit);
        println!(
            "{:<12} {:>10.1} {:>12.0} {:>12.0} {:>6.2}× {:>12.0} {:>12.0} {:>6.2}× {:>12.0} {:>6.2}×",
            ens.name(),
            sum_t * 1e6,
            limit1,
            one,
            one / limit1,
            limit,
            all,
            all / limit,
            threads,
            threads / limit
        );
    }
    let geo = |r: &[f64]| (r.iter().map(|r| r.ln()).sum::<f64>() / r.len().max(1) as f64).exp();
    println!(
        "geometric mean ratio: {:.2}× with --jobs 1 against 1 / Σ tᵢ, {:.2}× with --jobs {cores} against {cores} / Σ tᵢ (target ≥ 0.8×); {:.2}× on {cores} threads of one process (--in-process)",
        geo(&single),
        geo(&ratios),
        geo(&thread_ratios)
    );
}
