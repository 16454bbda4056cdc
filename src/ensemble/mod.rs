//! The library entry point: an [`Ensemble`] of variants, called dynamically or with
//! Rust types, synchronously or on tokio, returning a [`Verdict`].

pub mod builder;
mod call;
pub mod event;
mod parallel;
pub mod supervise;
pub mod telemetry;
pub mod typed;
pub mod verdict;

use std::path::Path;
use std::sync::Arc;

use crate::backend::Backend;
use crate::cause::{ArgumentProblem, ManifestProblem};
use crate::engine::{EngineKind, LoadSettings, SharedVariant};
use crate::error::{Error, Result};
use crate::manifest::{Limits, Manifest, VariantEntry};
use crate::outcome::{Outcome, Run};
use crate::supervise::{Admission, BreakerEvent, Mark, Supervision, Supervisor, VariantHealth};
use crate::telemetry::Labels;
use crate::value::{Tolerance, Value, conforms, parse_args, parse_wave};
pub use crate::verdict::{EngineDivergence, Verdict};
use crate::votable::Votable;
use crate::vote::Policy;
use crate::wit::{FuncSig, load_world};
pub use event::{Dissent, Event, Log, Observer, RunFacts, RunOutput, VerdictView};

/// Each further engine's runs of every variant, in engine order.
type ShadowRuns<T> = Vec<(EngineKind, Vec<Run<T>>)>;

/// A set of variants of the same functions, loaded from an ensemble folder.
#[derive(Clone)]
pub struct Ensemble {
    inner: Arc<Inner>,
    /// Every subscriber to this handle's events: the log and the metrics first,
    /// then the hooks and observers added to it.
    observers: Vec<Arc<dyn Observer>>,
    supervisor: Option<Arc<Supervisor>>,
    early: bool,
    /// The most threads a synchronous call runs its variants on.
    parallelism: usize,
}

struct Inner {
    manifest: Manifest,
    funcs: Vec<FuncSig>,
    /// The engines, the voting one first.
    engines: Vec<EngineKind>,
    /// The variants compiled by the first engine: their results vote.
    variants: Vec<SharedVariant>,
    /// The variants compiled by each further engine, in `engines[1..]` order.
    shadows: Vec<Vec<SharedVariant>>,
    policy: Policy,
    /// Metric labels; also the metrics' observer.
    labels: Arc<Labels>,
    /// Each variant's recent time per call on every engine (in the order of
    /// `every_variant`), in nanoseconds; 0 before its first call. A synchronous
    /// call reads them to decide whether running its variants in parallel pays.
    expected: Vec<std::sync::atomic::AtomicU64>,
}

/// The cores of this machine, as the default parallelism of synchronous calls.
pub(crate) fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// What `nvx list` shows of one variant.
#[derive(Clone, Debug)]
pub struct VariantInfo<'a> {
    /// The manifest entry (name, language, toolchain, source, provenance).
    pub entry: &'a VariantEntry,
    /// The verified SHA-256 of the module.
    pub sha256: &'a str,
}

impl Ensemble {
    /// Loads the ensemble in `dir`: reads `nvx.toml`, checks every module's hash,
    /// compiles it (or takes it from the on-disk cache) and checks its exports
    /// against the world, before any call.
    ///
    /// # Errors
    /// Any [`Error`] naming the file, variant and function at fault.
    pub fn open(dir: impl AsRef<Path>) -> Result<Ensemble> {
        Self::open_on(dir.as_ref(), None)
    }

    /// Like [`Ensemble::open`], but every variant runs on `engines` (the first
    /// one's results vote) instead of the manifest's `[ensemble] engines`.
    ///
    /// # Errors
    /// As [`Ensemble::open`]; [`Error::Usage`] when `engines` is empty or names an
    /// engine twice.
    pub fn open_with_engines(dir: impl AsRef<Path>, engines: &[EngineKind]) -> Result<Ensemble> {
        Self::open_on(dir.as_ref(), Some(engines))
    }

