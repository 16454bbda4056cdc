//! The wasmtime engine, with three compilers (Cranelift, Winch, Pulley): loading
//! and checking components, and running one variant on one input inside its
//! limits. wasmtime's types stay in this file and its compile cache.
//!
//! Every call gets a fresh instance from the pooling allocator (pre-linked once per
//! variant), so no state leaks between inputs and a failed variant needs no repair.
//! Deadlines use epoch interruption driven by one ticker thread per process.

pub mod typed;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use wasmtime::component::types::{ComponentFunc, ComponentItem};
use wasmtime::component::{ComponentExportIndex, Func, InstancePre, Linker, Val};
use wasmtime::{
    Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, ResourceLimiter, Store,
    Trap,
};

use crate::backend::{Backend, Prepared};
use crate::error::{Error, Result};
use crate::manifest::{Limits, VariantEntry};
use crate::outcome::{Outcome, Resource, Run};
use crate::value::{Value, ValueType};
use crate::wasi::{self, HasSandbox, Sandbox};
use crate::wit::FuncSig;

/// Time between epoch ticks; deadlines are counted in ticks, so a variant is
/// stopped between `timeout-ms` and `timeout-ms` + 2 ticks. Each tick wakes a thread,
/// which costs throughput on small machines; 2 ms keeps that negligible.
const TICK: Duration = Duration::from_millis(2);
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

/// wasmtime with one of its compilers, as the engine registry holds it.
#[derive(Debug)]
pub struct WasmtimeEngine {
    compiler: Compiler,
}

/// wasmtime with Cranelift.
pub static CRANELIFT: WasmtimeEngine = WasmtimeEngine {
    compiler: Compiler::Cranelift,
};
/// wasmtime with Winch.
pub static WINCH: WasmtimeEngine = WasmtimeEngine {
    compiler: Compiler::Winch,
};
/// wasmtime with Cranelift targeting Pulley.
pub static PULLEY: WasmtimeEngine = WasmtimeEngine {
    compiler: Compiler::Pulley,
};

/// The version of the wasmtime crate nvx is built with.
pub const WASMTIME_VERSION: &str = "48.0.8";

impl crate::engine::seam::Engine for WasmtimeEngine {
    fn name(&self) -> &'static str {
        self.compiler.name()
    }

    fn version(&self) -> String {
        let what = match self.compiler {
            Compiler::Cranelift => "Cranelift",
            Compiler::Winch => "Winch",
            Compiler::Pulley => "Cranelift to the Pulley interpreter",
        };
        format!("wasmtime {WASMTIME_VERSION}, {what}")
    }

    fn load(
        &self,
        path: &Path,
        bytes: &[u8],
        entry: &VariantEntry,
        funcs: &[FuncSig],
        settings: &crate::engine::seam::LoadSettings,
    ) -> Result<Arc<dyn crate::backend::Backend>> {
        load_variant_bytes(path, bytes, entry, funcs, settings, self.compiler)
            .map(|v| Arc::new(v) as Arc<dyn crate::backend::Backend>)
    }
}

impl Compiler {
    /// The engine name manifests and flags use for wasmtime with this compiler.
    fn name(self) -> &'static str {
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
fn engine_for(compiler: Compiler, limits: &Limits) -> Result<Engine> {
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
        .map_err(|_| Error::Engine("engine registry poisoned".into()))?;
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
                .map_err(|e| Error::Engine(format!("pulley: {e:#}")))?;
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
    Engine::new(&config).map_err(|e| Error::Engine(format!("{}: {e:#}", key.compiler.name())))
}

/// The per-store state: the resource limiter and, for variants that import WASI,
/// their sandbox.
pub(crate) struct Ctx {
    limiter: Limiter,
    wasi: Option<Box<Sandbox>>,
    output_cap: usize,
    /// Epoch ticks the current call may still run before it times out.
    ticks_left: u64,
    /// The caller's control of the current call, if any.
    control: Option<crate::control::CallControl>,
}

impl wasmtime_wasi::WasiView for Ctx {
    fn ctx(&mut self) -> wasmtime_wasi::WasiCtxView<'_> {
        self.sandbox().wasi_view()
    }
}

impl wasmtime_wasi_http::WasiHttpView for Ctx {
    fn http(&mut self) -> wasmtime_wasi_http::WasiHttpCtxView<'_> {
        self.sandbox().http_view()
    }
}

impl HasSandbox for Ctx {
    fn sandbox(&mut self) -> &mut Sandbox {
        let cap = self.output_cap;
        self.wasi.get_or_insert_with(|| Box::new(Sandbox::new(cap)))
    }
}

