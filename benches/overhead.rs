//! What nvx adds to three raw wasmtime calls, measured side by side in one run.
//!
//! An ensemble of three CRC-32 variants (c-table, rust-slice8, as-nibble) against the
//! same three components called directly through wasmtime, at 64 B and 4 KiB:
//! - `raw-fresh`: new store + instantiate + typed call for each component, the same
//!   isolation nvx gives (a fresh instance per call);
//! - `raw-reused`: typed calls on instances made once (no isolation between inputs);
//! - `nvx-typed`: `Ensemble::typed::<(&[u8],), (u32,)>`, calls back to back (each
//!   variant's next instance made ahead of time by the refill thread while the
//!   calls run, or on the call's path when it is not ready yet);
//! - `nvx-typed-warm`: the same, with every variant's next instance ready before
//!   each call (`Ensemble::warm_up`, not timed): the cost on the call's path;
//! - `nvx-typed-no-pool`: the same with `set_ready_instances(0)`, every instance
//!   made and dropped on the call's path (as before instances were made ahead);
//! - `nvx-typed-reuse`: the same with `isolation = "reuse"` (instances kept);
//! - `nvx-dynamic`: `Ensemble::call` with a `Value::Bytes` argument.
//!
//! A second group measures what a WASI context per call costs: the same C
//! function `mix` (tests/fixtures/wasi/mix.c) built once importing nothing and once
//! inside a wasi-libc program that imports WASI through the preview1 adapter,
//! each a one-variant ensemble added by `nvx add`:
//! - `import-free`: `Ensemble::call("mix", ..)` on the module without imports;
//! - `wasi`: the same call on the WASI-importing component (fresh WASI context,
//!   captured stdio, fixed clocks and seeded random per call).
//!
//! After criterion's own output it prints the ratios from criterion's estimates,
//! and the CPU time per call (every thread of the process, from `/proc/self/stat`)
//! of back-to-back typed calls with and without instances made ahead of time, so
//! the refill thread's work is counted.

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput};
use wasmtime::component::{Component, InstancePre, Linker, TypedFunc};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, Store};

use nvx::{Ensemble, Value};

/// A raw typed handle on a crc32 export.
type Crc32Func<'a> = TypedFunc<(&'a [u8],), (u32,)>;

const VARIANTS: [&str; 3] = ["c-table", "rust-slice8", "as-nibble"];
const SIZES: [usize; 2] = [64, 4096];

/// Writes a three-variant crc32 ensemble into a temporary folder.
fn three_variant_ensemble(root: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let src = root.join("wasm-modules/crc32");
    let manifest = std::fs::read_to_string(src.join("nvx.toml")).expect("crc32 manifest");
    let head: String = manifest
        .split("\n[[variant]]")
        .next()
        .unwrap_or_default()
        .to_string();
    let mut out = head;
    for block in manifest.split("\n[[variant]]").skip(1) {
        if VARIANTS
            .iter()
            .any(|v| block.contains(&format!("name = \"{v}\"")))
        {
            out.push_str("\n[[variant]]");
            out.push_str(block);
        }
    }
    std::fs::write(dir.path().join("nvx.toml"), out).expect("write manifest");
    std::fs::copy(src.join("crc32.wit"), dir.path().join("crc32.wit")).expect("copy wit");
    for v in VARIANTS {
        std::fs::copy(
            src.join(format!("{v}.wasm")),
            dir.path().join(format!("{v}.wasm")),
        )
        .expect("copy module");
    }
    let path = dir.path().to_path_buf();
    (dir, path)
}

/// An engine configured like nvx's (pooling with the same reset strategy, epochs,
/// NaN canonicalization).
fn raw_engine() -> Engine {
    let mut c = Config::new();
    c.epoch_interruption(true);
    c.cranelift_nan_canonicalization(true);
    let mut pool = PoolingAllocationConfig::default();
    pool.total_component_instances(100)
        .total_core_instances(400)
        .total_memories(200)
        .total_tables(200)
        .linear_memory_keep_resident(256 << 10)
        .table_keep_resident(64 << 10)
        .decommit_batch_size(1)
        .pagemap_scan(wasmtime::Enabled::Auto);
    c.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
    Engine::new(&c).expect("engine")
}