    /// An ensemble of variants evaluated by `variants` instead of nvx's wasmtime
    /// engine: another runtime behind the [`Backend`] seam, or fakes in tests.
    /// `manifest` gives the name, folder, policy, tolerance, limits and generator
    /// hints; `funcs` the world's functions. Such an ensemble runs on no wasmtime
    /// engine ([`Ensemble::engines`] is empty) and has no typed calls.
    ///
    /// # Errors
    /// [`Error::Manifest`] for a bad `policy` or `quorum`.
    pub fn with_backends(
        manifest: Manifest,
        funcs: Vec<FuncSig>,
        variants: Vec<Arc<dyn Backend>>,
    ) -> Result<Ensemble> {
        let policy = manifest.policy().map_err(|e| Error::Manifest {
            path: manifest.dir.join("nvx.toml"),
            problem: ManifestProblem::Policy(e),
        })?;
        Ok(Ensemble::from_parts(
            manifest,
            funcs,
            Vec::new(),
            variants,
            Vec::new(),
            policy,
        ))
    }

    fn open_on(dir: &Path, engines: Option<&[EngineKind]>) -> Result<Ensemble> {
        if let Some(e) = engines {
            EngineKind::check_given(e)?;
        }
        let manifest = Manifest::load(dir)?;
        let funcs = load_world(
            &dir.join(&manifest.ensemble.wit),
            manifest.ensemble.world.as_deref(),
        )?;
        let modules = manifest.read_modules(dir)?;
        Self::assemble(manifest, funcs, engines, modules)
    }

    /// Compiles every variant's module (`modules`, in manifest order: the path that
    /// names it and its bytes) on every engine, with the hash and type checks.
    fn assemble(
        manifest: Manifest,
        funcs: Vec<FuncSig>,
        engines: Option<&[EngineKind]>,
        modules: Vec<(std::path::PathBuf, Vec<u8>)>,
    ) -> Result<Ensemble> {
        let policy = manifest.policy().map_err(|e| Error::Manifest {
            path: manifest.dir.join("nvx.toml"),
            problem: ManifestProblem::Policy(e),
        })?;
        let engines = EngineKind::select(
            engines,
            &manifest.dir.join("nvx.toml"),
            &manifest.ensemble.engines,
        )?;
        let settings = LoadSettings::of(&manifest);
        let mut compiled = engines
            .iter()
            .map(|kind| {
                manifest
                    .variants
                    .iter()
                    .zip(&modules)
                    .map(|(v, (path, bytes))| kind.engine().load(path, bytes, v, &funcs, &settings))
                    .collect::<Result<Vec<_>>>()
            })
            .collect::<Result<Vec<_>>>()?
            .into_iter();
        let variants = compiled.next().unwrap_or_default();
        let shadows = compiled.collect();
        Ok(Ensemble::from_parts(
            manifest, funcs, engines, variants, shadows, policy,
        ))
    }

    /// An ensemble of loaded variants (and their copies on further engines), with
    /// its metric labels, no hooks and no supervision.
    fn from_parts(
        manifest: Manifest,
        funcs: Vec<FuncSig>,
        engines: Vec<EngineKind>,
        variants: Vec<SharedVariant>,
        shadows: Vec<Vec<SharedVariant>>,
        policy: Policy,
    ) -> Ensemble {
        let labels = Arc::new(Labels::new(
            &manifest.ensemble.name,
            funcs.iter().map(|f| f.name.as_str()),
            variants.iter().map(|v| v.entry().name.as_str()),
        ));
        let observers: Vec<Arc<dyn Observer>> = vec![Arc::new(Log), labels.clone()];
        let expected = (0..variants.len() + shadows.iter().map(Vec::len).sum::<usize>())
            .map(|_| std::sync::atomic::AtomicU64::new(0))
            .collect();
        Ensemble {
            inner: Arc::new(Inner {
                manifest,
                funcs,
                engines,
                variants,
                shadows,
                policy,
                labels,
                expected,
            }),
            observers,
            supervisor: None,
            early: false,
            parallelism: cores(),
        }
    }

    /// How many threads a synchronous call ([`Ensemble::call`],
    /// [`Ensemble::call_controlled`]) may run its variants on: its own and up to
    /// `threads - 1` of the process's helper threads (one fewer than the cores).
    /// 1 runs them one after another on the caller's thread. The default is the
    /// number of cores.
    ///
    /// A call uses the helpers only when its variants' times in recent calls say it
    /// saves at least 40 µs (or, with [`Ensemble::set_early_verdict`], when the
    /// call takes that long), so calls of small functions, and the first call,
    /// stay on the caller's thread. A helper busy with another call never delays
    /// this one: the caller runs every variant no helper has started. Typed calls
    /// and a campaign's calls always run their variants one after another. The
    /// setting belongs to this handle, as hooks do.
    pub fn set_parallelism(&mut self, threads: usize) {
        self.parallelism = threads.max(1);
    }