struct Limiter {
    memory_bytes: usize,
    /// Set when a memory or table growth was refused, so a following trap is
    /// reported as memory exhaustion rather than as whatever the guest did next.
    denied: bool,
}

impl ResourceLimiter for Limiter {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let ok = desired <= self.memory_bytes;
        self.denied |= !ok;
        Ok(ok)
    }
    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let ok = desired <= 1 << 20;
        self.denied |= !ok;
        Ok(ok)
    }
}

/// A variant compiled by one wasmtime engine, pre-linked and checked against its
/// world; it evaluates calls through [`crate::backend::Backend`].
pub struct LoadedVariant {
    /// Its manifest entry.
    pub entry: VariantEntry,
    /// The module's SHA-256 (as checked).
    pub sha256: String,
    engine: Engine,
    pre: InstancePre<Ctx>,
    exports: HashMap<String, ComponentExportIndex>,
    limits: Limits,
    /// Whether it imports WASI (and so gets a sandbox per call).
    uses_wasi: bool,
    /// What it imports (WASI interfaces only, as checked).
    pub imports: Vec<String>,
    /// Warnings raised while loading it (a refused cache entry).
    pub warnings: Vec<String>,
    /// With `isolation = "reuse"`: instances kept after calls that returned.
    spares: Option<Mutex<Vec<Spare>>>,
    /// An instance kept only to type-check typed handles, made by the first check.
    probe: Mutex<Option<(Store<Ctx>, wasmtime::component::Instance)>>,
}

/// An instance kept for reuse, with its store and the calls it has served.
type Spare = (Store<Ctx>, wasmtime::component::Instance, u32);

/// Calls one instance serves with `isolation = "reuse"` before it is replaced by a
/// fresh one. Many guests never free what the host allocates in them for
/// arguments, so a kept instance's memory grows with every call; replacing it
/// bounds that growth (to 256 × the argument size) below any sane `memory-mib`.
const MAX_REUSES: u32 = 256;

/// Instances kept per variant with `isolation = "reuse"` (one per concurrent caller
/// up to this many; more callers instantiate afresh).
const MAX_SPARES: usize = 8;