fn main() {
    // Inputs first: the typed handles borrow them, so they must outlive the handles.
    let inputs: Vec<Vec<u8>> = SIZES
        .iter()
        .map(|&n| (0..n).map(|i| (i * 7 + 3) as u8).collect())
        .collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_keep, dir) = three_variant_ensemble(root);
    let ensemble = Ensemble::open(&dir).expect("open ensemble");
    let typed = ensemble
        .typed::<(&[u8],), (u32,)>("crc32")
        .expect("typed handle");
    // The same ensemble loaded again, with no instances made ahead of time.
    let no_pool = Ensemble::open(&dir).expect("open ensemble");
    no_pool.set_ready_instances(0);
    let typed_no_pool = no_pool
        .typed::<(&[u8],), (u32,)>("crc32")
        .expect("typed handle");
    // The same ensemble with `isolation = "reuse"` (instances kept between calls).
    let manifest = std::fs::read_to_string(dir.join("nvx.toml")).expect("manifest");
    let (_keep_reuse, reuse_dir) = {
        let t = tempfile::tempdir().expect("temp dir");
        for e in std::fs::read_dir(&dir).expect("ensemble folder").flatten() {
            std::fs::copy(e.path(), t.path().join(e.file_name())).expect("copy");
        }
        let text = manifest.replacen("[ensemble]", "[ensemble]\nisolation = \"reuse\"", 1);
        std::fs::write(t.path().join("nvx.toml"), text).expect("write manifest");
        let p = t.path().to_path_buf();
        (t, p)
    };
    let reuse = Ensemble::open(&reuse_dir).expect("open reuse ensemble");
    let typed_reuse = reuse
        .typed::<(&[u8],), (u32,)>("crc32")
        .expect("typed handle");

    let engine = raw_engine();
    let linker = Linker::<()>::new(&engine);
    let pres: Vec<InstancePre<()>> = VARIANTS
        .iter()
        .map(|v| {
            let c = Component::from_file(&engine, dir.join(format!("{v}.wasm"))).expect("compile");
            linker.instantiate_pre(&c).expect("pre")
        })
        .collect();
    let mut reused: Vec<(Store<()>, Crc32Func<'_>)> = pres
        .iter()
        .map(|pre| {
            let mut store = Store::new(&engine, ());
            store.set_epoch_deadline(u64::MAX / 2);
            let inst = pre.instantiate(&mut store).expect("instantiate");
            let f = inst
                .get_typed_func::<(&[u8],), (u32,)>(&mut store, "crc32")
                .expect("func");
            (store, f)
        })
        .collect();

    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    for (size, data) in SIZES.into_iter().zip(&inputs) {
        let value = [Value::Bytes(data.clone())];
        let expect = typed
            .call((data.as_slice(),))
            .expect("call")
            .value()
            .expect("verdict")
            .0;
        let mut g = c.benchmark_group(format!("crc32-{size}B"));
        g.throughput(Throughput::Bytes(size as u64));
        g.bench_function(BenchmarkId::from_parameter("raw-reused"), |b| {
            b.iter(|| {
                let mut acc = 0u32;
                for (store, f) in reused.iter_mut() {
                    acc ^= f.call(&mut *store, (data.as_slice(),)).expect("call").0;
                }
                acc
            })
        });
        g.bench_function(BenchmarkId::from_parameter("raw-fresh"), |b| {
            b.iter(|| {
                let mut acc = 0u32;
                for pre in &pres {
                    let mut store = Store::new(&engine, ());
                    store.set_epoch_deadline(u64::MAX / 2);
                    let inst = pre.instantiate(&mut store).expect("instantiate");
                    let f = inst
                        .get_typed_func::<(&[u8],), (u32,)>(&mut store, "crc32")
                        .expect("func");
                    acc ^= f.call(&mut store, (data.as_slice(),)).expect("call").0;
                }
                acc
            })
        });
        g.bench_function(BenchmarkId::from_parameter("nvx-typed"), |b| {
            b.iter(|| {
                let v = typed.call((data.as_slice(),)).expect("call");
                assert!(v.unanimous());
                v.value().expect("verdict").0
            })
        });
        g.bench_function(BenchmarkId::from_parameter("nvx-typed-warm"), |b| {
            b.iter_custom(|iters| {
                let mut spent = Duration::ZERO;
                for _ in 0..iters {
                    ensemble.warm_up();
                    let start = std::time::Instant::now();
                    let v = typed.call((data.as_slice(),)).expect("call");
                    spent += start.elapsed();
                    assert!(v.unanimous());
                }
                spent
            })
        });
        g.bench_function(BenchmarkId::from_parameter("nvx-typed-no-pool"), |b| {
            b.iter(|| {
                let v = typed_no_pool.call((data.as_slice(),)).expect("call");
                assert!(v.unanimous());
                v.value().expect("verdict").0
            })
        });
        g.bench_function(BenchmarkId::from_parameter("nvx-typed-reuse"), |b| {
            b.iter(|| {
                let v = typed_reuse.call((data.as_slice(),)).expect("call");
                assert!(v.unanimous());
                v.value().expect("verdict").0
            })
        });
        g.bench_function(BenchmarkId::from_parameter("nvx-dynamic"), |b| {
            b.iter(|| {
                let v = ensemble.call("crc32", &value).expect("call");
                assert!(v.value().expect("verdict").same(&Value::U32(expect)));
                v.unanimous()
            })
        });
        g.finish();
    }
    wasi_group(&mut c, root);
    c.final_summary();
    print_ratios(root);
    let small = &inputs[0];
    let pool = || typed.call((small.as_slice(),)).map(|v| v.unanimous());
    let inline = || {
        typed_no_pool
            .call((small.as_slice(),))
            .map(|v| v.unanimous())
    };
    print_cpu(pool, inline);
}