    /// The most threads a synchronous call runs its variants on; see
    /// [`Ensemble::set_parallelism`].
    pub fn parallelism(&self) -> usize {
        self.parallelism
    }

    /// Keeps up to `instances` fresh instances of each variant (on each engine)
    /// made ahead of time, off the calls' path (default 1; at most 16; 0 makes
    /// every call instantiate on its own path). Each is used by one call only, so
    /// isolation is the same either way; see "Isolation" in the reference for the
    /// memory they hold. It applies to the loaded variants, so to every clone of
    /// this ensemble. Engines that do not make instances ahead of time ignore it.
    pub fn set_ready_instances(&self, instances: usize) {
        for v in self.every_variant() {
            v.keep_ready(instances);
        }
    }

    /// Makes the fresh instances of [`Ensemble::set_ready_instances`] now, on this
    /// thread, so that the next calls find them ready (otherwise they are made
    /// from a variant's second call on).
    pub fn warm_up(&self) {
        for v in self.every_variant() {
            v.warm_up();
        }
    }

    /// Takes each run's time into its variant's recent time per call; `runs` are
    /// in the order of [`Ensemble::every_variant`], `None` for a run missing.
    fn learn<'a, T: 'a>(&self, runs: impl Iterator<Item = Option<&'a Run<T>>>) {
        use std::sync::atomic::Ordering::Relaxed;
        for (slot, run) in self.inner.expected.iter().zip(runs) {
            let Some(run) = run else { continue };
            if matches!(run.outcome, Outcome::OutOfService | Outcome::Cancelled) {
                continue;
            }
            let t = u64::try_from(run.elapsed.as_nanos())
                .unwrap_or(u64::MAX / 4)
                .max(1);
            let old = slot.load(Relaxed);
            slot.store(
                if old == 0 {
                    t
                } else {
                    old.saturating_mul(3).saturating_add(t) / 4
                },
                Relaxed,
            );
        }
    }

    /// Registers a callback run on every dissent (a variant outvoted or failed), in
    /// addition to the `tracing` warning nvx always emits, so that a library user
    /// can alert on divergence. Hooks belong to this handle: clones made earlier do
    /// not see it, clones made later (and typed handles) do.
    pub fn on_dissent(&mut self, hook: impl Fn(&Dissent<'_>) + Send + Sync + 'static) {
        self.subscribe(move |e: &Event<'_>| {
            if let Event::Dissent(d) = e {
                hook(d);
            }
        });
    }

    /// Subscribes `observer` to every [`Event`] of this handle's calls: verdicts,
    /// dissents, engine divergences and breaker transitions, after the `tracing`
    /// log and the metrics. Observers belong to this handle, as hooks do.
    pub fn subscribe(&mut self, observer: impl Observer + 'static) {
        self.observers.push(Arc::new(observer));
    }

    /// Hands `event` to every observer, in order.
    fn emit(&self, event: &Event<'_>) {
        for o in &self.observers {
            o.on_event(event);
        }
    }

    /// Puts the variants under supervision with `policy`: a circuit breaker per
    /// variant takes one that keeps failing or dissenting out of service, retries it
    /// after a back-off and brings it back when it agrees again; see
    /// [`Supervision`]. A variant out of service is not run, and counts as failed
    /// ([`Outcome::OutOfService`]) in every vote, so `majority` still needs more
    /// than half of *all* variants and no policy silently shrinks the electorate.
    ///
    /// Off by default: without it every call runs every variant, so a verdict
    /// depends on its input alone, never on earlier calls; campaigns and `nvx call`
    /// rely on that. A long-running service turns it on to stop paying a broken
    /// variant's full deadline on every call.
    ///
    /// The health records are shared by this handle and the clones made from it
    /// afterwards (and their typed handles); calling it again starts them afresh.
    pub fn supervise(&mut self, policy: Supervision) {
        let names = self
            .inner
            .variants
            .iter()
            .map(|v| v.entry().name.clone())
            .collect();
        self.supervisor = Some(Arc::new(Supervisor::new(policy, names)));
        self.inner.labels.breakers_closed();
    }

