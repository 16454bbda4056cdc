//! Engine configuration for the wasmtime compilers: the [`Compiler`]s, one shared
//! engine per set of settings fixed at creation ([`engine_for`]), the epoch ticker
//! that drives deadlines, and the size of each engine's instance pool
//! ([`limit_pool`]).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig};

use crate::cause::EngineProblem;
use crate::error::{Error, Result};
use crate::manifest::Limits;

/// Time between epoch ticks; deadlines are counted in ticks, so a variant is
/// stopped between `timeout-ms` and `timeout-ms` + 2 ticks. Each tick wakes a thread,
/// which costs throughput on small machines; 2 ms keeps that negligible.
pub(super) const TICK: Duration = Duration::from_millis(2);
/// Instance slots in the pooling allocator of each engine (see [`limit_pool`]).
static POOL_INSTANCES: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1_000);

/// Sizes the pooling allocator of engines made from now on for at most `instances`
/// component instances alive at once. A pool reserves address space for every
/// slot up front (several GiB each), so a process that runs one input at a time,
/// such as a campaign worker, asks for a small pool and many of them fit in one
/// address space.
pub fn limit_pool(instances: u32) {
    POOL_INSTANCES.store(instances.max(1), std::sync::atomic::Ordering::Relaxed);
}

/// Instance slots in the pooling allocator of engines made from now on.
pub(super) fn pool_instances() -> usize {
    POOL_INSTANCES.load(std::sync::atomic::Ordering::Relaxed) as usize
}

/// A wasmtime compiler that variants run on. Running every variant on several of
/// them turns a compiler or runtime bug into an engine divergence: the same
/// variant giving different results on different engines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Compiler {
    /// Cranelift, the optimizing compiler (the default).
    Cranelift,
    /// Winch, the single-pass baseline compiler (x86-64 only).
    Winch,
    /// Pulley: Cranelift compiling to wasmtime's portable bytecode interpreter.
    Pulley,
}

impl Compiler {
    /// The engine name manifests and flags use for wasmtime with this compiler.
    pub(super) fn name(self) -> &'static str {
        match self {
            Compiler::Cranelift => "cranelift",
            Compiler::Winch => "winch",
            Compiler::Pulley => "pulley",
        }
    }
}

/// The engine settings that must be fixed when an engine is made; ensembles that
/// share them share an engine (and its compilation cache entries).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct EngineKey {
    compiler: Compiler,
    fuel: bool,
    stack_kib: u64,
}

static ENGINES: OnceLock<Mutex<HashMap<EngineKey, Engine>>> = OnceLock::new();

/// Returns the shared engine for these limits, creating it (and the epoch ticker) on
/// first use.
pub(super) fn engine_for(compiler: Compiler, limits: &Limits) -> Result<Engine> {
    let key = EngineKey {
        compiler,
        fuel: limits.fuel.is_some(),
        stack_kib: limits.stack_kib,
    };
    let engines = ENGINES.get_or_init(|| {
        std::thread::Builder::new()
            .name("nvx-epoch".into())
            .spawn(|| {
                loop {
                    std::thread::sleep(TICK);
                    if let Some(map) = ENGINES.get()
                        && let Ok(map) = map.lock()
                    {
                        map.values().for_each(Engine::increment_epoch);
                    }
                }
            })
            .ok();
        Mutex::new(HashMap::new())
    });
    let mut map = engines
        .lock()
        .map_err(|_| Error::Engine(EngineProblem::RegistryPoisoned))?;
    if let Some(e) = map.get(&key) {
        return Ok(e.clone());
    }
    let engine = make_engine(key)?;
    map.insert(key, engine.clone());
    Ok(engine)
}

fn make_engine(key: EngineKey) -> Result<Engine> {
    let mut config = Config::new();
    config.epoch_interruption(true);
    config.consume_fuel(key.fuel);
    match key.compiler {
        Compiler::Cranelift => {
            config.strategy(wasmtime::Strategy::Cranelift);
        }
        Compiler::Winch => {
            config.strategy(wasmtime::Strategy::Winch);
        }
        Compiler::Pulley => {
            config
                .strategy(wasmtime::Strategy::Cranelift)
                .target("pulley64")
                .map_err(|e| {
                    Error::Engine(EngineProblem::Config {
                        compiler: "pulley",
                        source: e.into(),
                    })
                })?;
        }
    }
    // Winch has no NaN canonicalization: on x86-64 its NaNs carry the hardware's
    // sign bit. The voter treats every NaN as equal, so this shows only where a
    // variant looks at NaN bits, which is then reported as an engine divergence.
    config.cranelift_nan_canonicalization(key.compiler != Compiler::Winch);
    let stack = usize::try_from(key.stack_kib * 1024).unwrap_or(usize::MAX);
    config.max_wasm_stack(stack);
    // wasmtime requires the async stack to be larger than the wasm stack, even for
    // synchronous calls; keep the documented stack-kib range (up to 64 MiB) valid.
    config.async_stack_size(stack.saturating_add(crate::engine::seam::HOST_STACK_MARGIN));
    config.wasm_backtrace_max_frames(std::num::NonZeroUsize::new(16));
    let mut pool = PoolingAllocationConfig::default();
    let instances = POOL_INSTANCES.load(std::sync::atomic::Ordering::Relaxed);
    pool.total_component_instances(instances)
        .total_core_instances(instances.saturating_mul(4))
        .total_memories(instances.saturating_mul(2))
        .total_tables(instances.saturating_mul(2))
        .max_memory_size(4 << 30)
        // Reset small memories and tables by memset rather than madvise: instances
        // here live for one call, and a syscall per reset dominated their cost.
        // Toolchains with a WASI runtime (wasi-libc + the preview1 adapter, Go,
        // Python) touch a few hundred KiB per instantiation, so the first 256 KiB
        // of a memory are kept: a WASI C variant's call went from 39 to 30 µs,
        // while 1 MiB made variants with a 1 MiB shadow stack slower (31 → 45 µs
        // for three crc32 variants), as every reset then memsets it all.
        .linear_memory_keep_resident(256 << 10)
        .table_keep_resident(64 << 10)
        // Give a finished instance's memory back at once. Batching decommits
        // (16 at a time) let up to 16 × memory-mib stay resident after the calls
        // that used it: 844 MiB for a campaign of 64 MiB memory bombs, against
        // 127 MiB now, at no measurable cost to the main job (0.96× wall, paired).
        .decommit_batch_size(1)
        // Where Linux has the PAGEMAP_SCAN ioctl (6.7 and later), reset only the
        // pages a call actually wrote, and keep them mapped: no page faults on the
        // next instance and no TLB shootdowns from madvise. On crc32 at 64 B this
        // took a fresh instance from 10.3 to 6.0 µs per variant over a reused one
        // (`cargo bench --bench overhead`, paired runs), and a one-job civil-days
        // campaign from 1.10 to 0.78 s. Older kernels fall back to memset/madvise.
        .pagemap_scan(wasmtime::Enabled::Auto);
    config.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
    Engine::new(&config).map_err(|e| {
        Error::Engine(EngineProblem::Config {
            compiler: key.compiler.name(),
            source: e.into(),
        })
    })
}