/// Verifies, compiles and type-checks one variant from its bytes; `path` names it
/// in errors.
pub(crate) fn load_variant_bytes(
    path: &Path,
    bytes: &[u8],
    entry: &VariantEntry,
    funcs: &[FuncSig],
    settings: &crate::engine::seam::LoadSettings,
    compiler: Compiler,
) -> Result<LoadedVariant> {
    let crate::engine::seam::LoadSettings {
        limits,
        allow_wasi,
        isolation,
    } = *settings;
    let limits = &limits;
    let path = path.to_path_buf();
    let actual = crate::engine::seam::checked_sha256(&path, bytes, entry)?;
    let engine = engine_for(compiler, limits)?;
    let invalid = |message: String| Error::InvalidModule {
        variant: entry.name.clone(),
        path: path.clone(),
        message,
    };
    let is_text = entry.path.extension().is_some_and(|x| x == "wat");
    if !is_text && !bytes.starts_with(b"\0asm") {
        return Err(invalid("does not start with the WebAssembly magic bytes `\\0asm` (a .wat text file must be named *.wat)".into()));
    }
    let mismatch = |message: String| Error::WorldMismatch {
        variant: entry.name.clone(),
        path: path.clone(),
        message,
    };
    // Imports are checked on the binary before compiling it, so a refused
    // variant costs no compile time.
    if !is_text {
        if is_core_module(bytes) {
            return Err(invalid(
                "is a core WebAssembly module, not a component; `nvx add` wraps a core module into a component".into(),
            ));
        }
        let imports = wasi::component_imports(bytes).map_err(&invalid)?;
        check_imports(&imports, allow_wasi).map_err(&mismatch)?;
    }
    let mut warnings = Vec::new();
    let component =
        crate::cache::compile(&engine, bytes, &actual, &mut warnings).map_err(|e| {
            let message = format!("{e:#}");
            if message.contains("component model async") {
                invalid(format!(
                    "uses the component-model async ABI, which nvx does not run (wasmtime 48 supports it only as an unstable feature); rebuild it for the synchronous ABI (componentize-qjs: `--sync`). wasmtime said: {message}"
                ))
            } else if compiler == Compiler::Cranelift {
                invalid(message)
            } else {
                invalid(format!(
                    "the {} engine cannot compile it: {message}",
                    compiler.name()
                ))
            }
        })?;
    let warnings = warnings
        .into_iter()
        .map(|w| format!("variant `{}`: {w}", entry.name))
        .collect();
    let ty = component.component_type();
    let imports: Vec<String> = ty.imports(&engine).map(|(n, _)| n.to_string()).collect();
    if is_text {
        // Text can only be read by compiling it; binaries were checked above.
        check_imports(&imports, allow_wasi).map_err(&mismatch)?;
    }
    let mut exports = HashMap::new();
    for f in funcs {
        let found = match &f.interface {
            None => ty.get_export(&engine, &f.func).map(|e| e.ty),
            Some(iface) => match ty.get_export(&engine, iface).map(|e| e.ty) {
                Some(ComponentItem::ComponentInstance(inst)) => {
                    inst.get_export(&engine, &f.func).map(|e| e.ty)
                }
                _ => None,
            },
        };
        let func_ty = match found {
            Some(ComponentItem::ComponentFunc(func_ty)) => func_ty,
            Some(_) => {
                return Err(mismatch(format!(
                    "exports `{}` but not as a function",
                    f.name
                )));
            }
            None => {
                return Err(mismatch(format!(
                    "does not export function `{}` ({})",
                    f.name,
                    f.signature()
                )));
            }
        };
        check_signature(f, &func_ty).map_err(|got| {
            mismatch(format!(
                "function `{}` has the wrong type: the world says {}, the component exports {got}",
                f.name,
                f.signature()
            ))
        })?;
        let index = match &f.interface {
            None => component.get_export_index(None, &f.func),
            Some(iface) => component
                .get_export_index(None, iface)
                .and_then(|i| component.get_export_index(Some(&i), &f.func)),
        }
        .ok_or_else(|| mismatch(format!("export `{}` cannot be looked up", f.name)))?;
        exports.insert(f.name.clone(), index);
    }
    let mut linker = Linker::<Ctx>::new(&engine);
    let uses_wasi = !imports.is_empty();
    if uses_wasi {
        wasi::add_to_linker(&mut linker).map_err(|e| invalid(format!("{e:#}")))?;
    }
    let pre = linker
        .instantiate_pre(&component)
        .map_err(|e| invalid(format!("{e:#}")))?;
    Ok(LoadedVariant {
        entry: entry.clone(),
        sha256: actual,
        engine,
        pre,
        exports,
        limits: *limits,
        spares: (isolation == crate::manifest::Isolation::Reuse && !uses_wasi)
            .then(|| Mutex::new(Vec::new())),
        probe: Mutex::new(None),
        uses_wasi,
        imports,
        warnings,
    })
}

use crate::engine::seam::is_core_module;
use crate::wasi::check_imports;

/// Compares an exported function's type with the world's; on mismatch returns the
/// exported signature in WIT syntax.
fn check_signature(want: &FuncSig, got: &ComponentFunc) -> std::result::Result<(), String> {
    let params: Vec<(String, Option<ValueType>)> = got
        .params()
        .map(|(n, t)| (n.to_string(), value_type(&t)))
        .collect();
    let results: Vec<Option<ValueType>> = got.results().map(|t| value_type(&t)).collect();
    let same_params = params.len() == want.params.len()
        && params
            .iter()
            .zip(&want.params)
            .all(|((_, g), (_, w))| g.as_ref() == Some(w));
    let same_result = match (&want.result, results.as_slice()) {
        (None, []) => true,
        (Some(w), [Some(g)]) => g == w,
        _ => false,
    };
    if same_params && same_result {
        return Ok(());
    }
    let show = |t: &Option<ValueType>| {
        t.as_ref()
            .map_or("<unsupported>".to_string(), ToString::to_string)
    };
    let p: Vec<String> = params
        .iter()
        .map(|(n, t)| format!("{n}: {}", show(t)))
        .collect();
    let r: Vec<String> = results.iter().map(show).collect();
    Err(if r.is_empty() {
        format!("func({})", p.join(", "))
    } else {
        format!("func({}) -> {}", p.join(", "), r.join(", "))
    })
}