    /// Registers a callback run on every breaker transition (closed → open, open →
    /// half-open, half-open → closed or open), in addition to the `tracing` event
    /// nvx emits (a warning when a breaker opens, info otherwise) and the
    /// `nvx_breaker_state` metric. Hooks belong to this handle, as with
    /// [`Ensemble::on_dissent`].
    pub fn on_breaker(&mut self, hook: impl Fn(&BreakerEvent) + Send + Sync + 'static) {
        self.subscribe(move |e: &Event<'_>| {
            if let Event::Breaker(b) = e {
                hook(b);
            }
        });
    }

    /// Every variant's health under supervision, in manifest order; empty when the
    /// ensemble is not supervised.
    pub fn health(&self) -> Vec<VariantHealth> {
        self.supervisor
            .as_ref()
            .map(|s| s.health())
            .unwrap_or_default()
    }

    /// Which variants run in a call starting now (all of them without
    /// supervision), announcing the breakers this moves to half-open.
    pub(crate) fn admit(&self) -> Vec<Admission> {
        let n = self.inner.variants.len();
        let Some(sup) = &self.supervisor else {
            return vec![Admission::Run; n];
        };
        let now = std::time::Instant::now();
        (0..n)
            .map(|i| {
                let (admission, event) = sup.admit(i, now);
                if let Some(e) = event {
                    self.breaker_event(e);
                }
                admission
            })
            .collect()
    }

    /// Records each admitted variant's part in `verdict` in its health record and
    /// announces the transitions; then the call's metrics.
    fn after<T: Votable>(
        &self,
        verdict: &Verdict<T>,
        admissions: &[Admission],
        started: std::time::Instant,
    ) {
        if let Some(sup) = &self.supervisor {
            let now = std::time::Instant::now();
            for (i, (run, &admission)) in verdict.runs().iter().zip(admissions).enumerate() {
                let mark = Mark::of(&run.outcome, verdict.reached(), verdict.is_dissenter(i));
                if let Some(e) = sup.record(i, admission, mark, now, || run.outcome.label()) {
                    self.breaker_event(e);
                }
            }
        }
        self.emit(&Event::Verdict {
            ensemble: self.name(),
            verdict,
            elapsed: started.elapsed(),
        });
    }

    fn breaker_event(&self, mut event: BreakerEvent) {
        event.ensemble = self.name().to_string();
        self.emit(&Event::Breaker(&event));
    }

    /// The engines every variant runs on, the voting one first.
    pub fn engines(&self) -> &[EngineKind] {
        &self.inner.engines
    }

    /// Every loaded variant on every engine: the voting engine's, then each further
    /// engine's, in the order runs are kept.
    fn every_variant(&self) -> impl Iterator<Item = &SharedVariant> {
        self.inner
            .variants
            .iter()
            .chain(self.inner.shadows.iter().flatten())
    }

    /// Runs `run` for every variant on every engine: the voting engine's runs, and
    /// each further engine's.
    fn run_everywhere<T>(
        &self,
        admissions: &[Admission],
        run: impl Fn(&dyn Backend) -> Run<T>,
    ) -> (Vec<Run<T>>, ShadowRuns<T>) {
        self.run_where(admissions, |_| true, run)
    }

    /// Like [`Ensemble::run_everywhere`], on the further engines whose backends
    /// `keep` accepts (typed calls run only where wasmtime runs).
    pub(crate) fn run_where<T>(
        &self,
        admissions: &[Admission],
        keep: impl Fn(&dyn Backend) -> bool,
        run: impl Fn(&dyn Backend) -> Run<T>,
    ) -> (Vec<Run<T>>, ShadowRuns<T>) {
        let _running = crate::engine::seam::CallRunning::start();
        let run_admitted = |vs: &[SharedVariant]| -> Vec<Run<T>> {
            vs.iter()
                .zip(admissions)
                .map(|(v, a)| {
                    if a.runs() {
                        run(&**v)
                    } else {
                        Run::without_output(&v.entry().name, Outcome::OutOfService)
                    }
                })
                .collect()
        };
        let primary = run_admitted(&self.inner.variants);
        let shadows = self
            .inner
            .shadows
            .iter()
            .zip(self.inner.engines.iter().skip(1))
            .filter(|(vs, _)| vs.first().is_none_or(|v| keep(&**v)))
            .map(|(vs, &k)| (k, run_admitted(vs)))
            .collect();
        (primary, shadows)
    }

    /// The first variant on the voting engine, if any.
    pub(crate) fn first_variant(&self) -> Option<&SharedVariant> {
        self.inner.variants.first()
    }

    /// The ensemble's name.
    pub fn name(&self) -> &str {
        &self.inner.manifest.ensemble.name
    }

    /// The folder it was loaded from.
    pub fn dir(&self) -> &Path {
        &self.inner.manifest.dir
    }

    /// The parsed manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.inner.manifest
    }

    /// The voting policy.
    pub fn policy(&self) -> Policy {
        self.inner.policy
    }

    /// The float tolerance (unset means exact).
    pub fn tolerance(&self) -> Tolerance {
        self.inner.manifest.ensemble.tolerance
    }

    /// Warnings raised while loading (a refused compile-cache entry, an unsafe
    /// cache folder), each naming its variant. Loading went on without them.
    pub fn warnings(&self) -> Vec<&str> {
        self.every_variant()
            .flat_map(|v| v.warnings().iter().map(String::as_str))
            .collect()
    }

    /// The per-variant limits.
    pub fn limits(&self) -> Limits {
        self.inner.manifest.ensemble.limits
    }

    /// The functions of the world, in declaration order.
    pub fn functions(&self) -> &[FuncSig] {
        &self.inner.funcs
    }

    /// The variants, in manifest order.
    pub fn variants(&self) -> impl Iterator<Item = VariantInfo<'_>> {
        self.inner.variants.iter().map(|v| VariantInfo {
            entry: v.entry(),
            sha256: v.sha256(),
        })
    }

    /// Looks up a function by name.
    ///
    /// # Errors
    /// [`Error::UnknownFunction`] listing the functions that exist.
    pub fn function(&self, name: &str) -> Result<&FuncSig> {
        self.inner
            .funcs
            .iter()
            .find(|f| f.name == name)
            .ok_or_else(|| Error::UnknownFunction {
                ensemble: self.name().to_string(),
                function: name.to_string(),
                available: self.inner.funcs.iter().map(|f| f.name.clone()).collect(),
            })
    }

    /// Parses WAVE arguments, one text per parameter, for `func`.
    ///
    /// # Errors
    /// [`Error::UnknownFunction`], or [`Error::BadArguments`] naming the argument.
    pub fn parse_args(&self, func: &str, args: &[impl AsRef<str>]) -> Result<Vec<Value>> {
        let sig = self.function(func)?;
        if args.len() != sig.params.len() {
            return Err(Error::BadArguments {
                function: func.to_string(),
                problem: ArgumentProblem::Count {
                    expected: sig.params.len(),
                    signature: sig.signature(),
                    got: args.len(),
                },
            });
        }
        sig.params
            .iter()
            .zip(args)
            .map(|((name, ty), text)| {
                parse_wave(ty, text.as_ref()).map_err(|source| Error::BadArguments {
                    function: func.to_string(),
                    problem: ArgumentProblem::Wave {
                        name: name.clone(),
                        source,
                    },
                })
            })
            .collect()
    }

    /// Parses a comma-separated WAVE argument tuple (a corpus line) for `func`.
    ///
    /// # Errors
    /// [`Error::UnknownFunction`] or [`Error::BadArguments`].
    pub fn parse_arg_line(&self, func: &str, line: &str) -> Result<Vec<Value>> {
        let sig = self.function(func)?;
        parse_args(&sig.param_types(), line).map_err(|e| Error::BadArguments {
            function: func.to_string(),
            problem: ArgumentProblem::Tuple(e),
        })
    }

    fn check_args(&self, sig: &FuncSig, args: &[Value]) -> Result<()> {
        let bad = |problem: ArgumentProblem| Error::BadArguments {
            function: sig.name.clone(),
            problem,
        };
        if args.len() != sig.params.len() {
            return Err(bad(ArgumentProblem::Count {
                expected: sig.params.len(),
                signature: sig.signature(),
                got: args.len(),
            }));
        }
        for ((name, ty), v) in sig.params.iter().zip(args) {
            if !conforms(v, ty) {
                return Err(bad(ArgumentProblem::WrongType {
                    name: name.clone(),
                    value: v.clone(),
                    ty: ty.clone(),
                }));
            }
        }
        Ok(())
    }
}