/// CPU time of this process (all threads, user and system) so far.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in parentheses.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // USER_HZ is 100 on every Linux configuration that matters here.
    Some(Duration::from_millis(ticks * 10))
}

/// Wall and CPU time per call of back-to-back calls with instances made ahead of
/// time (`pool`) and without (`inline`), in alternating one-second rounds.
fn print_cpu<E: std::fmt::Debug>(
    pool: impl Fn() -> Result<bool, E>,
    inline: impl Fn() -> Result<bool, E>,
) {
    let round = |f: &dyn Fn() -> Result<bool, E>| -> Option<(Duration, Duration, u32)> {
        let (wall, cpu) = (std::time::Instant::now(), cpu_time()?);
        let mut n = 0u32;
        while wall.elapsed() < Duration::from_secs(1) {
            for _ in 0..100 {
                assert!(f().expect("call"));
            }
            n += 100;
        }
        let wall = wall.elapsed();
        // Let the refill thread finish what these calls left it: its CPU counts.
        std::thread::sleep(Duration::from_millis(20));
        Some((wall, cpu_time()?.saturating_sub(cpu), n))
    };
    let (mut p, mut i) = (
        (Duration::ZERO, Duration::ZERO, 0u32),
        (Duration::ZERO, Duration::ZERO, 0u32),
    );
    for _ in 0..3 {
        for (acc, f) in [
            (&mut p, &pool as &dyn Fn() -> Result<bool, E>),
            (&mut i, &inline),
        ] {
            let Some((w, c, n)) = round(f) else {
                println!("  cpu per call: /proc/self/stat unreadable");
                return;
            };
            acc.0 += w;
            acc.1 += c;
            acc.2 += n;
        }
    }
    let per = |d: Duration, n: u32| d.as_secs_f64() * 1e6 / f64::from(n.max(1));
    println!(
        "  back-to-back typed calls, crc32 64 B, refill counted: ahead of time {:.2} µs wall, {:.2} µs CPU per call; on the call's path {:.2} µs wall, {:.2} µs CPU",
        per(p.0, p.2),
        per(p.1, p.2),
        per(i.0, i.2),
        per(i.1, i.2)
    );
    println!(
        "    ahead / on the path: wall {:.2}×, CPU {:.2}×",
        per(p.0, p.2) / per(i.0, i.2),
        per(p.1, p.2) / per(i.1, i.2)
    );
}