/// Converts a wasmtime component type to a [`ValueType`]; `None` for types nvx does
/// not pass (resources, streams, futures, maps).
pub(crate) fn value_type(t: &wasmtime::component::Type) -> Option<ValueType> {
    use wasmtime::component::Type as T;
    Some(match t {
        T::Bool => ValueType::Bool,
        T::S8 => ValueType::S8,
        T::U8 => ValueType::U8,
        T::S16 => ValueType::S16,
        T::U16 => ValueType::U16,
        T::S32 => ValueType::S32,
        T::U32 => ValueType::U32,
        T::S64 => ValueType::S64,
        T::U64 => ValueType::U64,
        T::Float32 => ValueType::F32,
        T::Float64 => ValueType::F64,
        T::Char => ValueType::Char,
        T::String => ValueType::String,
        T::List(l) => ValueType::List(Box::new(value_type(&l.ty())?)),
        T::Record(r) => ValueType::Record(
            r.fields()
                .map(|f| Some((f.name.to_string(), value_type(&f.ty)?)))
                .collect::<Option<_>>()?,
        ),
        T::Tuple(t) => ValueType::Tuple(t.types().map(|t| value_type(&t)).collect::<Option<_>>()?),
        T::Variant(v) => ValueType::Variant(
            v.cases()
                .map(|c| {
                    Some((
                        c.name.to_string(),
                        match &c.ty {
                            Some(t) => Some(value_type(t)?),
                            None => None,
                        },
                    ))
                })
                .collect::<Option<_>>()?,
        ),
        T::Enum(e) => ValueType::Enum(e.names().map(str::to_string).collect()),
        T::Option(o) => ValueType::Option(Box::new(value_type(&o.ty())?)),
        T::Result(r) => ValueType::Result {
            ok: match r.ok() {
                Some(t) => Some(Box::new(value_type(&t)?)),
                None => None,
            },
            err: match r.err() {
                Some(t) => Some(Box::new(value_type(&t)?)),
                None => None,
            },
        },
        T::Flags(f) => ValueType::Flags(f.names().map(str::to_string).collect()),
        _ => return None,
    })
}

impl LoadedVariant {
    /// Runs `call` on a fresh instance of this variant, inside its limits, and
    /// classifies what happened. `size` measures a result for the output cap.
    pub(crate) fn run<R>(
        &self,
        func: &str,
        control: Option<&crate::control::CallControl>,
        call: impl FnOnce(&mut Store<Ctx>, Func) -> wasmtime::Result<R>,
        size: impl FnOnce(&R) -> usize,
    ) -> Run<R> {
        let start = Instant::now();
        let mut output = None;
        if control.is_some_and(crate::control::CallControl::stopped) {
            return Run::without_output(&self.entry.name, Outcome::Cancelled);
        }
        // A panic below (in wasmtime, WASI or a conversion) is a bug, but it must not
        // take the caller down: it becomes this variant's failure.
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.run_inner(func, control, call, size, &mut output)
        }))
        .unwrap_or_else(|panic| Outcome::host_panic(&*panic));
        let (stdout, stderr) = output.unwrap_or_default();
        Run {
            variant: self.entry.name.clone(),
            outcome,
            elapsed: start.elapsed(),
            stdout: stdout.text(),
            stderr: stderr.text(),
        }
    }

    fn run_inner<R>(
        &self,
        func: &str,
        control: Option<&crate::control::CallControl>,
        call: impl FnOnce(&mut Store<Ctx>, Func) -> wasmtime::Result<R>,
        size: impl FnOnce(&R) -> usize,
        output: &mut Option<(wasi::Captured, wasi::Captured)>,
    ) -> Outcome<R> {
        let spare = self
            .spares
            .as_ref()
            .and_then(|s| s.lock().ok().and_then(|mut s| s.pop()));
        let (mut store, instance, served) = match spare {
            Some(mut kept) => {
                self.arm(&mut kept.0, control);
                kept
            }
            None => {
                let mut store = self.new_store();
                self.arm(&mut store, control);
                match self.pre.instantiate(&mut store) {
                    Ok(i) => (store, i, 0),
                    Err(e) => {
                        return match classify(&e, store.data().limiter.denied) {
                            Outcome::Trapped { message, .. } => {
                                Outcome::InstantiationFailed(message)
                            }
                            other => other,
                        };
                    }
                }
            }
        };
        let Some(f) = self
            .exports
            .get(func)
            .and_then(|idx| instance.get_func(&mut store, idx))
        else {
            return Outcome::InstantiationFailed(format!(
                "export `{func}` missing from the instance"
            ));
        };
        let outcome = match call(&mut store, f) {
            Ok(r) if size(&r) > self.output_cap() => Outcome::Exhausted(Resource::Output),
            Ok(r) => Outcome::Returned(r),
            Err(e) => classify(&e, store.data().limiter.denied),
        };
        *output = store.data().wasi.as_ref().map(|w| w.take_output());
        store.data_mut().control = None;
        // Only an instance whose call returned normally is kept: after a trap or an
        // interrupt its state is whatever the failure left.
        if let (Some(spares), Outcome::Returned(_)) = (&self.spares, &outcome)
            && served + 1 < MAX_REUSES
            && let Ok(mut spares) = spares.lock()
            && spares.len() < MAX_SPARES
        {
            spares.push((store, instance, served + 1));
        }
        outcome
    }

    /// A store for one instance of this variant, with its limiter.
    fn new_store(&self) -> Store<Ctx> {
        let memory_bytes = usize::try_from(self.limits.memory_mib << 20).unwrap_or(usize::MAX);
        let output_cap = self.output_cap();
        let mut store = Store::new(
            &self.engine,
            Ctx {
                limiter: Limiter {
                    memory_bytes,
                    denied: false,
                },
                wasi: self.uses_wasi.then(|| Box::new(Sandbox::new(output_cap))),
                output_cap,
                ticks_left: 0,
                control: None,
            },
        );
        store.limiter(|c| &mut c.limiter);
        // Called at every epoch tick while the store runs: stops the call when its
        // caller's control says so, and times it out when its ticks run out.
        store.epoch_deadline_callback(|mut cx| {
            let ctx = cx.data_mut();
            if ctx
                .control
                .as_ref()
                .is_some_and(crate::control::CallControl::stopped)
            {
                return Err(crate::control::Stopped.into());
            }
            if ctx.ticks_left == 0 {
                return Ok(wasmtime::UpdateDeadline::Interrupt);
            }
            ctx.ticks_left -= 1;
            Ok(wasmtime::UpdateDeadline::Continue(1))
        });
        store
    }

    /// Sets the per-call budgets of `store`: deadline, fuel, the output cap and the
    /// caller's control.
    fn arm(&self, store: &mut Store<Ctx>, control: Option<&crate::control::CallControl>) {
        store.data_mut().limiter.denied = false;
        store.data_mut().control = control.cloned();
        // wasmtime charges "hostcall fuel" for what it lifts out of the guest: a byte
        // per byte of a string, but a whole `Val` per element of a list. Capping it
        // at the output limit in `Val`s stops an oversized result before the host
        // allocates more than that many values; the exact limit, in bytes of the
        // result, is checked on the lifted value (`size` in `run`). A list<u8> result
        // of `output-kib` KiB therefore fits, as a string of that size does.
        store.set_hostcall_fuel(
            self.output_cap()
                .saturating_mul(std::mem::size_of::<Val>())
                .saturating_add(4096),
        );
        let ticks = self
            .limits
            .timeout_ms
            .div_ceil(TICK.as_millis().max(1) as u64)
            + 1;
        // One tick at a time: the epoch callback counts the rest down, checking the
        // caller's control at each.
        store.data_mut().ticks_left = ticks;
        store.set_epoch_deadline(1);
        if let Some(fuel) = self.limits.fuel {
            // Setting fuel fails only when the engine does not consume fuel, which
            // the engine key rules out.
            let _ = store.set_fuel(fuel);
        }
    }
}