/// For tests: an ensemble of the world `f(x: u32) -> u32` under `policy`, whose
/// variants `names` are evaluated by `backend(i, entry)`.
#[cfg(test)]
pub(crate) fn u32_fakes(
    policy: &str,
    names: &[&str],
    mut backend: impl FnMut(usize, &VariantEntry) -> std::sync::Arc<dyn Backend>,
) -> Ensemble {
    let mut toml =
        format!("[ensemble]\nname = \"fake\"\nwit = \"fake.wit\"\npolicy = \"{policy}\"\n");
    for name in names {
        toml.push_str(&format!(
            "[[variant]]\nname = \"{name}\"\npath = \"{name}.wasm\"\nsha256 = \"{}\"\nlanguage = \"fake\"\n",
            "0".repeat(64)
        ));
    }
    let manifest =
        crate::manifest::Manifest::from_toml(std::path::Path::new("/nonexistent/fake"), &toml)
            .unwrap();
    let backends = manifest
        .variants
        .iter()
        .enumerate()
        .map(|(i, entry)| backend(i, entry))
        .collect();
    let sig = FuncSig {
        name: "f".into(),
        interface: None,
        func: "f".into(),
        params: vec![("x".into(), crate::value::ValueType::U32)],
        result: Some(crate::value::ValueType::U32),
    };
    Ensemble::with_backends(manifest, vec![sig], backends).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::sync::Mutex;

    use crate::backend::Prepared;
    use crate::vote::Decision;
    use std::sync::mpsc;

    /// A fake variant of `f(x: u32) -> u32` returning `answer`, after waiting for a
    /// go-ahead when it has a gate.
    struct Fake {
        entry: VariantEntry,
        answer: u32,
        gate: Option<Mutex<mpsc::Receiver<()>>>,
    }

    impl Backend for Fake {
        fn entry(&self) -> &VariantEntry {
            &self.entry
        }
        fn sha256(&self) -> &str {
            &self.entry.sha256
        }
        fn evaluate(&self, _args: &Prepared<'_>) -> Run<Value> {
            if self.answer == PANICS {
                panic!("the fake backend panics");
            }
            if let Some(gate) = &self.gate {
                let _ = gate.lock().map(|g| g.recv());
            }
            Run {
                variant: self.entry.name.clone(),
                outcome: Outcome::Returned(Value::U32(self.answer)),
                elapsed: std::time::Duration::ZERO,
                stdout: String::new(),
                stderr: String::new(),
            }
        }
    }

    type Spec = (&'static str, u32, Option<mpsc::Receiver<()>>);

    /// The answer of a fake that panics instead of answering.
    const PANICS: u32 = u32::MAX;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_run_that_panicked_is_a_host_panic_not_an_instantiation_failure() {
        let e = fakes(
            "majority",
            vec![("a", 1, None), ("b", 1, None), ("boom", PANICS, None)],
        );
        let v = e.call_async("f", vec![Value::U32(7)]).await.unwrap();
        assert_eq!(v.dissenters(), ["boom"]);
        let boom = v.runs().iter().find(|r| r.variant == "boom").unwrap();
        assert_eq!(boom.outcome.label(), "trap(host-panic)");
        // The vote summary names the failure by the same label as reports do.
        assert!(
            v.summary().contains("boom trap(host-panic)"),
            "{}",
            v.summary()
        );
        assert!(
            boom.outcome.detail().contains("the fake backend panics"),
            "{}",
            boom.outcome.detail()
        );
    }

    /// Variants `(name, answer, gate)` under `policy`.
    fn fakes(policy: &str, mut variants: Vec<Spec>) -> Ensemble {
        let names: Vec<&str> = variants.iter().map(|(n, _, _)| *n).collect();
        crate::ensemble::u32_fakes(policy, &names, |i, entry| {
            Arc::new(Fake {
                entry: entry.clone(),
                answer: variants[i].1,
                gate: variants[i].2.take().map(Mutex::new),
            })
        })
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_early_verdict_returns_before_a_straggler_whose_dissent_still_fires() {
        let (release, gate) = mpsc::channel();
        let mut e = fakes(
            "majority",
            vec![("a", 1, None), ("b", 1, None), ("slow", 2, Some(gate))],
        );
        e.set_early_verdict(true);
        let (seen_tx, seen_rx) = mpsc::channel::<String>();
        let seen_tx = Mutex::new(seen_tx);
        e.on_dissent(move |d| {
            let _ = seen_tx
                .lock()
                .map(|t| t.send(format!("{}={}", d.variant, d.outcome)));
        });
        // `slow` cannot finish until released, so the verdict must come without it.
        let v = e.call_async("f", vec![Value::U32(7)]).await.unwrap();
        assert!(v.value().unwrap().same(&Value::U32(1)));
        assert_eq!(v.pending(), ["slow"]);
        assert_eq!(v.runs().len(), 2);
        assert!(v.unanimous(), "nobody who finished dissented");
        assert!(seen_rx.try_recv().is_err(), "no dissent yet");
        release.send(()).unwrap();
        let heard = tokio::task::spawn_blocking(move || {
            seen_rx.recv_timeout(std::time::Duration::from_secs(30))
        })
        .await
        .unwrap();
        assert_eq!(
            heard.as_deref(),
            Ok("slow=2"),
            "the straggler's dissent fired"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn without_the_opt_in_or_a_certain_verdict_every_variant_is_awaited() {
        // Opt-in off: the straggler is awaited (released at once here).
        let (release, gate) = mpsc::channel();
        release.send(()).unwrap();
        let e = fakes(
            "majority",
            vec![("a", 1, None), ("b", 1, None), ("slow", 2, Some(gate))],
        );
        let v = e.call_async("f", vec![Value::U32(7)]).await.unwrap();
        assert!(v.pending().is_empty());
        assert_eq!(v.dissenters(), ["slow"]);
        // Unanimous is never certain early.
        let (release, gate) = mpsc::channel();
        release.send(()).unwrap();
        let mut e = fakes(
            "unanimous",
            vec![("a", 1, None), ("b", 1, None), ("slow", 1, Some(gate))],
        );
        e.set_early_verdict(true);
        let v = e.call_async("f", vec![Value::U32(7)]).await.unwrap();
        assert!(v.pending().is_empty());
        assert!(v.unanimous());
    }

    /// Sets each variant's recent time per call, as earlier calls would have.
    fn seen_times(e: &Ensemble, micros: &[u64]) {
        for (slot, &us) in e.inner.expected.iter().zip(micros) {
            slot.store(us * 1000, std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// A fake that answers 1 only if its partner runs at the same time: each
    /// tells the other it started and waits (up to 20 s) to hear the same.
    struct Meet {
        entry: VariantEntry,
        tell: Mutex<mpsc::Sender<()>>,
        hear: Mutex<mpsc::Receiver<()>>,
    }

    impl Backend for Meet {
        fn entry(&self) -> &VariantEntry {
            &self.entry
        }
        fn sha256(&self) -> &str {
            &self.entry.sha256
        }
        fn evaluate(&self, _args: &Prepared<'_>) -> Run<Value> {
            let _ = self.tell.lock().map(|t| t.send(()));
            let met = self
                .hear
                .lock()
                .is_ok_and(|h| h.recv_timeout(std::time::Duration::from_secs(20)).is_ok());
            Run::without_output(
                &self.entry.name,
                Outcome::Returned(Value::U32(u32::from(met))),
            )
        }
    }

    #[test]
    fn a_synchronous_call_of_slow_variants_runs_them_at_once() {
        let (to_b, from_a) = mpsc::channel();
        let (to_a, from_b) = mpsc::channel();
        let mut pair = vec![(to_b, from_b), (to_a, from_a)].into_iter();
        let mut e = crate::ensemble::u32_fakes("majority", &["a", "b"], |_, entry| {
            let (tell, hear) = pair.next().unwrap();
            Arc::new(Meet {
                entry: entry.clone(),
                tell: Mutex::new(tell),
                hear: Mutex::new(hear),
            })
        });
        e.set_parallelism(2);
        seen_times(&e, &[1000, 1000]);
        let v = e.call("f", &[Value::U32(7)]).unwrap();
        assert!(v.unanimous(), "{}", v.summary());
        assert!(
            v.value().unwrap().same(&Value::U32(1)),
            "both met: {}",
            v.summary()
        );
        // With parallelism 1 the same call runs them one after another (and
        // neither meets the other), whatever their times.
        e.set_parallelism(1);
        assert_eq!(e.parallel_order(&e.admit()), None);
        e.set_parallelism(2);
        seen_times(&e, &[5, 5]);
        assert_eq!(e.parallel_order(&e.admit()), None, "too short to pay");
        seen_times(&e, &[0, 0]);
        assert_eq!(e.parallel_order(&e.admit()), None, "no calls seen yet");
        seen_times(&e, &[100, 900]);
        assert_eq!(
            e.parallel_order(&e.admit()),
            Some(vec![1, 0]),
            "slowest first"
        );
    }

    #[test]
    fn a_synchronous_early_verdict_leaves_the_straggler_to_finish() {
        let (release, gate) = mpsc::channel();
        let mut e = fakes(
            "majority",
            vec![("slow", 2, Some(gate)), ("a", 1, None), ("b", 1, None)],
        );
        e.set_parallelism(2);
        e.set_early_verdict(true);
        seen_times(&e, &[5000, 50, 50]);
        let (seen_tx, seen_rx) = mpsc::channel::<String>();
        let seen_tx = Mutex::new(seen_tx);
        e.on_dissent(move |d| {
            let _ = seen_tx
                .lock()
                .map(|t| t.send(format!("{}={}", d.variant, d.outcome)));
        });
        // `slow` cannot finish until released, so the verdict must come without it.
        let v = e.call("f", &[Value::U32(7)]).unwrap();
        assert!(v.value().unwrap().same(&Value::U32(1)));
        assert_eq!(v.pending(), ["slow"]);
        assert_eq!(v.runs().len(), 2);
        assert!(seen_rx.try_recv().is_err(), "no dissent yet");
        release.send(()).unwrap();
        assert_eq!(
            seen_rx
                .recv_timeout(std::time::Duration::from_secs(30))
                .as_deref(),
            Ok("slow=2"),
            "the straggler's dissent fired"
        );
    }

    #[test]
    fn certainty_under_each_policy() {
        let agreed = |supporters: Vec<usize>| Decision::Agreed {
            winner: supporters[0],
            supporters,
            dissenters: Vec::new(),
        };
        assert!(Policy::Majority.settled(&agreed(vec![0, 1]), 1, 3));
        assert!(
            Policy::Quorum(3).settled(&agreed(vec![0, 1, 2]), 2, 5),
            "2 others < 3"
        );
        assert!(
            !Policy::Quorum(2).settled(&agreed(vec![0, 1]), 2, 4),
            "2 others could agree"
        );
        assert!(!Policy::Unanimous.settled(&agreed(vec![0, 1]), 1, 3));
        assert!(!Policy::Plurality.settled(&agreed(vec![0, 1]), 1, 3));
        assert!(
            Policy::Plurality.settled(&agreed(vec![0]), 0, 3),
            "nothing pending"
        );
    }

    #[test]
    fn the_test_engine_is_picked_by_name_like_any_other() {
        let fake: EngineKind = "test-fake".parse().unwrap();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/agree");
        let e = Ensemble::open_with_engines(&dir, &[EngineKind::Cranelift, fake]).unwrap();
        assert_eq!(e.engines(), [EngineKind::Cranelift, fake]);
        let before = crate::backend::FAKE_CALLS.load(std::sync::atomic::Ordering::Relaxed);
        let v = e.call("add", &[Value::U32(3), Value::U32(4)]).unwrap();
        assert!(v.unanimous() && v.engine_divergences().is_empty());
        assert!(v.value().unwrap().same(&Value::U32(7)));
        let after = crate::backend::FAKE_CALLS.load(std::sync::atomic::Ordering::Relaxed);
        assert_eq!(
            after - before,
            3,
            "each of the three variants once on the test engine"
        );
    }
}