/// A one-variant ensemble of world `mix` from the core module `file`, built by
/// `nvx add`.
fn mix_ensemble(root: &Path, file: &str) -> (tempfile::TempDir, Ensemble) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("mix");
    let fx = root.join("tests/fixtures/wasi");
    nvx::author::new_ensemble(&dir, &fx.join("mix.wit"), "mix").expect("nvx new");
    let v = nvx::author::NewVariant {
        name: "mix".into(),
        language: "c".into(),
        ..Default::default()
    };
    nvx::author::add_variant(&dir, &fx.join(file), &v).expect("nvx add");
    let e = Ensemble::open(&dir).expect("open");
    (tmp, e)
}

fn wasi_group(c: &mut Criterion, root: &Path) {
    let (_a, plain) = mix_ensemble(root, "mix.core.wasm");
    let (_b, wasi) = mix_ensemble(root, "probe.core.wasm");
    let arg = [Value::U64(0x0123_4567_89ab_cdef)];
    let want = plain.call("mix", &arg).expect("call");
    let want = want.value().expect("verdict").clone();
    let mut g = c.benchmark_group("wasi-context");
    for (id, e) in [("import-free", &plain), ("wasi", &wasi)] {
        g.bench_function(BenchmarkId::from_parameter(id), |b| {
            b.iter(|| {
                let v = e.call("mix", &arg).expect("call");
                assert!(v.value().expect("verdict").same(&want));
                v.unanimous()
            })
        });
    }
    g.finish();
}

/// Reads criterion's mean estimates and prints the ratios the project tracks.
fn print_ratios(root: &Path) {
    let mean = |group: &str, id: &str| support::estimate(root, "mean", group, id);
    println!("\nratios (means of this run; lower is better):");
    for size in SIZES {
        let g = format!("crc32-{size}B");
        let (Some(rr), Some(rf), Some(t), Some(d)) = (
            mean(&g, "raw-reused"),
            mean(&g, "raw-fresh"),
            mean(&g, "nvx-typed"),
            mean(&g, "nvx-dynamic"),
        ) else {
            println!("  {g}: estimates missing (run without a filter)");
            continue;
        };
        println!(
            "  {g}: raw-reused {:.2} µs, raw-fresh {:.2} µs, nvx typed {:.2} µs, dynamic {:.2} µs",
            rr / 1e3,
            rf / 1e3,
            t / 1e3,
            d / 1e3
        );
        println!(
            "    typed / raw-fresh {:.2}×   typed / raw-reused {:.2}×   dynamic / typed {:.2}×",
            t / rf,
            t / rr,
            d / t
        );
        let n = VARIANTS.len() as f64;
        println!(
            "    per variant over reused instances: fresh, back to back {:.2} µs",
            (t - rr) / n / 1e3
        );
        if let Some(w) = mean(&g, "nvx-typed-warm") {
            println!(
                "    per variant over reused instances: fresh, next instance ready {:.2} µs (goal ≤ 2 µs)",
                (w - rr) / n / 1e3
            );
        }
        if let Some(np) = mean(&g, "nvx-typed-no-pool") {
            println!(
                "    per variant over reused instances: fresh, made on the call's path {:.2} µs; back to back / no pool {:.2}×",
                (np - rr) / n / 1e3,
                t / np
            );
        }
        if let Some(r) = mean(&g, "nvx-typed-reuse") {
            println!(
                "    isolation = \"reuse\": {:.2} µs, {:.2} µs per variant over reused raw calls",
                r / 1e3,
                (r - rr) / n / 1e3
            );
        }
    }
    if let (Some(p), Some(w)) = (
        mean("wasi-context", "import-free"),
        mean("wasi-context", "wasi"),
    ) {
        println!(
            "  wasi-context (mix): import-free {:.2} µs, with WASI {:.2} µs, wasi / import-free {:.2}×",
            p / 1e3,
            w / 1e3,
            w / p
        );
    }
}