impl LoadedVariant {
    /// Checks that `func` takes the Rust parameter types `P` and returns `R`.
    ///
    /// wasmtime checks Rust types only against a function of an instance, so the
    /// first check instantiates this variant once and keeps that idle instance for
    /// every later check: making a typed handle then instantiates nothing and runs
    /// no guest code beyond that first instantiation.
    pub(crate) fn check_typed<P, R>(&self, func: &str) -> std::result::Result<(), String>
    where
        P: wasmtime::component::ComponentNamedList + wasmtime::component::Lower,
        R: wasmtime::component::ComponentNamedList + wasmtime::component::Lift,
    {
        let mut probe = self
            .probe
            .lock()
            .map_err(|_| "the type-check instance is poisoned".to_string())?;
        if probe.is_none() {
            let mut store = self.new_store();
            self.arm(&mut store, None);
            let instance = self
                .pre
                .instantiate(&mut store)
                .map_err(|e| format!("cannot instantiate it to check types: {e:#}"))?;
            *probe = Some((store, instance));
        }
        let Some((store, instance)) = probe.as_mut() else {
            return Err("no type-check instance".into());
        };
        let f = self
            .exports
            .get(func)
            .and_then(|idx| instance.get_func(&mut *store, idx))
            .ok_or_else(|| format!("export `{func}` missing from the instance"))?;
        f.typed::<P, R>(&*store)
            .map(|_| ())
            .map_err(|e| format!("{e:#}"))
    }

    /// Whether it imports WASI.
    pub(crate) fn uses_wasi(&self) -> bool {
        self.uses_wasi
    }

    fn output_cap(&self) -> usize {
        self.limits.output_bytes()
    }
}

/// Turns a wasmtime error from instantiation or a call into an [`Outcome`].
fn classify<R>(e: &wasmtime::Error, memory_denied: bool) -> Outcome<R> {
    if let Some(exit) = e.downcast_ref::<wasmtime_wasi::I32Exit>() {
        return Outcome::Exited(exit.0);
    }
    if e.downcast_ref::<crate::control::Stopped>().is_some() {
        return Outcome::Cancelled;
    }
    match e.downcast_ref::<Trap>() {
        Some(Trap::Interrupt) => Outcome::TimedOut,
        Some(Trap::StackOverflow) => Outcome::Exhausted(Resource::Stack),
        Some(Trap::OutOfFuel) => Outcome::Exhausted(Resource::Fuel),
        _ if memory_denied => Outcome::Exhausted(Resource::Memory),
        Some(t) => Outcome::Trapped {
            kind: trap_kind(t),
            message: format!("{t}\n{e:?}"),
        },
        // The hostcall-fuel limit set from `output-kib` surfaces as this error.
        None if format!("{e:#}").contains("too much data is being copied") => {
            Outcome::Exhausted(Resource::Output)
        }
        None => Outcome::Trapped {
            kind: "canonical-abi".into(),
            message: format!("{e:#}"),
        },
    }
}

fn trap_kind(t: &Trap) -> String {
    match t {
        Trap::UnreachableCodeReached => "unreachable".into(),
        Trap::MemoryOutOfBounds => "memory-out-of-bounds".into(),
        Trap::TableOutOfBounds => "table-out-of-bounds".into(),
        Trap::IndirectCallToNull => "indirect-call-to-null".into(),
        Trap::BadSignature => "bad-signature".into(),
        Trap::IntegerOverflow => "integer-overflow".into(),
        Trap::IntegerDivisionByZero => "integer-divide-by-zero".into(),
        Trap::BadConversionToInteger => "bad-conversion-to-integer".into(),
        Trap::HeapMisaligned => "heap-misaligned".into(),
        other => {
            let s = format!("{other:?}");
            let mut out = String::new();
            for (i, c) in s.chars().enumerate() {
                if c.is_ascii_uppercase() && i > 0 {
                    out.push('-');
                }
                out.push(c.to_ascii_lowercase());
            }
            out
        }
    }
}

/// Arguments of a dynamic call, prepared once per call for every variant.
///
/// A single `list<u8>` or `string` argument goes through a typed call, which copies
/// the bytes in one block; everything else becomes wasmtime `Val`s, converted once
/// per call and shared by every variant (kept in the call's [`Prepared`]). Building
/// and lowering a `Val` per byte costs several times the call itself on kilobyte
/// inputs.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Args<'a> {
    /// One bulk argument, passed by reference.
    Bulk(&'a Value),
    /// General arguments, as wasmtime values.
    Vals(&'a [Val]),
    /// Arguments not yet converted (the call's cache held another engine's).
    Fresh(&'a [Value]),
}

/// The wasmtime values of a call's arguments, or `None` when it takes the bulk
/// path: what the wasmtime engines keep in a [`Prepared`].
struct PreparedVals(Option<Vec<Val>>);

impl<'a> Args<'a> {
    /// The arguments of `prepared`, converted on first use by any wasmtime engine.
    pub(crate) fn of(prepared: &'a Prepared<'_>) -> Args<'a> {
        let sig = prepared.sig();
        let values = prepared.values();
        let cached = prepared.engine_cache(|| {
            PreparedVals(match (values, sig.params.as_slice()) {
                ([Value::Bytes(_)], [(_, ValueType::List(e))])
                    if **e == ValueType::U8 && fast_result(sig.result.as_ref()) =>
                {
                    None
                }
                ([Value::String(_)], [(_, ValueType::String)])
                    if fast_result(sig.result.as_ref()) =>
                {
                    None
                }
                _ => Some(values.iter().map(to_val).collect()),
            })
        });
        match cached {
            Some(PreparedVals(Some(vals))) => Args::Vals(vals),
            Some(PreparedVals(None)) if !values.is_empty() => Args::Bulk(&values[0]),
            // Another engine's cache, or none: convert here.
            _ => Args::Fresh(values),
        }
    }
}

/// Result types the typed fast path can lift.
fn fast_result(t: Option<&ValueType>) -> bool {
    use ValueType as T;
    match t {
        None => true,
        Some(T::Option(inner)) => matches!(**inner, T::U32 | T::S32 | T::U64 | T::S64 | T::F64),
        Some(T::List(inner)) => **inner == T::U8,
        Some(t) => matches!(
            t,
            T::Bool | T::U32 | T::S32 | T::U64 | T::S64 | T::F32 | T::F64 | T::String
        ),
    }
}

/// A typed call with parameters `$p` and the result lifted as `$rust` and turned into a
/// [`Value`] by `$wrap`.
macro_rules! typed {
    ($store:expr, $f:expr, $p:expr, $rust:ty, $wrap:expr) => {
        $f.typed::<_, ($rust,)>(&*$store)
            .and_then(|t| t.call(&mut *$store, $p))
            .map(|(r,)| $wrap(r))
    };
}

fn call_bulk<P>(
    store: &mut Store<Ctx>,
    f: Func,
    p: P,
    result: Option<&ValueType>,
) -> wasmtime::Result<Value>
where
    P: wasmtime::component::ComponentNamedList + wasmtime::component::Lower + Clone,
{
    use ValueType as T;
    let opt = |v: Option<Value>| Value::Option(v.map(Box::new));
    match result {
        None => f
            .typed::<P, ()>(&*store)
            .and_then(|t| t.call(&mut *store, p))
            .map(|()| Value::Tuple(Vec::new())),
        Some(T::Bool) => typed!(store, f, p, bool, Value::Bool),
        Some(T::U32) => typed!(store, f, p, u32, Value::U32),
        Some(T::S32) => typed!(store, f, p, i32, Value::S32),
        Some(T::U64) => typed!(store, f, p, u64, Value::U64),
        Some(T::S64) => typed!(store, f, p, i64, Value::S64),
        Some(T::F32) => typed!(store, f, p, f32, Value::F32),
        Some(T::F64) => typed!(store, f, p, f64, Value::F64),
        Some(T::String) => typed!(store, f, p, String, Value::String),
        Some(T::List(_)) => typed!(store, f, p, Vec<u8>, Value::Bytes),
        Some(T::Option(inner)) => match **inner {
            T::U32 => typed!(store, f, p, Option<u32>, |r: Option<u32>| opt(
                r.map(Value::U32)
            )),
            T::S32 => typed!(store, f, p, Option<i32>, |r: Option<i32>| opt(
                r.map(Value::S32)
            )),
            T::U64 => typed!(store, f, p, Option<u64>, |r: Option<u64>| opt(
                r.map(Value::U64)
            )),
            T::S64 => typed!(store, f, p, Option<i64>, |r: Option<i64>| opt(
                r.map(Value::S64)
            )),
            _ => typed!(store, f, p, Option<f64>, |r: Option<f64>| opt(
                r.map(Value::F64)
            )),
        },
        Some(other) => Err(wasmtime::Error::msg(format!(
            "no typed path for results of type {other}"
        ))),
    }
}

/// Calls `f` dynamically with prepared arguments.
pub(crate) fn call_dynamic(
    store: &mut Store<Ctx>,
    f: Func,
    args: Args<'_>,
    result: Option<&ValueType>,
) -> wasmtime::Result<Value> {
    let call_vals = |store: &mut Store<Ctx>, vals: &[Val]| {
        let mut out = vec![Val::Bool(false); usize::from(result.is_some())];
        f.call(&mut *store, vals, &mut out)?;
        Ok(match (out.pop(), result) {
            (Some(v), Some(t)) => from_val(v, t),
            _ => Value::Tuple(Vec::new()),
        })
    };
    match args {
        Args::Bulk(v) => match v {
            Value::Bytes(b) => call_bulk(store, f, (b.as_slice(),), result),
            Value::String(s) => call_bulk(store, f, (s.as_str(),), result),
            _ => Err(wasmtime::Error::msg(
                "bulk argument is neither bytes nor a string",
            )),
        },
        Args::Vals(vals) => call_vals(store, vals),
        Args::Fresh(values) => {
            let vals: Vec<Val> = values.iter().map(to_val).collect();
            call_vals(store, &vals)
        }
    }
}

/// Converts a [`Value`] to wasmtime's [`Val`].
pub(crate) fn to_val(v: &Value) -> Val {
    match v {
        Value::Bool(b) => Val::Bool(*b),
        Value::S8(x) => Val::S8(*x),
        Value::U8(x) => Val::U8(*x),
        Value::S16(x) => Val::S16(*x),
        Value::U16(x) => Val::U16(*x),
        Value::S32(x) => Val::S32(*x),
        Value::U32(x) => Val::U32(*x),
        Value::S64(x) => Val::S64(*x),
        Value::U64(x) => Val::U64(*x),
        Value::F32(x) => Val::Float32(*x),
        Value::F64(x) => Val::Float64(*x),
        Value::Char(c) => Val::Char(*c),
        Value::String(s) => Val::String(s.clone()),
        Value::Bytes(b) => Val::List(b.iter().map(|b| Val::U8(*b)).collect()),
        Value::List(l) => Val::List(l.iter().map(to_val).collect()),
        Value::Record(f) => Val::Record(f.iter().map(|(n, v)| (n.clone(), to_val(v))).collect()),
        Value::Tuple(t) => Val::Tuple(t.iter().map(to_val).collect()),
        Value::Variant(c, p) => Val::Variant(c.clone(), p.as_ref().map(|p| Box::new(to_val(p)))),
        Value::Enum(c) => Val::Enum(c.clone()),
        Value::Option(o) => Val::Option(o.as_ref().map(|p| Box::new(to_val(p)))),
        Value::Result(r) => Val::Result(match r {
            Ok(p) => Ok(p.as_ref().map(|p| Box::new(to_val(p)))),
            Err(p) => Err(p.as_ref().map(|p| Box::new(to_val(p)))),
        }),
        Value::Flags(f) => Val::Flags(f.clone()),
    }
}

/// Converts wasmtime's [`Val`] to a [`Value`], guided by the declared type so that
/// `list<u8>` becomes [`Value::Bytes`].
pub(crate) fn from_val(v: Val, ty: &ValueType) -> Value {
    let boxed = |p: Option<Box<Val>>, t: Option<&ValueType>| match (p, t) {
        (Some(p), Some(t)) => Some(Box::new(from_val(*p, t))),
        _ => None,
    };
    match (v, ty) {
        (Val::Bool(b), _) => Value::Bool(b),
        (Val::S8(x), _) => Value::S8(x),
        (Val::U8(x), _) => Value::U8(x),
        (Val::S16(x), _) => Value::S16(x),
        (Val::U16(x), _) => Value::U16(x),
        (Val::S32(x), _) => Value::S32(x),
        (Val::U32(x), _) => Value::U32(x),
        (Val::S64(x), _) => Value::S64(x),
        (Val::U64(x), _) => Value::U64(x),
        (Val::Float32(x), _) => Value::F32(x),
        (Val::Float64(x), _) => Value::F64(x),
        (Val::Char(c), _) => Value::Char(c),
        (Val::String(s), _) => Value::String(s),
        (Val::List(l), ValueType::List(e)) if **e == ValueType::U8 => Value::Bytes(
            l.into_iter()
                .map(|v| if let Val::U8(b) = v { b } else { 0 })
                .collect(),
        ),
        (Val::List(l), ValueType::List(e)) => {
            Value::List(l.into_iter().map(|v| from_val(v, e)).collect())
        }
        (Val::Record(f), ValueType::Record(ts)) => Value::Record(
            f.into_iter()
                .zip(ts)
                .map(|((n, v), (_, t))| (n, from_val(v, t)))
                .collect(),
        ),
        (Val::Tuple(t), ValueType::Tuple(ts)) => {
            Value::Tuple(t.into_iter().zip(ts).map(|(v, t)| from_val(v, t)).collect())
        }
        (Val::Variant(c, p), ValueType::Variant(cases)) => {
            let t = cases
                .iter()
                .find(|(n, _)| *n == c)
                .and_then(|(_, t)| t.as_ref());
            Value::Variant(c, boxed(p, t))
        }
        (Val::Enum(c), _) => Value::Enum(c),
        (Val::Option(o), ValueType::Option(t)) => Value::Option(boxed(o, Some(t))),
        (Val::Result(Ok(p)), ValueType::Result { ok, .. }) => {
            Value::Result(Ok(boxed(p, ok.as_deref())))
        }
        (Val::Result(Err(p)), ValueType::Result { err, .. }) => {
            Value::Result(Err(boxed(p, err.as_deref())))
        }
        (Val::Flags(f), _) => Value::Flags(f),
        (other, _) => Value::String(format!("<unsupported value {other:?}>")),
    }
}

impl Backend for LoadedVariant {
    fn entry(&self) -> &VariantEntry {
        &self.entry
    }

    fn sha256(&self) -> &str {
        &self.sha256
    }

    fn evaluate(&self, args: &Prepared<'_>) -> Run<Value> {
        let sig = args.sig();
        self.run(
            &sig.name,
            args.control(),
            |store, f| call_dynamic(store, f, Args::of(args), sig.result.as_ref()),
            Value::size_hint,
        )
    }

    fn blocks(&self) -> bool {
        self.uses_wasi()
    }

    fn warnings(&self) -> &[String] {
        &self.warnings
    }

    fn imports(&self) -> &[String] {
        &self.imports
    }

    fn native(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }
}
